// Half-precision row ops (SPEC §1.6): logsumexp, softmax, log_softmax and soft-argmax on a
// `HalfMatrix`, computed in Float with the Float algorithm and rounded once to the storage
// type. The C backend calls smoothkit_half.h on blocks of rows (`threads:`, as the Float ops
// split them); the pure-Swift backend widens to a `Matrix<Float>`, runs the Float op with the
// same `threads:` and rounds back.

// MARK: - the shared drivers

/// Checks τ and the thread count, as every op does first.
private func validate(_ t: Float, _ threads: Int?) throws -> Int {
    try checkTemperature(t)
    return try RowParallel.threadCount(threads)
}

/// The Float op of `op` on the widened matrix, pure Swift: the half ops' Swift backend.
private func swiftFloatOp(_ op: RowOp, _ x: Matrix<Float>, _ t: Float, _ threads: Int) throws -> Matrix<Float> {
    switch op {
    case .softmax: try softmax(x, temperature: t, backend: .swift, threads: threads)
    case .logSoftmax: try logSoftmax(x, temperature: t, backend: .swift, threads: threads)
    case .logSumExp, .softArgmax: preconditionFailure("\(op) is not a map")
    }
}

/// Runs a reduction (logsumexp, soft-argmax) into `out`, one Float per row (`x.rows` values).
private func halfReduce<E>(_ op: RowOp, _ x: HalfMatrix<E>, _ t: Float, _ backend: Backend, _ threads: Int?,
                           into out: inout MutableSpan<Float>) throws {
    let n = try validate(t, threads)
    try checkOutputCount(out, x.rows)
    guard x.rows > 0 else { return }
    if backend.resolved == .swift {
        let xf = try x.floatMatrix
        return op == .logSumExp ? try logSumExp(xf, temperature: t, backend: .swift, threads: n, into: &out)
                                : try softArgmax(xf, temperature: t, backend: .swift, threads: n, into: &out)
    }
    let f = E.entryPoints.reduce(op), cols = x.cols, ldx = x.leadingDimension
    try x.withBits { xp in
        try out.withUnsafeMutableBufferPointer { ob in
            let src = RowBlockPointer(base: xp), dst = RowBlockPointer(base: ob.baseAddress!)
            try halfRowBlocks(rows: x.rows, cols: cols, threads: n) { r in
                f(src.base.map { $0 + r.lowerBound * ldx }, r.count, cols, ldx, t, dst.base + r.lowerBound)
            }
        }
    }
}

/// Runs a map (softmax, log_softmax) from `x` into `y` (checked to have `x`'s rows and cols).
private func halfMap<E>(_ op: RowOp, _ x: HalfMatrix<E>, _ t: Float, _ backend: Backend, _ threads: Int?,
                        into y: inout HalfMatrix<E>) throws {
    let n = try validate(t, threads)
    try checkSameShape(x, y)
    guard x.rows > 0, x.cols > 0 else { return } // nothing to write
    if backend.resolved == .swift { return y.assignRounded(try swiftFloatOp(op, x.floatMatrix, t, n)) }
    let f = E.entryPoints.map(op), cols = x.cols, ldx = x.leadingDimension, ldy = y.leadingDimension
    try x.withBits { xp in
        try y.withMutableBits { yp in
            let src = RowBlockPointer(base: xp!), dst = RowBlockPointer(base: yp!)
            try halfRowBlocks(rows: x.rows, cols: cols, threads: n) { r in
                f(src.base + r.lowerBound * ldx, r.count, cols, ldx, t, dst.base + r.lowerBound * ldy, ldy)
            }
        }
    }
}

/// Runs a map in place on `x`.
private func halfMapInPlace<E>(_ op: RowOp, _ x: inout HalfMatrix<E>, _ t: Float, _ backend: Backend,
                               _ threads: Int?) throws {
    let n = try validate(t, threads)
    guard x.rows > 0, x.cols > 0 else { return }
    if backend.resolved == .swift { return x.assignRounded(try swiftFloatOp(op, x.floatMatrix, t, n)) }
    let f = E.entryPoints.map(op), rows = x.rows, cols = x.cols, ld = x.leadingDimension
    try x.withMutableBits { p in
        let base = RowBlockPointer(base: p!)
        try halfRowBlocks(rows: rows, cols: cols, threads: n) { r in
            let row = base.base + r.lowerBound * ld
            return f(row, r.count, cols, ld, t, row, ld)
        }
    }
}

// MARK: - the four ops

/// The smooth maximum of each row of a half-precision matrix, in Float:
/// `m + τ·log Σ exp((x_i − m)/τ)` on the exact stored values; SPEC §1.3's Float bound.
/// Rows are split over `threads` cores (default: all) for large inputs, as the Float op does.
///
/// ```swift
/// let x = try HalfMatrix<BFloat16>(rows: 1, cols: 3, elements: [1, 2, 3].map { BFloat16($0) })
/// try logSumExp(x)              // [3.4076]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)`` if τ is not finite and > 0,
///   ``SmoothKitError/domain(_:)`` for `threads < 1`.
public func logSumExp<E: HalfPrecisionStorage>(_ x: HalfMatrix<E>, temperature: Float = 1,
                                               backend: Backend = .automatic, threads: Int? = nil) throws -> [Float] {
    try collecting(count: x.rows) { try halfReduce(.logSumExp, x, temperature, backend, threads, into: &$0) }
}

/// The soft argmax `Σ_i i·p_i` of each row (zero-based, in Float); SPEC §1.3's Float bound.
///
/// ```swift
/// let x = try HalfMatrix<BFloat16>(rows: 1, cols: 4, elements: [0, 0, 10, 10].map { BFloat16($0) })
/// try softArgmax(x, threads: 1) // [2.5]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/domain(_:)`` for `threads < 1`.
public func softArgmax<E: HalfPrecisionStorage>(_ x: HalfMatrix<E>, temperature: Float = 1,
                                                backend: Backend = .automatic, threads: Int? = nil) throws -> [Float] {
    try collecting(count: x.rows) { try halfReduce(.softArgmax, x, temperature, backend, threads, into: &$0) }
}

/// The softmax of each row, rounded once to the storage type: relative error
/// `8u + 2^-(p+1)` (u = 2^-24; p = 10 fraction bits for Float16, 7 for BFloat16). The result
/// has `x`'s leading dimension and a copy of its padding.
///
/// ```swift
/// let x = try HalfMatrix<BFloat16>(rows: 1, cols: 3, elements: [0, 0, -.infinity].map { BFloat16($0) })
/// try softmax(x).elements.map(Float.init)   // [0.5, 0.5, 0]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/domain(_:)`` for `threads < 1`.
public func softmax<E: HalfPrecisionStorage>(_ x: HalfMatrix<E>, temperature: Float = 1,
                                             backend: Backend = .automatic, threads: Int? = nil) throws -> HalfMatrix<E> {
    var y = x
    try halfMap(.softmax, x, temperature, backend, threads, into: &y)
    return y
}

/// The log-softmax of each row, rounded once to the storage type (−∞ past its range).
///
/// ```swift
/// let x = try HalfMatrix<Float16>(rows: 1, cols: 2, elements: [65504, -65504])
/// try logSoftmax(x).elements    // [0, -inf]: −131008 is past Float16's range
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/domain(_:)`` for `threads < 1`.
public func logSoftmax<E: HalfPrecisionStorage>(_ x: HalfMatrix<E>, temperature: Float = 1,
                                                backend: Backend = .automatic, threads: Int? = nil) throws -> HalfMatrix<E> {
    var y = x
    try halfMap(.logSoftmax, x, temperature, backend, threads, into: &y)
    return y
}

/// ``softmax(_:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_)`` writing into `y`, which
/// must have `x`'s rows and cols (its leading dimension may differ; its padding is left alone).
///
/// ```swift
/// var p = try HalfMatrix<BFloat16>(rows: x.rows, cols: x.cols, repeating: BFloat16(0))
/// try softmax(x, into: &p)
/// ```
/// - Throws: also ``SmoothKitError/shapeMismatch(expected:actual:)``; nothing is written then.
public func softmax<E: HalfPrecisionStorage>(_ x: HalfMatrix<E>, temperature: Float = 1, backend: Backend = .automatic,
                                             threads: Int? = nil, into y: inout HalfMatrix<E>) throws {
    try halfMap(.softmax, x, temperature, backend, threads, into: &y)
}

/// ``logSoftmax(_:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_)`` writing into `y`
/// (same rules as softmax's `into:`).
///
/// ```swift
/// var lp = try HalfMatrix<BFloat16>(rows: x.rows, cols: x.cols, repeating: BFloat16(0))
/// try logSoftmax(x, temperature: 0.5, into: &lp)
/// ```
/// - Throws: also ``SmoothKitError/shapeMismatch(expected:actual:)``; nothing is written then.
public func logSoftmax<E: HalfPrecisionStorage>(_ x: HalfMatrix<E>, temperature: Float = 1,
                                                backend: Backend = .automatic, threads: Int? = nil,
                                                into y: inout HalfMatrix<E>) throws {
    try halfMap(.logSoftmax, x, temperature, backend, threads, into: &y)
}

/// Replaces each row of `x` by its softmax, rounded to the storage type (padding left alone).
///
/// ```swift
/// var scores = try HalfMatrix<BFloat16>(rows: 1, cols: 2, elements: [BFloat16(1), BFloat16(1)])
/// try softmaxInPlace(&scores)   // [[0.5, 0.5]]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/domain(_:)`` for
///   `threads < 1`; nothing is written then.
public func softmaxInPlace<E: HalfPrecisionStorage>(_ x: inout HalfMatrix<E>, temperature: Float = 1,
                                                    backend: Backend = .automatic, threads: Int? = nil) throws {
    try halfMapInPlace(.softmax, &x, temperature, backend, threads)
}

/// Replaces each row of `x` by its log-softmax, rounded to the storage type.
///
/// ```swift
/// var logits = try HalfMatrix<BFloat16>(rows: 1, cols: 2, elements: [BFloat16(0), BFloat16(0)])
/// try logSoftmaxInPlace(&logits) // [[-0.6914, -0.6914]]: −log 2 in bfloat16
/// ```
/// - Throws: as ``softmaxInPlace(_:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_)``.
public func logSoftmaxInPlace<E: HalfPrecisionStorage>(_ x: inout HalfMatrix<E>, temperature: Float = 1,
                                                       backend: Backend = .automatic, threads: Int? = nil) throws {
    try halfMapInPlace(.logSoftmax, &x, temperature, backend, threads)
}

// MARK: - views: the caller's memory in and out, no copy

/// ``logSumExp(_:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_)`` of a view, written into
/// `out` (`x.rows` Float values).
///
/// ```swift
/// let x = try HalfMatrixView(rows: 2, cols: 3, elements: scores.span)   // scores: [BFloat16]
/// var lse = [Float](repeating: 0, count: 2)
/// var out = lse.mutableSpan
/// try logSumExp(x, into: &out)
/// ```
/// - Throws: as the `HalfMatrix` form; ``SmoothKitError/elementCount(expected:actual:)`` when
///   `out.count != x.rows`. Nothing is written then.
public func logSumExp<E: HalfPrecisionStorage>(_ x: HalfMatrixView<E>, temperature: Float = 1,
                                               backend: Backend = .automatic, threads: Int? = nil,
                                               into out: inout MutableSpan<Float>) throws {
    try x.withBorrowedMatrix { try halfReduce(.logSumExp, $0, temperature, backend, threads, into: &out) }
}

/// ``softArgmax(_:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_)`` of a view, written into
/// `out` (`x.rows` Float values).
///
/// ```swift
/// var positions = [Float](repeating: 0, count: x.rows)
/// var out = positions.mutableSpan
/// try softArgmax(x, into: &out)
/// ```
/// - Throws: as ``logSumExp(_:temperature:backend:threads:into:)-(HalfMatrixView<E>,_,_,_,_)``.
public func softArgmax<E: HalfPrecisionStorage>(_ x: HalfMatrixView<E>, temperature: Float = 1,
                                                backend: Backend = .automatic, threads: Int? = nil,
                                                into out: inout MutableSpan<Float>) throws {
    try x.withBorrowedMatrix { try halfReduce(.softArgmax, $0, temperature, backend, threads, into: &out) }
}

/// ``softmax(_:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_)`` of a view, written into
/// `y` (same rows and cols; its leading dimension may differ, its padding is not written).
///
/// ```swift
/// let x = try HalfMatrixView(rows: 1000, cols: 512, elements: scores.span)
/// var p = try MutableHalfMatrixView(rows: 1000, cols: 512, elements: probabilities.mutableSpan)
/// try softmax(x, temperature: 0.5, into: &p)
/// ```
/// - Throws: as the `HalfMatrix` form, including ``SmoothKitError/shapeMismatch(expected:actual:)``;
///   nothing is written then.
public func softmax<E: HalfPrecisionStorage>(_ x: HalfMatrixView<E>, temperature: Float = 1,
                                             backend: Backend = .automatic, threads: Int? = nil,
                                             into y: inout MutableHalfMatrixView<E>) throws {
    try x.withBorrowedMatrix { x in
        try y.withBorrowedMatrix { try halfMap(.softmax, x, temperature, backend, threads, into: &$0) }
    }
}

/// ``logSoftmax(_:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_)`` of a view, written into
/// `y` (same rows and cols).
///
/// ```swift
/// var lp = try MutableHalfMatrixView(rows: 1000, cols: 512, elements: logProbabilities.mutableSpan)
/// try logSoftmax(x, into: &lp)
/// ```
/// - Throws: as ``softmax(_:temperature:backend:threads:into:)-(HalfMatrixView<E>,_,_,_,_)``.
public func logSoftmax<E: HalfPrecisionStorage>(_ x: HalfMatrixView<E>, temperature: Float = 1,
                                                backend: Backend = .automatic, threads: Int? = nil,
                                                into y: inout MutableHalfMatrixView<E>) throws {
    try x.withBorrowedMatrix { x in
        try y.withBorrowedMatrix { try halfMap(.logSoftmax, x, temperature, backend, threads, into: &$0) }
    }
}

/// Replaces each row of the caller's memory by its softmax, rounded to the storage type.
///
/// ```swift
/// var scores = [1, 1, 2, 0].map { BFloat16($0) }
/// var x = try MutableHalfMatrixView(rows: 2, cols: 2, elements: scores.mutableSpan)
/// try softmaxInPlace(&x)        // scores ≈ [0.5, 0.5, 0.8828, 0.1191]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/domain(_:)`` for
///   `threads < 1`; nothing is written then.
public func softmaxInPlace<E: HalfPrecisionStorage>(_ x: inout MutableHalfMatrixView<E>, temperature: Float = 1,
                                                    backend: Backend = .automatic, threads: Int? = nil) throws {
    try x.withBorrowedMatrix { try halfMapInPlace(.softmax, &$0, temperature, backend, threads) }
}

/// Replaces each row of the caller's memory by its log-softmax, rounded to the storage type.
///
/// ```swift
/// var logits = [BFloat16(0), BFloat16(0)]
/// var x = try MutableHalfMatrixView(rows: 1, cols: 2, elements: logits.mutableSpan)
/// try logSoftmaxInPlace(&x)     // logits == [-0.6914, -0.6914]
/// ```
/// - Throws: as ``softmaxInPlace(_:temperature:backend:threads:)-(MutableHalfMatrixView<E>,_,_,_)``.
public func logSoftmaxInPlace<E: HalfPrecisionStorage>(_ x: inout MutableHalfMatrixView<E>, temperature: Float = 1,
                                                       backend: Backend = .automatic, threads: Int? = nil) throws {
    try x.withBorrowedMatrix { try halfMapInPlace(.logSoftmax, &$0, temperature, backend, threads) }
}
