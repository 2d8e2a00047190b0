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
