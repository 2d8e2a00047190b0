import CSmoothKit

// The four forward ops down the columns (axis 0), vectorised across columns in C
// (smoothkit_train.h, "Column-wise").

/// Runs a column op into `out` (`cols` values, or a `rows × cols` matrix with `ldo`).
private func columnRun<S: SmoothScalar>(_ op: RowOp, _ x: Matrix<S>, _ t: S, _ backend: Backend,
                                        out: UnsafeMutablePointer<S>, ldo: Int) {
    x.withBase { xp in
        if backend.resolved == .swift {
            SwiftTrainingKernels<S>.table.column(op, xp, x.rows, x.cols, x.leadingDimension, t, out, ldo)
        } else {
            let (c, rows, cols, ldx, t) = (S.c, x.rows, x.cols, x.leadingDimension, Double(t))
            let status = switch op {
            case .logSumExp: c.columnLogSumExp(xp, rows, cols, ldx, t, out)
            case .softArgmax: c.columnSoftArgmax(xp, rows, cols, ldx, t, out)
            case .softmax: c.columnSoftmax(xp, rows, cols, ldx, t, out, ldo)
            case .logSoftmax: c.columnLogSoftmax(xp, rows, cols, ldx, t, out, ldo)
            }
            expectOK(status, "column \(op)")
        }
    }
}

private func columnReduce<S: SmoothScalar>(_ op: RowOp, _ x: Matrix<S>, _ t: S, _ backend: Backend,
                                           into out: inout MutableSpan<S>) throws {
    try checkTemperature(t)
    try checkOutputCount(out, x.cols)
    if x.cols > 0 { out.withUnsafeMutableBufferPointer { columnRun(op, x, t, backend, out: $0.baseAddress!, ldo: 1) } }
}

private func columnMap<S: SmoothScalar>(_ op: RowOp, _ x: Matrix<S>, _ t: S, _ backend: Backend,
                                        into y: inout Matrix<S>) throws {
    try checkTemperature(t)
    try checkSameShape(x, y)
    let ldy = y.leadingDimension
    if x.rows > 0 && x.cols > 0 { y.withMutableBase { columnRun(op, x, t, backend, out: $0, ldo: ldy) } }
}

/// The smooth maximum of each column: `τ·log Σ_r exp(x[r, c]/τ)`, `cols` values; SPEC §1's
/// logsumexp per column (edge columns alike; no rows → −∞).
///
/// ```swift
/// let x = try Matrix<Float>(rows: 2, cols: 2, elements: [0, 5,  0, 5])
/// let lse = try columnLogSumExp(x)    // [log 2, 5 + log 2]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``.
public func columnLogSumExp<S: SmoothScalar>(_ x: Matrix<S>, temperature: S = 1,
                                             backend: Backend = .automatic) throws -> [S] {
    try collecting(count: x.cols) { try columnReduce(.logSumExp, x, temperature, backend, into: &$0) }
}

/// The soft-argmax of each column: the expected row index `Σ_r r·p[r, c]` under the column's
/// softmax; NaN for a fully masked column or no rows.
///
/// ```swift
/// let a = try columnSoftArgmax(x)     // [0.5, 0.5] for the x above
/// ```
public func columnSoftArgmax<S: SmoothScalar>(_ x: Matrix<S>, temperature: S = 1,
                                              backend: Backend = .automatic) throws -> [S] {
    try collecting(count: x.cols) { try columnReduce(.softArgmax, x, temperature, backend, into: &$0) }
}

/// The softmax of each column (each column sums to 1), SPEC §1's edge cases per column.
///
/// ```swift
/// let p = try columnSoftmax(x)        // [[0.5, 0.5], [0.5, 0.5]]
/// ```
public func columnSoftmax<S: SmoothScalar>(_ x: Matrix<S>, temperature: S = 1,
                                           backend: Backend = .automatic) throws -> Matrix<S> {
    var y = try Matrix<S>(rows: x.rows, cols: x.cols, repeating: 0)
    try columnMap(.softmax, x, temperature, backend, into: &y)
    return y
}

/// The log-softmax of each column, SPEC §1's edge cases per column.
///
/// ```swift
/// let lp = try columnLogSoftmax(x)    // all −log 2
/// ```
public func columnLogSoftmax<S: SmoothScalar>(_ x: Matrix<S>, temperature: S = 1,
                                              backend: Backend = .automatic) throws -> Matrix<S> {
    var y = try Matrix<S>(rows: x.rows, cols: x.cols, repeating: 0)
    try columnMap(.logSoftmax, x, temperature, backend, into: &y)
    return y
}

// MARK: - views: the caller's memory in and out, no copy

/// ``columnLogSumExp(_:temperature:backend:)`` of a view, into `out` (`x.cols` values).
///
/// ```swift
/// var lse = [Float](repeating: 0, count: 512)
/// var out = lse.mutableSpan
/// try columnLogSumExp(MatrixView(rows: 1000, cols: 512, elements: scores.span), into: &out)
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/elementCount(expected:actual:)``
///   when `out.count != x.cols`; nothing is written then.
public func columnLogSumExp<S: SmoothScalar>(_ x: MatrixView<S>, temperature: S = 1, backend: Backend = .automatic,
                                             into out: inout MutableSpan<S>) throws {
    try x.withBorrowedMatrix { try columnReduce(.logSumExp, $0, temperature, backend, into: &out) }
}

/// ``columnSoftArgmax(_:temperature:backend:)`` of a view, into `out` (`x.cols` values).
///
/// ```swift
/// try columnSoftArgmax(x, into: &out)
/// ```
/// - Throws: as ``columnLogSumExp(_:temperature:backend:into:)``.
public func columnSoftArgmax<S: SmoothScalar>(_ x: MatrixView<S>, temperature: S = 1, backend: Backend = .automatic,
                                              into out: inout MutableSpan<S>) throws {
    try x.withBorrowedMatrix { try columnReduce(.softArgmax, $0, temperature, backend, into: &out) }
}

/// ``columnSoftmax(_:temperature:backend:)`` of a view, into `y` (`x`'s rows and cols).
///
/// ```swift
/// try columnSoftmax(x, into: &y)
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/shapeMismatch(expected:actual:)``
///   for a `y` of another shape; nothing is written then.
public func columnSoftmax<S: SmoothScalar>(_ x: MatrixView<S>, temperature: S = 1, backend: Backend = .automatic,
                                           into y: inout MutableMatrixView<S>) throws {
    try x.withBorrowedMatrix { x in try y.withBorrowedMatrix { try columnMap(.softmax, x, temperature, backend, into: &$0) } }
}

/// ``columnLogSoftmax(_:temperature:backend:)`` of a view, into `y` (`x`'s rows and cols).
///
/// ```swift
/// try columnLogSoftmax(x, into: &y)
/// ```
/// - Throws: as ``columnSoftmax(_:temperature:backend:into:)``.
public func columnLogSoftmax<S: SmoothScalar>(_ x: MatrixView<S>, temperature: S = 1, backend: Backend = .automatic,
                                              into y: inout MutableMatrixView<S>) throws {
    try x.withBorrowedMatrix { x in
        try y.withBorrowedMatrix { try columnMap(.logSoftmax, x, temperature, backend, into: &$0) }
    }
}
