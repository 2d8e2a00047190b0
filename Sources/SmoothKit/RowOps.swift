// The batched row ops of SPEC §1: logsumexp, softmax, log_softmax and soft-argmax.
//
// Every function takes the temperature τ (finite, > 0; default 1), a backend (default
// `.automatic`, the C kernels) and a thread count (default: all cores; rows are split in
// blocks above ~32k elements per thread). Edge cases follow SPEC §1 row by row: a NaN row
// gives NaN, +∞ entries share the mass equally, a fully masked (−∞) row gives softmax 0 and
// logsumexp −∞, an empty row gives logsumexp −∞ and soft-argmax NaN.

/// Checks τ and the thread count; the checks every op shares.
private func validate<S: SmoothScalar>(temperature t: S, threads: Int?) throws -> Int {
    try checkTemperature(t)
    return try RowParallel.threadCount(threads)
}

/// Runs a reduction op into `out` (`x.rows` elements), after validation.
private func reduce<S: SmoothScalar>(_ op: RowOp, _ x: Matrix<S>, _ t: S, _ backend: Backend, _ threads: Int?,
                                     into out: inout MutableSpan<S>) throws {
    let n = try validate(temperature: t, threads: threads)
    try checkOutputCount(out, x.rows)
    guard x.rows > 0 else { return }
    let ldx = x.leadingDimension, cols = x.cols
    x.withBase { xp in
        out.withUnsafeMutableBufferPointer { ob in
            let src = RowBlockPointer(base: xp), dst = RowBlockPointer(base: ob.baseAddress!)
            RowParallel.forEachBlock(rows: x.rows, cols: cols, threads: n) { r in
                RowDispatch.run(op, backend: backend, x: src.base + r.lowerBound * ldx, rows: r.count,
                                cols: cols, ldx: ldx, temperature: t, out: dst.base + r.lowerBound, ldo: 1)
            }
        }
    }
}

/// Runs a map op from `x` into `y` (same shape; `y` may be `x`'s storage for in place).
private func map<S: SmoothScalar>(_ op: RowOp, _ x: Matrix<S>, _ t: S, _ backend: Backend, _ threads: Int?,
                                  into y: inout Matrix<S>) throws {
    let n = try validate(temperature: t, threads: threads)
    try checkSameShape(x, y)
    guard x.rows > 0 else { return }
    let ldx = x.leadingDimension, ldy = y.leadingDimension, cols = x.cols
    x.withBase { xp in
        y.withMutableBase { yp in
            let src = RowBlockPointer(base: xp), dst = RowBlockPointer(base: yp)
            RowParallel.forEachBlock(rows: x.rows, cols: cols, threads: n) { r in
                RowDispatch.run(op, backend: backend, x: src.base + r.lowerBound * ldx, rows: r.count, cols: cols,
                                ldx: ldx, temperature: t, out: dst.base + r.lowerBound * ldy, ldo: ldy)
            }
        }
    }
}

/// Runs a map op in place on `x`.
private func mapInPlace<S: SmoothScalar>(_ op: RowOp, _ x: inout Matrix<S>, _ t: S, _ backend: Backend,
                                         _ threads: Int?) throws {
    let n = try validate(temperature: t, threads: threads)
    guard x.rows > 0 else { return }
    let ld = x.leadingDimension, rows = x.rows, cols = x.cols
    x.withMutableBase { p in
        let base = RowBlockPointer(base: p)
        RowParallel.forEachBlock(rows: rows, cols: cols, threads: n) { r in
            let row = base.base + r.lowerBound * ld
            RowDispatch.run(op, backend: backend, x: UnsafePointer(row), rows: r.count, cols: cols, ldx: ld,
                            temperature: t, out: row, ldo: ld)
        }
    }
}

// MARK: - logsumexp

/// The smooth maximum of each row: `L_τ(x) = τ·log Σ_i exp(x_i/τ)`, computed as
/// `m + τ·log Σ_i exp((x_i − m)/τ)` with `m = max x`, so it never overflows.
///
/// Bounds: `max x ≤ L_τ(x) ≤ max x + τ·log n`; accuracy `|err| ≤ 8u·max(|L|, τ)`.
/// Edge rows: NaN → NaN, any +∞ → +∞, all −∞ or empty → −∞.
///
/// ```swift
/// let x = try Matrix<Float>(rows: 2, cols: 3, elements: [1, 2, 3,
///                                                        0, 0, 0])
/// let lse = try logSumExp(x)                     // [3.4076, 1.0986]
/// let sharp = try logSumExp(x, temperature: 0.01) // ≈ [3.0, 0.011]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)`` if τ is not finite and > 0.
public func logSumExp<S: SmoothScalar>(_ x: Matrix<S>, temperature: S = 1, backend: Backend = .automatic,
                                       threads: Int? = nil) throws -> [S] {
    try collecting(count: x.rows) { try reduce(.logSumExp, x, temperature, backend, threads, into: &$0) }
}

/// ``logSumExp(_:temperature:backend:threads:)->[S]`` writing into `out` (`x.rows` elements).
///
/// ```swift
/// var lse = [Float](repeating: 0, count: x.rows)
/// var span = lse.mutableSpan
/// try logSumExp(x, into: &span)
/// ```
/// - Throws: also ``SmoothKitError/elementCount(expected:actual:)`` when `out.count != x.rows`;
///   nothing is written then.
public func logSumExp<S: SmoothScalar>(_ x: Matrix<S>, temperature: S = 1, backend: Backend = .automatic,
                                       threads: Int? = nil, into out: inout MutableSpan<S>) throws {
    try reduce(.logSumExp, x, temperature, backend, threads, into: &out)
}

// MARK: - softmax

/// Row-wise softmax: `p_i = exp(x_i/τ) / Σ_j exp(x_j/τ)`, each row summing to 1.
///
/// Accuracy: relative `8u` per element (absolute below 2^-100 in Float, 2^-1000 in Double).
/// Edge rows: NaN → all NaN; k entries +∞ → 1/k on them, 0 elsewhere; all −∞ → all 0
/// (a fully masked attention row); −∞ entries get exactly 0.
///
/// ```swift
/// let x = try Matrix<Double>(rows: 1, cols: 3, elements: [0, 0, -.infinity])
/// let p = try softmax(x)          // [[0.5, 0.5, 0]]
/// let hot = try softmax(x, temperature: 1e-3)
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)`` if τ is not finite and > 0.
public func softmax<S: SmoothScalar>(_ x: Matrix<S>, temperature: S = 1, backend: Backend = .automatic,
                                     threads: Int? = nil) throws -> Matrix<S> {
    var y = try Matrix<S>(rows: x.rows, cols: x.cols, repeating: 0)
    try map(.softmax, x, temperature, backend, threads, into: &y)
    return y
}

/// ``softmax(_:temperature:backend:threads:)->Matrix<S>`` writing into `y`, which must have `x`'s shape
/// (its leading dimension may differ).
///
/// ```swift
/// var p = try Matrix<Float>(rows: x.rows, cols: x.cols, repeating: 0)
/// try softmax(x, into: &p)
/// ```
/// - Throws: also ``SmoothKitError/shapeMismatch(expected:actual:)``; nothing is written then.
public func softmax<S: SmoothScalar>(_ x: Matrix<S>, temperature: S = 1, backend: Backend = .automatic,
                                     threads: Int? = nil, into y: inout Matrix<S>) throws {
    try map(.softmax, x, temperature, backend, threads, into: &y)
}

/// Replaces each row of `x` by its softmax.
///
/// ```swift
/// var scores = try Matrix<Float>(rows: 1, cols: 2, elements: [1, 1])
/// try softmaxInPlace(&scores)     // [[0.5, 0.5]]
/// ```
public func softmaxInPlace<S: SmoothScalar>(_ x: inout Matrix<S>, temperature: S = 1,
                                            backend: Backend = .automatic, threads: Int? = nil) throws {
    try mapInPlace(.softmax, &x, temperature, backend, threads)
}

// MARK: - log_softmax

/// Row-wise log-softmax: `log p_i = (x_i − L_τ(x))/τ`, computed as `(x_i − m)/τ − log s`.
///
/// Accuracy `|err| ≤ 8u·max(1, |log p_i|)`. Edge rows: NaN → all NaN; k entries +∞ →
/// `−log k` on them, −∞ elsewhere; all −∞ → all −∞.
///
/// ```swift
/// let x = try Matrix<Float>(rows: 1, cols: 2, elements: [0, 0])
/// let lp = try logSoftmax(x)      // [[-0.6931, -0.6931]]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)`` if τ is not finite and > 0.
public func logSoftmax<S: SmoothScalar>(_ x: Matrix<S>, temperature: S = 1, backend: Backend = .automatic,
                                        threads: Int? = nil) throws -> Matrix<S> {
    var y = try Matrix<S>(rows: x.rows, cols: x.cols, repeating: 0)
    try map(.logSoftmax, x, temperature, backend, threads, into: &y)
    return y
}

/// ``logSoftmax(_:temperature:backend:threads:)->Matrix<S>`` writing into `y` (same shape as `x`).
///
/// ```swift
/// var lp = try Matrix<Float>(rows: x.rows, cols: x.cols, repeating: 0)
/// try logSoftmax(x, into: &lp)
/// ```
/// - Throws: also ``SmoothKitError/shapeMismatch(expected:actual:)``; nothing is written then.
public func logSoftmax<S: SmoothScalar>(_ x: Matrix<S>, temperature: S = 1, backend: Backend = .automatic,
                                        threads: Int? = nil, into y: inout Matrix<S>) throws {
    try map(.logSoftmax, x, temperature, backend, threads, into: &y)
}

/// Replaces each row of `x` by its log-softmax.
///
/// ```swift
/// var logits = try Matrix<Double>(rows: 1, cols: 2, elements: [0, 0])
/// try logSoftmaxInPlace(&logits)  // [[-log 2, -log 2]]
/// ```
public func logSoftmaxInPlace<S: SmoothScalar>(_ x: inout Matrix<S>, temperature: S = 1,
                                               backend: Backend = .automatic, threads: Int? = nil) throws {
    try mapInPlace(.logSoftmax, &x, temperature, backend, threads)
}

// MARK: - soft-argmax

/// Soft-argmax of each row: the expected zero-based index under the softmax,
/// `a = Σ_i i·p_i`, fused in one pass (`Σ i·e_i / Σ e_i`).
///
/// Accuracy `|err| ≤ 8u·n`. Edge rows: NaN → NaN; +∞ entries → the mean of their indices;
/// all −∞ or empty → NaN (no position is defined).
///
/// ```swift
/// let x = try Matrix<Float>(rows: 1, cols: 4, elements: [0, 0, 10, 10])
/// let a = try softArgmax(x)       // [2.5]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)`` if τ is not finite and > 0.
public func softArgmax<S: SmoothScalar>(_ x: Matrix<S>, temperature: S = 1, backend: Backend = .automatic,
                                        threads: Int? = nil) throws -> [S] {
    try collecting(count: x.rows) { try reduce(.softArgmax, x, temperature, backend, threads, into: &$0) }
}

/// ``softArgmax(_:temperature:backend:threads:)->[S]`` writing into `out` (`x.rows` elements).
///
/// ```swift
/// var pos = [Double](repeating: 0, count: x.rows)
/// var span = pos.mutableSpan
/// try softArgmax(x, into: &span)
/// ```
/// - Throws: also ``SmoothKitError/elementCount(expected:actual:)``; nothing is written then.
public func softArgmax<S: SmoothScalar>(_ x: Matrix<S>, temperature: S = 1, backend: Backend = .automatic,
                                        threads: Int? = nil, into out: inout MutableSpan<S>) throws {
    try reduce(.softArgmax, x, temperature, backend, threads, into: &out)
}

// MARK: - views: the caller's memory in and out, no copy

/// ``logSumExp(_:temperature:backend:threads:)->[S]`` of a view, written into `out` (`x.rows` values).
///
/// ```swift
/// let x = try MatrixView(rows: 2, cols: 3, elements: scores.span)
/// var lse = [Float](repeating: 0, count: 2)
/// var out = lse.mutableSpan
/// try logSumExp(x, into: &out)
/// ```
/// - Throws: as the `Matrix` form; ``SmoothKitError/elementCount(expected:actual:)`` when
///   `out.count != x.rows`. Nothing is written then.
public func logSumExp<S: SmoothScalar>(_ x: MatrixView<S>, temperature: S = 1, backend: Backend = .automatic,
                                       threads: Int? = nil, into out: inout MutableSpan<S>) throws {
    try x.withBorrowedMatrix { try reduce(.logSumExp, $0, temperature, backend, threads, into: &out) }
}

/// ``softArgmax(_:temperature:backend:threads:)->[S]`` of a view, written into `out` (`x.rows` values).
///
/// ```swift
/// var positions = [Double](repeating: 0, count: x.rows)
/// var out = positions.mutableSpan
/// try softArgmax(x, into: &out)
/// ```
/// - Throws: as ``logSumExp(_:temperature:backend:threads:into:)-(MatrixView<S>,_,_,_,_)``.
public func softArgmax<S: SmoothScalar>(_ x: MatrixView<S>, temperature: S = 1, backend: Backend = .automatic,
                                        threads: Int? = nil, into out: inout MutableSpan<S>) throws {
    try x.withBorrowedMatrix { try reduce(.softArgmax, $0, temperature, backend, threads, into: &out) }
}

/// ``softmax(_:temperature:backend:threads:)->Matrix<S>`` of a view, written into `y` (same rows and
/// cols; its leading dimension may differ, its padding is not written).
///
/// ```swift
/// let x = try MatrixView(rows: 1000, cols: 512, elements: scores.span)
/// var p = try MutableMatrixView(rows: 1000, cols: 512, elements: probabilities.mutableSpan)
/// try softmax(x, temperature: 0.5, into: &p)
/// ```
/// - Throws: as the `Matrix` form, including ``SmoothKitError/shapeMismatch(expected:actual:)``;
///   nothing is written then.
public func softmax<S: SmoothScalar>(_ x: MatrixView<S>, temperature: S = 1, backend: Backend = .automatic,
                                     threads: Int? = nil, into y: inout MutableMatrixView<S>) throws {
    try x.withBorrowedMatrix { x in
        try y.withBorrowedMatrix { try map(.softmax, x, temperature, backend, threads, into: &$0) }
    }
}

/// ``logSoftmax(_:temperature:backend:threads:)->Matrix<S>`` of a view, written into `y` (same rows and cols).
///
/// ```swift
/// var lp = try MutableMatrixView(rows: 1000, cols: 512, elements: logProbabilities.mutableSpan)
/// try logSoftmax(x, into: &lp)
/// ```
/// - Throws: as ``softmax(_:temperature:backend:threads:into:)-(MatrixView<S>,_,_,_,_)``.
public func logSoftmax<S: SmoothScalar>(_ x: MatrixView<S>, temperature: S = 1, backend: Backend = .automatic,
                                        threads: Int? = nil, into y: inout MutableMatrixView<S>) throws {
    try x.withBorrowedMatrix { x in
        try y.withBorrowedMatrix { try map(.logSoftmax, x, temperature, backend, threads, into: &$0) }
    }
}

/// Replaces each row of the caller's memory by its softmax.
///
/// ```swift
/// var scores: [Float] = [1, 1, 2, 0]
/// var x = try MutableMatrixView(rows: 2, cols: 2, elements: scores.mutableSpan)
/// try softmaxInPlace(&x)          // scores == [0.5, 0.5, 0.8808, 0.1192]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``; nothing is written then.
public func softmaxInPlace<S: SmoothScalar>(_ x: inout MutableMatrixView<S>, temperature: S = 1,
                                            backend: Backend = .automatic, threads: Int? = nil) throws {
    try x.withBorrowedMatrix { try mapInPlace(.softmax, &$0, temperature, backend, threads) }
}

/// Replaces each row of the caller's memory by its log-softmax.
///
/// ```swift
/// var logits: [Double] = [0, 0]
/// var x = try MutableMatrixView(rows: 1, cols: 2, elements: logits.mutableSpan)
/// try logSoftmaxInPlace(&x)       // logits == [-log 2, -log 2]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``; nothing is written then.
public func logSoftmaxInPlace<S: SmoothScalar>(_ x: inout MutableMatrixView<S>, temperature: S = 1,
                                               backend: Backend = .automatic, threads: Int? = nil) throws {
    try x.withBorrowedMatrix { try mapInPlace(.logSoftmax, &$0, temperature, backend, threads) }
}
