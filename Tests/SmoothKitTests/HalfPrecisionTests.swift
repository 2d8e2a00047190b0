// The float16 / bfloat16 entry points of smoothkit_half.h on every instruction-set path:
// conversions bit for bit against an independent rounding, every op against the float op on
// the exactly widened input (the same algorithm, then one rounding), the forward ops against a
// Float80 reference of the stored values within SPEC §1.6, the edge table, bad arguments
// (nothing written), in place, and padding past cols left alone.
import CSmoothKit
import Testing

/// The storage types, as a table dimension.
enum HalfType: String, CaseIterable, CustomStringConvertible, Sendable {
    case f16, bf16
    var description: String { rawValue }

    /// Fraction bits: the half-ulp relative rounding is 2^-(bits + 1).
    var fractionBits: Int { self == .f16 ? 10 : 7 }
    /// The largest finite value.
    var greatest: Double { self == .f16 ? 65504 : Double(Float(bitPattern: 0x7f7f_0000)) }
    /// Half the smallest subnormal step: the absolute rounding below the normal range.
    var subnormalHalfStep: Double { self == .f16 ? 0x1p-25 : 0x1p-134 }

    /// The exact value of a stored element (reference decoding, not the library's).
    func value(_ h: UInt16) -> Double {
        switch self {
        case .f16:
            let e = Int(h >> 10 & 0x1f), m = Double(h & 0x3ff), s: Double = h & 0x8000 != 0 ? -1 : 1
            if e == 0x1f { return m == 0 ? s * .infinity : .nan }
            return e == 0 ? s * m * 0x1p-24 : s * (1 + m / 1024) * Double(sign: .plus, exponent: e - 15, significand: 1)
        case .bf16: return Double(Float(bitPattern: UInt32(h) << 16))
        }
    }

    /// x rounded to the type, to nearest with ties to even, by comparing the two neighbours
    /// (an independent formulation of the library's add-and-truncate).
    func round(_ x: Float) -> UInt16 {
        if x.isNaN { return 0x7fff } // any NaN; callers compare NaN-ness
        let sign: UInt16 = x.sign == .minus ? 0x8000 : 0, a = Double(abs(x))
        // the largest magnitude pattern not above a, by bisection over the ordered patterns
        var lo: UInt16 = 0, hi: UInt16 = self == .f16 ? 0x7c00 : 0x7f80 // +∞
        if a >= value(hi) { return sign | hi }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if value(mid) <= a { lo = mid } else { hi = mid }
        }
        let below = value(lo), above = value(hi)
        if hi == (self == .f16 ? 0x7c00 : 0x7f80) { // above the largest finite: ∞ from its half-ulp on
            let halfway = below + (below - value(lo - 1)) / 2
            return sign | (a >= halfway ? hi : lo)
        }
        if a - below < above - a { return sign | lo }
        if a - below > above - a { return sign | hi }
        return sign | (lo & 1 == 0 ? lo : hi)
    }

    func widen(_ src: [UInt16]) -> [Float] {
        var out = [Float](repeating: 0, count: src.count)
        let s = self == .f16 ? smk_f16_to_f32(src, src.count, &out) : smk_bf16_to_f32(src, src.count, &out)
        precondition(s == SMK_OK)
        return out
    }

    func narrow(_ src: [Float]) -> [UInt16] {
        var out = [UInt16](repeating: 0, count: src.count)
        let s = self == .f16 ? smk_f32_to_f16(src, src.count, &out) : smk_f32_to_bf16(src, src.count, &out)
        precondition(s == SMK_OK)
        return out
    }
}

/// Bit-for-bit equality, any NaN equal to any NaN.
private func sameBits(_ a: UInt16, _ b: UInt16, _ t: HalfType) -> Bool {
    t.value(a).isNaN ? t.value(b).isNaN : a == b
}
private func sameFloat(_ a: Float, _ b: Float) -> Bool { a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern }

/// Where unwritten storage must stay as it was.
private let sentinel: UInt16 = 0x5a5a

// MARK: - the ops, on a half matrix and on its widened float copy

enum HalfOp: String, CaseIterable, CustomStringConvertible, Sendable {
    case logsumexp, softmax, logSoftmax, softargmax
    case logsumexpBackward, softmaxBackward, logSoftmaxBackwardLog, logSoftmaxBackwardProb, softargmaxBackward
    case crossEntropyNone, crossEntropyMean, crossEntropySum, crossEntropySoftNone, crossEntropySoftMean
    var description: String { rawValue }
    var isForward: Bool { [.logsumexp, .softmax, .logSoftmax, .softargmax].contains(self) }
}

/// One case's inputs: x (and a storage g or soft target) with leading dimension ld, padded
/// with the sentinel; a float g per row; labels with an ignored row.
struct HalfInputs {
    let type: HalfType
    let rows: Int, cols: Int, ld: Int
    var x: [UInt16], g: [UInt16]
    let gRow: [Float]
    let labels: [Int64]
    let t: Float

    init(_ type: HalfType, rows: Int, cols: Int, pad: Int, t: Float = 1, scale: Double = 4, seed: UInt64 = 1) {
        self.type = type
        self.rows = rows
        self.cols = cols
        ld = cols + pad
        self.t = t
        var rng = SplitMix64(seed: seed)
        var x = [UInt16](repeating: sentinel, count: max(rows * ld, 1)), g = x
        for r in 0..<rows {
            for c in 0..<cols {
                x[r * ld + c] = type.round(Float(scale * rng.symmetric()))
                g[r * ld + c] = type.round(Float(rng.unit())) // also a valid soft target
            }
        }
        self.x = x
        self.g = g
        gRow = (0..<rows).map { _ in Float(rng.symmetric()) }
        labels = (0..<rows).map { $0 % 5 == 3 ? -100 : Int64(rng.index(max(cols, 1))) }
    }
}

/// What an op wrote: its status, its float outputs and its storage output (ld-padded).
struct HalfResult {
    var status: smk_status
    var floats: [Float]
    var storage: [UInt16]
}

extension HalfOp {
    /// Whether the op's output may be written over g (dx == g) rather than x when in place.
    var inPlaceOverG: Bool { [.softmaxBackward, .logSoftmaxBackwardLog, .logSoftmaxBackwardProb].contains(self) }

    /// Runs the half entry point; `inPlace` writes over x (maps, backward from x) or g.
    func runHalf(_ i: HalfInputs, inPlace: Bool = false) -> HalfResult {
        let n = i.rows, c = i.cols, ld = i.ld, t = i.t, f16 = i.type == .f16, count = i.x.count
        let x = UnsafeMutablePointer<UInt16>.allocate(capacity: count), g = UnsafeMutablePointer<UInt16>.allocate(capacity: count)
        let y = UnsafeMutablePointer<UInt16>.allocate(capacity: count)
        defer { x.deallocate(); g.deallocate(); y.deallocate() }
        x.initialize(from: i.x, count: count)
        g.initialize(from: i.g, count: count)
        y.initialize(repeating: sentinel, count: count)
        let d = inPlace ? (inPlaceOverG ? g : x) : y
        var out = [Float](repeating: -7, count: max(n, 1))
        let s: smk_status
        switch self {
        case .logsumexp: s = f16 ? smk_logsumexp_f16(x, n, c, ld, t, &out) : smk_logsumexp_bf16(x, n, c, ld, t, &out)
        case .softargmax: s = f16 ? smk_softargmax_f16(x, n, c, ld, t, &out) : smk_softargmax_bf16(x, n, c, ld, t, &out)
        case .softmax: s = f16 ? smk_softmax_f16(x, n, c, ld, t, d, ld) : smk_softmax_bf16(x, n, c, ld, t, d, ld)
        case .logSoftmax: s = f16 ? smk_log_softmax_f16(x, n, c, ld, t, d, ld) : smk_log_softmax_bf16(x, n, c, ld, t, d, ld)
        case .logsumexpBackward:
            s = f16 ? smk_logsumexp_backward_f16(x, n, c, ld, i.gRow, t, d, ld)
                    : smk_logsumexp_backward_bf16(x, n, c, ld, i.gRow, t, d, ld)
        case .softargmaxBackward:
            s = f16 ? smk_softargmax_backward_f16(x, n, c, ld, i.gRow, t, d, ld)
                    : smk_softargmax_backward_bf16(x, n, c, ld, i.gRow, t, d, ld)
        case .softmaxBackward:
            s = f16 ? smk_softmax_backward_f16(x, n, c, ld, g, ld, t, d, ld) : smk_softmax_backward_bf16(x, n, c, ld, g, ld, t, d, ld)
        case .logSoftmaxBackwardLog, .logSoftmaxBackwardProb:
            let form = self == .logSoftmaxBackwardLog ? SMK_FORM_LOG_PROB : SMK_FORM_PROB
            s = f16 ? smk_log_softmax_backward_f16(x, n, c, ld, form, g, ld, t, d, ld)
                    : smk_log_softmax_backward_bf16(x, n, c, ld, form, g, ld, t, d, ld)
        case .crossEntropyNone, .crossEntropyMean, .crossEntropySum:
            let red = self == .crossEntropyNone ? SMK_REDUCE_NONE : self == .crossEntropyMean ? SMK_REDUCE_MEAN : SMK_REDUCE_SUM
            s = f16 ? smk_cross_entropy_f16(x, n, c, ld, i.labels, -100, 0.1, t, red, &out, d, ld)
                    : smk_cross_entropy_bf16(x, n, c, ld, i.labels, -100, 0.1, t, red, &out, d, ld)
        case .crossEntropySoftNone, .crossEntropySoftMean:
            let red = self == .crossEntropySoftNone ? SMK_REDUCE_NONE : SMK_REDUCE_MEAN
            s = f16 ? smk_cross_entropy_soft_f16(x, n, c, ld, g, ld, 0.05, t, red, &out, d, ld)
                    : smk_cross_entropy_soft_bf16(x, n, c, ld, g, ld, 0.05, t, red, &out, d, ld)
        }
        return HalfResult(status: s, floats: out, storage: Array(UnsafeBufferPointer(start: d, count: count)))
    }

    /// The float entry point on the widened inputs (same ld), its storage output narrowed by
    /// the reference rounding: what the half entry point must give.
    func runWidened(_ i: HalfInputs) -> HalfResult {
        let n = i.rows, c = i.cols, ld = i.ld, t = i.t
        let x = i.type.widen(i.x), g = i.type.widen(i.g)
        var y = [Float](repeating: 0, count: x.count), out = [Float](repeating: -7, count: max(n, 1))
        var s = SMK_OK
        var hasMap = true
        switch self {
        case .logsumexp: s = smk_logsumexp_f32(x, n, c, ld, t, &out); hasMap = false
        case .softargmax: s = smk_softargmax_f32(x, n, c, ld, t, &out); hasMap = false
        case .softmax: s = smk_softmax_f32(x, n, c, ld, t, &y, ld)
        case .logSoftmax: s = smk_log_softmax_f32(x, n, c, ld, t, &y, ld)
        case .logsumexpBackward: s = smk_logsumexp_backward_f32(x, n, c, ld, i.gRow, t, &y, ld)
        case .softargmaxBackward: s = smk_softargmax_backward_f32(x, n, c, ld, i.gRow, t, &y, ld)
        case .softmaxBackward: s = smk_softmax_backward_f32(x, n, c, ld, g, ld, t, &y, ld)
        case .logSoftmaxBackwardLog: s = smk_log_softmax_backward_f32(x, n, c, ld, SMK_FORM_LOG_PROB, g, ld, t, &y, ld)
        case .logSoftmaxBackwardProb: s = smk_log_softmax_backward_f32(x, n, c, ld, SMK_FORM_PROB, g, ld, t, &y, ld)
        case .crossEntropyNone, .crossEntropyMean, .crossEntropySum:
            let red = self == .crossEntropyNone ? SMK_REDUCE_NONE : self == .crossEntropyMean ? SMK_REDUCE_MEAN : SMK_REDUCE_SUM
            s = smk_cross_entropy_f32(x, n, c, ld, i.labels, -100, 0.1, t, red, &out, &y, ld)
        case .crossEntropySoftNone, .crossEntropySoftMean:
            let red = self == .crossEntropySoftNone ? SMK_REDUCE_NONE : SMK_REDUCE_MEAN
            s = smk_cross_entropy_soft_f32(x, n, c, ld, g, ld, 0.05, t, red, &out, &y, ld)
        }
        var storage = [UInt16](repeating: sentinel, count: i.x.count)
        if hasMap {
            for r in 0..<n { for k in 0..<c { storage[r * ld + k] = i.type.round(y[r * ld + k]) } }
        }
        return HalfResult(status: s, floats: out, storage: storage)
    }

    /// SUM and MEAN add the blocks' losses in double and MEAN scales dx after the float op:
    /// a few float roundings apart from the float op (which rounds once), no more.
    var reducesAcrossBlocks: Bool { [.crossEntropyMean, .crossEntropySum, .crossEntropySoftMean].contains(self) }
    var writesFloatsPerRow: Int {
        switch self {
        case .logsumexp, .softargmax, .crossEntropyNone, .crossEntropySoftNone: return 2 // rows
        case .crossEntropyMean, .crossEntropySum, .crossEntropySoftMean: return 1 // loss[0]
        default: return 0
        }
    }
}

/// The half result equals the float op on the widened input, then rounded; padding and the
/// unwritten float slots are untouched. bfloat16's forward ops read two packets at a time as
/// the even and the odd entries (one load, no lane shuffle), so their sums run in another
/// order than the float op's: a few float roundings apart, one storage step after rounding
/// (forwardAccuracy holds them to SPEC's bound).
private func expectMatchesWidened(_ op: HalfOp, _ i: HalfInputs, _ path: String, inPlace: Bool = false) {
    let h = op.runHalf(i, inPlace: inPlace), w = op.runWidened(i)
    let reordered = op.reducesAcrossBlocks || (i.type == .bf16 && op.isForward)
    let label = "\(op) \(i.type) \(i.rows)x\(i.cols) ld \(i.ld) τ \(i.t) on \(path)\(inPlace ? " in place" : "")"
    #expect(h.status == SMK_OK && w.status == SMK_OK, "\(label): status \(h.status), \(w.status)")
    let floats = op.writesFloatsPerRow == 2 ? i.rows : op.writesFloatsPerRow
    for r in 0..<floats {
        let a = h.floats[r], b = w.floats[r]
        let ok = reordered ? (a.isNaN ? b.isNaN : abs(a - b) <= 4 * Float.ulpOfOne * max(abs(b), 1)) : sameFloat(a, b)
        #expect(ok, "\(label): float \(r) is \(a), the float op gives \(b)")
    }
    for r in floats..<h.floats.count { #expect(h.floats[r] == -7, "\(label): float slot \(r) written") }
    let hasMap = !(op == .logsumexp || op == .softargmax)
    var bad = 0
    for r in 0..<i.rows {
        for k in 0..<i.ld {
            let a = h.storage[r * i.ld + k]
            if k >= i.cols { // padding: the sentinel of the inputs and the output
                if a != sentinel { bad += 1 }
                continue
            }
            guard hasMap else { continue }
            let b = w.storage[r * i.ld + k]
            // MEAN's dx is scaled after the float op: its rounding may differ by one step
            let close = reordered ? abs(Int(a) - Int(b)) <= 1 || sameBits(a, b, i.type) : sameBits(a, b, i.type)
            if !close {
                bad += 1
                if bad <= 3 { Issue.record("\(label): (\(r), \(k)) = \(String(a, radix: 16)), expected \(String(b, radix: 16))") }
            }
        }
    }
    #expect(bad == 0, "\(label): \(bad) elements differ or padding written")
}

/// The paths to test, by name: every ISA this CPU runs.
func forEachISA(_ body: (String) throws -> Void) rethrows {
    for isa in ISAPath.supported {
        let held = try withForcedISA(isa) { try body(isa.name) }.held
        #expect(held, "\(isa) was not the active path throughout")
    }
}

@Suite
struct HalfPrecisionTests {
    // MARK: conversions

    /// Widening every one of the 65536 patterns is exact (and NaN stays NaN), on every path.
    @Test(arguments: HalfType.allCases)
    func widenEveryPattern(_ type: HalfType) {
        let all = (0...0xffff).map { UInt16($0) }
        forEachISA { path in
            let w = type.widen(all)
            var bad = 0
            for (h, f) in zip(all, w) {
                let v = type.value(h)
                if v.isNaN ? !f.isNaN : Double(f) != v || f.sign != (h & 0x8000 != 0 ? .minus : .plus) { bad += 1 }
            }
            #expect(bad == 0, "\(type) widen on \(path): \(bad) patterns wrong")
        }
    }

    /// Narrowing: every pattern's value, the midpoints between neighbours (ties to even), one
    /// float step either side of them, the overflow threshold, subnormals, NaN and ±∞; equal
    /// to the reference rounding bit for bit on every path (tails of every length included).
    @Test(arguments: HalfType.allCases)
    func narrowRoundsToNearestEven(_ type: HalfType) {
        var xs: [Float] = [.nan, -.nan, .infinity, -.infinity, 0, -0.0, .greatestFiniteMagnitude,
                           -.greatestFiniteMagnitude, .leastNonzeroMagnitude, Float(bitPattern: 0x7fa0_0001)]
        let infinity: UInt16 = type == .f16 ? 0x7c00 : 0x7f80
        for p in 0..<(infinity - 1) { // every finite pattern but the largest, and the midpoint above it
            let a = Float(type.value(p)), mid = Float((type.value(p) + type.value(p + 1)) / 2)
            for v in [a, mid, mid.nextUp, mid.nextDown] { xs += [v, -v] }
        }
        let top = Float(type.greatest), overflow = type == .f16 ? Float(65520) : Float(bitPattern: 0x7f7f_8000)
        xs += [top, overflow, overflow.nextUp, overflow.nextDown, 0x1p-25, 0x1.8p-25, 0x1p-26, 0x1.000002p-25]
        let expected = xs.map { type.round($0) }
        forEachISA { path in
            for start in 0..<3 { // shifts the packet boundaries
                let part = Array(xs[start...])
                let n = type.narrow(part)
                var bad = 0
                for (k, h) in n.enumerated() where !sameBits(h, expected[start + k], type) {
                    bad += 1
                    if bad <= 3 { Issue.record("\(type) narrow \(part[k]) on \(path) = \(String(h, radix: 16)), expected \(String(expected[start + k], radix: 16))") }
                }
                #expect(bad == 0, "\(type) narrow on \(path): \(bad) of \(part.count) wrong")
            }
        }
    }

    @Test func conversionNullPointers() {
        var f: [Float] = [0], h: [UInt16] = [0x1234]
        #expect(smk_f16_to_f32(nil, 1, &f) == SMK_ERR_NULL && smk_f32_to_bf16(f, 1, nil) == SMK_ERR_NULL)
        #expect(smk_bf16_to_f32(nil, 0, nil) == SMK_OK && smk_f32_to_f16(nil, 0, &h) == SMK_OK && h == [0x1234])
    }

    // MARK: the ops = the float op on the widened input, then one rounding

    /// Shapes: one column, short rows in many-row blocks, rows at and past a block (1024) and
    /// past the stack scratch (4096: the heap path), with padding; every op, both types, every
    /// ISA path.
    @Test(arguments: HalfOp.allCases, HalfType.allCases)
    func matchesWidenedFloatOp(_ op: HalfOp, _ type: HalfType) {
        let shapes = [(3, 1, 2), (70, 7, 3), (300, 16, 0), (9, 130, 5), (5, 1024, 1), (3, 1500, 2), (2, 5000, 3)]
        forEachISA { path in
            for (rows, cols, pad) in shapes {
                expectMatchesWidened(op, HalfInputs(type, rows: rows, cols: cols, pad: pad), path)
            }
            expectMatchesWidened(op, HalfInputs(type, rows: 40, cols: 33, pad: 1, t: 0.05, scale: 1), path)
        }
    }

    /// In place (y == x for the maps and the backward ops from x; dx == g for the others).
    @Test(arguments: HalfOp.allCases.filter { $0 != .logsumexp && $0 != .softargmax }, HalfType.allCases)
    func inPlace(_ op: HalfOp, _ type: HalfType) {
        forEachISA { path in
            for (rows, cols) in [(50, 20), (3, 2000), (2, 4500)] {
                expectMatchesWidened(op, HalfInputs(type, rows: rows, cols: cols, pad: 2), path, inPlace: true)
            }
        }
    }

    // MARK: accuracy against the stored values (SPEC §1.6)

    /// The forward ops against Float80 on the exact stored values: SPEC §1.3's float bound,
    /// plus for maps one rounding to the type (relative 2^-(p+1), absolute below the normal
    /// range) and ±∞ past the largest finite value.
    @Test(arguments: HalfType.allCases, [Float(1), 0.3, 4])
    func forwardAccuracy(_ type: HalfType, _ t: Float) {
        let i = HalfInputs(type, rows: 24, cols: 257, pad: 3, t: t, scale: 12, seed: 9)
        let u = TrainRef(0x1p-24), tau = TrainRef(t), half = TrainRef(Double(sign: .plus, exponent: -(type.fractionBits + 1), significand: 1))
        forEachISA { path in
            let outs = Dictionary(uniqueKeysWithValues: HalfOp.allCases.filter(\.isForward).map { ($0, $0.runHalf(i)) })
            for r in 0..<i.rows {
                let row = (0..<i.cols).map { TrainRef(type.value(i.x[r * i.ld + $0])) }
                let lse = TrainReference.logSumExp(row, tau), p = TrainReference.softmax(row, tau)
                let lp = TrainReference.logSoftmax(row, tau), a = TrainReference.softArgmax(row, tau)
                #expect(trainClose(TrainRef(outs[.logsumexp]!.floats[r]), lse, 8 * u * max(abs(lse), tau)), "lse row \(r) on \(path)")
                #expect(trainClose(TrainRef(outs[.softargmax]!.floats[r]), a, 8 * u * TrainRef(i.cols)), "softargmax row \(r) on \(path)")
                for k in 0..<i.cols {
                    let y = TrainRef(type.value(outs[.softmax]!.storage[r * i.ld + k]))
                    let ly = TrainRef(type.value(outs[.logSoftmax]!.storage[r * i.ld + k]))
                    let pTol = 8 * u * p[k] + half * p[k] * (1 + 8 * u) + TrainRef(type.subnormalHalfStep) + 8 * u * 0x1p-100
                    let lTol = 8 * u * max(1, abs(lp[k])), lRound = half * (abs(lp[k]) + lTol)
                    #expect(trainClose(y, p[k], pTol), "softmax (\(r), \(k)) = \(y), reference \(p[k]) on \(path)")
                    let lOK = abs(lp[k]) > TrainRef(type.greatest) * (1 + half) ? ly == -.infinity : trainClose(ly, lp[k], lTol + lRound)
                    #expect(lOK, "log_softmax (\(r), \(k)) = \(ly), reference \(lp[k]) on \(path)")
                }
            }
        }
    }

    // MARK: the edge table (SPEC §1.1)

    @Test(arguments: HalfType.allCases)
    func edgeTable(_ type: HalfType) {
        let inf = type.round(.infinity), ninf = type.round(-.infinity), nan = type == .f16 ? UInt16(0x7e00) : 0x7fc0
        let one = type.round(1), two = type.round(2), big = type.round(Float(type.greatest))
        let nbig = big | 0x8000, zero: UInt16 = 0
        let rows: [[UInt16]] = [
            [one, nan, two, zero],    // NaN anywhere
            [inf, one, inf, two],     // two +∞: 1/2 there, mean index 1
            [ninf, ninf, ninf, ninf], // fully masked
            [ninf, two, ninf, one],   // some −∞
            [big, nbig, big, zero],   // the largest finite values
            [ninf, ninf, one, ninf],  // one finite entry: exactly its value, 1, 0
        ]
        let x = rows.flatMap { $0 }, n = rows.count, c = 4, f16 = type == .f16
        forEachISA { path in
            var lse = [Float](repeating: 0, count: n), arg = lse
            var p = [UInt16](repeating: sentinel, count: n * c), lp = p
            #expect(f16 ? smk_logsumexp_f16(x, n, c, c, 1, &lse) == SMK_OK : smk_logsumexp_bf16(x, n, c, c, 1, &lse) == SMK_OK)
            #expect(f16 ? smk_softargmax_f16(x, n, c, c, 1, &arg) == SMK_OK : smk_softargmax_bf16(x, n, c, c, 1, &arg) == SMK_OK)
            #expect(f16 ? smk_softmax_f16(x, n, c, c, 1, &p, c) == SMK_OK : smk_softmax_bf16(x, n, c, c, 1, &p, c) == SMK_OK)
            #expect(f16 ? smk_log_softmax_f16(x, n, c, c, 1, &lp, c) == SMK_OK : smk_log_softmax_bf16(x, n, c, c, 1, &lp, c) == SMK_OK)
            let pv = p.map { type.value($0) }, lv = lp.map { type.value($0) }
            let at = path
            #expect(lse[0].isNaN && arg[0].isNaN && pv[0..<4].allSatisfy { $0.isNaN } && lv[0..<4].allSatisfy { $0.isNaN }, "NaN row on \(at)")
            #expect(lse[1] == .infinity && arg[1] == 1 && Array(pv[4..<8]) == [0.5, 0, 0.5, 0], "+∞ row on \(at): \(pv[4..<8])")
            #expect(lv[4] == -(0.6931471805599453 as Double).roundedTo(type) && lv[5] == -.infinity && lv[6] == lv[4] && lv[7] == -.infinity, "+∞ row log on \(at)")
            #expect(lse[2] == -.infinity && arg[2].isNaN && pv[8..<12].allSatisfy { $0 == 0 } && lv[8..<12].allSatisfy { $0 == -.infinity }, "masked row on \(at)")
            #expect(pv[12] == 0 && pv[14] == 0 && lv[12] == -.infinity && lv[14] == -.infinity && lse[3].isFinite, "some −∞ on \(at)")
            #expect(lse[4].isFinite && arg[4].isFinite && pv[16..<20].allSatisfy { $0.isFinite } && !lv[16..<20].contains { $0.isNaN }, "huge on \(at)")
            #expect(Double(lse[5]) == 1 && arg[5] == 2 && Array(pv[20..<24]) == [0, 0, 1, 0] && lv[22] == 0, "one finite entry on \(at)")
            // cols == 0: reductions −∞ / NaN, maps write nothing, x may be NULL
            var e = [Float](repeating: 5, count: 2), y: [UInt16] = [sentinel]
            #expect(f16 ? smk_logsumexp_f16(nil, 2, 0, 0, 1, &e) == SMK_OK : smk_logsumexp_bf16(nil, 2, 0, 0, 1, &e) == SMK_OK)
            #expect(e == [-.infinity, -.infinity], "empty rows logsumexp on \(at)")
            #expect(f16 ? smk_softargmax_f16(nil, 2, 0, 0, 1, &e) == SMK_OK : smk_softargmax_bf16(nil, 2, 0, 0, 1, &e) == SMK_OK)
            #expect(e.allSatisfy { $0.isNaN }, "empty rows soft-argmax on \(at)")
            #expect(f16 ? smk_softmax_f16(nil, 2, 0, 0, 1, &y, 0) == SMK_OK : smk_softmax_bf16(nil, 2, 0, 0, 1, &y, 0) == SMK_OK)
            #expect(y == [sentinel])
        }
    }

    /// float16 overflow: a log_softmax past −65504 is −∞, a logsumexp (float) is not.
    @Test func float16Overflow() {
        let x: [UInt16] = [HalfType.f16.round(65504), HalfType.f16.round(-65504)]
        var y: [UInt16] = [0, 0], l: Float = 0
        #expect(smk_log_softmax_f16(x, 1, 2, 2, 1, &y, 2) == SMK_OK && y == [0, 0xfc00])
        #expect(smk_logsumexp_f16(x, 1, 2, 2, 1, &l) == SMK_OK && l == 65504)
    }

    // MARK: bad arguments: the status, and nothing written

    @Test(arguments: HalfOp.allCases, HalfType.allCases)
    func badArguments(_ op: HalfOp, _ type: HalfType) {
        let good = HalfInputs(type, rows: 4, cols: 5, pad: 0)
        // temperature
        for t: Float in [0, -1, .nan, .infinity] {
            let h = op.runHalf(HalfInputs(type, rows: 4, cols: 5, pad: 0, t: t))
            #expect(h.status == SMK_ERR_TEMPERATURE, "\(op) τ = \(t): \(h.status)")
            #expect(h.storage.allSatisfy { $0 == sentinel } && h.floats.allSatisfy { $0 == -7 }, "\(op) τ = \(t) wrote")
        }
        let f16 = type == .f16, x = good.x
        var y = [UInt16](repeating: sentinel, count: 20), out = [Float](repeating: -7, count: 4)
        // ld < cols
        let shape: smk_status
        switch op {
        case .logsumexp: shape = f16 ? smk_logsumexp_f16(x, 4, 5, 4, 1, &out) : smk_logsumexp_bf16(x, 4, 5, 4, 1, &out)
        case .softmax: shape = f16 ? smk_softmax_f16(x, 4, 5, 5, 1, &y, 4) : smk_softmax_bf16(x, 4, 5, 5, 1, &y, 4)
        case .logsumexpBackward:
            shape = f16 ? smk_logsumexp_backward_f16(x, 4, 5, 5, good.gRow, 1, &y, 3) : smk_logsumexp_backward_bf16(x, 4, 5, 5, good.gRow, 1, &y, 3)
        case .softmaxBackward:
            shape = f16 ? smk_softmax_backward_f16(x, 4, 5, 5, x, 2, 1, &y, 5) : smk_softmax_backward_bf16(x, 4, 5, 5, x, 2, 1, &y, 5)
        case .crossEntropySoftNone:
            shape = f16 ? smk_cross_entropy_soft_f16(x, 4, 5, 5, x, 4, 0, 1, SMK_REDUCE_NONE, &out, &y, 5)
                        : smk_cross_entropy_soft_bf16(x, 4, 5, 5, x, 4, 0, 1, SMK_REDUCE_NONE, &out, &y, 5)
        default: shape = SMK_ERR_SHAPE
        }
        #expect(shape == SMK_ERR_SHAPE && y.allSatisfy { $0 == sentinel } && out.allSatisfy { $0 == -7 }, "\(op) shape")
        // NULL output or input
        let null: smk_status
        switch op {
        case .logsumexp: null = f16 ? smk_logsumexp_f16(x, 4, 5, 5, 1, nil) : smk_logsumexp_bf16(nil, 4, 5, 5, 1, &out)
        case .softargmax: null = f16 ? smk_softargmax_f16(nil, 4, 5, 5, 1, &out) : smk_softargmax_bf16(x, 4, 5, 5, 1, nil)
        case .softmax: null = f16 ? smk_softmax_f16(x, 4, 5, 5, 1, nil, 5) : smk_softmax_bf16(nil, 4, 5, 5, 1, &y, 5)
        case .logSoftmax: null = f16 ? smk_log_softmax_f16(nil, 4, 5, 5, 1, &y, 5) : smk_log_softmax_bf16(x, 4, 5, 5, 1, nil, 5)
        case .logsumexpBackward:
            null = f16 ? smk_logsumexp_backward_f16(x, 4, 5, 5, nil, 1, &y, 5) : smk_logsumexp_backward_bf16(x, 4, 5, 5, good.gRow, 1, nil, 5)
        case .softargmaxBackward:
            null = f16 ? smk_softargmax_backward_f16(nil, 4, 5, 5, good.gRow, 1, &y, 5) : smk_softargmax_backward_bf16(x, 4, 5, 5, nil, 1, &y, 5)
        case .softmaxBackward:
            null = f16 ? smk_softmax_backward_f16(x, 4, 5, 5, nil, 5, 1, &y, 5) : smk_softmax_backward_bf16(nil, 4, 5, 5, x, 5, 1, &y, 5)
        case .logSoftmaxBackwardLog, .logSoftmaxBackwardProb:
            null = f16 ? smk_log_softmax_backward_f16(x, 4, 5, 5, SMK_FORM_PROB, x, 5, 1, nil, 5)
                       : smk_log_softmax_backward_bf16(x, 4, 5, 5, SMK_FORM_LOG_PROB, nil, 5, 1, &y, 5)
        case .crossEntropyNone, .crossEntropyMean, .crossEntropySum:
            null = f16 ? smk_cross_entropy_f16(x, 4, 5, 5, nil, -100, 0, 1, SMK_REDUCE_NONE, &out, &y, 5)
                       : smk_cross_entropy_bf16(x, 4, 5, 5, good.labels, -100, 0, 1, SMK_REDUCE_SUM, nil, &y, 5)
        case .crossEntropySoftNone, .crossEntropySoftMean:
            null = f16 ? smk_cross_entropy_soft_f16(x, 4, 5, 5, nil, 5, 0, 1, SMK_REDUCE_NONE, &out, &y, 5)
                       : smk_cross_entropy_soft_bf16(nil, 4, 5, 5, x, 5, 0, 1, SMK_REDUCE_MEAN, &out, &y, 5)
        }
        #expect(null == SMK_ERR_NULL && y.allSatisfy { $0 == sentinel } && out.allSatisfy { $0 == -7 }, "\(op) null: \(null)")
        // domain: form, labels, smoothing, reduction
        var domain: [smk_status] = []
        switch op {
        case .logSoftmaxBackwardLog:
            domain.append(f16 ? smk_log_softmax_backward_f16(x, 4, 5, 5, smk_prob_form(rawValue: 7), x, 5, 1, &y, 5)
                              : smk_log_softmax_backward_bf16(x, 4, 5, 5, smk_prob_form(rawValue: 7), x, 5, 1, &y, 5))
        case .crossEntropyNone:
            // a bad label in the last row: checked before the first row is written
            for labels: [Int64] in [[0, 1, 2, 5], [0, 1, 2, -1]] {
                domain.append(f16 ? smk_cross_entropy_f16(x, 4, 5, 5, labels, -100, 0, 1, SMK_REDUCE_NONE, &out, &y, 5)
                                  : smk_cross_entropy_bf16(x, 4, 5, 5, labels, -100, 0, 1, SMK_REDUCE_NONE, &out, &y, 5))
            }
            domain.append(f16 ? smk_cross_entropy_f16(x, 4, 5, 5, good.labels, -100, 1.5, 1, SMK_REDUCE_NONE, &out, &y, 5)
                              : smk_cross_entropy_bf16(x, 4, 5, 5, good.labels, -100, .nan, 1, SMK_REDUCE_NONE, &out, &y, 5))
            domain.append(f16 ? smk_cross_entropy_f16(x, 4, 5, 5, good.labels, -100, 0, 1, smk_reduction(rawValue: 3), &out, &y, 5)
                              : smk_cross_entropy_bf16(x, 4, 5, 5, good.labels, -100, 0, 1, smk_reduction(rawValue: 9), &out, &y, 5))
        default: break
        }
        #expect(domain.allSatisfy { $0 == SMK_ERR_DOMAIN } && y.allSatisfy { $0 == sentinel } && out.allSatisfy { $0 == -7 },
                "\(op) domain: \(domain)")
        // rows == 0 does nothing, whatever the pointers
        #expect((f16 ? smk_softmax_f16(nil, 0, 5, 1, .nan, nil, 0) : smk_softmax_bf16(nil, 0, 5, 1, .nan, nil, 0)) == SMK_OK)
    }

    /// One heap row (past 4096 entries) per operand: the same results as the float op (the
    /// allocation failure path, SMK_ERR_COMPUTE, cannot be provoked from here).
    @Test func longRowsOnTheHeap() {
        forEachISA { path in
            for op in [HalfOp.softmax, .softmaxBackward, .crossEntropySoftMean] {
                expectMatchesWidened(op, HalfInputs(.bf16, rows: 3, cols: 9000, pad: 1, seed: 4), path)
            }
        }
    }
}

private extension Double {
    /// This value rounded to the type (for expected outputs).
    func roundedTo(_ type: HalfType) -> Double { type.value(type.round(Float(self))) }
}
