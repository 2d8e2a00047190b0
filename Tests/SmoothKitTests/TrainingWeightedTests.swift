import Testing
import SmoothKit
import CSmoothKit

// Weighted logsumexp with sign: random mixed-sign weights against a Float80 reference within
// the conditioning bound, a table of hand-derived cancellation, sign-flip and edge rows, and
// b = 1 against the unweighted kernel.

/// Float80 reference: (τ·log|S| with m factored out, sign, κ = Σ|b e|/|S|, m).
func trainReferenceWeighted(_ x: [TrainRef], _ b: [TrainRef], _ t: TrainRef) -> (value: TrainRef, sign: TrainRef, kappa: TrainRef, m: TrainRef) {
    let used = x.indices.filter { b[$0] != 0 }
    let m = used.map { x[$0] }.max() ?? -.infinity
    var s: TrainRef = 0, a: TrainRef = 0
    for i in used {
        let e = TrainRef.trainExp((x[i] - m) / t)
        s += b[i] * e
        a += abs(b[i] * e)
    }
    return (s == 0 ? -.infinity : m + t * TrainRef.trainLog(abs(s)), s > 0 ? 1 : s < 0 ? -1 : 0, a / abs(s), m)
}

func trainCheckWeightedRandom<S: SmoothScalar>(_: S.Type, _ path: TrainPath) throws {
    var rng = TrainSeededRNG(seed: 0xB5)
    let u = trainUnitRoundoff(S.self)
    for (n, tau) in [(1, 1.0), (5, 0.3), (37, 1), (300, 2)] {
        let x = try trainRandomMatrix(S.self, rows: 6, cols: n, range: -4...4, pad: 2, rng: &rng)
        // Weights in [−1, 1] with a few exact zeros.
        let b = try Matrix<S>(rows: 6, cols: n, elements: (0..<6 * n).map { _ in
            Int.random(in: 0..<8, using: &rng) == 0 ? 0 : S(Double.random(in: -1...1, using: &rng))
        })
        let t = S(tau)
        let r = try path.run { try weightedLogSumExp(x, weights: b, temperature: t, backend: path.backend) }
        for row in 0..<6 {
            let want = trainReferenceWeighted(x.trainRefRows[row], b.trainRefRows[row], TrainRef(t))
            let bound = 16 * u * (abs(want.m) + TrainRef(t) * want.kappa + abs(want.value))
            #expect(trainClose(TrainRef(r.values[row]), want.value, bound),
                    "\(S.self) \(path) n=\(n) row \(row): \(r.values[row]) vs \(want.value) (κ = \(want.kappa))")
            if want.kappa < 1 / (64 * u) {
                #expect(TrainRef(r.signs[row]) == want.sign, "\(S.self) \(path) n=\(n) row \(row): sign")
            }
        }
        // b = 1 everywhere: the unweighted logsumexp.
        let ones = try Matrix<S>(rows: 6, cols: n, repeating: 1)
        let w = try path.run { try weightedLogSumExp(x, weights: ones, temperature: t, backend: path.backend) }
        let plain = try logSumExp(x, temperature: t, backend: .c)
        for row in 0..<6 {
            #expect(trainClose(TrainRef(w.values[row]), TrainRef(plain[row]), 16 * u * max(abs(TrainRef(plain[row])), TrainRef(t))) && w.signs[row] == 1)
        }
    }
}

@Test("weighted logsumexp vs Float80 (mixed signs)", arguments: TrainDType.allCases)
func trainWeightedRandom(dtype: TrainDType) throws {
    try trainForEachPath(dtype, float: { try trainCheckWeightedRandom(Float.self, $0) }, double: { try trainCheckWeightedRandom(Double.self, $0) })
}

struct TrainWeightedCase: CustomStringConvertible, Sendable {
    let name: String
    let x: [Double], b: [Double], tau: Double
    let value: TrainRef, sign: Double
    var description: String { name }
}

private let delta = 0x1p-10
let trainWeightedCases: [TrainWeightedCase] = [
    // e^0 − e^1 < 0: |S| = e − 1, log = 1 + log(1 − 1/e).
    TrainWeightedCase(name: "sign flips to −", x: [0, 1], b: [1, -1], tau: 1, value: 1 + TrainRef.trainLog(1 - TrainRef.trainExp(-1)), sign: -1),
    TrainWeightedCase(name: "sign +", x: [1, 0], b: [1, -1], tau: 1, value: 1 + TrainRef.trainLog(1 - TrainRef.trainExp(-1)), sign: 1),
    // τ = ½: e^0 − e^2 → ½·log(e² − 1).
    TrainWeightedCase(name: "τ-scaled", x: [0, 1], b: [1, -1], tau: 0.5, value: 0.5 * TrainRef.trainLog(TrainRef.trainExp(2) - 1), sign: -1),
    TrainWeightedCase(name: "exact zero sum", x: [2, 2], b: [3, -3], tau: 1, value: -.infinity, sign: 0),
    // 1 − e^δ ≈ −δ: log(e^δ − 1), heavy cancellation (κ ≈ 2/δ = 2048).
    TrainWeightedCase(name: "near cancellation", x: [0, delta], b: [1, -1], tau: 1,
                 value: TrainRef.trainLog(TrainRef.trainExp(TrainRef(delta)) - 1), sign: -1),
    TrainWeightedCase(name: "b = 0 ignores NaN x", x: [.nan, 1], b: [0, 2], tau: 1, value: 1 + TrainRef.trainLog(2), sign: 1),
    TrainWeightedCase(name: "all weights 0", x: [1, 2], b: [0, 0], tau: 1, value: -.infinity, sign: 0),
    TrainWeightedCase(name: "+∞ entries, Σb < 0", x: [.infinity, .infinity, 0], b: [1, -2, 5], tau: 1, value: .infinity, sign: -1),
    TrainWeightedCase(name: "+∞ entries, Σb = 0", x: [.infinity, .infinity, 0], b: [1, -1, 5], tau: 1, value: .nan, sign: .nan),
    TrainWeightedCase(name: "NaN weight", x: [0, 1], b: [.nan, 1], tau: 1, value: .nan, sign: .nan),
    TrainWeightedCase(name: "−∞ only", x: [-.infinity, -.infinity], b: [1, -1], tau: 1, value: -.infinity, sign: 0),
]

@Test("weighted logsumexp: cancellation, sign flips, edge rows", arguments: trainWeightedCases, TrainDType.allCases)
func trainWeightedTable(c: TrainWeightedCase, dtype: TrainDType) throws {
    func check<S: SmoothScalar>(_: S.Type) throws {
        let x = try Matrix<S>(rows: 1, cols: c.x.count, elements: c.x.map { S($0) })
        let b = try Matrix<S>(rows: 1, cols: c.b.count, elements: c.b.map { S($0) })
        let kappa = c.name == "near cancellation" ? TrainRef(2 / delta) : 4
        for path in TrainPath.all {
            let r = try path.run { try weightedLogSumExp(x, weights: b, temperature: S(c.tau), backend: path.backend) }
            #expect(trainClose(TrainRef(r.values[0]), c.value, 16 * trainUnitRoundoff(S.self) * (kappa + abs(c.value))),
                    "\(S.self) \(path) \(c.name): \(r.values[0]) vs \(c.value)")
            #expect(c.sign.isNaN ? r.signs[0].isNaN : Double(r.signs[0]) == c.sign, "\(S.self) \(path) \(c.name): sign")
        }
    }
    switch dtype {
    case .float: try check(Float.self)
    case .double: try check(Double.self)
    }
}

/// Without a sign output (sign == NULL) a negative sum gives NaN, as scipy without return_sign.
@Test("weighted logsumexp without sign (C)")
func trainWeightedNoSign() {
    let x: [Float] = [0, 1, 1, 0], b: [Float] = [1, -1, 1, -1]
    var out: [Float] = [7, 7]
    #expect(smk_logsumexp_weighted_f32(x, 2, 2, 2, b, 2, 1, &out, nil) == SMK_OK)
    #expect(out[0].isNaN && trainClose(TrainRef(out[1]), 1 + TrainRef.trainLog(1 - TrainRef.trainExp(-1)), 8 * trainUnitRoundoff(Float.self) * 2))
}
