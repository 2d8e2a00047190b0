import Testing
import SmoothKit
import CSmoothKit

// Fused cross-entropy: against the Float80 definition, against the composed forward ops
// (log_softmax + gather, and the log_softmax VJP with upstream −q), against finite differences
// of the Float80 loss, and on ignored, edge and in-place rows.

struct TrainCECase: CustomStringConvertible, Sendable {
    let cols: Int
    let smoothing: Double
    let tau: Double
    let reduction: LossReduction
    let soft: Bool
    var description: String { "n=\(cols) ε=\(smoothing) τ=\(tau) \(reduction)\(soft ? " soft" : "")" }
}

let trainCeCases: [TrainCECase] = [
    TrainCECase(cols: 1, smoothing: 0, tau: 1, reduction: .none, soft: false),
    TrainCECase(cols: 3, smoothing: 0.1, tau: 0.5, reduction: .mean, soft: false),
    TrainCECase(cols: 17, smoothing: 0, tau: 2, reduction: .sum, soft: false),
    TrainCECase(cols: 40, smoothing: 0.25, tau: 1, reduction: .none, soft: false),
    TrainCECase(cols: 5, smoothing: 0, tau: 1, reduction: .none, soft: true),
    TrainCECase(cols: 33, smoothing: 0.1, tau: 0.7, reduction: .mean, soft: true),
    TrainCECase(cols: 700, smoothing: 0.1, tau: 1, reduction: .none, soft: false),  // many summation blocks
]

/// The Float80 loss of one row and its target q; labels nil → soft targets row `qRow`.
func trainReferenceCE(_ x: [TrainRef], label: Int?, qRow: [TrainRef], eps: TrainRef, t: TrainRef) -> (loss: TrainRef, q: [TrainRef]) {
    let n = x.count, lp = TrainReference.logSoftmax(x, t)
    let q = (0..<n).map { i in
        (label.map { i == $0 ? 1 - eps : 0 } ?? (1 - eps) * qRow[i]) + eps / TrainRef(n)
    }
    return (-zip(q, lp).reduce(TrainRef(0)) { $0 + ($1.0 == 0 ? 0 : $1.0 * $1.1) }, q)
}

func trainCheckCrossEntropy<S: SmoothScalar>(_: S.Type, _ c: TrainCECase, _ path: TrainPath) throws {
    var rng = SplitMix64(seed: 0xCE + UInt64(c.cols))
    let rows = 6, n = c.cols, u = trainUnitRoundoff(S.self), t = S(c.tau), eps = S(c.smoothing)
    let x = try trainRandomMatrix(S.self, rows: rows, cols: n, range: -4...4, pad: 2, rng: &rng)
    // Every third row ignored (label −100) when labels are used.
    let labels = (0..<rows).map { $0 % 3 == 1 ? -100 : Int.random(in: 0..<n, using: &rng) }
    // Soft targets: positive rows, the last one deliberately not normalised (Σ = 2).
    let qe: [S] = (0..<rows).flatMap { r -> [S] in
        let w = (0..<n).map { _ in Double.random(in: 0...1, using: &rng) }
        let total = w.reduce(0, +) / (r == rows - 1 ? 2 : 1)
        return w.map { S($0 / total) }
    }
    let targets = try Matrix<S>(rows: rows, cols: n, elements: qe)
    let result = try path.run {
        c.soft ? try crossEntropy(logits: x, targets: targets, labelSmoothing: eps, temperature: t,
                                  reduction: c.reduction, backend: path.backend)
               : try crossEntropy(logits: x, labels: labels, labelSmoothing: eps, temperature: t,
                                  reduction: c.reduction, backend: path.backend)
    }
    let dx = try #require(result.gradient)
    // Reference per row.
    var refLoss = [TrainRef](), refGrad = [[TrainRef]](), bounds = [TrainRef](), counted = 0
    for (r, xr) in x.trainRefRows.enumerated() {
        if !c.soft && labels[r] == -100 {
            refLoss.append(0); refGrad.append([TrainRef](repeating: 0, count: n)); bounds.append(0)
            continue
        }
        counted += 1
        let (l, q) = trainReferenceCE(xr, label: c.soft ? nil : labels[r], qRow: targets.row(r).map { TrainRef($0) },
                                 eps: TrainRef(eps), t: TrainRef(t))
        let p = TrainReference.softmax(xr, TrainRef(t)), lp = TrainReference.logSoftmax(xr, TrainRef(t)), sq = q.reduce(0, +)
        refLoss.append(l)
        refGrad.append(zip(p, q).map { ($0 * sq - $1) / TrainRef(t) })
        // log p_i has error ≤ 8u·max(1, |log p_i|) (SPEC), each q-weighted term adds it.
        bounds.append(16 * u * zip(q, lp).reduce(TrainRef(0)) { $0 + $1.0 * max(1, abs($1.1)) })
    }
    let scale: TrainRef = c.reduction == .mean ? 1 / TrainRef(counted) : 1
    switch c.reduction {
    case .none:
        #expect(result.loss.count == rows)
        for r in 0..<rows {
            #expect(trainClose(TrainRef(result.loss[r]), refLoss[r], bounds[r]), "\(S.self) \(path) \(c) row \(r) loss")
        }
    case .sum, .mean:
        #expect(result.loss.count == 1)
        let want = refLoss.reduce(0, +) * scale, bound = bounds.reduce(0, +) * scale
        #expect(trainClose(TrainRef(result.loss[0]), want, bound + 4 * u * abs(want)), "\(S.self) \(path) \(c) reduced loss")
    }
    for r in 0..<rows {
        for i in 0..<n {
            #expect(trainClose(TrainRef(dx[r, i]), refGrad[r][i] * scale, 16 * u * scale * 2 / TrainRef(t)),
                    "\(S.self) \(path) \(c) gradient (\(r), \(i)): \(dx[r, i]) vs \(refGrad[r][i] * scale)")
        }
    }
    // The composed library path: loss = −log_softmax gathered; gradient = log_softmax VJP of −q.
    if !c.soft && c.smoothing == 0 && c.reduction == .none {
        let lp = try logSoftmax(x, temperature: t, backend: .c)
        var minusQ = try Matrix<S>(rows: rows, cols: n, repeating: 0)
        for r in 0..<rows where labels[r] != -100 { minusQ[r, labels[r]] = -1 }
        let composed = try logSoftmaxBackward(output: lp, upstream: minusQ, temperature: t, backend: .c)
        for r in 0..<rows where labels[r] != -100 {
            let gathered = -TrainRef(lp[r, labels[r]])
            #expect(trainClose(TrainRef(result.loss[r]), gathered, 2 * bounds[r]), "\(S.self) \(path) \(c) row \(r) vs gather")
            for i in 0..<n {
                #expect(trainClose(TrainRef(dx[r, i]), TrainRef(composed[r, i]), 32 * u / TrainRef(t)),
                        "\(S.self) \(path) \(c) gradient (\(r), \(i)) vs log_softmax VJP of −onehot")
            }
        }
    }
}

@Test("cross-entropy vs Float80 definition and composed ops", arguments: trainCeCases, TrainDType.allCases)
func trainCrossEntropyMatchesReference(c: TrainCECase, dtype: TrainDType) throws {
    try trainForEachPath(dtype, float: { try trainCheckCrossEntropy(Float.self, c, $0) }, double: { try trainCheckCrossEntropy(Double.self, c, $0) })
}

/// The gradient formula (p·Σq − q)/τ itself, by finite differences of the Float80 loss, with
/// an unnormalised soft target (Σq = 1.5) and label smoothing.
@Test("cross-entropy gradient vs finite differences", arguments: [false, true])
func trainCrossEntropyFiniteDifferences(soft: Bool) throws {
    let xs: [Double] = [0.3, -1.2, 2.0, 0.7, -0.1], n = 5, tau = 0.8, eps = 0.2
    let qRow: [Double] = [0.1, 0.5, 0.2, 0.6, 0.1]
    let x = try Matrix<Double>(rows: 1, cols: n, elements: xs)
    let q = try Matrix<Double>(rows: 1, cols: n, elements: qRow)
    for path in TrainPath.all {
        let r = try path.run {
            soft ? try crossEntropy(logits: x, targets: q, labelSmoothing: eps, temperature: tau, reduction: .none,
                                    backend: path.backend)
                 : try crossEntropy(logits: x, labels: [3], labelSmoothing: eps, temperature: tau, reduction: .none,
                                    backend: path.backend)
        }
        let grad = try #require(r.gradient)
        func loss(_ v: [TrainRef]) -> TrainRef {
            trainReferenceCE(v, label: soft ? nil : 3, qRow: qRow.map { TrainRef($0) }, eps: TrainRef(eps), t: TrainRef(tau)).loss
        }
        for i in 0..<n {
            func d(_ h: TrainRef) -> TrainRef {
                var a = xs.map { TrainRef($0) }, b = a
                a[i] += h
                b[i] -= h
                return (loss(a) - loss(b)) / (2 * h)
            }
            let fd = (4 * d(5e-5) - d(1e-4)) / 3
            #expect(trainClose(TrainRef(grad[0, i]), fd, 1e-9), "\(path) soft=\(soft) i=\(i): \(grad[0, i]) vs \(fd)")
        }
    }
}

/// Ignored rows, every row ignored (mean = 0/0 = NaN, gradient 0), a label on a −∞ logit
/// (loss +∞), a NaN row (NaN loss and gradient), +∞ logits (p = 1/k there).
@Test("cross-entropy edge rows", arguments: TrainDType.allCases)
func trainCrossEntropyEdgeRows(dtype: TrainDType) throws {
    func check<S: SmoothScalar>(_: S.Type) throws {
        let x = try Matrix<S>(rows: 4, cols: 3, elements: [1, -.infinity, 2,   // label 1: −log 0 = +∞
                                                            .nan, 0, 0,        // NaN row
                                                            .infinity, 0, .infinity, // p = [½, 0, ½]
                                                            5, 6, 7])          // ignored
        for path in TrainPath.all {
            let r = try path.run { try crossEntropy(logits: x, labels: [1, 0, 2, -100], reduction: .none,
                                                    backend: path.backend) }
            let g = try #require(r.gradient)
            #expect(r.loss[0] == .infinity, "\(S.self) \(path): label on −∞ logit")
            #expect(r.loss[1].isNaN && g.row(1).allSatisfy(\.isNaN), "\(S.self) \(path): NaN row")
            // −log ½ = log 2; gradient p − onehot(2) = [½, 0, −½].
            #expect(trainClose(TrainRef(r.loss[2]), TrainRef.trainLog(2), 4 * trainUnitRoundoff(S.self)), "\(S.self) \(path): +∞ row loss")
            #expect(g.row(2) == [0.5, 0, -0.5], "\(S.self) \(path): +∞ row gradient")
            #expect(r.loss[3] == 0 && g.row(3) == [0, 0, 0], "\(S.self) \(path): ignored row")
            let all = try path.run { try crossEntropy(logits: x, labels: [-100, -100, -100, -100], backend: path.backend) }
            #expect(all.loss[0].isNaN && all.gradient!.elements.allSatisfy { $0 == 0 },
                    "\(S.self) \(path): every row ignored → mean 0/0 = NaN, gradient 0")
        }
    }
    switch dtype {
    case .float: try check(Float.self)
    case .double: try check(Double.self)
    }
}

/// dx may be x itself (smoothkit_train.h): the in-place call equals the out-of-place one.
@Test("cross-entropy in place (dx == x) in C")
func trainCrossEntropyInPlace() throws {
    withStableISA { // bit for bit across calls: one instruction-set path
        var rng = SplitMix64(seed: 99)
        let rows = 3, n = 21
        var x = (0..<rows * n).map { _ in Float.random(in: -3...3, using: &rng) }
        let labels: [Int64] = [4, -100, 20]
        var loss1 = [Float](repeating: 0, count: rows), loss2 = loss1, dx = x
        #expect(smk_cross_entropy_f32(x, rows, n, n, labels, -100, 0.1, 0.9, SMK_REDUCE_NONE, &loss1, &dx, n) == SMK_OK)
        #expect(x.withUnsafeMutableBufferPointer { b in
            smk_cross_entropy_f32(b.baseAddress, rows, n, n, labels, -100, 0.1, 0.9, SMK_REDUCE_NONE, &loss2, b.baseAddress, n)
        } == SMK_OK)
        #expect(loss1 == loss2 && x == dx)
    }
}

/// A loss past the largest finite value is +∞ as rounding gives (not ∞ − ∞ = NaN from a
/// compensated total that overflowed), and a total just inside the range stays finite.
@Test("cross-entropy loss near and past the largest finite value", arguments: TrainDType.allCases)
func trainCrossEntropyLossPastMax(dtype: TrainDType) throws {
    func check<S: SmoothScalar>(_: S.Type) throws {
        let big = S.greatestFiniteMagnitude
        // Row 0: every log p is finite (about −0.55·big) but the loss, 2 × 0.55·big, is not.
        // Row 1: loss = big/4 − ½ (log Σe = 0 there), finite, where the compensated total nears
        // the top of the range.
        let x = try Matrix<S>(rows: 2, cols: 6, elements: [big * 0.55, 1, -2, 3, 0, 0.5,
                                                            big / 4, 1, -2, 3, 0, 0.5])
        let q = try Matrix<S>(rows: 2, cols: 6, elements: [0, 1, 0, 0.5, 0.5, 0,
                                                            0, 0.5, 0, 0, 0.5, 0])
        for path in TrainPath.all {
            let r = try path.run { try crossEntropy(logits: x, targets: q, reduction: .none, backend: path.backend) }
            #expect(r.loss[0] == .infinity, "\(S.self) \(path): total past the largest finite value")
            let want = TrainRef(big) / 4 - TrainRef(0.5)
            #expect(r.loss[1].isFinite && trainClose(TrainRef(r.loss[1]), want, 8 * trainUnitRoundoff(S.self) * want),
                    "\(S.self) \(path): finite total near the top of the range: \(r.loss[1])")
        }
    }
    switch dtype {
    case .float: try check(Float.self)
    case .double: try check(Double.self)
    }
}

/// Soft targets need not sum to 1: a row's loss −Σ q·log p may pass the largest finite value
/// while the mean over the rows does not. The mean is then finite (and the sum +∞), on every
/// path and both backends: the loss terms must not overflow before the rows are averaged.
@Test("cross-entropy mean finite when one row's loss is past the largest finite value",
      arguments: TrainDType.allCases)
func trainCrossEntropyMeanOfRowPastMax(dtype: TrainDType) throws {
    func check<S: SmoothScalar>(_: S.Type) throws {
        let big = S.greatestFiniteMagnitude
        // Row 0: log p₁ = −0.9·big − log(1 + e^(−0.9·big)) = −0.9·big; q₁ = 1.75, so the row
        // loss is 1.575·big, past the range; rows 1–3 lose 0 (q = 0). Mean: 0.39375·big.
        let x = try Matrix<S>(rows: 4, cols: 2, elements: [big * 0.45, -big * 0.45, 0, 0, 1, 2, -3, 5])
        let q = try Matrix<S>(rows: 4, cols: 2, elements: [0, 1.75, 0, 0, 0, 0, 0, 0])
        let want = TrainRef(big) * TrainRef(0.9) * TrainRef(1.75) / 4
        for path in TrainPath.all {
            let mean = try path.run { try crossEntropy(logits: x, targets: q, reduction: .mean, backend: path.backend) }
            #expect(mean.loss[0].isFinite && trainClose(TrainRef(mean.loss[0]), want, 16 * trainUnitRoundoff(S.self) * want),
                    "\(S.self) \(path): mean \(mean.loss[0]), want \(want)")
            let sum = try path.run { try crossEntropy(logits: x, targets: q, reduction: .sum, backend: path.backend) }
            #expect(sum.loss[0] == .infinity, "\(S.self) \(path): sum \(sum.loss[0]) is past the range")
        }
    }
    switch dtype {
    case .float: try check(Float.self)
    case .double: try check(Double.self)
    }
}
