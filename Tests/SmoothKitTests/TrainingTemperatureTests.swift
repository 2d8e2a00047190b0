import Testing
import SmoothKit

// The column, masked and cross-entropy ops at temperatures far from 1 (1e-30, 1e30, a subnormal
// τ, and the type's far ends), where log2(e)/τ leaves the range the kernels' plain argument
// context covers and they lift differences by a power of two (the "prescale" 2^k): each op
// against the Float80 definition on entries x = τ·r, r of order 1, so that (x − m)/τ is of
// order 1 and every output is far from trivial. Bounds are SPEC §1's, plus the subnormal grid
// for results that are themselves subnormal (logsumexp of subnormal entries). The C
// cross-entropy gradient at a subnormal τ was ±∞ where (p·Σq − q)/τ is finite (scale/τ was
// rounded to T first); it is now formed as (scale/τ/2^k)·2^k.

/// Temperatures per type: 1e-30 and 1e30 (prescale on both types), a subnormal τ (2^-133,
/// 2^-1030), the least normal one (f32), and (f64) 1e-300 / 1e300.
func trainExtremeTemperatures<S: SmoothScalar>(_: S.Type) -> [S] {
    S.self == Float.self ? [S(1e-30), S(1e30), S(0x1p-133), S(Float.leastNormalMagnitude)]
                         : [S(1e-30), S(1e30), S(0x1p-1030), S(1e-300), S(1e300)]
}

/// Entries τ·r with r uniform in [−4, 4] (rounded to S: on the subnormal grid for a subnormal
/// τ, which the reference takes as they are), leading dimension cols + 3.
func trainScaledMatrix<S: SmoothScalar>(_ t: S, rows: Int, cols: Int, rng: inout SplitMix64) throws -> Matrix<S> {
    let e = (0..<rows * cols).map { _ in S(Double(t) * Double.random(in: -4...4, using: &rng)) }
    return try Matrix<S>(rows: rows, cols: cols, leadingDimension: cols + 3, elements: e)
}

/// The forward bounds of SPEC §1 at reference values, with the subnormal grid of S.
struct TrainBounds<S: SmoothScalar> {
    let u = trainUnitRoundoff(S.self), grid = TrainRef(S.leastNonzeroMagnitude)
    func lse(_ want: TrainRef, _ t: TrainRef) -> TrainRef { 8 * u * max(abs(want), t) + grid }
    func prob(_ want: TrainRef) -> TrainRef {
        8 * u * want + 8 * u * (S.self == Float.self ? 0x1p-100 : 0x1p-1000)
    }
    func logProb(_ want: TrainRef) -> TrainRef { 8 * u * max(1, abs(want)) }
    func argmax(_ n: Int) -> TrainRef { 8 * u * TrainRef(n) }
}

func trainCheckExtremeColumns<S: SmoothScalar>(_: S.Type, _ path: TrainPath) throws {
    var rng = SplitMix64(seed: 0xE7C)
    let b = TrainBounds<S>()
    for t in trainExtremeTemperatures(S.self) {
        let x = try trainScaledMatrix(t, rows: 11, cols: 5, rng: &rng), tr = TrainRef(t)
        let (lse, sam, p, lp) = try path.run {
            (try columnLogSumExp(x, temperature: t, backend: path.backend),
             try columnSoftArgmax(x, temperature: t, backend: path.backend),
             try columnSoftmax(x, temperature: t, backend: path.backend),
             try columnLogSoftmax(x, temperature: t, backend: path.backend))
        }
        for c in 0..<x.cols {
            let v = (0..<x.rows).map { TrainRef(x[$0, c]) }, what = "\(S.self) \(path) τ=\(t) column \(c)"
            let wantL = TrainReference.logSumExp(v, tr), wantA = TrainReference.softArgmax(v, tr)
            let wantP = TrainReference.softmax(v, tr), wantLP = TrainReference.logSoftmax(v, tr)
            #expect(trainClose(TrainRef(lse[c]), wantL, b.lse(wantL, tr)), "\(what): logsumexp \(lse[c]) vs \(wantL)")
            #expect(trainClose(TrainRef(sam[c]), wantA, b.argmax(x.rows)), "\(what): soft-argmax \(sam[c]) vs \(wantA)")
            for r in 0..<x.rows {
                #expect(trainClose(TrainRef(p[r, c]), wantP[r], b.prob(wantP[r])), "\(what) row \(r): softmax \(p[r, c]) vs \(wantP[r])")
                #expect(trainClose(TrainRef(lp[r, c]), wantLP[r], b.logProb(wantLP[r])),
                        "\(what) row \(r): log_softmax \(lp[r, c]) vs \(wantLP[r])")
            }
        }
    }
}

func trainCheckExtremeMasked<S: SmoothScalar>(_: S.Type, _ path: TrainPath) throws {
    var rng = SplitMix64(seed: 0xE7A)
    let b = TrainBounds<S>(), rows = 4, n = 13
    for t in trainExtremeTemperatures(S.self) {
        let x = try trainScaledMatrix(t, rows: rows, cols: n, rng: &rng), tr = TrainRef(t)
        // Byte masks (a third left out) with lengths, and lengths alone (the prefix route).
        let bytes = (0..<rows * n).map { UInt8(($0 * 7) % 3 == 0 ? 0 : 1) }, lengths = [13, 9, 1, 6]
        for withBytes in [true, false] {
            let mask = try RowMask(rows: rows, cols: n, lengths: lengths, mask: withBytes ? bytes : nil)
            let (lse, sam, p, lp) = try trainMaskedOps(x, mask, t, path)
            for r in 0..<rows {
                let kept = (0..<n).filter { $0 < lengths[r] && (!withBytes || bytes[r * n + $0] != 0) }
                let cut = kept.map { TrainRef(x[r, $0]) }, what = "\(S.self) \(path) τ=\(t) bytes \(withBytes) row \(r)"
                let wantL = TrainReference.logSumExp(cut, tr), pc = TrainReference.softmax(cut, tr)
                let lpc = TrainReference.logSoftmax(cut, tr)
                let wantA = zip(kept, pc).reduce(TrainRef(0)) { $0 + TrainRef($1.0) * $1.1 }
                #expect(trainClose(TrainRef(lse[r]), wantL, b.lse(wantL, tr)), "\(what): logsumexp \(lse[r]) vs \(wantL)")
                #expect(trainClose(TrainRef(sam[r]), wantA, b.argmax(n)), "\(what): soft-argmax \(sam[r]) vs \(wantA)")
                for (k, i) in kept.enumerated() {
                    #expect(trainClose(TrainRef(p[r, i]), pc[k], b.prob(pc[k])), "\(what) at \(i): softmax \(p[r, i]) vs \(pc[k])")
                    #expect(trainClose(TrainRef(lp[r, i]), lpc[k], b.logProb(lpc[k])),
                            "\(what) at \(i): log_softmax \(lp[r, i]) vs \(lpc[k])")
                }
            }
        }
    }
}

/// Cross-entropy with labels (one row ignored) and with soft targets: the loss within the
/// q-weighted log_softmax bound, the gradient (p·Σq − q)/τ within 16u·2/τ (as the τ = 1 tests);
/// where that gradient is past S's largest finite value (a subnormal τ), ±∞ of its sign.
func trainCheckExtremeCrossEntropy<S: SmoothScalar>(_: S.Type, _ path: TrainPath) throws {
    var rng = SplitMix64(seed: 0xE7E)
    let u = trainUnitRoundoff(S.self), rows = 3, n = 9, huge = TrainRef(S.greatestFiniteMagnitude)
    for t in trainExtremeTemperatures(S.self) {
        let x = try trainScaledMatrix(t, rows: rows, cols: n, rng: &rng), tr = TrainRef(t)
        let labels = [4, -100, 0]
        let q = try Matrix<S>(rows: rows, cols: n, elements: (0..<rows * n).map { S(Double($0 % 4) / 6) })
        for soft in [false, true] {
            let result = try path.run {
                soft ? try crossEntropy(logits: x, targets: q, temperature: t, reduction: .none, backend: path.backend)
                     : try crossEntropy(logits: x, labels: labels, temperature: t, reduction: .none, backend: path.backend)
            }
            let dx = try #require(result.gradient)
            for (r, xr) in x.trainRefRows.enumerated() {
                let what = "\(S.self) \(path) τ=\(t) soft \(soft) row \(r)"
                if !soft && labels[r] == -100 {
                    #expect(result.loss[r] == 0 && dx.row(r).allSatisfy { $0 == 0 }, "\(what): ignored row")
                    continue
                }
                let (loss, qr) = trainReferenceCE(xr, label: soft ? nil : labels[r], qRow: q.row(r).map { TrainRef($0) },
                                                  eps: 0, t: tr)
                let p = TrainReference.softmax(xr, tr), lp = TrainReference.logSoftmax(xr, tr), sq = qr.reduce(0, +)
                let bound = 16 * u * zip(qr, lp).reduce(TrainRef(0)) { $0 + $1.0 * max(1, abs($1.1)) }
                #expect(trainClose(TrainRef(result.loss[r]), loss, bound), "\(what): loss \(result.loss[r]) vs \(loss)")
                for i in 0..<n {
                    let want = (p[i] * sq - qr[i]) / tr, got = TrainRef(dx[r, i])
                    if abs(want) * (1 - 32 * u) > huge {
                        #expect(got.isInfinite && (got > 0) == (want > 0), "\(what) gradient \(i): \(got) vs \(want)")
                    } else {
                        #expect(trainClose(got, want, 16 * u * 2 / tr), "\(what) gradient \(i): \(got) vs \(want)")
                    }
                }
            }
        }
    }
}

/// The mergeable state: each row cut into chunks (each its own matrix, leading dimension
/// cols + 2), merged left to right and finalised, against the one-pass Float80 logsumexp;
/// every chunk state's m is the chunk's max exactly.
func trainCheckExtremeStates<S: SmoothScalar>(_: S.Type, _ path: TrainPath) throws {
    var rng = SplitMix64(seed: 0xE75)
    let b = TrainBounds<S>(), rows = 3, chunks = [0..<5, 5..<6, 6..<6, 6..<17]
    for t in trainExtremeTemperatures(S.self) {
        let x = try trainScaledMatrix(t, rows: rows, cols: 17, rng: &rng), tr = TrainRef(t)
        let parts = try chunks.map { c in
            try Matrix<S>(rows: rows, cols: c.count, leadingDimension: c.count + 2,
                          elements: (0..<rows).flatMap { x.row($0)[c] })
        }
        let (states, lse) = try path.run {
            let states = try parts.map { try LogSumExpState(chunk: $0, temperature: t, backend: path.backend) }
            let merged = try states.dropFirst().reduce(states[0]) { try $0.merging($1, backend: path.backend) }
            return (states, merged.logSumExp(backend: path.backend))
        }
        for r in 0..<rows {
            let what = "\(S.self) \(path) τ=\(t) row \(r)", want = TrainReference.logSumExp(x.trainRefRows[r], tr)
            #expect(trainClose(TrainRef(lse[r]), want, b.lse(want, tr)), "\(what): merged logsumexp \(lse[r]) vs \(want)")
            for (k, c) in chunks.enumerated() {
                #expect(states[k].maxima[r] == (x.row(r)[c].max() ?? -.infinity), "\(what) chunk \(c): m \(states[k].maxima[r])")
            }
        }
    }
}

/// Weighted logsumexp with sign: mixed-sign weights with exact zeros, against the Float80
/// reference within smoothkit_train.h's conditioning bound (the random-weights test's 16u),
/// plus the subnormal grid; the sign where the sum is not nearly cancelled.
func trainCheckExtremeWeighted<S: SmoothScalar>(_: S.Type, _ path: TrainPath) throws {
    var rng = SplitMix64(seed: 0xE7B)
    let u = trainUnitRoundoff(S.self), grid = TrainRef(S.leastNonzeroMagnitude), rows = 5, n = 13
    for t in trainExtremeTemperatures(S.self) {
        let x = try trainScaledMatrix(t, rows: rows, cols: n, rng: &rng), tr = TrainRef(t)
        let w = try Matrix<S>(rows: rows, cols: n, leadingDimension: n + 1, elements: (0..<rows * n).map { _ in
            Int.random(in: 0..<6, using: &rng) == 0 ? 0 : S(Double.random(in: -1...1, using: &rng))
        })
        let got = try path.run { try weightedLogSumExp(x, weights: w, temperature: t, backend: path.backend) }
        for r in 0..<rows {
            let want = trainReferenceWeighted(x.trainRefRows[r], w.trainRefRows[r], tr), what = "\(S.self) \(path) τ=\(t) row \(r)"
            let bound = 16 * u * (abs(want.m) + tr * want.kappa + abs(want.value)) + 2 * grid
            #expect(trainClose(TrainRef(got.values[r]), want.value, bound), "\(what): \(got.values[r]) vs \(want.value) (κ = \(want.kappa))")
            if want.kappa < 1 / (64 * u) { #expect(TrainRef(got.signs[r]) == want.sign, "\(what): sign \(got.signs[r])") }
        }
    }
}

/// The four backward kernels (the maps from the C forward outputs), per element within 32u of
/// the terms dx_i is formed from; where the exact dx_i is past S's largest finite value (1/τ
/// overflows at a subnormal τ), ±∞ of its sign.
func trainCheckExtremeBackward<S: SmoothScalar>(_: S.Type, _ path: TrainPath) throws {
    var rng = SplitMix64(seed: 0xE7D)
    let u = trainUnitRoundoff(S.self), huge = TrainRef(S.greatestFiniteMagnitude), rows = 3, n = 11
    for t in trainExtremeTemperatures(S.self) {
        let x = try trainScaledMatrix(t, rows: rows, cols: n, rng: &rng), tr = TrainRef(t)
        for op in TrainGradOp.allCases {
            let g: [[S]] = (0..<rows).map { _ in (0..<(op.isReduction ? 1 : n)).map { _ in S(Double.random(in: -1...1, using: &rng)) } }
            let dx = try path.run { try op.backward(x, g: g, t: t, backend: path.backend) }
            for (r, xr) in x.trainRefRows.enumerated() {
                let gr = g[r].map { TrainRef($0) }, exact = op.analytic(xr, gr, tr), terms = op.termScale(S.self, xr, gr, tr)
                for i in 0..<n {
                    let got = TrainRef(dx[r, i]), what = "\(op) \(S.self) \(path) τ=\(t) row \(r) i=\(i)"
                    if abs(exact[i]) * (1 - 32 * u) > huge {
                        #expect(got.isInfinite && (got > 0) == (exact[i] > 0), "\(what): \(got) vs \(exact[i])")
                    } else {
                        #expect(trainClose(got, exact[i], 32 * u * terms[i]), "\(what): \(got) vs \(exact[i])")
                    }
                }
            }
        }
    }
}

@Suite struct ExtremeTemperatureTests {
    @Test("column ops at extreme τ vs Float80", arguments: TrainDType.allCases)
    func columns(dtype: TrainDType) throws {
        try trainForEachPath(dtype, float: { try trainCheckExtremeColumns(Float.self, $0) },
                             double: { try trainCheckExtremeColumns(Double.self, $0) })
    }

    @Test("masked and ragged ops at extreme τ vs Float80", arguments: TrainDType.allCases)
    func masked(dtype: TrainDType) throws {
        try trainForEachPath(dtype, float: { try trainCheckExtremeMasked(Float.self, $0) },
                             double: { try trainCheckExtremeMasked(Double.self, $0) })
    }

    @Test("cross-entropy at extreme τ vs Float80", arguments: TrainDType.allCases)
    func crossEntropy(dtype: TrainDType) throws {
        try trainForEachPath(dtype, float: { try trainCheckExtremeCrossEntropy(Float.self, $0) },
                             double: { try trainCheckExtremeCrossEntropy(Double.self, $0) })
    }

    @Test("merged logsumexp states at extreme τ vs Float80", arguments: TrainDType.allCases)
    func states(dtype: TrainDType) throws {
        try trainForEachPath(dtype, float: { try trainCheckExtremeStates(Float.self, $0) },
                             double: { try trainCheckExtremeStates(Double.self, $0) })
    }

    @Test("weighted logsumexp at extreme τ vs Float80", arguments: TrainDType.allCases)
    func weighted(dtype: TrainDType) throws {
        try trainForEachPath(dtype, float: { try trainCheckExtremeWeighted(Float.self, $0) },
                             double: { try trainCheckExtremeWeighted(Double.self, $0) })
    }

    @Test("backward kernels at extreme τ vs Float80", arguments: TrainDType.allCases)
    func backward(dtype: TrainDType) throws {
        try trainForEachPath(dtype, float: { try trainCheckExtremeBackward(Float.self, $0) },
                             double: { try trainCheckExtremeBackward(Double.self, $0) })
    }
}
