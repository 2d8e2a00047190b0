// Half-precision training ops (SPEC §1.6 with §1.4): the backward passes of the four row ops
// and the fused cross-entropy (integer labels with an ignore label and label smoothing; soft
// targets) on `HalfMatrix`, with the signatures of the Float ops (Training/TrainingOps.swift).
// They compute in Float and round each gradient once to the storage type; losses and the
// per-row upstream gradients of logsumexp and soft-argmax are Float. Every argument is checked
// before anything is written. The C backend calls smoothkit_half.h (the backward ops on blocks
// of rows over `threads:` cores); the pure-Swift backend widens to `Matrix<Float>`, runs the
// Float op and rounds back, as the forward half ops do.
import CSmoothKit

/// The loss and, when asked for, the gradient of a half-precision cross-entropy.
///
/// ```swift
/// let r = try crossEntropy(logits: x, labels: [2, 0])   // x: HalfMatrix<BFloat16>
/// r.loss                                                // [0.41] (the mean), in Float
/// r.gradient                                            // ∂loss/∂x in bfloat16
/// ```
public struct HalfCrossEntropyResult<Element: HalfPrecisionStorage>: Sendable {
    /// One value per row for ``LossReduction/none``, else a single value; in Float, unrounded.
    public let loss: [Float]
    /// `∂loss/∂x`, the shape of the logits (leading dimension = cols), rounded to `Element`;
    /// nil when `withGradient` was false.
    public let gradient: HalfMatrix<Element>?
}

// MARK: - the shared drivers

/// Checks that `dx` has `x`'s rows and cols, then fills it: by the rounded Float op (`swift`)
/// on the pure-Swift backend, or by `c(dx, lddx)`, which runs the C op into the gradient's bits.
private func halfGradient<E>(like x: HalfMatrix<E>, into dx: inout HalfMatrix<E>, _ backend: Backend,
                             swift: () throws -> Matrix<Float>,
                             c: (UnsafeMutablePointer<UInt16>, Int) throws -> Void) throws {
    try checkSameShape(x, dx)
    guard x.rows > 0, x.cols > 0 else { return }
    if backend.resolved == .swift {
        dx.assignRounded(try swift())
    } else {
        let ld = dx.leadingDimension
        try dx.withMutableBits { try c($0!, ld) }
    }
}

/// A fresh gradient of `x`'s rows and cols (leading dimension = cols) that `body` fills: the
/// `HalfMatrix` form of a backward op.
private func freshHalfGradient<E>(like x: HalfMatrix<E>, _ body: (inout HalfMatrix<E>) throws -> Void) throws
    -> HalfMatrix<E> {
    var dx = try HalfMatrix<E>(rows: x.rows, cols: x.cols, repeating: E(Float(0)))
    try body(&dx)
    return dx
}

/// logsumexp (`op == .logSumExp`) and soft-argmax backward into `dx`: from `x` and one Float per row.
private func halfBackwardFromX<E>(_ op: RowOp, _ x: HalfMatrix<E>, _ g: UnsafeBufferPointer<Float>, _ t: Float,
                                  _ backend: Backend, _ threads: Int?, into dx: inout HalfMatrix<E>) throws {
    try checkTemperature(t)
    try checkCount(g.count, x.rows)
    let n = try RowParallel.threadCount(threads)
    let lse = op == .logSumExp, cols = x.cols, ldx = x.leadingDimension
    try halfGradient(like: x, into: &dx, backend, swift: {
        let xf = try x.floatMatrix, ga = Array(g)
        return lse ? try logSumExpBackward(xf, upstream: ga, temperature: t, backend: .swift, threads: n)
                   : try softArgmaxBackward(xf, upstream: ga, temperature: t, backend: .swift, threads: n)
    }, c: { dp, ldd in
        let f = lse ? E.entryPoints.logSumExpBackward : E.entryPoints.softArgmaxBackward
        try x.withBits { xp in
            let src = RowBlockPointer(base: xp!), up = RowBlockPointer(base: g.baseAddress!)
            let dst = RowBlockPointer(base: dp)
            try halfRowBlocks(rows: x.rows, cols: cols, threads: n) { r in
                f(src.base + r.lowerBound * ldx, r.count, cols, ldx, up.base + r.lowerBound, t,
                  dst.base + r.lowerBound * ldd, ldd)
            }
        }
    })
}

/// softmax (`form == nil`) and log_softmax backward into `dx`: from the forward output `y` and `g`.
private func halfBackwardFromOutput<E>(_ y: HalfMatrix<E>, _ form: ProbabilityForm?, _ g: HalfMatrix<E>, _ t: Float,
                                       _ backend: Backend, _ threads: Int?, into dx: inout HalfMatrix<E>) throws {
    try checkTemperature(t)
    try checkSameShape(y, g)
    let n = try RowParallel.threadCount(threads)
    let cols = y.cols, ldy = y.leadingDimension, ldg = g.leadingDimension
    try halfGradient(like: y, into: &dx, backend, swift: {
        let yf = try y.floatMatrix, gf = try g.floatMatrix
        guard let form else { return try softmaxBackward(probabilities: yf, upstream: gf, temperature: t, backend: .swift,
                                                         threads: n) }
        return try logSoftmaxBackward(output: yf, form: form, upstream: gf, temperature: t, backend: .swift, threads: n)
    }, c: { dp, ldd in
        let c = E.entryPoints
        try y.withBits { yp in
            try g.withBits { gp in
                let ys = RowBlockPointer(base: yp!), gs = RowBlockPointer(base: gp!), dst = RowBlockPointer(base: dp)
                try halfRowBlocks(rows: y.rows, cols: cols, threads: n) { r in
                    let yr = ys.base + r.lowerBound * ldy, gr = gs.base + r.lowerBound * ldg
                    let dr = dst.base + r.lowerBound * ldd
                    guard let form else { return c.softmaxBackward(yr, r.count, cols, ldy, gr, ldg, t, dr, ldd) }
                    return c.logSoftmaxBackward(yr, r.count, cols, ldy, form == .logProbabilities ? SMK_FORM_LOG_PROB
                                                                                                 : SMK_FORM_PROB,
                                                gr, ldg, t, dr, ldd)
                }
            }
        }
    })
}

// MARK: - backward (VJP) ops

/// The gradient of ``logSumExp(_:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_)``: for
/// upstream `g[r]` per row (Float), `∂/∂x_i = g·p_i` with `p = softmax(x/τ)`, recomputed from
/// the stored `x` in Float and rounded once to the storage type. Edge rows as for Float.
///
/// ```swift
/// let x = try HalfMatrix<BFloat16>(rows: 1, cols: 2, elements: [BFloat16(0), BFloat16(0)])
/// let dx = try logSumExpBackward(x, upstream: [2])   // [[1, 1]]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/elementCount(expected:actual:)``
///   when `upstream.count != x.rows`, ``SmoothKitError/domain(_:)`` for `threads < 1`.
public func logSumExpBackward<E: HalfPrecisionStorage>(_ x: HalfMatrix<E>, upstream g: [Float], temperature t: Float = 1,
                                                       backend: Backend = .automatic,
                                                       threads: Int? = nil) throws -> HalfMatrix<E> {
    try g.withUnsafeBufferPointer { g in
        try freshHalfGradient(like: x) { try halfBackwardFromX(.logSumExp, x, g, t, backend, threads, into: &$0) }
    }
}

/// The gradient of ``softArgmax(_:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_)``: for
/// upstream `g[r]`, `dx_i = g·p_i·(i − a)/τ` with `a = Σ i·p_i`, rounded to the storage type.
///
/// ```swift
/// let x = try HalfMatrix<BFloat16>(rows: 1, cols: 2, elements: [BFloat16(0), BFloat16(0)])
/// let dx = try softArgmaxBackward(x, upstream: [1])  // [[-0.25, 0.25]]
/// ```
/// - Throws: as ``logSumExpBackward(_:upstream:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_,_)``.
public func softArgmaxBackward<E: HalfPrecisionStorage>(_ x: HalfMatrix<E>, upstream g: [Float],
                                                        temperature t: Float = 1, backend: Backend = .automatic,
                                                        threads: Int? = nil) throws -> HalfMatrix<E> {
    try g.withUnsafeBufferPointer { g in
        try freshHalfGradient(like: x) { try halfBackwardFromX(.softArgmax, x, g, t, backend, threads, into: &$0) }
    }
}

/// The gradient of ``softmax(_:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_)`` from its
/// output `p`: `dx = p ⊙ (g − ⟨g, p⟩)/τ` in Float on the stored values, rounded once.
///
/// ```swift
/// let p = try softmax(x)                              // x, g: HalfMatrix<BFloat16>
/// let dx = try softmaxBackward(probabilities: p, upstream: g)
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/shapeMismatch(expected:actual:)``
///   when `g` and `p` differ in shape, ``SmoothKitError/domain(_:)`` for `threads < 1`.
public func softmaxBackward<E: HalfPrecisionStorage>(probabilities p: HalfMatrix<E>, upstream g: HalfMatrix<E>,
                                                     temperature t: Float = 1, backend: Backend = .automatic,
                                                     threads: Int? = nil) throws -> HalfMatrix<E> {
    try freshHalfGradient(like: p) { try halfBackwardFromOutput(p, nil, g, t, backend, threads, into: &$0) }
}

/// The gradient of ``logSoftmax(_:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_)`` from
/// its output: `dx = (g − p·Σ_j g_j)/τ`, with `p = exp(y)` for `.logProbabilities` (the
/// default) or `p = y` for `.probabilities`; rounded once to the storage type.
///
/// ```swift
/// let lp = try logSoftmax(x)                          // x, g: HalfMatrix<BFloat16>
/// let dx = try logSoftmaxBackward(output: lp, upstream: g)
/// ```
/// - Throws: as ``softmaxBackward(probabilities:upstream:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_,_)``.
public func logSoftmaxBackward<E: HalfPrecisionStorage>(output y: HalfMatrix<E>, form: ProbabilityForm = .logProbabilities,
                                                        upstream g: HalfMatrix<E>, temperature t: Float = 1,
                                                        backend: Backend = .automatic,
                                                        threads: Int? = nil) throws -> HalfMatrix<E> {
    try freshHalfGradient(like: y) { try halfBackwardFromOutput(y, form, g, t, backend, threads, into: &$0) }
}

// MARK: - cross-entropy

/// Checks τ, ε and the outputs, then runs one cross-entropy: `labels` (as Int64) for the
/// labels form, else `targets`; `loss` takes `rows` values (``LossReduction/none``) or one, `dx`
/// (when `withGradient`) the gradient, `x`'s rows and cols. The labels and the targets' shape
/// are checked by the callers.
private func halfCrossEntropyRun<E>(_ x: HalfMatrix<E>, labels: UnsafePointer<Int64>?, ignore: Int,
                                    targets: HalfMatrix<E>?, eps: Float, t: Float, reduction: LossReduction,
                                    backend: Backend, loss: inout MutableSpan<Float>, withGradient: Bool,
                                    dx: inout HalfMatrix<E>) throws {
    try checkTemperature(t)
    guard eps.isFinite, eps >= 0, eps <= 1 else {
        throw SmoothKitError.domain("label smoothing must be in [0, 1], got \(eps)")
    }
    try checkOutputCount(loss, reduction == .none ? x.rows : 1)
    if withGradient { try checkSameShape(x, dx) }
    if x.rows == 0 {
        if reduction == .mean { loss[0] = .nan } // an empty mean, as for every row ignored
        return
    }
    if backend.resolved == .swift {
        let xf = try x.floatMatrix
        let r = if let targets {
            try crossEntropy(logits: xf, targets: targets.floatMatrix, labelSmoothing: eps, temperature: t,
                             reduction: reduction, withGradient: withGradient, backend: .swift)
        } else {
            try crossEntropy(logits: xf, labels: (0..<x.rows).map { Int(labels![$0]) }, ignoreLabel: ignore,
                             labelSmoothing: eps, temperature: t, reduction: reduction, withGradient: withGradient,
                             backend: .swift)
        }
        for i in r.loss.indices { loss[i] = r.loss[i] }
        if let gradient = r.gradient { dx.assignRounded(gradient) }
        return
    }
    let c = E.entryPoints, ldx = x.leadingDimension
    let qsrc = targets ?? x // only read when targets is set
    try x.withBits { xp in
        try qsrc.withBits { qp in
            try loss.withUnsafeMutableBufferPointer { lb in
                func run(_ d: UnsafeMutablePointer<UInt16>?, _ ldd: Int) throws {
                    try throwing(targets == nil
                        ? c.crossEntropy(xp, x.rows, x.cols, ldx, labels, Int64(ignore), eps, t, reduction.cValue,
                                         lb.baseAddress, d, ldd)
                        : c.crossEntropySoft(xp, x.rows, x.cols, ldx, qp, qsrc.leadingDimension, eps, t,
                                             reduction.cValue, lb.baseAddress, d, ldd))
                }
                if withGradient {
                    let ldd = dx.leadingDimension
                    try dx.withMutableBits { try run($0, ldd) }
                } else {
                    try run(nil, x.cols)
                }
            }
        }
    }
}

/// The `HalfMatrix` form of cross-entropy: a fresh loss array and (when asked for) gradient.
private func halfCrossEntropyResult<E>(_ x: HalfMatrix<E>, reduction: LossReduction, withGradient: Bool,
                                       _ body: (inout MutableSpan<Float>, inout HalfMatrix<E>) throws -> Void)
    throws -> HalfCrossEntropyResult<E> {
    var dx = try HalfMatrix<E>(rows: withGradient ? x.rows : 0, cols: withGradient ? x.cols : 0, repeating: E(Float(0)))
    let loss: [Float] = try collecting(count: reduction == .none ? x.rows : 1) { try body(&$0, &dx) }
    return HalfCrossEntropyResult(loss: loss, gradient: withGradient ? dx : nil)
}

/// Fused softmax cross-entropy of half-precision logits from integer class labels, the
/// signature of the Float op. Per row, with `p = softmax(x/τ)` and `q = (1 − ε)·onehot(label)
/// + ε/n`: `loss = −Σ q_i·log p_i` (Float; `.sum` and `.mean` add the rows in Double) and
/// `∂loss/∂x = (p − q)/τ` (times `1/count` for `.mean`), rounded once to the storage type.
/// A row labelled `ignoreLabel` (default −100) has loss 0 and gradient 0 and is not counted.
///
/// ```swift
/// let logits = try HalfMatrix<BFloat16>(rows: 2, cols: 3, elements: [1, 2, 3, 0, 0, 0].map { BFloat16($0) })
/// let r = try crossEntropy(logits: logits, labels: [2, -100])
/// // r.loss == [0.4076] (the second row is ignored), r.gradient![1, 0] == 0
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``; ``SmoothKitError/elementCount(expected:actual:)``
///   when `labels.count != rows`; ``SmoothKitError/domain(_:)`` for a label outside `0..<cols`
///   (other than `ignoreLabel`) or ε outside [0, 1]. Nothing is computed then.
public func crossEntropy<E: HalfPrecisionStorage>(logits x: HalfMatrix<E>, labels: [Int], ignoreLabel: Int = -100,
                                                  labelSmoothing eps: Float = 0, temperature t: Float = 1,
                                                  reduction: LossReduction = .mean, withGradient: Bool = true,
                                                  backend: Backend = .automatic) throws -> HalfCrossEntropyResult<E> {
    try withCheckedLabels(labels, rows: x.rows, cols: x.cols, ignore: ignoreLabel) { labels in
        try halfCrossEntropyResult(x, reduction: reduction, withGradient: withGradient) {
            try halfCrossEntropyRun(x, labels: labels, ignore: ignoreLabel, targets: nil, eps: eps, t: t,
                                    reduction: reduction, backend: backend, loss: &$0, withGradient: withGradient,
                                    dx: &$1)
        }
    }
}

/// Fused softmax cross-entropy of half-precision logits against soft targets (one
/// distribution per row, in the storage type). With `q = (1 − ε)·targets + ε/n`:
/// `loss = −Σ q_i·log p_i` (terms with `q_i = 0` count 0) and `∂loss/∂x = (p·Σ_j q_j − q)/τ`,
/// rounded once to the storage type.
///
/// ```swift
/// let q = try HalfMatrix<BFloat16>(rows: 1, cols: 2, elements: [BFloat16(0.5), BFloat16(0.5)])
/// let r = try crossEntropy(logits: x, targets: q, reduction: .none)
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/shapeMismatch(expected:actual:)``,
///   ``SmoothKitError/domain(_:)`` for ε outside [0, 1].
public func crossEntropy<E: HalfPrecisionStorage>(logits x: HalfMatrix<E>, targets: HalfMatrix<E>,
                                                  labelSmoothing eps: Float = 0, temperature t: Float = 1,
                                                  reduction: LossReduction = .mean, withGradient: Bool = true,
                                                  backend: Backend = .automatic) throws -> HalfCrossEntropyResult<E> {
    try checkSameShape(x, targets)
    return try halfCrossEntropyResult(x, reduction: reduction, withGradient: withGradient) {
        try halfCrossEntropyRun(x, labels: nil, ignore: 0, targets: targets, eps: eps, t: t, reduction: reduction,
                                backend: backend, loss: &$0, withGradient: withGradient, dx: &$1)
    }
}

// MARK: - views: the caller's memory in and out, no copy

/// ``logSumExpBackward(_:upstream:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_,_)`` on
/// views: reads `x` and `upstream` (`x.rows` Float values) where they are, writes the gradient
/// into `dx` (`x`'s rows and cols).
///
/// ```swift
/// var grad = [BFloat16](repeating: BFloat16(0), count: 1000 * 512)
/// var dx = try MutableHalfMatrixView(rows: 1000, cols: 512, elements: grad.mutableSpan)
/// try logSumExpBackward(x, upstream: g.span, into: &dx)
/// ```
/// - Throws: as the `HalfMatrix` form; ``SmoothKitError/shapeMismatch(expected:actual:)`` for a
///   `dx` of another shape. Nothing is written then.
public func logSumExpBackward<E: HalfPrecisionStorage>(_ x: HalfMatrixView<E>, upstream g: Span<Float>,
                                                       temperature t: Float = 1, backend: Backend = .automatic,
                                                       threads: Int? = nil,
                                                       into dx: inout MutableHalfMatrixView<E>) throws {
    try halfBackwardFromX(.logSumExp, x, g, t, backend, threads, into: &dx)
}

/// ``softArgmaxBackward(_:upstream:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_,_)`` on
/// views, the gradient written into `dx`.
///
/// ```swift
/// try softArgmaxBackward(x, upstream: g.span, into: &dx)
/// ```
/// - Throws: as ``logSumExpBackward(_:upstream:temperature:backend:threads:into:)-(HalfMatrixView<E>,_,_,_,_,_)``.
public func softArgmaxBackward<E: HalfPrecisionStorage>(_ x: HalfMatrixView<E>, upstream g: Span<Float>,
                                                        temperature t: Float = 1, backend: Backend = .automatic,
                                                        threads: Int? = nil,
                                                        into dx: inout MutableHalfMatrixView<E>) throws {
    try halfBackwardFromX(.softArgmax, x, g, t, backend, threads, into: &dx)
}

private func halfBackwardFromX<E>(_ op: RowOp, _ x: HalfMatrixView<E>, _ g: Span<Float>, _ t: Float,
                                  _ backend: Backend, _ threads: Int?, into dx: inout MutableHalfMatrixView<E>) throws {
    try x.withBorrowedMatrix { x in
        try g.withUnsafeBufferPointer { g in
            try dx.withBorrowedMatrix { try halfBackwardFromX(op, x, g, t, backend, threads, into: &$0) }
        }
    }
}

/// ``softmaxBackward(probabilities:upstream:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_,_)``
/// on views, the gradient written into `dx` (the shape of `p`).
///
/// ```swift
/// try softmaxBackward(probabilities: p, upstream: g, into: &dx)   // p, g: HalfMatrixView<BFloat16>
/// ```
/// - Throws: as the `HalfMatrix` form; ``SmoothKitError/shapeMismatch(expected:actual:)`` also for `dx`.
public func softmaxBackward<E: HalfPrecisionStorage>(probabilities p: HalfMatrixView<E>, upstream g: HalfMatrixView<E>,
                                                     temperature t: Float = 1, backend: Backend = .automatic,
                                                     threads: Int? = nil,
                                                     into dx: inout MutableHalfMatrixView<E>) throws {
    try halfBackwardFromOutput(p, nil, g, t, backend, threads, into: &dx)
}

/// ``logSoftmaxBackward(output:form:upstream:temperature:backend:threads:)-(HalfMatrix<E>,_,_,_,_,_)``
/// on views, the gradient written into `dx` (the shape of `y`).
///
/// ```swift
/// try logSoftmaxBackward(output: lp, upstream: g, into: &dx)
/// ```
/// - Throws: as ``softmaxBackward(probabilities:upstream:temperature:backend:threads:into:)-(HalfMatrixView<E>,_,_,_,_,_)``.
public func logSoftmaxBackward<E: HalfPrecisionStorage>(output y: HalfMatrixView<E>,
                                                        form: ProbabilityForm = .logProbabilities,
                                                        upstream g: HalfMatrixView<E>, temperature t: Float = 1,
                                                        backend: Backend = .automatic, threads: Int? = nil,
                                                        into dx: inout MutableHalfMatrixView<E>) throws {
    try halfBackwardFromOutput(y, form, g, t, backend, threads, into: &dx)
}

private func halfBackwardFromOutput<E>(_ y: HalfMatrixView<E>, _ form: ProbabilityForm?, _ g: HalfMatrixView<E>,
                                       _ t: Float, _ backend: Backend, _ threads: Int?,
                                       into dx: inout MutableHalfMatrixView<E>) throws {
    try y.withBorrowedMatrix { y in
        try g.withBorrowedMatrix { g in
            try dx.withBorrowedMatrix { try halfBackwardFromOutput(y, form, g, t, backend, threads, into: &$0) }
        }
    }
}

/// ``crossEntropy(logits:labels:ignoreLabel:labelSmoothing:temperature:reduction:withGradient:backend:)-(HalfMatrix<E>,_,_,_,_,_,_,_)``
/// on views: the loss into `loss` (`rows` Float values for ``LossReduction/none``, else one)
/// and `∂loss/∂x` into `gradient` (the shape of the logits).
///
/// ```swift
/// var lossValue: [Float] = [0]
/// var loss = lossValue.mutableSpan
/// try crossEntropy(logits: x, labels: classes.span, loss: &loss, gradient: &dx)
/// ```
/// - Throws: as the `HalfMatrix` form; ``SmoothKitError/elementCount(expected:actual:)`` for a
///   `loss` of another length, ``SmoothKitError/shapeMismatch(expected:actual:)`` for a
///   `gradient` of another shape. Nothing is written then.
public func crossEntropy<E: HalfPrecisionStorage>(logits x: HalfMatrixView<E>, labels: Span<Int>, ignoreLabel: Int = -100,
                                                  labelSmoothing eps: Float = 0, temperature t: Float = 1,
                                                  reduction: LossReduction = .mean, backend: Backend = .automatic,
                                                  loss: inout MutableSpan<Float>,
                                                  gradient: inout MutableHalfMatrixView<E>) throws {
    try x.withBorrowedMatrix { x in
        try labels.withUnsafeBufferPointer { labels in
            try withCheckedLabels(labels, rows: x.rows, cols: x.cols, ignore: ignoreLabel) { labels in
                try gradient.withBorrowedMatrix {
                    try halfCrossEntropyRun(x, labels: labels, ignore: ignoreLabel, targets: nil, eps: eps, t: t,
                                            reduction: reduction, backend: backend, loss: &loss, withGradient: true,
                                            dx: &$0)
                }
            }
        }
    }
}

/// ``crossEntropy(logits:targets:labelSmoothing:temperature:reduction:withGradient:backend:)-(HalfMatrix<E>,_,_,_,_,_,_)``
/// on views: the loss into `loss`, `∂loss/∂x` into `gradient`.
///
/// ```swift
/// try crossEntropy(logits: x, targets: q, reduction: .none, loss: &rowLosses, gradient: &dx)
/// ```
/// - Throws: as ``crossEntropy(logits:labels:ignoreLabel:labelSmoothing:temperature:reduction:backend:loss:gradient:)-(HalfMatrixView<E>,_,_,_,_,_,_,_,_)``.
public func crossEntropy<E: HalfPrecisionStorage>(logits x: HalfMatrixView<E>, targets: HalfMatrixView<E>,
                                                  labelSmoothing eps: Float = 0, temperature t: Float = 1,
                                                  reduction: LossReduction = .mean, backend: Backend = .automatic,
                                                  loss: inout MutableSpan<Float>,
                                                  gradient: inout MutableHalfMatrixView<E>) throws {
    try x.withBorrowedMatrix { x in
        try targets.withBorrowedMatrix { targets in
            try checkSameShape(x, targets)
            try gradient.withBorrowedMatrix {
                try halfCrossEntropyRun(x, labels: nil, ignore: 0, targets: targets, eps: eps, t: t,
                                        reduction: reduction, backend: backend, loss: &loss, withGradient: true,
                                        dx: &$0)
            }
        }
    }
}
