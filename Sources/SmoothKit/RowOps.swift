// The batched row ops of SPEC §1: logsumexp, softmax, log_softmax and soft-argmax.
//
// Every function takes the temperature τ (finite, > 0; default 1), a backend (default
// `.automatic`, the C kernels) and a thread count (default: all cores; rows are split in
// blocks above ~32k elements per thread). Edge cases follow SPEC §1 row by row: a NaN row
// gives NaN, +∞ entries share the mass equally, a fully masked (−∞) row gives softmax 0 and
// logsumexp −∞, an empty row gives logsumexp −∞ and soft-argmax NaN.

/// Checks τ and the thread count; the checks every op shares.
private func validate<S: SmoothScalar>(temperature t: S, threads: Int?) throws -> Int {
    guard t.isFinite, t > 0 else { throw SmoothKitError.invalidTemperature(Double(t)) }
    return try RowParallel.threadCount(threads)
}

/// Runs a reduction op into `out` (`x.rows` elements), after validation.
private func reduce<S: SmoothScalar>(_ op: RowOp, _ x: Matrix<S>, _ t: S, _ backend: Backend, _ threads: Int?,
                                     into out: inout MutableSpan<S>) throws {
    let n = try validate(temperature: t, threads: threads)
    guard out.count == x.rows else { throw SmoothKitError.elementCount(expected: x.rows, actual: out.count) }
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
    guard y.rows == x.rows, y.cols == x.cols else {
        throw SmoothKitError.shapeMismatch(expected: x.shapeDescription, actual: y.shapeDescription)
    }
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
    var out = [S](repeating: 0, count: x.rows)
    var span = out.mutableSpan
    try reduce(.logSumExp, x, temperature, backend, threads, into: &span)
    _ = consume span
    return out
}

/// ``logSumExp(_:temperature:backend:threads:)`` writing into `out` (`x.rows` elements).
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

/// ``softmax(_:temperature:backend:threads:)`` writing into `y`, which must have `x`'s shape
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

/// ``logSoftmax(_:temperature:backend:threads:)`` writing into `y` (same shape as `x`).
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
    var out = [S](repeating: 0, count: x.rows)
    var span = out.mutableSpan
    try reduce(.softArgmax, x, temperature, backend, threads, into: &span)
    _ = consume span
    return out
}

/// ``softArgmax(_:temperature:backend:threads:)`` writing into `out` (`x.rows` elements).
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
