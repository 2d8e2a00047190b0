import Testing
import SmoothKit
import CSmoothKit

// Backward (VJP) kernels: against central finite differences of the Float80 forward op, against
// the analytic SPEC §1 formula in Float80, against each other (identities), and on the edge rows.

enum TrainGradOp: String, CaseIterable, CustomStringConvertible, Sendable {
    case logSumExp, softmax, logSoftmax, softArgmax
    var description: String { rawValue }
    var isReduction: Bool { self == .logSumExp || self == .softArgmax }

    /// φ(x) = Σ_j g_j·f_j(x) (maps) or g·f(x) (reductions), in the reference type.
    func phi(_ x: [TrainRef], _ g: [TrainRef], _ t: TrainRef) -> TrainRef {
        switch self {
        case .logSumExp: g[0] * TrainReference.logSumExp(x, t)
        case .softArgmax: g[0] * TrainReference.softArgmax(x, t)
        case .softmax: zip(g, TrainReference.softmax(x, t)).reduce(0) { $0 + $1.0 * $1.1 }
        case .logSoftmax: zip(g, TrainReference.logSoftmax(x, t)).reduce(0) { $0 + $1.0 * $1.1 }
        }
    }

    /// The SPEC §1 gradient formula evaluated in the reference type.
    func analytic(_ x: [TrainRef], _ g: [TrainRef], _ t: TrainRef) -> [TrainRef] {
        let p = TrainReference.softmax(x, t)
        switch self {
        case .logSumExp: return p.map { g[0] * $0 }
        case .softArgmax:
            let a = TrainReference.softArgmax(x, t)
            return p.enumerated().map { g[0] * $1 * (TrainRef($0) - a) / t }
        case .softmax:
            let dot = zip(g, p).reduce(0) { $0 + $1.0 * $1.1 }
            return zip(g, p).map { $1 * ($0 - dot) / t }
        case .logSoftmax:
            let sg = g.reduce(0, +)
            return zip(g, p).map { ($0 - $1 * sg) / t }
        }
    }

    /// Size of the terms of dx in a row (finite differences are only checked at this scale).
    func scale(_ g: [TrainRef], n: Int, _ t: TrainRef) -> TrainRef {
        switch self {
        case .logSumExp: abs(g[0])
        case .softArgmax: abs(g[0]) * TrainRef(max(n, 1)) / t
        case .softmax, .logSoftmax: g.reduce(0) { $0 + abs($1) } / t
        }
    }

    /// Size of the terms each dx_i is formed from (smoothkit_train.h: "a few u relative to the
    /// terms"), per element: g·p_i; p_i·(|g_i| + ⟨|g|, p⟩)/τ; (|g_i| + p_i·Σ|g|·max(1, |log p_i|))/τ
    /// (log p from the forward kernel is within 8u·max(1, |log p|), SPEC §1, and exp carries that
    /// over to p); |g|·p_i·(i + a)/τ. Each p_i counts at least SPEC's absolute floor of the
    /// softmax (2^-100 / 2^-1000, times 8u: far below any other term here).
    func termScale<S: SmoothScalar>(_: S.Type, _ x: [TrainRef], _ g: [TrainRef], _ t: TrainRef) -> [TrainRef] {
        let p = TrainReference.softmax(x, t), floor: TrainRef = S.self == Float.self ? 0x1p-100 : 0x1p-1000
        let sumG = g.reduce(TrainRef(0)) { $0 + abs($1) }
        switch self {
        case .logSumExp: return p.map { abs(g[0]) * ($0 + floor) }
        case .softArgmax:
            let a = abs(TrainReference.softArgmax(x, t))
            return p.enumerated().map { abs(g[0]) * ($1 + floor) * (TrainRef($0) + a) / t }
        case .softmax:
            let dot = zip(g, p).reduce(TrainRef(0)) { $0 + abs($1.0) * $1.1 }
            return zip(g, p).map { ($1 + floor) * (abs($0) + dot) / t }
        case .logSoftmax:
            return zip(g, p).map { gi, pi in
                (abs(gi) + (pi == 0 ? 0 : pi * max(1, abs(TrainRef.trainLog(pi)))) * sumG + floor * sumG) / t
            }
        }
    }

    /// The op's backward through the public API; the forward output comes from the C kernels.
    func backward<S: SmoothScalar>(_ x: Matrix<S>, g: [[S]], t: S, backend: Backend) throws -> Matrix<S> {
        switch self {
        case .logSumExp: return try logSumExpBackward(x, upstream: g.map { $0[0] }, temperature: t, backend: backend)
        case .softArgmax: return try softArgmaxBackward(x, upstream: g.map { $0[0] }, temperature: t, backend: backend)
        case .softmax:
            let gm = try Matrix<S>(rows: x.rows, cols: x.cols, elements: g.flatMap { $0 })
            return try softmaxBackward(probabilities: SmoothKit.softmax(x, temperature: t, backend: .c), upstream: gm,
                                       temperature: t, backend: backend)
        case .logSoftmax:
            let gm = try Matrix<S>(rows: x.rows, cols: x.cols, elements: g.flatMap { $0 })
            return try logSoftmaxBackward(output: SmoothKit.logSoftmax(x, temperature: t, backend: .c), upstream: gm,
                                          temperature: t, backend: backend)
        }
    }
}

/// d/dx_i φ by central differences with one Richardson step (error O(h⁴)), in Ref.
func trainFiniteDifference(_ op: TrainGradOp, _ x: [TrainRef], _ g: [TrainRef], _ t: TrainRef, _ i: Int) -> TrainRef {
    func d(_ h: TrainRef) -> TrainRef {
        var a = x, b = x
        a[i] += h
        b[i] -= h
        return (op.phi(a, g, t) - op.phi(b, g, t)) / (2 * h)
    }
    let h = TrainRef(1e-4) * t
    return (4 * d(h / 2) - d(h)) / 3
}

/// (cols, τ): single element, partial packets, several packets, a cold and a hot temperature.
let trainGradientShapes: [(Int, Double)] = [(1, 1), (2, 0.5), (5, 1), (17, 2), (40, 0.7)]

func trainCheckGradients<S: SmoothScalar>(_: S.Type, _ op: TrainGradOp, _ path: TrainPath) throws {
    var rng = SplitMix64(seed: 0x6EAD)
    let u = trainUnitRoundoff(S.self)
    for (n, tau) in trainGradientShapes {
        let x = try trainRandomMatrix(S.self, rows: 3, cols: n, range: -3...3, pad: 1, rng: &rng)
        let g: [[S]] = (0..<3).map { _ in (0..<(op.isReduction ? 1 : n)).map { _ in S(Double.random(in: -1...1, using: &rng)) } }
        let t = S(tau)
        let dx = try path.run { try op.backward(x, g: g, t: t, backend: path.backend) }
        for (r, xr) in x.trainRefRows.enumerated() {
            let gr = g[r].map { TrainRef($0) }, tr = TrainRef(t), scale = op.scale(gr, n: n, tr)
            let exact = op.analytic(xr, gr, tr), terms = op.termScale(S.self, xr, gr, tr)
            for i in 0..<n {
                let got = TrainRef(dx[r, i]), fd = trainFiniteDifference(op, xr, gr, tr, i)
                #expect(trainClose(got, exact[i], 32 * u * terms[i]),
                        "\(op) \(S.self) \(path) n=\(n) τ=\(tau) row \(r) i=\(i): \(got) vs formula \(exact[i])")
                #expect(trainClose(got, fd, 32 * u * scale + 1e-9 * scale),
                        "\(op) \(S.self) \(path) n=\(n) τ=\(tau) row \(r) i=\(i): \(got) vs finite difference \(fd)")
            }
        }
    }
}

@Test("VJP vs finite differences and the Float80 formula", arguments: TrainGradOp.allCases, TrainDType.allCases)
func trainVjpMatchesFiniteDifferences(op: TrainGradOp, dtype: TrainDType) throws {
    try trainForEachPath(dtype, float: { try trainCheckGradients(Float.self, op, $0) }, double: { try trainCheckGradients(Double.self, op, $0) })
}

// MARK: - identities between VJPs

/// d log p = dp / p, so J_logsoftmaxᵀ g = J_softmaxᵀ (g ⊘ p):
///   p ⊙ (g/p − ⟨g/p, p⟩)/τ = (g − p·Σg)/τ.
/// Also: the log_softmax VJP from log p equals the one from p, and the logsumexp VJP with
/// upstream g equals g·softmax(x).
func trainCheckIdentities<S: SmoothScalar>(_: S.Type, _ path: TrainPath) throws {
    var rng = SplitMix64(seed: 0x1D)
    let u = trainUnitRoundoff(S.self)
    for (n, tau) in trainGradientShapes + [(300, 1)] {  // 300: several summation blocks
        let t = S(tau)
        let x = try trainRandomMatrix(S.self, rows: 4, cols: n, range: -2...2, rng: &rng)
        let g = try trainRandomMatrix(S.self, rows: 4, cols: n, range: -1...1, rng: &rng)
        let p = try softmax(x, temperature: t, backend: .c), lp = try logSoftmax(x, temperature: t, backend: .c)
        let gOverP = try Matrix<S>(rows: 4, cols: n, elements: zip(g.elements, p.elements).map { $0 / $1 })
        let (viaLog, viaProb, viaSoftmax) = try path.run {
            (try logSoftmaxBackward(output: lp, upstream: g, temperature: t, backend: path.backend),
             try logSoftmaxBackward(output: p, form: .probabilities, upstream: g, temperature: t, backend: path.backend),
             try softmaxBackward(probabilities: p, upstream: gOverP, temperature: t, backend: path.backend))
        }
        let lseG = (0..<4).map { S(Double($0) - 1.5) }
        let lseDx = try path.run { try logSumExpBackward(x, upstream: lseG, temperature: t, backend: path.backend) }
        for (r, xr) in x.trainRefRows.enumerated() {
            // per element: the terms of (g_i − p_i·Σg)/τ, and g·p_i (each within a few u of them)
            let gr = g.row(r).map { TrainRef($0) }, tr = TrainRef(t)
            let scale = TrainGradOp.logSoftmax.termScale(S.self, xr, gr, tr)
            let lseScale = TrainGradOp.logSumExp.termScale(S.self, xr, [TrainRef(lseG[r])], tr)
            for i in 0..<n {
                #expect(trainClose(TrainRef(viaLog[r, i]), TrainRef(viaSoftmax[r, i]), 64 * u * scale[i]),
                        "\(S.self) \(path) n=\(n): J_logsoftmaxᵀg vs J_softmaxᵀ(g/p) at (\(r), \(i))")
                #expect(trainClose(TrainRef(viaLog[r, i]), TrainRef(viaProb[r, i]), 32 * u * scale[i]),
                        "\(S.self) \(path) n=\(n): log_softmax VJP from log p vs from p at (\(r), \(i))")
                #expect(trainClose(TrainRef(lseDx[r, i]), TrainRef(lseG[r]) * TrainRef(p[r, i]), 16 * u * lseScale[i]),
                        "\(S.self) \(path) n=\(n): logsumexp VJP vs g·softmax at (\(r), \(i))")
            }
        }
    }
}

@Test("VJP identities: log_softmax vs softmax, from log p vs from p, logsumexp vs softmax",
      arguments: TrainDType.allCases)
func trainVjpIdentities(dtype: TrainDType) throws {
    try trainForEachPath(dtype, float: { try trainCheckIdentities(Float.self, $0) }, double: { try trainCheckIdentities(Double.self, $0) })
}

// MARK: - edge rows (SPEC §1 table, through the forward outputs)

/// One row per edge class, τ = 0.5, upstream g = [1, 2, 3] (maps) or 2 (reductions).
/// Expected values derived from the formulas with SPEC's forward outputs:
///   NaN row: all NaN. +∞ row [∞, 0, ∞]: p = [½, 0, ½], a = 1, Σg = 6, ⟨g, p⟩ = 2.
///   masked row: p = 0, log p = −∞. partly masked [0, −∞, 0]: p = [½, 0, ½] as well.
struct TrainEdgeCase: CustomStringConvertible, Sendable {
    let name: String
    let x: [Double]
    let lse, softmax, logSoftmax, softArgmax: [Double]
    var description: String { name }
}

let trainEdgeCases: [TrainEdgeCase] = [
    TrainEdgeCase(name: "NaN", x: [.nan, 1, 2], lse: [.nan, .nan, .nan], softmax: [.nan, .nan, .nan],
             logSoftmax: [.nan, .nan, .nan], softArgmax: [.nan, .nan, .nan]),
    // lse: 2·p; softmax: p(g − 2)/τ = [−1, 0, 1]; log_softmax: (g − 6p)/τ = [−4, 4, 0];
    // softargmax: 2·p·(i − 1)/τ = [−2, 0, 2].
    TrainEdgeCase(name: "+inf", x: [.infinity, 0, .infinity], lse: [1, 0, 1], softmax: [-1, 0, 1],
             logSoftmax: [-4, 4, 0], softArgmax: [-2, 0, 2]),
    TrainEdgeCase(name: "partly masked", x: [0, -.infinity, 0], lse: [1, 0, 1], softmax: [-1, 0, 1],
             logSoftmax: [-4, 4, 0], softArgmax: [-2, 0, 2]),
    // fully masked: p = 0 → 0, 0, g/τ = [2, 4, 6], 0.
    TrainEdgeCase(name: "masked", x: [-.infinity, -.infinity, -.infinity], lse: [0, 0, 0], softmax: [0, 0, 0],
             logSoftmax: [2, 4, 6], softArgmax: [0, 0, 0]),
]

func trainCheckEdge<S: SmoothScalar>(_: S.Type, _ c: TrainEdgeCase, _ path: TrainPath) throws {
    let x = try Matrix<S>(rows: 1, cols: 3, elements: c.x.map { S($0) })
    let g: [[S]] = [[1, 2, 3]]
    for (op, want) in [(TrainGradOp.logSumExp, c.lse), (.softmax, c.softmax), (.logSoftmax, c.logSoftmax),
                       (.softArgmax, c.softArgmax)] {
        let gg = op.isReduction ? [[S(2)]] : g
        let dx = try path.run { try op.backward(x, g: gg, t: 0.5, backend: path.backend) }
        for i in 0..<3 {
            #expect(trainClose(TrainRef(dx[0, i]), TrainRef(want[i]), 8 * trainUnitRoundoff(S.self) * 8),
                    "\(op) \(S.self) \(path) edge row \(c.name) i=\(i): \(dx[0, i]) vs \(want[i])")
        }
    }
}

@Test("VJP edge rows (SPEC §1 table)", arguments: trainEdgeCases, TrainDType.allCases)
func trainVjpEdgeRows(c: TrainEdgeCase, dtype: TrainDType) throws {
    try trainForEachPath(dtype, float: { try trainCheckEdge(Float.self, c, $0) }, double: { try trainCheckEdge(Double.self, c, $0) })
}

// MARK: - long rows

/// n = 100 000 (over a thousand summation blocks): the backward kernels stay within the same
/// multiples of u as on short rows, against the Float80 formula (no finite differences here).
@Test("VJP on a long row vs the Float80 formula", arguments: [TrainGradOp.softmax, .logSoftmax, .logSumExp, .softArgmax])
func trainVjpLongRow(op: TrainGradOp) throws {
    var rng = SplitMix64(seed: 0x10_0000)
    let n = 100_000, t: Float = 0.9
    let x = try trainRandomMatrix(Float.self, rows: 1, cols: n, range: -3...3, rng: &rng)
    let g: [[Float]] = [(0..<(op.isReduction ? 1 : n)).map { _ in Float.random(in: -1...1, using: &rng) }]
    let dx = try op.backward(x, g: g, t: t, backend: .c)
    let xr = x.trainRefRows[0], gr = g[0].map { TrainRef($0) }
    let exact = op.analytic(xr, gr, TrainRef(t)), u = trainUnitRoundoff(Float.self)
    // Per element, at the size of the terms dx_i is formed from (not the row's Σ|g|/τ).
    let terms = op.termScale(Float.self, xr, gr, TrainRef(t))
    var worst: TrainRef = 0
    for i in 0..<n { worst = max(worst, abs(TrainRef(dx[0, i]) - exact[i]) / (u * terms[i])) }
    #expect(worst <= 32, "\(op): worst error \(worst) u of the element's scale")
}

// MARK: - extreme magnitudes

/// SPEC §1's "huge finite values" row and extreme temperatures: no overflow, no NaN, and the
/// Float80 formula within the usual multiple of u (rows [big, −big, 0, 1], τ ∈ {1e-30, 1, 1e30}).
@Test("VJP at huge values and extreme temperatures", arguments: TrainGradOp.allCases, TrainDType.allCases)
func trainVjpExtremes(op: TrainGradOp, dtype: TrainDType) throws {
    func check<S: SmoothScalar>(_: S.Type, _ path: TrainPath) throws {
        let big = S.greatestFiniteMagnitude * 0.9
        let x = try Matrix<S>(rows: 2, cols: 4, elements: [big, -big, 0, 1,  0.5, -0.25, 0, 1])
        let g: [[S]] = op.isReduction ? [[2], [-1]] : [[1, 2, 3, 4], [-1, 0.5, 2, 0]]
        for tau in [1e-30, 1, 1e30] {
            let t = S(tau), u = trainUnitRoundoff(S.self)
            let dx = try path.run { try op.backward(x, g: g, t: t, backend: path.backend) }
            for (r, xr) in x.trainRefRows.enumerated() {
                let gr = g[r].map { TrainRef($0) }, exact = op.analytic(xr, gr, TrainRef(t))
                let terms = op.termScale(S.self, xr, gr, TrainRef(t))
                for i in 0..<4 {
                    #expect(!dx[r, i].isNaN && trainClose(TrainRef(dx[r, i]), exact[i], 32 * u * terms[i]),
                            "\(op) \(S.self) \(path) τ=\(tau) row \(r) i=\(i): \(dx[r, i]) vs \(exact[i])")
                }
            }
        }
    }
    try trainForEachPath(dtype, float: { try check(Float.self, $0) }, double: { try check(Double.self, $0) })
}

// MARK: - in place

/// The in-place forms smoothkit_train.h allows give the out-of-place results bit for bit:
/// dx over x (logsumexp, soft-argmax), over p or g (softmax), over y or g (log_softmax); every
/// call returns SMK_OK (a rejected call writes nothing, and "same" would then hold trivially).
@Test("backward kernels in place (C)")
func trainBackwardInPlace() {
    withStableISA { // bit for bit: one instruction-set path for every call
        var rng = SplitMix64(seed: 31)
        let rows = 4, n = 37, ld = 40, t = 0.7
        let x = (0..<rows * ld).map { _ in Double.random(in: -3...3, using: &rng) }
        let g = (0..<rows * ld).map { _ in Double.random(in: -1...1, using: &rng) }, gr = [1.0, -2, 0.5, 3]
        var p = x, lp = x
        #expect(smk_softmax_f64(x, rows, n, ld, t, &p, ld) == SMK_OK)
        #expect(smk_log_softmax_f64(x, rows, n, ld, t, &lp, ld) == SMK_OK)
        func same(_ a: [Double], _ b: [Double]) -> Bool { (0..<rows).allSatisfy { r in (0..<n).allSatisfy { a[r * ld + $0] == b[r * ld + $0] } } }
        typealias F = (UnsafePointer<Double>?, Int, Int, Int, UnsafePointer<Double>?, Double, UnsafeMutablePointer<Double>?, Int) -> smk_status
        for (name, f) in [("logsumexp", smk_logsumexp_backward_f64 as F), ("softargmax", smk_softargmax_backward_f64 as F)] {
            var out = x, inPlace = x
            #expect(f(x, rows, n, ld, gr, t, &out, ld) == SMK_OK)
            #expect(inPlace.withUnsafeMutableBufferPointer { f($0.baseAddress, rows, n, ld, gr, t, $0.baseAddress, ld) } == SMK_OK)
            #expect(same(out, inPlace), "\(name): dx over x")
        }
        var ref = x, overP = p, overG = g
        #expect(smk_softmax_backward_f64(p, rows, n, ld, g, ld, t, &ref, ld) == SMK_OK)
        #expect(overP.withUnsafeMutableBufferPointer { smk_softmax_backward_f64($0.baseAddress, rows, n, ld, g, ld, t, $0.baseAddress, ld) } == SMK_OK)
        #expect(overG.withUnsafeMutableBufferPointer { smk_softmax_backward_f64(p, rows, n, ld, $0.baseAddress, ld, t, $0.baseAddress, ld) } == SMK_OK)
        #expect(same(ref, overP) && same(ref, overG), "softmax: dx over p and over g")
        var ref2 = x, overY = lp, overG2 = g
        #expect(smk_log_softmax_backward_f64(lp, rows, n, ld, SMK_FORM_LOG_PROB, g, ld, t, &ref2, ld) == SMK_OK)
        #expect(overY.withUnsafeMutableBufferPointer {
            smk_log_softmax_backward_f64($0.baseAddress, rows, n, ld, SMK_FORM_LOG_PROB, g, ld, t, $0.baseAddress, ld)
        } == SMK_OK)
        #expect(overG2.withUnsafeMutableBufferPointer {
            smk_log_softmax_backward_f64(lp, rows, n, ld, SMK_FORM_LOG_PROB, $0.baseAddress, ld, t, $0.baseAddress, ld)
        } == SMK_OK)
        #expect(same(ref2, overY) && same(ref2, overG2), "log_softmax: dx over y and over g")
    }
}

// MARK: - threads

/// Rows split over threads (64 × 2048 elements: two blocks) give the one-thread result bit
/// for bit: the rows are independent and each is computed the same way.
@Test("backward kernels on several threads", arguments: TrainGradOp.allCases, [Backend.c, .swift])
func trainBackwardThreads(op: TrainGradOp, backend: Backend) throws {
    var rng = SplitMix64(seed: 2)
    let x = try trainRandomMatrix(Float.self, rows: 64, cols: 2048, range: -3...3, rng: &rng)
    let g: [[Float]] = (0..<64).map { _ in (0..<(op.isReduction ? 1 : 2048)).map { _ in Float.random(in: -1...1, using: &rng) } }
    let gm = try Matrix<Float>(rows: 64, cols: 2048, elements: op.isReduction ? Array(repeating: 0, count: 64 * 2048) : g.flatMap { $0 })
    func run(_ threads: Int) throws -> Matrix<Float> {
        switch op {
        case .logSumExp: try logSumExpBackward(x, upstream: g.map { $0[0] }, backend: backend, threads: threads)
        case .softArgmax: try softArgmaxBackward(x, upstream: g.map { $0[0] }, backend: backend, threads: threads)
        case .softmax: try softmaxBackward(probabilities: x, upstream: gm, backend: backend, threads: threads)
        case .logSoftmax: try logSoftmaxBackward(output: x, form: .probabilities, upstream: gm, backend: backend, threads: threads)
        }
    }
    #expect(try run(1) == run(2), "\(op) \(backend)")
}
