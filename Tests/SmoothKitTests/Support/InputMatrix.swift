import SmoothKit

/// A row-major test input as the C ABI sees it: `rows × cols` with leading dimension `ld`,
/// the `ld − cols` padding elements of each row set to NaN (an op that reads padding then
/// fails its checks).
struct InputMatrix<S: TestScalar> {
    let rows: Int
    let cols: Int
    let ld: Int
    /// `rows · ld` elements, padding included.
    var storage: [S]

    init(rows: Int, cols: Int, ld: Int? = nil, _ element: (_ row: Int, _ col: Int) -> S) {
        let ld = ld ?? cols
        precondition(ld >= cols)
        self.rows = rows
        self.cols = cols
        self.ld = ld
        storage = [S](repeating: .nan, count: rows * ld)
        for r in 0..<rows {
            for c in 0..<cols { storage[r * ld + c] = element(r, c) }
        }
    }

    /// One row per array (all of the same length).
    init(rowsOf list: [[S]], ldPad: Int = 0) {
        let cols = list.first?.count ?? 0
        precondition(list.allSatisfy { $0.count == cols })
        self.init(rows: list.count, cols: cols, ld: cols + ldPad) { r, c in list[r][c] }
    }

    func withRow<R>(_ r: Int, _ body: (UnsafeBufferPointer<S>) -> R) -> R {
        storage.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[(r * ld)..<(r * ld + cols)])) }
    }

    func row(_ r: Int) -> [S] { withRow(r) { Array($0) } }

    /// `(rows − 1)·ld + cols`: the elements from the first row's start to the last row's last
    /// entry, all that the C ABI may touch.
    var extent: Int { rows == 0 ? 0 : (rows - 1) * ld + cols }

    /// Calls `body` with `storage[..<extent]` copied into an allocation of exactly that size,
    /// so that a kernel touching anything past the last row's last entry is caught under
    /// ASan; returns `body`'s result and `storage` with the buffer's elements after the call
    /// (for in-place calls).
    func withExactExtent<R>(_ body: (UnsafeMutablePointer<S>) -> R) -> (result: R, after: [S]) {
        let buffer = UnsafeMutableBufferPointer<S>.allocate(capacity: Swift.max(extent, 1))
        defer { buffer.deallocate() }
        _ = buffer.initialize(fromContentsOf: storage[..<extent])
        let result = body(buffer.baseAddress!)
        var after = storage
        for i in 0..<extent { after[i] = buffer[i] }
        return (result, after)
    }

    /// The elements without padding, row-major.
    var dense: [S] { (0..<rows).flatMap { row($0) } }

    /// The same matrix through the Swift façade, with the same leading dimension and NaN
    /// padding.
    func matrix() throws -> Matrix<S> {
        var m = try Matrix<S>(rows: rows, cols: cols, leadingDimension: ld, repeating: .nan)
        for r in 0..<rows {
            withRow(r) { src in
                m.withMutableRow(r) { dst in
                    for c in 0..<cols { dst[c] = src[c] }
                }
            }
        }
        return m
    }
}
