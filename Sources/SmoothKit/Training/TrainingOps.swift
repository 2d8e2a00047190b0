import CSmoothKit

// Training ops (SPEC §1 "Gradients" and "Streaming merge"): the backward passes of the four
// row ops, fused cross-entropy and the mergeable logsumexp state. Every function validates
// its arguments first (τ finite and > 0, shapes, counts, labels), throws `SmoothKitError` and
// writes nothing on bad input, then runs the C kernels (`.automatic`, `.c`) or the pure-Swift
// ones (`.swift`). The backward ops split rows over `threads:` cores (RowParallel); the
// others run on the calling thread.

/// How a loss is reduced over the rows of a batch.
public enum LossReduction: Sendable, Hashable, CaseIterable {
    /// One loss per row.
    case none
    /// The mean over the rows that are not ignored (0/0 = NaN when every row is ignored,
    /// as PyTorch does; the gradient is then 0).
    case mean
    /// The sum over the rows.
    case sum

    var cValue: smk_reduction {
        switch self {
        case .none: SMK_REDUCE_NONE
        case .mean: SMK_REDUCE_MEAN
        case .sum: SMK_REDUCE_SUM
        }
    }
}

/// What the forward output handed to ``logSoftmaxBackward(output:form:upstream:temperature:backend:threads:)->Matrix<S>`` holds.
public enum ProbabilityForm: Sendable, Hashable, CaseIterable {
    /// `log p`, the output of ``logSoftmax(_:temperature:backend:threads:)->Matrix<S>``.
    case logProbabilities
    /// `p`, the output of ``softmax(_:temperature:backend:threads:)->Matrix<S>``.
    case probabilities
}

/// The loss and, when asked for, the gradient with respect to the logits.
public struct CrossEntropyResult<Scalar: SmoothScalar>: Sendable {
    /// One value per row for ``LossReduction/none``, else a single value.
    public let loss: [Scalar]
    /// `∂loss/∂x`, the shape of the logits (nil when `withGradient` was false).
    public let gradient: Matrix<Scalar>?
}

// MARK: - validation and the pure-Swift table

/// The pure-Swift kernels of `S`, each evaluated in `S`'s wide type (TrainingFallback.swift).
struct SwiftTrainingKernels<S: SmoothScalar> {
    typealias P = UnsafePointer<S>
    typealias M = UnsafeMutablePointer<S>
    let lseBackward: (P, Int, Int, Int, P, S, M, Int) -> Void
    let argmaxBackward: (P, Int, Int, Int, P, S, M, Int) -> Void
    let softmaxBackward: (P, Int, Int, Int, P, Int, S, M, Int) -> Void
    let logSoftmaxBackward: (P, Int, Int, Int, Bool, P, Int, S, M, Int) -> Void
    let crossEntropy: (P, Int, Int, Int, UnsafePointer<Int64>?, Int64, P?, Int, S, S, LossReduction, M, M?, Int) -> Void
    let lseState: (P, Int, Int, Int, S, M, M) -> Void
    let lseMerge: (P, P, P, P, Int, S, M, M) -> Void
    let lseFinalize: (P, P, Int, S, M) -> Void
    let weighted: (P, Int, Int, Int, P, Int, S, M, M) -> Void
    let column: (RowOp, P, Int, Int, Int, S, M, Int) -> Void
    let masked: (RowOp, P, Int, Int, Int, UnsafePointer<Int64>?, UnsafePointer<UInt8>?, Int, S, M, Int) -> Void

    private init<W: TrainingWide>(_: TrainingFallback<S, W>.Type) {
        typealias F = TrainingFallback<S, W>
        lseBackward = F.lseBackward
        argmaxBackward = F.argmaxBackward
        softmaxBackward = F.softmaxBackward
        logSoftmaxBackward = { F.logSoftmaxBackward($0, $1, $2, $3, fromLog: $4, $5, $6, $7, $8, $9) }
        crossEntropy = {
            F.crossEntropy($0, $1, $2, $3, labels: $4, ignore: $5, targets: $6, $7, eps: $8, $9, reduction: $10,
                           loss: $11, dx: $12, $13)
        }
        lseState = F.lseState
        lseMerge = F.lseMerge
        lseFinalize = F.lseFinalize
        masked = F.masked
        weighted = F.weighted
        column = F.column
    }

    /// Specialised for Float and Double, so the closures point at concrete (fast) kernels.
    static var table: SwiftTrainingKernels { make() }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    private static func make() -> SwiftTrainingKernels {
        switch S._smoothKind {
        case .float32: SwiftTrainingKernels(TrainingFallback<S, Double>.self)
        case .float64: SwiftTrainingKernels(TrainingFallback<S, TrainingWideOfDouble>.self)
        }
    }
}

/// Runs a backward op that reads `x` (or a forward output) and writes `dx` (checked to have
/// its shape), over blocks of rows on `threads` cores (RowParallel): `body(rows, x, dx, lddx)`
/// gets a row range and the pointers to its first row.
private func backward<S: SmoothScalar>(_ x: Matrix<S>, threads: Int?, into dx: inout Matrix<S>,
                                       _ body: @Sendable (Range<Int>, UnsafePointer<S>, UnsafeMutablePointer<S>, Int) -> Void)
    throws {
    let n = try RowParallel.threadCount(threads)
    try checkSameShape(x, dx)
    guard x.rows > 0 else { return }
    let ldx = x.leadingDimension, ldd = dx.leadingDimension
    x.withBase { xp in
        dx.withMutableBase { dp in
            let src = RowBlockPointer(base: xp), dst = RowBlockPointer(base: dp)
            RowParallel.forEachBlock(rows: x.rows, cols: x.cols, threads: n) { r in
                body(r, src.base + r.lowerBound * ldx, dst.base + r.lowerBound * ldd, ldd)
            }
        }
    }
}

/// A fresh `x`-shaped gradient that `body` fills: the `Matrix` form of a backward op.
private func freshGradient<S: SmoothScalar>(like x: Matrix<S>, _ body: (inout Matrix<S>) throws -> Void) throws -> Matrix<S> {
    var dx = try Matrix<S>(rows: x.rows, cols: x.cols, repeating: 0)
    try body(&dx)
    return dx
}

// MARK: - backward (VJP) ops

/// The gradient of ``logSumExp(_:temperature:backend:threads:)->[S]``: for upstream `g[r]` per row,
/// `∂/∂x_i = g·p_i` with `p = softmax(x/τ)`, recomputed from `x` and fused with the scaling.
///
/// Edge rows use SPEC §1's forward outputs: NaN row → NaN, `k` entries +∞ → `g/k` there and 0
/// elsewhere, a fully masked (all −∞) row → 0. Rows are split over `threads` cores (default:
/// all) for large inputs, as the forward ops do.
///
/// ```swift
/// let x = try Matrix<Float>(rows: 1, cols: 2, elements: [0, 0])
/// let dx = try logSumExpBackward(x, upstream: [2])   // [[1, 1]]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/elementCount(expected:actual:)``
///   when `upstream.count != x.rows`, ``SmoothKitError/domain(_:)`` for `threads < 1`.
public func logSumExpBackward<S: SmoothScalar>(_ x: Matrix<S>, upstream g: [S], temperature t: S = 1,
                                               backend: Backend = .automatic, threads: Int? = nil) throws -> Matrix<S> {
    try freshGradient(like: x) { dx in
        try g.withUnsafeBufferPointer { try backwardFromX(.logSumExp, x, $0, t, backend, threads, into: &dx) }
    }
}

/// The gradient of ``softArgmax(_:temperature:backend:threads:)->[S]``: for upstream `g[r]`,
/// `dx_i = g·p_i·(i − a)/τ` with `a = Σ i·p_i`, recomputed from `x` in one fused exp pass.
///
/// Edge rows: NaN → NaN; `k` entries +∞ → the formula with `p = 1/k` there; a fully masked row
/// → 0 (the position is undefined, but no mass depends on it).
///
/// ```swift
/// let x = try Matrix<Double>(rows: 1, cols: 2, elements: [0, 0])
/// let dx = try softArgmaxBackward(x, upstream: [1])  // [[-0.25, 0.25]]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/elementCount(expected:actual:)``,
///   ``SmoothKitError/domain(_:)`` for `threads < 1`.
public func softArgmaxBackward<S: SmoothScalar>(_ x: Matrix<S>, upstream g: [S], temperature t: S = 1,
                                                backend: Backend = .automatic, threads: Int? = nil) throws -> Matrix<S> {
    try freshGradient(like: x) { dx in
        try g.withUnsafeBufferPointer { try backwardFromX(.softArgmax, x, $0, t, backend, threads, into: &dx) }
    }
}

/// logsumexp (`op == .logSumExp`) and soft-argmax backward: validate, then the kernel from `x`
/// and one upstream value per row.
private func backwardFromX<S: SmoothScalar>(_ op: RowOp, _ x: Matrix<S>, _ g: UnsafeBufferPointer<S>, _ t: S,
                                            _ backend: Backend, _ threads: Int?, into dx: inout Matrix<S>) throws {
    try checkTemperature(t)
    try checkCount(g.count, x.rows)
    let cols = x.cols, ldx = x.leadingDimension, lse = op == .logSumExp
    let upstream = RowBlockPointer(base: g.baseAddress)  // not nil when there are rows
    try backward(x, threads: threads, into: &dx) { r, xp, dp, ldd in
        let gr = upstream.base! + r.lowerBound
        if backend.resolved == .swift {
            let k = SwiftTrainingKernels<S>.table
            (lse ? k.lseBackward : k.argmaxBackward)(xp, r.count, cols, ldx, gr, t, dp, ldd)
        } else {
            let c = S.c
            expectOK(lse ? c.logSumExpBackward(xp, r.count, cols, ldx, gr, Double(t), dp, ldd)
                                : c.softArgmaxBackward(xp, r.count, cols, ldx, gr, Double(t), dp, ldd))
        }
    }
}

/// The gradient of ``softmax(_:temperature:backend:threads:)->Matrix<S>`` from its output `p`:
/// `dx = p ⊙ (g − ⟨g, p⟩)/τ`, one compensated dot product and one fused pass per row.
///
/// Entries with `p_i = 0` (masked, or the zeros of a +∞ row) get `dx_i = 0`; a NaN in `p` or
/// `g` gives NaN in that row.
///
/// ```swift
/// let p = try softmax(x)
/// let dx = try softmaxBackward(probabilities: p, upstream: g)
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/shapeMismatch(expected:actual:)``
///   when `g` and `p` differ in shape, ``SmoothKitError/domain(_:)`` for `threads < 1`.
public func softmaxBackward<S: SmoothScalar>(probabilities p: Matrix<S>, upstream g: Matrix<S>, temperature t: S = 1,
                                             backend: Backend = .automatic, threads: Int? = nil) throws -> Matrix<S> {
    try freshGradient(like: p) { try backwardFromOutput(p, nil, g, t, backend, threads, into: &$0) }
}

/// The gradient of ``logSoftmax(_:temperature:backend:threads:)->Matrix<S>`` from its output:
/// `dx = (g − p·Σ_j g_j)/τ`, with `p = exp(y)` when `y` holds log-probabilities (`form:
/// .logProbabilities`, the default) or `p = y` (`.probabilities`, the output of `softmax`).
///
/// A fully masked row (`log p = −∞`, `p = 0`) gives `g/τ`, the formula at that output.
///
/// ```swift
/// let lp = try logSoftmax(x)
/// let dx = try logSoftmaxBackward(output: lp, upstream: g)
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/shapeMismatch(expected:actual:)``,
///   ``SmoothKitError/domain(_:)`` for `threads < 1`.
public func logSoftmaxBackward<S: SmoothScalar>(output y: Matrix<S>, form: ProbabilityForm = .logProbabilities,
                                                upstream g: Matrix<S>, temperature t: S = 1,
                                                backend: Backend = .automatic, threads: Int? = nil) throws -> Matrix<S> {
    try freshGradient(like: y) { try backwardFromOutput(y, form, g, t, backend, threads, into: &$0) }
}

/// softmax (`form == nil`) and log_softmax backward from the forward output `y` and a matrix `g`.
private func backwardFromOutput<S: SmoothScalar>(_ y: Matrix<S>, _ form: ProbabilityForm?, _ g: Matrix<S>, _ t: S,
                                                 _ backend: Backend, _ threads: Int?, into dx: inout Matrix<S>) throws {
    try checkTemperature(t)
    try checkSameShape(y, g)
    let cols = y.cols, ldy = y.leadingDimension, ldg = g.leadingDimension
    try backward(y, threads: threads, into: &dx) { r, yp, dp, ldd in
        g.withBase { gbase in
            let gp = gbase + r.lowerBound * ldg
            switch (backend.resolved == .swift, form) {
            case (true, nil):
                SwiftTrainingKernels<S>.table.softmaxBackward(yp, r.count, cols, ldy, gp, ldg, t, dp, ldd)
            case (true, let f?):
                SwiftTrainingKernels<S>.table.logSoftmaxBackward(yp, r.count, cols, ldy, f == .logProbabilities, gp, ldg,
                                                                 t, dp, ldd)
            case (false, nil):
                expectOK(S.c.softmaxBackward(yp, r.count, cols, ldy, gp, ldg, Double(t),
                                                                              dp, ldd))
            case (false, let f?):
                expectOK(S.c.logSoftmaxBackward(
                    yp, r.count, cols, ldy, f == .logProbabilities ? SMK_FORM_LOG_PROB : SMK_FORM_PROB, gp, ldg,
                    Double(t), dp, ldd))
            }
        }
    }
}

// MARK: - cross-entropy

/// Checks τ, ε and the outputs of one cross-entropy call, then runs it: `targets` is nil for
/// the labels form (`labels`, as Int64, nil only without rows); `loss` takes `rows` values (``LossReduction/none``) or one, `dx` (when
/// `withGradient`) the gradient, the shape of `x`.
private func crossEntropyRun<S: SmoothScalar>(_ x: Matrix<S>, labels: UnsafePointer<Int64>?, ignore: Int64,
                                              targets: Matrix<S>?, eps: S, t: S, reduction: LossReduction,
                                              backend: Backend, loss: inout MutableSpan<S>, withGradient: Bool,
                                              dx: inout Matrix<S>) throws {
    try checkTemperature(t)
    guard eps.isFinite, eps >= 0, eps <= 1 else {
        throw SmoothKitError.domain("label smoothing must be in [0, 1], got \(eps)")
    }
    try checkOutputCount(loss, reduction == .none ? x.rows : 1)
    if withGradient { try checkSameShape(x, dx) }
    if x.rows == 0 {
        if reduction == .mean { loss[0] = .nan }  // an empty mean, as for every row ignored
        return
    }
    let qsrc = targets ?? x  // only read when targets is set
    x.withBase { xp in
        qsrc.withBase { qp in
            loss.withUnsafeMutableBufferPointer { lossb in
                func run(_ dp: UnsafeMutablePointer<S>?, _ ldd: Int) {
                    if backend.resolved == .swift {
                        SwiftTrainingKernels<S>.table.crossEntropy(
                            xp, x.rows, x.cols, x.leadingDimension, labels, ignore, targets == nil ? nil : qp,
                            qsrc.leadingDimension, eps, t, reduction, lossb.baseAddress!, dp, ldd)
                    } else {
                        let c = S.c
                        let out = UnsafeMutableRawPointer(lossb.baseAddress!), raw = dp.map(UnsafeMutableRawPointer.init)
                        if let labels {
                            expectOK(c.crossEntropy(xp, x.rows, x.cols, x.leadingDimension, labels, ignore,
                                                    Double(eps), Double(t), reduction.cValue, out, raw, ldd))
                        } else {
                            expectOK(c.crossEntropySoft(xp, x.rows, x.cols, x.leadingDimension, qp,
                                                        qsrc.leadingDimension, Double(eps), Double(t),
                                                        reduction.cValue, out, raw, ldd))
                        }
                    }
                }
                if withGradient {
                    let ldd = dx.leadingDimension
                    dx.withMutableBase { run($0, ldd) }
                } else {
                    run(nil, x.cols)
                }
            }
        }
    }
}

/// Checks the labels of `x`'s rows (each in `0..<cols`, or the ignore label), then runs
/// `body` with them as the C ABI's Int64 (nil only when there are no rows).
func withCheckedLabels<R>(_ labels: UnsafeBufferPointer<Int>, rows: Int, cols: Int, ignore: Int,
                          _ body: (UnsafePointer<Int64>?) throws -> R) throws -> R {
    try checkCount(labels.count, rows)
    for (r, l) in labels.enumerated() where l != ignore && !(0..<cols).contains(l) {
        throw SmoothKitError.domain("label \(l) of row \(r) is outside 0..<\(cols) and not the ignore label")
    }
    return try withInt64Labels(labels, body)
}

/// ``withCheckedLabels(_:rows:cols:ignore:_:)`` on an array's labels.
func withCheckedLabels<R>(_ labels: [Int], rows: Int, cols: Int, ignore: Int,
                          _ body: (UnsafePointer<Int64>?) throws -> R) throws -> R {
    try labels.withUnsafeBufferPointer { try withCheckedLabels($0, rows: rows, cols: cols, ignore: ignore, body) }
}

/// The `Matrix` form of cross-entropy: a fresh loss array and (when asked for) gradient.
private func crossEntropyResult<S: SmoothScalar>(_ x: Matrix<S>, reduction: LossReduction, withGradient: Bool,
                                                 _ body: (inout MutableSpan<S>, inout Matrix<S>) throws -> Void)
    throws -> CrossEntropyResult<S> {
    var dx = try Matrix<S>(rows: withGradient ? x.rows : 0, cols: withGradient ? x.cols : 0, repeating: 0)
    let loss: [S] = try collecting(count: reduction == .none ? x.rows : 1) { try body(&$0, &dx) }
    return CrossEntropyResult(loss: loss, gradient: withGradient ? dx : nil)
}

/// Fused softmax cross-entropy from integer class labels, loss and gradient in one pass.
///
/// Per row, with `p = softmax(x/τ)` and `q = (1 − ε)·onehot(label) + ε/n` (label smoothing ε):
/// `loss = −Σ q_i·log p_i` and `∂loss/∂x = (p − q)/τ` (times `1/count` for `.mean`). A row whose
/// label equals `ignoreLabel` (default −100, as PyTorch) has loss 0 and gradient 0 and is not
/// counted in the mean. Edge rows follow SPEC §1: a NaN row gives NaN, a label on a −∞ logit
/// gives loss +∞.
///
/// ```swift
/// let logits = try Matrix<Float>(rows: 2, cols: 3, elements: [1, 2, 3,  0, 0, 0])
/// let r = try crossEntropy(logits: logits, labels: [2, -100])
/// // r.loss == [0.4076] (the second row is ignored), r.gradient!.row(1) == [0, 0, 0]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``; ``SmoothKitError/elementCount(expected:actual:)``
///   when `labels.count != rows`; ``SmoothKitError/domain(_:)`` for a label outside `0..<cols`
///   (other than `ignoreLabel`) or ε outside [0, 1].
public func crossEntropy<S: SmoothScalar>(logits x: Matrix<S>, labels: [Int], ignoreLabel: Int = -100,
                                          labelSmoothing eps: S = 0, temperature t: S = 1,
                                          reduction: LossReduction = .mean, withGradient: Bool = true,
                                          backend: Backend = .automatic) throws -> CrossEntropyResult<S> {
    try withCheckedLabels(labels, rows: x.rows, cols: x.cols, ignore: ignoreLabel) { labels in
        try crossEntropyResult(x, reduction: reduction, withGradient: withGradient) {
            try crossEntropyRun(x, labels: labels, ignore: Int64(ignoreLabel), targets: nil, eps: eps, t: t,
                                reduction: reduction, backend: backend, loss: &$0, withGradient: withGradient, dx: &$1)
        }
    }
}

/// Fused softmax cross-entropy against soft targets (one distribution per row).
///
/// With `q = (1 − ε)·targets + ε/n`: `loss = −Σ q_i·log p_i` (terms with `q_i = 0` count 0)
/// and `∂loss/∂x = (p·Σ_j q_j − q)/τ`, exact also when a target row does not sum to 1.
///
/// ```swift
/// let q = try Matrix<Double>(rows: 1, cols: 2, elements: [0.5, 0.5])
/// let r = try crossEntropy(logits: x, targets: q, reduction: .none)
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/shapeMismatch(expected:actual:)``,
///   ``SmoothKitError/domain(_:)`` for ε outside [0, 1].
public func crossEntropy<S: SmoothScalar>(logits x: Matrix<S>, targets: Matrix<S>, labelSmoothing eps: S = 0,
                                          temperature t: S = 1, reduction: LossReduction = .mean,
                                          withGradient: Bool = true,
                                          backend: Backend = .automatic) throws -> CrossEntropyResult<S> {
    try checkSameShape(x, targets)
    return try crossEntropyResult(x, reduction: reduction, withGradient: withGradient) {
        try crossEntropyRun(x, labels: nil, ignore: 0, targets: targets, eps: eps, t: t, reduction: reduction,
                            backend: backend, loss: &$0, withGradient: withGradient, dx: &$1)
    }
}

// MARK: - weighted logsumexp with sign

/// Per row `τ·log|Σ_i b_i·exp(x_i/τ)|` and the sign of the sum, as
/// `scipy.special.logsumexp(x/τ, b=b, return_sign=True)` (times τ).
///
/// Computed as `m + τ·log|Σ b_i·exp((x_i − m)/τ)|` over the entries with `b_i ≠ 0` (the others
/// take no part). Negative weights may cancel: the error is about
/// `8u·(|m| + τ·Σ|b_i e_i|/|S|)`, the sum's condition number. Edge rows: a NaN → NaN with
/// sign NaN; +∞ entries → +∞ with the sign of their weights' sum (NaN if it is 0); nothing
/// left or an exactly zero sum → −∞ with sign 0.
///
/// ```swift
/// let x = try Matrix<Double>(rows: 1, cols: 2, elements: [0, 1])
/// let b = try Matrix<Double>(rows: 1, cols: 2, elements: [1, -1])
/// let r = try weightedLogSumExp(x, weights: b)   // values [1 + log(1 − 1/e)], signs [-1]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/shapeMismatch(expected:actual:)``
///   when `weights` has another shape.
public func weightedLogSumExp<S: SmoothScalar>(_ x: Matrix<S>, weights b: Matrix<S>, temperature t: S = 1,
                                               backend: Backend = .automatic) throws -> (values: [S], signs: [S]) {
    var signs = [S](repeating: 0, count: x.rows)
    var signSpan = signs.mutableSpan
    let values: [S] = try collecting(count: x.rows) { try weightedRun(x, b, t, backend, values: &$0, signs: &signSpan) }
    _ = consume signSpan
    return (values, signs)
}

/// Checks and runs one weighted logsumexp into `values` and `signs` (`x.rows` each).
private func weightedRun<S: SmoothScalar>(_ x: Matrix<S>, _ b: Matrix<S>, _ t: S, _ backend: Backend,
                                          values: inout MutableSpan<S>, signs: inout MutableSpan<S>) throws {
    try checkTemperature(t)
    try checkSameShape(x, b)
    try checkOutputCount(values, x.rows)
    try checkOutputCount(signs, x.rows)
    guard x.rows > 0 else { return }
    x.withBase { xp in
        b.withBase { bp in
            values.withUnsafeMutableBufferPointer { vb in
                signs.withUnsafeMutableBufferPointer { sb in
                    if backend.resolved == .swift {
                        SwiftTrainingKernels<S>.table.weighted(xp, x.rows, x.cols, x.leadingDimension, bp, b.leadingDimension,
                                                               t, vb.baseAddress!, sb.baseAddress!)
                    } else {
                        expectOK(S.c.weightedLogSumExp(
                            xp, x.rows, x.cols, x.leadingDimension, bp, b.leadingDimension, Double(t), vb.baseAddress!,
                            sb.baseAddress!))
                    }
                }
            }
        }
    }
}

// MARK: - mergeable logsumexp state

/// A per-row logsumexp in progress: `m` (the max so far) and `s = Σ exp((x_i − m)/τ)`.
///
/// Build one state per chunk of columns, merge them in any order (and on any thread), then
/// ``logSumExp(backend:)`` gives `m + τ·log s`, the one-pass answer within SPEC §1's bound
/// `8u·max(|L|, τ)` (each merge rounds `s` once; the merge is computed in a wider type).
/// Merging: `m = max(m1, m2)`, `s = s1·exp((m1 − m)/τ) + s2·exp((m2 − m)/τ)`, a factor being
/// exactly 1 when `m_j == m`, so ±∞ never makes NaN. Empty or all −∞ chunk: `(−∞, 0)`, the
/// identity; `k` entries +∞: `(+∞, k)`; NaN: `(NaN, NaN)`, which every merge keeps.
///
/// ```swift
/// var state = try LogSumExpState(chunk: left, temperature: 0.5)   // columns 0..<500
/// try state.merge(LogSumExpState(chunk: right, temperature: 0.5)) // columns 500..<1000
/// let lse = state.logSumExp()   // == logSumExp(whole, temperature: 0.5) within the bound
/// ```
public struct LogSumExpState<Scalar: SmoothScalar>: Sendable, Equatable {
    /// `m` per row.
    public private(set) var maxima: [Scalar]
    /// `s` per row, in `[1, n]` for a chunk of `n` columns with a finite max.
    public private(set) var sums: [Scalar]
    /// τ of every chunk; states merge only at equal temperatures.
    public let temperature: Scalar

    /// The state of `rows` empty rows `(−∞, 0)`: merging it changes nothing.
    ///
    /// ```swift
    /// var acc = try LogSumExpState<Float>(rows: 4)
    /// ```
    /// - Throws: ``SmoothKitError/invalidTemperature(_:)``, ``SmoothKitError/invalidShape(_:)`` for `rows < 0`.
    public init(rows: Int, temperature: Scalar = 1) throws {
        try checkTemperature(temperature)
        guard rows >= 0 else { throw SmoothKitError.invalidShape("rows must be >= 0, got \(rows)") }
        maxima = [Scalar](repeating: -.infinity, count: rows)
        sums = [Scalar](repeating: 0, count: rows)
        self.temperature = temperature
    }

    /// The state of each row of `chunk` (one exp pass per row).
    ///
    /// ```swift
    /// let s = try LogSumExpState(chunk: x, temperature: 1)
    /// ```
    /// - Throws: ``SmoothKitError/invalidTemperature(_:)``.
    public init(chunk x: Matrix<Scalar>, temperature: Scalar = 1, backend: Backend = .automatic) throws {
        try self.init(rows: x.rows, temperature: temperature)
        guard x.rows > 0 else { return }
        x.withBase { xp in
            maxima.withUnsafeMutableBufferPointer { mb in
                sums.withUnsafeMutableBufferPointer { sb in
                    if backend.resolved == .swift {
                        SwiftTrainingKernels<Scalar>.table.lseState(xp, x.rows, x.cols, x.leadingDimension, temperature,
                                                                    mb.baseAddress!, sb.baseAddress!)
                    } else {
                        expectOK(Scalar.c.lseState(
                            xp, x.rows, x.cols, x.leadingDimension, Double(temperature), mb.baseAddress!, sb.baseAddress!))
                    }
                }
            }
        }
    }

    /// Merges `other` (the same rows, another chunk of columns) into this state.
    ///
    /// ```swift
    /// try total.merge(LogSumExpState(chunk: nextChunk))
    /// ```
    /// - Throws: ``SmoothKitError/elementCount(expected:actual:)`` for another row count,
    ///   ``SmoothKitError/domain(_:)`` for another temperature; the state is unchanged then.
    public mutating func merge(_ other: LogSumExpState, backend: Backend = .automatic) throws {
        try checkCount(other.maxima.count, maxima.count)
        guard other.temperature == temperature else {
            throw SmoothKitError.domain("cannot merge states of temperatures \(temperature) and \(other.temperature)")
        }
        let n = maxima.count, t = temperature
        guard n > 0 else { return }
        var m = maxima, s = sums
        other.maxima.withUnsafeBufferPointer { m2 in
            other.sums.withUnsafeBufferPointer { s2 in
                maxima.withUnsafeBufferPointer { m1 in
                    sums.withUnsafeBufferPointer { s1 in
                        m.withUnsafeMutableBufferPointer { mo in
                            s.withUnsafeMutableBufferPointer { so in
                                if backend.resolved == .swift {
                                    SwiftTrainingKernels<Scalar>.table.lseMerge(m1.baseAddress!, s1.baseAddress!, m2.baseAddress!,
                                                                                s2.baseAddress!, n, t, mo.baseAddress!,
                                                                                so.baseAddress!)
                                } else {
                                    expectOK(Scalar.c.lseMerge(
                                        m1.baseAddress!, s1.baseAddress!, m2.baseAddress!, s2.baseAddress!, n, Double(t),
                                        mo.baseAddress!, so.baseAddress!))
                                }
                            }
                        }
                    }
                }
            }
        }
        (maxima, sums) = (m, s)
    }

    /// This state merged with `other`; see ``merge(_:backend:)``.
    ///
    /// ```swift
    /// let whole = try left.merging(right)
    /// ```
    public func merging(_ other: LogSumExpState, backend: Backend = .automatic) throws -> LogSumExpState {
        var copy = self
        try copy.merge(other, backend: backend)
        return copy
    }

    /// `L = m + τ·log s` per row: −∞ for an empty or fully masked row, +∞ with any +∞ entry,
    /// NaN with any NaN.
    ///
    /// ```swift
    /// let lse: [Float] = state.logSumExp()
    /// ```
    public func logSumExp(backend: Backend = .automatic) -> [Scalar] {
        var out = [Scalar](repeating: 0, count: maxima.count)
        guard !out.isEmpty else { return out }
        let n = out.count, t = temperature
        maxima.withUnsafeBufferPointer { mb in
            sums.withUnsafeBufferPointer { sb in
                out.withUnsafeMutableBufferPointer { ob in
                    if backend.resolved == .swift {
                        SwiftTrainingKernels<Scalar>.table.lseFinalize(mb.baseAddress!, sb.baseAddress!, n, t, ob.baseAddress!)
                    } else {
                        expectOK(Scalar.c.lseFinalize(
                            mb.baseAddress!, sb.baseAddress!, n, Double(t), ob.baseAddress!))
                    }
                }
            }
        }
        return out
    }
}

// MARK: - views: the caller's memory in and out, no copy

/// ``logSumExpBackward(_:upstream:temperature:backend:threads:)->Matrix<S>`` on views: reads `x` and
/// `upstream` (`x.rows` values) where they are, writes the gradient into `dx` (`x`'s rows and cols).
///
/// ```swift
/// var grad = [Float](repeating: 0, count: 1000 * 512)
/// var dx = try MutableMatrixView(rows: 1000, cols: 512, elements: grad.mutableSpan)
/// try logSumExpBackward(x, upstream: g.span, into: &dx)
/// ```
/// - Throws: as the `Matrix` form; ``SmoothKitError/shapeMismatch(expected:actual:)`` for a
///   `dx` of another shape. Nothing is written then.
public func logSumExpBackward<S: SmoothScalar>(_ x: MatrixView<S>, upstream g: Span<S>, temperature t: S = 1,
                                               backend: Backend = .automatic, threads: Int? = nil,
                                               into dx: inout MutableMatrixView<S>) throws {
    try backwardFromX(.logSumExp, x, g, t, backend, threads, into: &dx)
}

/// ``softArgmaxBackward(_:upstream:temperature:backend:threads:)->Matrix<S>`` on views, the gradient
/// written into `dx`.
///
/// ```swift
/// try softArgmaxBackward(x, upstream: g.span, into: &dx)
/// ```
/// - Throws: as ``logSumExpBackward(_:upstream:temperature:backend:threads:into:)-(_,_,S,_,_,_)``.
public func softArgmaxBackward<S: SmoothScalar>(_ x: MatrixView<S>, upstream g: Span<S>, temperature t: S = 1,
                                                backend: Backend = .automatic, threads: Int? = nil,
                                                into dx: inout MutableMatrixView<S>) throws {
    try backwardFromX(.softArgmax, x, g, t, backend, threads, into: &dx)
}

private func backwardFromX<S: SmoothScalar>(_ op: RowOp, _ x: MatrixView<S>, _ g: Span<S>, _ t: S, _ backend: Backend,
                                            _ threads: Int?, into dx: inout MutableMatrixView<S>) throws {
    try x.withBorrowedMatrix { x in
        try g.withUnsafeBufferPointer { g in
            try dx.withBorrowedMatrix { try backwardFromX(op, x, g, t, backend, threads, into: &$0) }
        }
    }
}

/// ``softmaxBackward(probabilities:upstream:temperature:backend:threads:)->Matrix<S>`` on views, the
/// gradient written into `dx` (the shape of `p`).
///
/// ```swift
/// try softmaxBackward(probabilities: p, upstream: g, into: &dx)
/// ```
/// - Throws: as the `Matrix` form; ``SmoothKitError/shapeMismatch(expected:actual:)`` also for `dx`.
public func softmaxBackward<S: SmoothScalar>(probabilities p: MatrixView<S>, upstream g: MatrixView<S>,
                                             temperature t: S = 1, backend: Backend = .automatic, threads: Int? = nil,
                                             into dx: inout MutableMatrixView<S>) throws {
    try backwardFromOutput(p, nil, g, t, backend, threads, into: &dx)
}

/// ``logSoftmaxBackward(output:form:upstream:temperature:backend:threads:)->Matrix<S>`` on views, the
/// gradient written into `dx` (the shape of `y`).
///
/// ```swift
/// try logSoftmaxBackward(output: lp, upstream: g, into: &dx)
/// ```
/// - Throws: as ``softmaxBackward(probabilities:upstream:temperature:backend:threads:into:)-(_,_,S,_,_,_)``.
public func logSoftmaxBackward<S: SmoothScalar>(output y: MatrixView<S>, form: ProbabilityForm = .logProbabilities,
                                                upstream g: MatrixView<S>, temperature t: S = 1,
                                                backend: Backend = .automatic, threads: Int? = nil,
                                                into dx: inout MutableMatrixView<S>) throws {
    try backwardFromOutput(y, form, g, t, backend, threads, into: &dx)
}

private func backwardFromOutput<S: SmoothScalar>(_ y: MatrixView<S>, _ form: ProbabilityForm?, _ g: MatrixView<S>,
                                                 _ t: S, _ backend: Backend, _ threads: Int?,
                                                 into dx: inout MutableMatrixView<S>) throws {
    try y.withBorrowedMatrix { y in
        try g.withBorrowedMatrix { g in
            try dx.withBorrowedMatrix { try backwardFromOutput(y, form, g, t, backend, threads, into: &$0) }
        }
    }
}

/// ``crossEntropy(logits:labels:ignoreLabel:labelSmoothing:temperature:reduction:withGradient:backend:)->CrossEntropyResult<S>``
/// on views: the loss into `loss` (`rows` values for ``LossReduction/none``, else one) and
/// `∂loss/∂x` into `gradient` (the shape of the logits).
///
/// ```swift
/// var lossValue: [Float] = [0]
/// var loss = lossValue.mutableSpan
/// try crossEntropy(logits: x, labels: classes.span, loss: &loss, gradient: &dx)
/// ```
/// - Throws: as the `Matrix` form; ``SmoothKitError/elementCount(expected:actual:)`` for a
///   `loss` of another length, ``SmoothKitError/shapeMismatch(expected:actual:)`` for a
///   `gradient` of another shape. Nothing is written then.
public func crossEntropy<S: SmoothScalar>(logits x: MatrixView<S>, labels: Span<Int>, ignoreLabel: Int = -100,
                                          labelSmoothing eps: S = 0, temperature t: S = 1,
                                          reduction: LossReduction = .mean, backend: Backend = .automatic,
                                          loss: inout MutableSpan<S>, gradient: inout MutableMatrixView<S>) throws {
    try x.withBorrowedMatrix { x in
        try labels.withUnsafeBufferPointer { labels in
            try withCheckedLabels(labels, rows: x.rows, cols: x.cols, ignore: ignoreLabel) { labels in
                try gradient.withBorrowedMatrix {
                    try crossEntropyRun(x, labels: labels, ignore: Int64(ignoreLabel), targets: nil, eps: eps, t: t,
                                        reduction: reduction, backend: backend, loss: &loss, withGradient: true, dx: &$0)
                }
            }
        }
    }
}

/// ``crossEntropy(logits:targets:labelSmoothing:temperature:reduction:withGradient:backend:)->CrossEntropyResult<S>``
/// on views: the loss into `loss`, `∂loss/∂x` into `gradient`.
///
/// ```swift
/// try crossEntropy(logits: x, targets: q, reduction: .none, loss: &rowLosses, gradient: &dx)
/// ```
/// - Throws: as ``crossEntropy(logits:labels:ignoreLabel:labelSmoothing:temperature:reduction:backend:loss:gradient:)-(_,_,_,S,_,_,_,_,_)``.
public func crossEntropy<S: SmoothScalar>(logits x: MatrixView<S>, targets: MatrixView<S>, labelSmoothing eps: S = 0,
                                          temperature t: S = 1, reduction: LossReduction = .mean,
                                          backend: Backend = .automatic, loss: inout MutableSpan<S>,
                                          gradient: inout MutableMatrixView<S>) throws {
    try x.withBorrowedMatrix { x in
        try targets.withBorrowedMatrix { targets in
            try checkSameShape(x, targets)
            try gradient.withBorrowedMatrix {
                try crossEntropyRun(x, labels: nil, ignore: 0, targets: targets, eps: eps, t: t, reduction: reduction,
                                    backend: backend, loss: &loss, withGradient: true, dx: &$0)
            }
        }
    }
}

/// ``weightedLogSumExp(_:weights:temperature:backend:)`` on views, into `values` and `signs`
/// (`x.rows` each).
///
/// ```swift
/// try weightedLogSumExp(x, weights: b, values: &values, signs: &signs)
/// ```
/// - Throws: as the `Matrix` form; ``SmoothKitError/elementCount(expected:actual:)`` for
///   outputs of another length. Nothing is written then.
public func weightedLogSumExp<S: SmoothScalar>(_ x: MatrixView<S>, weights b: MatrixView<S>, temperature t: S = 1,
                                               backend: Backend = .automatic, values: inout MutableSpan<S>,
                                               signs: inout MutableSpan<S>) throws {
    try x.withBorrowedMatrix { x in
        try b.withBorrowedMatrix { try weightedRun(x, $0, t, backend, values: &values, signs: &signs) }
    }
}

extension LogSumExpState {
    /// The state of each row of a view (read where it is, no copy).
    ///
    /// ```swift
    /// let s = try LogSumExpState(chunk: MatrixView(rows: 8, cols: 4096, elements: block.span))
    /// ```
    /// - Throws: ``SmoothKitError/invalidTemperature(_:)``.
    public init(chunk x: MatrixView<Scalar>, temperature: Scalar = 1, backend: Backend = .automatic) throws {
        self = try x.withBorrowedMatrix { try LogSumExpState(chunk: $0, temperature: temperature, backend: backend) }
    }
}
