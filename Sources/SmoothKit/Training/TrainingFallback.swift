#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The pure-Swift training kernels (Backend.swift): the same formulas as kernels/train.inc,
// evaluated per element in a wider type (Double for Float, Float80 for Double on x86-64) with
// compensated (Neumaier) sums, so each result is rounded about once and meets the C kernels'
// bounds without their double-word exp. Scalar loops: correct and portable, not fast.

/// A wider type to evaluate in, with its exp and log.
protocol TrainingWide: BinaryFloatingPoint, SendableMetatype {
    static func expW(_ x: Self) -> Self
    static func logW(_ x: Self) -> Self
}

extension Double: TrainingWide {
    static func expW(_ x: Double) -> Double { exp(x) }
    static func logW(_ x: Double) -> Double { log(x) }
}

#if arch(x86_64) || arch(i386)
extension Float80: TrainingWide {
    static func expW(_ x: Float80) -> Float80 { expl(x) }
    static func logW(_ x: Float80) -> Float80 { logl(x) }
}
/// The wide type of `Double`: 64-bit significand on x86.
typealias TrainingWideOfDouble = Float80
#else
/// No Float80 here: `Double` results keep the C bounds only up to the wider type's lack.
typealias TrainingWideOfDouble = Double
#endif

/// Neumaier's compensated sum: error about one rounding of the total, whatever the count.
struct TrainingWideSum<W: BinaryFloatingPoint> {
    private var s: W = 0, c: W = 0

    mutating func add(_ v: W) {
        let t = s + v
        if !t.isFinite {  // ±∞ or NaN: nothing left to compensate
            s = t
            c = 0
            return
        }
        c += abs(s) >= abs(v) ? (s - t) + v : (v - t) + s
        s = t
    }

    var value: W { s.isFinite ? s + c : s }
}

/// The softmax distribution of one row with SPEC §1's edge classes, in the wide type.
struct TrainingWideRow<S: SmoothScalar, W: TrainingWide> {
    enum Kind { case finite, nan, posInf, masked }
    let kind: Kind
    let x: UnsafePointer<S>
    let n: Int
    let tau: W
    /// finite: max, Σ exp((x − m)/τ) and its log; posInf: k (the number of +∞ entries) and log k.
    private(set) var m: W = 0, sum: W = 0, logSum: W = 0

    init(_ x: UnsafePointer<S>, _ n: Int, _ tau: S) {
        self.x = x
        self.n = n
        self.tau = W(tau)
        var mx = -S.infinity, nan = false
        for i in 0..<n {
            if x[i].isNaN { nan = true }
            mx = max(mx, x[i])
        }
        if nan { kind = .nan }
        else if mx == .infinity {
            kind = .posInf
            sum = W((0..<n).count { x[$0] == .infinity })
            logSum = W.logW(sum)
        } else if mx == -.infinity { kind = .masked }
        else {
            kind = .finite
            m = W(mx)
            var s = TrainingWideSum<W>()
            for i in 0..<n { s.add(W.expW((W(x[i]) - m) / self.tau)) }
            sum = s.value
            logSum = W.logW(sum)
        }
    }

    /// log p_i.
    func logp(_ i: Int) -> W {
        switch kind {
        case .finite: return (W(x[i]) - m) / tau - logSum
        case .posInf: return x[i] == .infinity ? -logSum : -.infinity
        case .masked: return -.infinity
        case .nan: return .nan
        }
    }

    /// p_i.
    func p(_ i: Int) -> W {
        switch kind {
        case .finite: return W.expW(logp(i))
        case .posInf: return x[i] == .infinity ? 1 / sum : 0
        case .masked: return 0
        case .nan: return .nan
        }
    }

    /// a = Σ i·p_i (NaN for a masked or empty row).
    var softArgmax: W {
        var a = TrainingWideSum<W>()
        for i in 0..<n { a.add(W(i) * p(i)) }
        return kind == .masked ? .nan : a.value
    }
}

/// The pure-Swift training kernels; `W` is the wide type of `S`. Arguments are checked.
enum TrainingFallback<S: SmoothScalar, W: TrainingWide> {
    static func lseBackward(_ x: UnsafePointer<S>, _ rows: Int, _ cols: Int, _ ldx: Int, _ g: UnsafePointer<S>,
                            _ t: S, _ dx: UnsafeMutablePointer<S>, _ ldd: Int) {
        for r in 0..<rows {
            let row = TrainingWideRow<S, W>(x + r * ldx, cols, t), gr = W(g[r])
            for i in 0..<cols { dx[r * ldd + i] = S(gr * row.p(i)) }
        }
    }

    static func argmaxBackward(_ x: UnsafePointer<S>, _ rows: Int, _ cols: Int, _ ldx: Int, _ g: UnsafePointer<S>,
                               _ t: S, _ dx: UnsafeMutablePointer<S>, _ ldd: Int) {
        for r in 0..<rows {
            let row = TrainingWideRow<S, W>(x + r * ldx, cols, t), k = W(g[r]) / W(t), a = row.softArgmax
            for i in 0..<cols { dx[r * ldd + i] = row.kind == .masked ? 0 : S(k * row.p(i) * (W(i) - a)) }
        }
    }

    static func softmaxBackward(_ p: UnsafePointer<S>, _ rows: Int, _ cols: Int, _ ldp: Int, _ g: UnsafePointer<S>,
                                _ ldg: Int, _ t: S, _ dx: UnsafeMutablePointer<S>, _ ldd: Int) {
        for r in 0..<rows {
            let pr = p + r * ldp, gr = g + r * ldg
            var dot = TrainingWideSum<W>()
            for i in 0..<cols { dot.add(W(gr[i]) * W(pr[i])) }
            for i in 0..<cols { dx[r * ldd + i] = S(W(pr[i]) * (W(gr[i]) - dot.value) / W(t)) }
        }
    }

    static func logSoftmaxBackward(_ y: UnsafePointer<S>, _ rows: Int, _ cols: Int, _ ldy: Int, fromLog: Bool,
                                   _ g: UnsafePointer<S>, _ ldg: Int, _ t: S, _ dx: UnsafeMutablePointer<S>, _ ldd: Int) {
        for r in 0..<rows {
            let yr = y + r * ldy, gr = g + r * ldg
            var sg = TrainingWideSum<W>()
            for i in 0..<cols { sg.add(W(gr[i])) }
            for i in 0..<cols {
                let p = fromLog ? W.expW(W(yr[i])) : W(yr[i])
                dx[r * ldd + i] = S((W(gr[i]) - p * sg.value) / W(t))
            }
        }
    }

    /// Cross-entropy from labels (`labels` non-nil) or soft targets; see smoothkit_train.h.
    static func crossEntropy(_ x: UnsafePointer<S>, _ rows: Int, _ cols: Int, _ ldx: Int, labels: UnsafePointer<Int64>?,
                             ignore: Int64, targets: UnsafePointer<S>?, _ ldq: Int, eps: S, _ t: S,
                             reduction: LossReduction, loss: UnsafeMutablePointer<S>, dx: UnsafeMutablePointer<S>?,
                             _ ldd: Int) {
        let counted = labels.map { l in (0..<rows).count { l[$0] != ignore } } ?? rows
        let scale: W = reduction == .mean && counted > 0 ? 1 / W(counted) : 1
        let keep = 1 - W(eps), uni = cols > 0 ? W(eps) / W(cols) : 0
        var total = TrainingWideSum<W>()
        for r in 0..<rows {
            let d = dx.map { $0 + r * ldd }
            if let labels, labels[r] == ignore {
                if let d { for i in 0..<cols { d[i] = 0 } }
                if reduction == .none { loss[r] = 0 }
                continue
            }
            let row = TrainingWideRow<S, W>(x + r * ldx, cols, t)
            func q(_ i: Int) -> W {
                if let targets { return keep * W(targets[r * ldq + i]) + uni }
                return (labels![r] == Int64(i) ? keep : 0) + uni
            }
            var sq = TrainingWideSum<W>(), l = TrainingWideSum<W>()
            for i in 0..<cols {
                let qi = q(i)
                sq.add(qi)
                if qi != 0 { l.add(-qi * row.logp(i)) }
            }
            if let d {
                let k = scale / W(t)
                for i in 0..<cols { d[i] = S((row.p(i) * sq.value - q(i)) * k) }
            }
            if reduction == .none { loss[r] = S(l.value) }
            total.add(l.value)
        }
        switch reduction {
        case .none: break
        case .sum: loss[0] = S(total.value)
        case .mean: loss[0] = S(total.value / W(counted))
        }
    }

    static func lseState(_ x: UnsafePointer<S>, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: S,
                         _ m: UnsafeMutablePointer<S>, _ s: UnsafeMutablePointer<S>) {
        for r in 0..<rows {
            let row = TrainingWideRow<S, W>(x + r * ldx, cols, t)
            switch row.kind {
            case .nan: (m[r], s[r]) = (.nan, .nan)
            case .masked: (m[r], s[r]) = (-.infinity, 0)
            case .posInf: (m[r], s[r]) = (.infinity, S(row.sum))
            case .finite: (m[r], s[r]) = (S(row.m), S(row.sum))
            }
        }
    }

    static func lseMerge(_ m1: UnsafePointer<S>, _ s1: UnsafePointer<S>, _ m2: UnsafePointer<S>, _ s2: UnsafePointer<S>,
                         _ n: Int, _ t: S, _ m: UnsafeMutablePointer<S>, _ s: UnsafeMutablePointer<S>) {
        func factor(_ mj: S, _ mm: S) -> W { mj == mm ? 1 : W.expW((W(mj) - W(mm)) / W(t)) }
        for i in 0..<n {
            let (a, b, sa, sb) = (m1[i], m2[i], s1[i], s2[i])
            if a.isNaN || b.isNaN || sa.isNaN || sb.isNaN {
                (m[i], s[i]) = (.nan, .nan)
                continue
            }
            let mm = max(a, b)
            (m[i], s[i]) = (mm, S(W(sa) * factor(a, mm) + W(sb) * factor(b, mm)))
        }
    }

    /// One forward op on a gathered row `v` (left-out entries already −∞): a reduction's value
    /// via `put(0, value)`, a map's values via `put(i, value)` for the entries where `kept(i)`
    /// (the others get 0 / −∞).
    static func forward(_ op: RowOp, _ v: UnsafeBufferPointer<S>, _ t: S, kept: (Int) -> Bool, put: (Int, S) -> Void) {
        let w = TrainingWideRow<S, W>(v.baseAddress!, v.count, t)
        switch op {
        case .logSumExp:
            switch w.kind {
            case .finite: put(0, S(w.m + W(t) * w.logSum))
            case .posInf: put(0, .infinity)
            case .masked: put(0, -.infinity)
            case .nan: put(0, .nan)
            }
        case .softArgmax: put(0, S(w.softArgmax))
        case .softmax, .logSoftmax:
            let off: S = op == .softmax ? 0 : -.infinity
            for i in 0..<v.count { put(i, !kept(i) ? off : S(op == .softmax ? w.p(i) : w.logp(i))) }
        }
    }

    /// The masked forward ops (smoothkit_train.h): each row copied with the entries left out
    /// set to −∞, then the unmasked definitions; maps write 0 / −∞ where not kept.
    static func masked(_ op: RowOp, _ x: UnsafePointer<S>, _ rows: Int, _ cols: Int, _ ldx: Int,
                       _ lengths: UnsafePointer<Int64>?, _ mask: UnsafePointer<UInt8>?, _ ldm: Int, _ t: S,
                       _ y: UnsafeMutablePointer<S>, _ ldy: Int) {
        var row = [S](repeating: 0, count: cols)
        for r in 0..<rows {
            let len = lengths.map { Int($0[r]) } ?? cols
            func kept(_ i: Int) -> Bool { i < len && (mask.map { $0[r * ldm + i] != 0 } ?? true) }
            for i in 0..<cols { row[i] = kept(i) ? x[r * ldx + i] : -.infinity }
            row.withUnsafeBufferPointer { rb in
                forward(op, rb, t, kept: kept) { i, v in y[op.isMap ? r * ldy + i : r] = v }
            }
        }
    }

    /// The column-wise forward ops: each column gathered, then the row definitions.
    static func column(_ op: RowOp, _ x: UnsafePointer<S>, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: S,
                       _ y: UnsafeMutablePointer<S>, _ ldy: Int) {
        var col = [S](repeating: 0, count: rows)
        for c in 0..<cols {
            for r in 0..<rows { col[r] = x[r * ldx + c] }
            col.withUnsafeBufferPointer { cb in
                forward(op, cb, t, kept: { _ in true }) { r, v in y[op.isMap ? r * ldy + c : c] = v }
            }
        }
    }

    /// Weighted logsumexp with sign (smoothkit_train.h): S = Σ b·exp((x − m)/τ) in the wide type.
    static func weighted(_ x: UnsafePointer<S>, _ rows: Int, _ cols: Int, _ ldx: Int, _ b: UnsafePointer<S>, _ ldb: Int,
                         _ t: S, _ out: UnsafeMutablePointer<S>, _ sign: UnsafeMutablePointer<S>) {
        for r in 0..<rows {
            let xr = x + r * ldx, br = b + r * ldb
            let used = (0..<cols).filter { br[$0] != 0 }
            let m = used.reduce(-S.infinity) { max($0, xr[$1]) }
            var total: W
            if used.contains(where: { xr[$0].isNaN || br[$0].isNaN }) { total = .nan }
            else if m == -.infinity { total = 0 }
            else if m == .infinity {
                total = used.filter { xr[$0] == .infinity }.reduce(W(0)) { $0 + W(br[$1]) }
                if total == 0 { total = .nan }
            } else {
                var sum = TrainingWideSum<W>()
                for i in used where xr[i] != -.infinity { sum.add(W(br[i]) * W.expW((W(xr[i]) - W(m)) / W(t))) }
                total = sum.value
            }
            sign[r] = total.isNaN ? .nan : total > 0 ? 1 : total < 0 ? -1 : 0
            if total.isNaN { out[r] = .nan }
            else if total == 0 { out[r] = -.infinity }
            else if m == .infinity || total.isInfinite { out[r] = .infinity }
            else { out[r] = S(W(m) + W(t) * W.logW(abs(total))) }
        }
    }

    static func lseFinalize(_ m: UnsafePointer<S>, _ s: UnsafePointer<S>, _ n: Int, _ t: S, _ out: UnsafeMutablePointer<S>) {
        for i in 0..<n { out[i] = S(W(m[i]) + W(t) * W.logW(W(s[i]))) }
    }
}
