// The half-precision Swift API at parity with Matrix: `threads:`, the in-place and `into:`
// forms and the training ops on HalfMatrix, for Float16 and BFloat16, on the pure-Swift
// backend and the C backend on every ISA path. Each entry against Float80 on the exact stored
// values within SPEC §1.6 (the Float bound, then one rounding to the storage type);
// `threads: k` bit for bit equal to `threads: 1`; in place and `into:` equal to the returning
// form; every error path throws and writes nothing.
import SmoothKit
import Testing

/// The entries under test, as a table dimension.
enum HalfAPIOp: String, CaseIterable, CustomStringConvertible, Sendable {
    case logSumExp, softArgmax, softmax, logSoftmax, softmaxInto, logSoftmaxInto, softmaxInPlace, logSoftmaxInPlace
    case logSumExpBackward, softArgmaxBackward, softmaxBackward, logSoftmaxBackwardLog, logSoftmaxBackwardProb
    case crossEntropyNone, crossEntropyMean, crossEntropySum, crossEntropySoftNone, crossEntropySoftMean
    var description: String { rawValue }

    var isCrossEntropy: Bool { rawValue.hasPrefix("crossEntropy") }
    var isSoft: Bool { rawValue.hasPrefix("crossEntropySoft") }
    var reduction: LossReduction {
        rawValue.hasSuffix("Mean") ? .mean : rawValue.hasSuffix("Sum") ? .sum : .none
    }
}

/// The padding value of `into:` outputs: must survive every call.
private let canary = Float(7)
/// Label smoothing of the two cross-entropy forms.
let labelsSmoothing: Float = 0.1, softSmoothing: Float = 0.05

/// One case's inputs in storage type `E`, as stored: logits `x` (padded), an upstream matrix
/// `g`, soft targets `q` (rows summing to about 1), `p = softmax(x)` and `lp = logSoftmax(x)`
/// (the forward outputs a backward op is handed), a Float upstream per row, labels with
/// every fifth row ignored.
struct HalfAPIInputs<E: HalfPrecisionStorage> {
    let x, g, q, p, lp: HalfMatrix<E>
    let gRow: [Float]
    let labels: [Int]
    let t: Float
    var rows: Int { x.rows }
    var cols: Int { x.cols }

    /// `edgeRows`: SPEC §1.1's edge rows among ordinary ones (rows ≥ 10): a +∞ entry in row 3,
    /// row 7 fully masked (−∞), a NaN in row 9.
    init(rows: Int, cols: Int, pad: Int, t: Float, scale: Double = 4, seed: UInt64, edgeRows: Bool = false) throws {
        var rng = SplitMix64(seed: seed)
        func matrix(_ value: (inout SplitMix64) -> Double) throws -> HalfMatrix<E> {
            try HalfMatrix(rows: rows, cols: cols, leadingDimension: cols + pad,
                           elements: (0..<rows * cols).map { _ in E(Float(value(&rng))) })
        }
        var logits = (0..<rows * cols).map { _ in scale * rng.symmetric() }
        if edgeRows {
            logits[3 * cols + 5] = .infinity
            for c in 0..<cols { logits[7 * cols + c] = -.infinity }
            logits[9 * cols + 2] = .nan
        }
        x = try HalfMatrix(rows: rows, cols: cols, leadingDimension: cols + pad, elements: logits.map { E(Float($0)) })
        g = try matrix { $0.symmetric() }
        q = try matrix { 2 * $0.unit() / Double(cols) }
        p = try softmax(x, temperature: t, backend: .c)
        lp = try logSoftmax(x, temperature: t, backend: .c)
        gRow = (0..<rows).map { _ in Float(rng.symmetric()) }
        labels = (0..<rows).map { $0 % 5 == 3 ? -100 : rng.index(cols) }
        self.t = t
    }
}

/// What an entry gave: its Float outputs (reductions, losses) and its storage output.
struct HalfAPIResult<E: HalfPrecisionStorage> {
    var floats: [Float] = []
    var map: HalfMatrix<E>?
}

extension HalfAPIOp {
    /// Runs the entry through the public API. `into:` outputs get another leading dimension
    /// and canary padding; in place runs on a copy of its input.
    func run<E>(_ i: HalfAPIInputs<E>, backend: Backend, threads: Int?) throws -> HalfAPIResult<E> {
        let t = i.t
        func fresh() throws -> HalfMatrix<E> {
            try HalfMatrix(rows: i.rows, cols: i.cols, leadingDimension: i.cols + 3, repeating: E(canary))
        }
        switch self {
        case .logSumExp: return HalfAPIResult(floats: try SmoothKit.logSumExp(i.x, temperature: t, backend: backend, threads: threads))
        case .softArgmax: return HalfAPIResult(floats: try SmoothKit.softArgmax(i.x, temperature: t, backend: backend, threads: threads))
        case .softmax: return HalfAPIResult(map: try SmoothKit.softmax(i.x, temperature: t, backend: backend, threads: threads))
        case .logSoftmax: return HalfAPIResult(map: try SmoothKit.logSoftmax(i.x, temperature: t, backend: backend, threads: threads))
        case .softmaxInto:
            var y = try fresh()
            try SmoothKit.softmax(i.x, temperature: t, backend: backend, threads: threads, into: &y)
            return HalfAPIResult(map: y)
        case .logSoftmaxInto:
            var y = try fresh()
            try SmoothKit.logSoftmax(i.x, temperature: t, backend: backend, threads: threads, into: &y)
            return HalfAPIResult(map: y)
        case .softmaxInPlace:
            var y = i.x
            try SmoothKit.softmaxInPlace(&y, temperature: t, backend: backend, threads: threads)
            return HalfAPIResult(map: y)
        case .logSoftmaxInPlace:
            var y = i.x
            try SmoothKit.logSoftmaxInPlace(&y, temperature: t, backend: backend, threads: threads)
            return HalfAPIResult(map: y)
        case .logSumExpBackward:
            return HalfAPIResult(map: try SmoothKit.logSumExpBackward(i.x, upstream: i.gRow, temperature: t, backend: backend,
                                                            threads: threads))
        case .softArgmaxBackward:
            return HalfAPIResult(map: try SmoothKit.softArgmaxBackward(i.x, upstream: i.gRow, temperature: t, backend: backend,
                                                             threads: threads))
        case .softmaxBackward:
            return HalfAPIResult(map: try SmoothKit.softmaxBackward(probabilities: i.p, upstream: i.g, temperature: t,
                                                          backend: backend, threads: threads))
        case .logSoftmaxBackwardLog:
            return HalfAPIResult(map: try SmoothKit.logSoftmaxBackward(output: i.lp, upstream: i.g, temperature: t, backend: backend,
                                                             threads: threads))
        case .logSoftmaxBackwardProb:
            return HalfAPIResult(map: try SmoothKit.logSoftmaxBackward(output: i.p, form: .probabilities, upstream: i.g,
                                                             temperature: t, backend: backend, threads: threads))
        case .crossEntropyNone, .crossEntropyMean, .crossEntropySum:
            let r = try SmoothKit.crossEntropy(logits: i.x, labels: i.labels, labelSmoothing: labelsSmoothing, temperature: t,
                                     reduction: reduction, backend: backend)
            return HalfAPIResult(floats: r.loss, map: r.gradient)
        case .crossEntropySoftNone, .crossEntropySoftMean:
            let r = try SmoothKit.crossEntropy(logits: i.x, targets: i.q, labelSmoothing: softSmoothing, temperature: t,
                                     reduction: reduction, backend: backend)
            return HalfAPIResult(floats: r.loss, map: r.gradient)
        }
    }
}

/// The exact value of a stored element.
private func ref<E: HalfPrecisionStorage>(_ e: E) -> TrainRef { TrainRef(E._widen(e)) }
private func refRow<E>(_ m: HalfMatrix<E>, _ r: Int) -> [TrainRef] { (0..<m.cols).map { ref(m[r, $0]) } }

/// The storage type's rounding as the test's reference sees it (HalfPrecisionTests).
private func halfType<E: HalfPrecisionStorage>(_: E.Type) -> HalfType { E._halfKind == .float16 ? .f16 : .bf16 }

/// Checks one entry's outputs against Float80 on the stored inputs: the Float bound `tol`
/// of each value, and for storage outputs one rounding on top (relative 2^-(p+1), absolute
/// below the normal range; ±∞ past the largest finite value).
private func expectAccurate<E>(_ op: HalfAPIOp, _ i: HalfAPIInputs<E>, _ out: HalfAPIResult<E>, _ label: String) {
    let type = halfType(E.self), u = TrainRef(0x1p-24), tau = TrainRef(i.t), n = i.cols
    let half = TrainRef(Double(sign: .plus, exponent: -(type.fractionBits + 1), significand: 1))
    let floor = TrainRef(0x1p-100) // SPEC's absolute floor of a Float softmax
    var bad = 0
    func check(_ got: TrainRef, _ want: TrainRef, _ tol: TrainRef, rounded: Bool, _ at: String) {
        let ok = if !rounded { trainClose(got, want, tol) }
                 else if abs(want) > TrainRef(type.greatest) * (1 + half) { got == (want < 0 ? -.infinity : .infinity) }
                 else { trainClose(got, want, tol + half * (abs(want) + tol) + TrainRef(type.subnormalHalfStep)) }
        if !ok {
            bad += 1
            if bad <= 3 { Issue.record("\(label) \(at): \(got), reference \(want) ± \(tol)") }
        }
    }
    var rowLosses: [TrainRef] = [], lossBounds: [TrainRef] = [], counted = 0
    var grads: [[(TrainRef, TrainRef)]] = [] // cross-entropy: (∂loss/∂x of the row, its Float bound) before scaling
    for r in 0..<i.rows {
        let x = refRow(i.x, r), g = refRow(i.g, r), gr = TrainRef(i.gRow[r])
        switch op {
        case .logSumExp:
            let l = TrainReference.logSumExp(x, tau)
            check(TrainRef(out.floats[r]), l, 8 * u * max(abs(l), tau), rounded: false, "row \(r)")
        case .softArgmax:
            check(TrainRef(out.floats[r]), TrainReference.softArgmax(x, tau), 8 * u * TrainRef(n), rounded: false, "row \(r)")
        case .softmax, .softmaxInto, .softmaxInPlace:
            for (k, p) in TrainReference.softmax(x, tau).enumerated() {
                check(ref(out.map![r, k]), p, 8 * u * (p + floor), rounded: true, "(\(r), \(k))")
            }
        case .logSoftmax, .logSoftmaxInto, .logSoftmaxInPlace:
            for (k, lp) in TrainReference.logSoftmax(x, tau).enumerated() {
                check(ref(out.map![r, k]), lp, 8 * u * max(1, abs(lp)), rounded: true, "(\(r), \(k))")
            }
        case .logSumExpBackward, .softArgmaxBackward:
            let grad = op == .logSumExpBackward ? TrainGradOp.logSumExp : .softArgmax
            let exact = grad.analytic(x, [gr], tau), terms = grad.termScale(Float.self, x, [gr], tau)
            for k in 0..<n { check(ref(out.map![r, k]), exact[k], 32 * u * terms[k], rounded: true, "(\(r), \(k))") }
        case .softmaxBackward, .logSoftmaxBackwardLog, .logSoftmaxBackwardProb:
            // from the stored forward output: p as stored, or exp of the stored log p
            let p = op == .logSoftmaxBackwardLog ? refRow(i.lp, r).map(TrainRef.trainExp) : refRow(i.p, r)
            let sumG = g.reduce(0, +), sumAbsG = g.reduce(0) { $0 + abs($1) }
            let dot = zip(g, p).reduce(0) { $0 + $1.0 * $1.1 }, absDot = zip(g, p).reduce(0) { $0 + abs($1.0) * $1.1 }
            for k in 0..<n {
                let (exact, terms) = op == .softmaxBackward
                    ? (p[k] * (g[k] - dot) / tau, (p[k] + floor) * (abs(g[k]) + absDot) / tau)
                    : ((g[k] - p[k] * sumG) / tau, (abs(g[k]) + (p[k] + floor) * sumAbsG) / tau)
                check(ref(out.map![r, k]), exact, 32 * u * terms, rounded: true, "(\(r), \(k))")
            }
        default: // cross-entropy
            let label = op.isSoft ? nil : i.labels[r]
            if label == -100 {
                rowLosses.append(0); lossBounds.append(0); grads.append(Array(repeating: (0, 0), count: n))
                continue
            }
            counted += 1
            let eps = TrainRef(op.isSoft ? softSmoothing : labelsSmoothing)
            let (l, q) = trainReferenceCE(x, label: label, qRow: refRow(i.q, r), eps: eps, t: tau)
            let p = TrainReference.softmax(x, tau), lp = TrainReference.logSoftmax(x, tau), sq = q.reduce(0, +)
            rowLosses.append(l)
            lossBounds.append(16 * u * zip(q, lp).reduce(TrainRef(0)) { $0 + $1.0 * max(1, abs($1.1)) })
            grads.append(zip(p, q).map { (($0 * sq - $1) / tau, 32 * u * max(1, sq) / tau) })
        }
    }
    if op.isCrossEntropy {
        let scale: TrainRef = op.reduction == .mean ? 1 / TrainRef(counted) : 1
        if op.reduction == .none {
            for r in 0..<i.rows { check(TrainRef(out.floats[r]), rowLosses[r], lossBounds[r], rounded: false, "loss \(r)") }
        } else {
            let want = rowLosses.reduce(0, +) * scale
            check(TrainRef(out.floats[0]), want, lossBounds.reduce(0, +) * scale + 4 * u * abs(want), rounded: false, "loss")
        }
        for r in 0..<i.rows {
            for (k, (d, tol)) in grads[r].enumerated() {
                check(ref(out.map![r, k]), d * scale, tol * scale + 4 * u * abs(d * scale), rounded: true, "dx (\(r), \(k))")
            }
        }
    }
    #expect(bad == 0, "\(label): \(bad) values out of bound")
}

/// The float outputs and the storage output's values (padding included), as bits.
private func bits<E>(_ out: HalfAPIResult<E>) -> [UInt32] {
    out.floats.map(\.bitPattern) + (out.map?.storage.map { E._widen($0).bitPattern } ?? [])
}

/// Runs `body(backend, path)` on the pure-Swift backend and on the C backend on every ISA path.
private func forEachBackend(_ body: (Backend, String) throws -> Void) rethrows {
    try body(.swift, "swift")
    try forEachISA { try body(.c, "c \($0)") }
}

@Suite
struct HalfMatrixAPITests {
    /// Every entry, both types, both backends, every ISA path, against Float80 within SPEC
    /// §1.6: short rows in a many-row block, rows of several packets, a cold temperature.
    @Test(arguments: HalfAPIOp.allCases, [false, true])
    func accurateAgainstFloat80(_ op: HalfAPIOp, _ float16: Bool) throws {
        if float16 { try accuracy(Float16.self, op) } else { try accuracy(BFloat16.self, op) }
    }

    private func accuracy<E: HalfPrecisionStorage>(_: E.Type, _ op: HalfAPIOp) throws {
        let cases = [try HalfAPIInputs<E>(rows: 40, cols: 7, pad: 1, t: 1, seed: 1),
                     try HalfAPIInputs<E>(rows: 6, cols: 130, pad: 3, t: 0.3, scale: 8, seed: 2),
                     try HalfAPIInputs<E>(rows: 5, cols: 33, pad: 0, t: 2, seed: 3)]
        try forEachBackend { backend, path in
            for i in cases {
                let label = "\(op) \(E.self) \(i.rows)x\(i.cols) τ \(i.t) on \(path)"
                expectAccurate(op, i, try op.run(i, backend: backend, threads: nil), label)
            }
        }
    }

    /// `threads: k` gives the bits of `threads: 1`: blocks of rows run the same code per row
    /// (tiny rows split at multiples of 16). The shapes split into many blocks.
    @Test(arguments: HalfAPIOp.allCases)
    func threadsMatchOneThread(_ op: HalfAPIOp) throws {
        try threads(BFloat16.self, op)
        try threads(Float16.self, op)
    }

    private func threads<E: HalfPrecisionStorage>(_: E.Type, _ op: HalfAPIOp) throws {
        let cases = [try HalfAPIInputs<E>(rows: 96, cols: 700, pad: 2, t: 1, seed: 4),
                     try HalfAPIInputs<E>(rows: 8003, cols: 9, pad: 1, t: 0.5, seed: 5)]
        try forEachBackend { backend, path in
            for i in cases {
                let one = bits(try op.run(i, backend: backend, threads: 1))
                for k in [2, 3, 8] {
                    #expect(bits(try op.run(i, backend: backend, threads: k)) == one,
                            "\(op) \(E.self) \(i.rows)x\(i.cols) on \(path): threads \(k) differs from 1")
                }
            }
        }
    }

    /// In place and `into:` give the returning form's values bit for bit; `into:` leaves its
    /// own padding, in place leaves x's.
    @Test(arguments: [HalfAPIOp.softmax, .logSoftmax])
    func inPlaceAndIntoMatchReturning(_ op: HalfAPIOp) throws {
        try sameAsReturning(op, HalfAPIInputs<BFloat16>(rows: 50, cols: 20, pad: 2, t: 0.7, seed: 6))
        try sameAsReturning(op, HalfAPIInputs<Float16>(rows: 3, cols: 2000, pad: 1, t: 1, seed: 7))
    }

    private func sameAsReturning<E>(_ op: HalfAPIOp, _ i: HalfAPIInputs<E>) throws {
        let (into, inPlace): (HalfAPIOp, HalfAPIOp) = op == .softmax ? (.softmaxInto, .softmaxInPlace)
                                                                     : (.logSoftmaxInto, .logSoftmaxInPlace)
        try forEachBackend { backend, path in
            let want = ErasedHalf(try op.run(i, backend: backend, threads: nil).map!)
            let a = ErasedHalf(try into.run(i, backend: backend, threads: nil).map!)
            let b = ErasedHalf(try inPlace.run(i, backend: backend, threads: nil).map!)
            #expect(a.values == want.values && b.values == want.values, "\(op) \(E.self) on \(path): into / in place differ")
            #expect(a.padding.allSatisfy { $0 == canary.bitPattern }, "\(op) \(E.self) on \(path): into wrote its padding")
            #expect(b.padding == ErasedHalf(i.x).padding, "\(op) \(E.self) on \(path): in place wrote the padding")
        }
    }
}

extension HalfMatrixAPITests {
    /// Edge rows among ordinary rows: the C backend on every ISA path gives the pure-Swift
    /// backend's values (the Float op on the widened input, rounded), within one storage step
    /// (bfloat16's forward ops add in another order) and a few Float roundings for Float
    /// outputs; NaN where it gives NaN, the same infinities.
    @Test(arguments: HalfAPIOp.allCases)
    func edgeRowsAsTheFloatOp(_ op: HalfAPIOp) throws {
        try edgeRows(BFloat16.self, op)
        try edgeRows(Float16.self, op)
    }

    private func edgeRows<E: HalfPrecisionStorage>(_: E.Type, _ op: HalfAPIOp) throws {
        let type = halfType(E.self), step = TrainRef(Double(sign: .plus, exponent: -type.fractionBits, significand: 1))
        for cols in [9, 129] {
            let i = try HalfAPIInputs<E>(rows: 12, cols: cols, pad: 1, t: 1, seed: 9, edgeRows: true)
            let want = try op.run(i, backend: .swift, threads: 1)
            try forEachISA { path in
                let got = try op.run(i, backend: .c, threads: 1)
                var badRows = Set<Int>()
                func close(_ a: TrainRef, _ b: TrainRef, _ rel: TrainRef) -> Bool {
                    a == b || (a.isNaN && b.isNaN) || abs(a - b) <= rel * abs(b) + TrainRef(type.subnormalHalfStep) * 2
                }
                for (k, (a, b)) in zip(got.floats, want.floats).enumerated()
                    where !close(TrainRef(a), TrainRef(b), 16 * 0x1p-24) { badRows.insert(k) }
                if let g = got.map, let w = want.map {
                    for r in 0..<i.rows {
                        for c in 0..<cols where !close(ref(g[r, c]), ref(w[r, c]), step) { badRows.insert(r) }
                    }
                }
                let message: Comment = "\(op) \(E.self) cols \(cols) on \(path): rows \(badRows.sorted()) differ"
                #expect(badRows.isEmpty, message)
            }
        }
    }
}

/// A matrix's values and padding as Float bits, whatever its element type.
private struct ErasedHalf: Equatable {
    let values: [UInt32], padding: [UInt32]
    init<E>(_ m: HalfMatrix<E>) {
        values = m.elements.map { E._widen($0).bitPattern }
        padding = m.storage.indices.filter { $0 % m.leadingDimension >= m.cols }.map { E._widen(m.storage[$0]).bitPattern }
    }
}
