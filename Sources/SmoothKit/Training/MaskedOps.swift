import CSmoothKit

// The four forward ops on masked and ragged rows (smoothkit_train.h, "Masked and ragged
// rows"): entries past a row's valid length or whose mask byte is 0 act exactly as −∞.

/// Which entries of each row take part: a valid length per row and/or a byte mask.
///
/// Entry `(r, i)` is kept when `i < lengths[r]` (no lengths: every column) and
/// `mask[r * cols + i] != 0` (no mask: every entry). Build it once per batch.
/// ```swift
/// let ragged = try RowMask(rows: 2, cols: 4, lengths: [3, 1])
/// let causal = try RowMask(rows: 2, cols: 2, mask: [1, 0,
///                                                   1, 1])
/// ```
public struct RowMask: Sendable, Equatable {
    /// Rows and columns this mask applies to.
    public let rows: Int, cols: Int
    let lengths: [Int64]?
    let mask: [UInt8]?

    /// Keeps `i < lengths[r]` and `mask[r * cols + i] != 0` (either may be nil: no limit).
    ///
    /// ```swift
    /// let m = try RowMask(rows: 3, cols: 8, lengths: [8, 5, 0])   // the last row keeps nothing
    /// ```
    /// - Throws: ``SmoothKitError/elementCount(expected:actual:)`` when `lengths` does not have
    ///   `rows` values or `mask` `rows * cols`; ``SmoothKitError/domain(_:)`` for a length outside
    ///   `0...cols`; ``SmoothKitError/invalidShape(_:)`` for negative sizes.
    public init(rows: Int, cols: Int, lengths: [Int]? = nil, mask: [UInt8]? = nil) throws {
        guard rows >= 0, cols >= 0 else { throw SmoothKitError.invalidShape("rows and cols must be >= 0, got \(rows) × \(cols)") }
        if let lengths {
            try checkCount(lengths.count, rows)
            if let bad = lengths.firstIndex(where: { !(0...cols).contains($0) }) {
                throw SmoothKitError.domain("length \(lengths[bad]) of row \(bad) is outside 0...\(cols)")
            }
        }
        if let mask { try checkCount(mask.count, rows * cols) }
        self.rows = rows
        self.cols = cols
        self.lengths = lengths?.map { Int64($0) }
        self.mask = mask
    }
}

/// Validates and runs one masked op; `out` is `rows` values (reductions) or a matrix (maps).
private func maskedRun<S: SmoothScalar>(_ op: RowOp, _ x: Matrix<S>, _ m: RowMask, _ t: S, _ backend: Backend,
                                        out: UnsafeMutablePointer<S>, ldo: Int) {
    x.withBase { xp in
        (m.lengths ?? []).withUnsafeBufferPointer { lb in
            (m.mask ?? []).withUnsafeBufferPointer { mb in
                let lp = m.lengths == nil ? nil : lb.baseAddress, mp = m.mask == nil ? nil : mb.baseAddress
                if backend.resolved == .swift {
                    SwiftTrainingKernels<S>.table.masked(op, xp, x.rows, x.cols, x.leadingDimension, lp, mp, x.cols, t, out, ldo)
                } else {
                    let (c, rows, cols, ldx, t) = (S.c, x.rows, x.cols, x.leadingDimension, Double(t))
                    let status = switch op {
                    case .logSumExp: c.maskedLogSumExp(xp, rows, cols, ldx, lp, mp, cols, t, out)
                    case .softArgmax: c.maskedSoftArgmax(xp, rows, cols, ldx, lp, mp, cols, t, out)
                    case .softmax: c.maskedSoftmax(xp, rows, cols, ldx, lp, mp, cols, t, out, ldo)
                    case .logSoftmax: c.maskedLogSoftmax(xp, rows, cols, ldx, lp, mp, cols, t, out, ldo)
                    }
                    expectOK(status, "masked \(op)")
                }
            }
        }
    }
}

private func checkMask<S: SmoothScalar>(_ x: Matrix<S>, _ m: RowMask, _ t: S) throws {
    try checkTemperature(t)
    guard m.rows == x.rows, m.cols == x.cols else {
        throw SmoothKitError.shapeMismatch(expected: x.shapeDescription, actual: "mask \(m.rows) × \(m.cols)")
    }
}

private func maskedReduce<S: SmoothScalar>(_ op: RowOp, _ x: Matrix<S>, _ m: RowMask, _ t: S, _ backend: Backend,
                                           into out: inout MutableSpan<S>) throws {
    try checkMask(x, m, t)
    try checkOutputCount(out, x.rows)
    if x.rows > 0 { out.withUnsafeMutableBufferPointer { maskedRun(op, x, m, t, backend, out: $0.baseAddress!, ldo: 1) } }
}

private func maskedMap<S: SmoothScalar>(_ op: RowOp, _ x: Matrix<S>, _ m: RowMask, _ t: S, _ backend: Backend,
                                        into y: inout Matrix<S>) throws {
    try checkMask(x, m, t)
    try checkSameShape(x, y)
    let ldy = y.leadingDimension
    if x.rows > 0 { y.withMutableBase { maskedRun(op, x, m, t, backend, out: $0, ldo: ldy) } }
}

/// ``logSumExp(_:temperature:backend:threads:)->[S]`` over the kept entries of each row only:
/// the value of the row with the other entries cut out; −∞ when nothing is kept.
///
/// ```swift
/// let x = try Matrix<Float>(rows: 2, cols: 3, elements: [1, 2, 3,  4, 5, 6])
/// let lse = try maskedLogSumExp(x, mask: RowMask(rows: 2, cols: 3, lengths: [2, 0]))
/// // [log(e + e²), −∞]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/shapeMismatch(expected:actual:)``
///   when the mask is for another shape.
public func maskedLogSumExp<S: SmoothScalar>(_ x: Matrix<S>, mask: RowMask, temperature: S = 1,
                                             backend: Backend = .automatic) throws -> [S] {
    try collecting(count: x.rows) { try maskedReduce(.logSumExp, x, mask, temperature, backend, into: &$0) }
}

/// ``softArgmax(_:temperature:backend:threads:)->[S]`` over the kept entries (column indices are
/// kept as they are); NaN when nothing is kept.
///
/// ```swift
/// let a = try maskedSoftArgmax(x, mask: RowMask(rows: 2, cols: 3, mask: [0, 1, 1,  1, 0, 0]))
/// ```
public func maskedSoftArgmax<S: SmoothScalar>(_ x: Matrix<S>, mask: RowMask, temperature: S = 1,
                                              backend: Backend = .automatic) throws -> [S] {
    try collecting(count: x.rows) { try maskedReduce(.softArgmax, x, mask, temperature, backend, into: &$0) }
}

/// ``softmax(_:temperature:backend:threads:)->Matrix<S>`` over the kept entries: 0 where not kept (also in
/// a NaN row), all 0 when nothing is kept (a fully masked attention row).
///
/// ```swift
/// let p = try maskedSoftmax(scores, mask: RowMask(rows: 2, cols: 2, mask: [1, 0,  1, 1]))
/// // row 0 == [1, 0]
/// ```
public func maskedSoftmax<S: SmoothScalar>(_ x: Matrix<S>, mask: RowMask, temperature: S = 1,
                                           backend: Backend = .automatic) throws -> Matrix<S> {
    var y = try Matrix<S>(rows: x.rows, cols: x.cols, repeating: 0)
    try maskedMap(.softmax, x, mask, temperature, backend, into: &y)
    return y
}

/// ``logSoftmax(_:temperature:backend:threads:)->Matrix<S>`` over the kept entries: −∞ where not kept,
/// all −∞ when nothing is kept.
///
/// ```swift
/// let lp = try maskedLogSoftmax(logits, mask: RowMask(rows: 1, cols: 3, lengths: [2]))
/// // [[−log 2, −log 2, −∞]] for logits [[0, 0, 9]]
/// ```
public func maskedLogSoftmax<S: SmoothScalar>(_ x: Matrix<S>, mask: RowMask, temperature: S = 1,
                                              backend: Backend = .automatic) throws -> Matrix<S> {
    var y = try Matrix<S>(rows: x.rows, cols: x.cols, repeating: 0)
    try maskedMap(.logSoftmax, x, mask, temperature, backend, into: &y)
    return y
}

// MARK: - views: the caller's memory in and out, no copy

/// ``maskedLogSumExp(_:mask:temperature:backend:)`` of a view, into `out` (`x.rows` values).
///
/// ```swift
/// try maskedLogSumExp(x, mask: RowMask(rows: 2, cols: 3, lengths: [2, 0]), into: &out)
/// ```
/// - Throws: as the `Matrix` form; ``SmoothKitError/elementCount(expected:actual:)`` when
///   `out.count != x.rows`. Nothing is written then.
public func maskedLogSumExp<S: SmoothScalar>(_ x: MatrixView<S>, mask: RowMask, temperature: S = 1,
                                             backend: Backend = .automatic, into out: inout MutableSpan<S>) throws {
    try x.withBorrowedMatrix { try maskedReduce(.logSumExp, $0, mask, temperature, backend, into: &out) }
}

/// ``maskedSoftArgmax(_:mask:temperature:backend:)`` of a view, into `out` (`x.rows` values).
///
/// ```swift
/// try maskedSoftArgmax(x, mask: causal, into: &out)
/// ```
/// - Throws: as ``maskedLogSumExp(_:mask:temperature:backend:into:)``.
public func maskedSoftArgmax<S: SmoothScalar>(_ x: MatrixView<S>, mask: RowMask, temperature: S = 1,
                                              backend: Backend = .automatic, into out: inout MutableSpan<S>) throws {
    try x.withBorrowedMatrix { try maskedReduce(.softArgmax, $0, mask, temperature, backend, into: &out) }
}

/// ``maskedSoftmax(_:mask:temperature:backend:)`` of a view, into `y` (`x`'s rows and cols).
///
/// ```swift
/// try maskedSoftmax(scores, mask: causal, into: &attention)
/// ```
/// - Throws: as the `Matrix` form; ``SmoothKitError/shapeMismatch(expected:actual:)`` also for
///   `y`. Nothing is written then.
public func maskedSoftmax<S: SmoothScalar>(_ x: MatrixView<S>, mask: RowMask, temperature: S = 1,
                                           backend: Backend = .automatic, into y: inout MutableMatrixView<S>) throws {
    try x.withBorrowedMatrix { x in
        try y.withBorrowedMatrix { try maskedMap(.softmax, x, mask, temperature, backend, into: &$0) }
    }
}

/// ``maskedLogSoftmax(_:mask:temperature:backend:)`` of a view, into `y` (`x`'s rows and cols).
///
/// ```swift
/// try maskedLogSoftmax(logits, mask: ragged, into: &y)
/// ```
/// - Throws: as ``maskedSoftmax(_:mask:temperature:backend:into:)``.
public func maskedLogSoftmax<S: SmoothScalar>(_ x: MatrixView<S>, mask: RowMask, temperature: S = 1,
                                              backend: Backend = .automatic, into y: inout MutableMatrixView<S>) throws {
    try x.withBorrowedMatrix { x in
        try y.withBorrowedMatrix { try maskedMap(.logSoftmax, x, mask, temperature, backend, into: &$0) }
    }
}
