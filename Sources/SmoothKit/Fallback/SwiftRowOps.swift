// The pure-Swift row kernels (`Backend.swift`): the algorithm of CKernels/kernels/rowops.inc,
// step for step, on SIMD packets, so the SPEC §1 bounds of the C kernels hold here too.
//
// Per row:  range (max, min) → for a finite max:
//   logsumexp    Σ e                            then m + τ·log(Σ/e(m))
//   softmax      y = e stored, Σ e              then y ·= 1/Σ           (3 passes)
//   log_softmax  Σ e                            then y = (x − m)/τ − log(Σ/e(m))
//   softargmax   Σ e and Σ i·e fused            then Σ i·e / Σ e
// with e = 2^(x·c − M) by the fast exp (FastExp.swift) where the row allows it, else
// e = 2^t, t = (x − m)·log2(e)/τ in double word (`RowContext`, Exp2DoubleWord.swift), and
// e(m) = 1. A row whose max is not finite goes to the edge cases of SPEC §1.1 (`RowScan`).

/// The four batched row ops of SPEC §1 in Swift, one entry for `Float` and `Double`: generic
/// callers reach it through the C bridge's per-type switch (`S.c.swiftRows`), so the fallback
/// needs no switch of its own; pointers travel untyped and τ as `Double`, as in `CKernels`.
///
/// Arguments are checked by the caller: rows ≥ 1, cols ≥ 0, ld ≥ cols, temperature finite
/// and > 0. Element (r, c) is `x[r*ldx + c]`; `out` may be `x` (same leading dimension);
/// reductions write `rows` values to `out` and ignore `ldo`.
protocol SwiftRowKernels {
    static func swiftRows(_ op: RowOp, _ x: UnsafeRawPointer, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double,
                          _ out: UnsafeMutableRawPointer, _ ldo: Int)
}

extension SwiftRowKernels where Self: FallbackScalar {
    static func swiftRows(_ op: RowOp, _ x: UnsafeRawPointer, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double,
                          _ out: UnsafeMutableRawPointer, _ ldo: Int) {
        let x = x.assumingMemoryBound(to: Self.self), out = out.assumingMemoryBound(to: Self.self)
        let tau = Self(t)  // exact: t came from a Self
        switch op {
        case .logSumExp: RowKernels.logSumExp(x, rows, cols, ldx, tau, out)
        case .softmax: RowKernels.softmax(x, rows, cols, ldx, tau, out, ldo)
        case .logSoftmax: RowKernels.logSoftmax(x, rows, cols, ldx, tau, out, ldo)
        case .softArgmax: RowKernels.softArgmax(x, rows, cols, ldx, tau, out)
        }
    }
}

extension Float: SwiftRowKernels {}
extension Double: SwiftRowKernels {}

/// The edge class of a row (SPEC §1's table), in the order rows are tested for them.
enum RowClass {
    case finite, nan, posInf, masked  // masked: every entry −∞, or no entry at all
}

/// One read of a row: its max, its smallest entry above −∞, and whether any entry is NaN.
///
/// −∞ entries are left out of `min` on purpose, as the C scan does (`min_above_ninf`): `min` decides whether
/// x − m can overflow (`RowContext.sc`), which only finite entries can do. Counting −∞ made
/// every masked row take sc = ½, which rounds subnormal entries; with a subnormal τ that
/// moved results by far more than 8u (Float [3·2^−149, 0, −∞] with τ = 2^−149: softmax
/// 0.982 instead of 0.953).
struct RowScan<T: FallbackScalar> {
    var max = -T.infinity, min = T.infinity, hasNaN = false

    @inline(always)
    init(_ x: UnsafePointer<T>, _ n: Int) {
        typealias P = T.Packet
        let lanes = P.scalarCount
        var mx = P(repeating: -.infinity), mn = P(repeating: .infinity)
        var bad = SIMDMask<P.MaskStorage>(repeating: false)
        var i = 0
        while i + lanes <= n {
            let v = x.packet(at: i)
            mx.replace(with: v, where: T.lanesLess(mx, v))
            mn = T.minAboveNegativeInfinity(mn, v)
            bad .|= T.lanesNaN(v)
            i += lanes
        }
        // Neither packet holds NaN. (Reducing lane by lane with `?:` here made LLVM
        // rebuild the loop above with lane shuffles and branches: 4× slower scans.)
        max = T.lanesMax(mx)
        min = T.lanesMin(mn)
        hasNaN = any(bad)
        while i < n {
            let v = x[i]
            max = v > max ? v : max
            min = v < min && v > -.infinity ? v : min
            hasNaN = hasNaN || v.isNaN
            i += 1
        }
    }

    var rowClass: RowClass {
        if hasNaN { return .nan }
        if max == .infinity { return .posInf }
        if max == -.infinity { return .masked }
        return .finite
    }
}

extension FallbackScalar {
    /// The running minimum of `RowScan` and of the tiny-row groups, lane by lane: v where
    /// v < mn and v is above −∞ (`min_above_ninf` in rowops.inc). A lane with no such entry
    /// keeps +∞.
    @inline(always)
    static func minAboveNegativeInfinity(_ mn: Packet, _ v: Packet) -> Packet {
        let w = v.replacing(with: .infinity, where: lanesLess(v, Packet(repeating: -greatestFiniteMagnitude)))
        return mn.replacing(with: w, where: lanesLess(w, mn))
    }
}

/// max and min of a row in one read (`range` in rowops.inc): −∞ entries count (the fast exp's
/// clamp decision needs them), NaN entries are skipped (a NaN in a row with a finite max
/// reaches Σ and so every result; a row whose max is not finite gets `RowScan`). Four max/min
/// pairs, so that no compare waits for the one before.
struct RowRange<T: FallbackScalar> {
    var max = -T.infinity, min = T.infinity

    @inline(always)
    init(_ x: UnsafePointer<T>, _ n: Int) {
        typealias P = T.Packet
        let lanes = P.scalarCount
        var mx0 = P(repeating: -.infinity), mn0 = P(repeating: .infinity)
        var (mx1, mn1) = (mx0, mn0)
        var i = 0
        while i + 2 * lanes <= n {
            let a = x.packet(at: i), b = x.packet(at: i + lanes)
            mx0.replace(with: a, where: T.lanesLess(mx0, a))
            mn0.replace(with: a, where: T.lanesLess(a, mn0))
            mx1.replace(with: b, where: T.lanesLess(mx1, b))
            mn1.replace(with: b, where: T.lanesLess(b, mn1))
            i += 2 * lanes
        }
        if i + lanes <= n {
            let a = x.packet(at: i)
            mx0.replace(with: a, where: T.lanesLess(mx0, a))
            mn0.replace(with: a, where: T.lanesLess(a, mn0))
            i += lanes
        }
        mx0.replace(with: mx1, where: T.lanesLess(mx0, mx1))
        mn0.replace(with: mn1, where: T.lanesLess(mn1, mn0))
        max = T.lanesMax(mx0)
        min = T.lanesMin(mn0)
        while i < n {
            let v = x[i]
            max = v > max ? v : max
            min = v < min ? v : min
            i += 1
        }
    }
}

/// The τ context of a call, built once (`make_tctx` in rowops.inc): an ordinary row only sets
/// its −m; a row whose m − min overflows builds its own halved context (rare).
struct CallContext<T: FallbackScalar> {
    let tau: T, ordinary: RowContext<T>
    /// τ/log2(e) = 1/(c_hi + c_lo) of the ordinary context: the fast exp's clamp points.
    let invC: T

    init(temperature tau: T) {
        self.tau = tau
        ordinary = RowContext(temperature: tau, halved: false)
        invC = (T.Wide(1) / (T.Wide(ordinary.cHi.value) + T.Wide(ordinary.cLo))).narrowed
    }

    /// The double-word context of a row with a finite max (`row_ctx`); `min` above −∞.
    @inline(always)
    func row(max: T, min: T) -> RowContext<T> {
        RowContext.needsHalving(max: max, min: min)
            ? RowContext(max: max, min: min, temperature: tau) : ordinary.row(max: max)
    }
}

/// How a finite row's terms are formed (a constant in each inlined loop, as in rowops.inc):
/// the double-word argument with a scaled or a plain context, or the fast exp without or
/// with its clamp.
enum ExpMode {
    case doubleWord, doubleWordPlain, fast, fastClamp
}

/// A finite row's sums: Σ e and Σ i·e in the wide type, the max entry's own term e(m) (1 on
/// the double-word path), and the double-word context log_softmax's last pass uses. On the
/// fast path that is the ordinary one (sc = 1): m − min cannot overflow there, since
/// |m·c| ≤ fexpMaxReference and c ≥ 2^−60 keep |m| below 2^77 (Float) / 2^106 (Double).
struct RowSums<T: FallbackScalar> {
    var sum: T.Wide, indexSum: T.Wide, emax: T, context: RowContext<T>

    /// log(Σ / e(m)) ≥ 0 in the wide type (`log_rel`).
    var logRelative: T.Wide { (sum / T.Wide(emax)).naturalLog }
}

/// The generic row kernels, one body per op for `Float` and `Double` (`FallbackScalar`);
/// `SwiftRowOps` calls them with concrete types, so each is compiled specialised.
enum RowKernels {
    // ---- passes ---------------------------------------------------------------------------

    /// One term per lane in `mode` (a constant): the fast exp or the double-word one.
    @inline(always)
    static func term<T: FallbackScalar>(_ cx: RowContext<T>, _ f: FastExp<T>, _ x: T.Packet,
                                        _ mode: ExpMode) -> T.Packet {
        switch mode {
        case .doubleWord: cx.exp(x, plain: false)
        case .doubleWordPlain: cx.exp(x, plain: true)
        case .fast: f(x, clamp: false)
        case .fastClamp: f(x, clamp: true)
        }
    }

    /// Σ e (and Σ i·e when `withIndex`, and y_i = e when `y` is given) over a row with a finite
    /// max, e the term of `mode` (`exp_pass_k`). Blocked summation: each block of 8 packets
    /// feeds two accumulators, then joins a compensated running total (the first block starts
    /// it), so the error does not grow with n (SPEC §1: no long serial sums; rowops.inc's
    /// BLOCK). Always inlined with constant flags, so each op and mode gets its own loop. The
    /// last partial packet is filled with entries whose term is exactly 0.
    @inline(always)
    static func expLoop<T: FallbackScalar>(_ cx: RowContext<T>, _ f: FastExp<T>, _ x: UnsafePointer<T>, _ n: Int,
                                           y: UnsafeMutablePointer<T>?, withIndex: Bool, mode: ExpMode)
        -> (sum: T.Wide, indexSum: T.Wide) {
        typealias P = T.Packet
        let lanes = P.scalarCount, block = 8 * lanes
        let fast = mode == .fast || mode == .fastClamp
        let fill = fast ? f.xcut : -.infinity
        var iota = P()
        for k in 0..<lanes { iota[k] = T(k) }
        var hi = P(), lo = P(), ihi = P(), ilo = P()
        var i = 0, first = true
        while i < n {
            let end = Swift.min(n, i + block)
            var a0 = P(), a1 = P(), b0 = P(), b1 = P()
            while i + 2 * lanes <= end {
                let e0 = term(cx, f, x.packet(at: i), mode)
                let e1 = term(cx, f, x.packet(at: i + lanes), mode)
                if let y {
                    y.store(e0, at: i)
                    y.store(e1, at: i + lanes)
                }
                a0 += e0
                a1 += e1
                if withIndex {
                    let j = iota + T(i)
                    b0 = mulAdd(j, e0, b0)
                    b1 = mulAdd(j + T(lanes), e1, b1)
                }
                i += 2 * lanes
            }
            while i < end {  // the row's last packet or two, the very last one partial
                let k = Swift.min(end - i, lanes)
                // the fast exp's fill needs its clamp (xcut gives 0 only there)
                let e = k == lanes ? term(cx, f, x.packet(at: i), mode)
                    : term(cx, f, x.partialPacket(at: i, count: k, fill: fill), mode == .fast ? .fastClamp : mode)
                if let y {
                    if k == lanes { y.store(e, at: i) } else { y.storePartial(e, at: i, count: k) }
                }
                a0 += e
                if withIndex { b0 = mulAdd(iota + T(i), e, b0) }
                i += k
            }
            if first {
                hi = a0 + a1
                if withIndex { ihi = b0 + b1 }
                first = false
            } else {
                addTwoSum(&hi, &lo, a0 + a1)
                if withIndex { addTwoSum(&ihi, &ilo, b0 + b1) }
            }
        }
        return (T.lanesSum(hi, lo), withIndex ? T.lanesSum(ihi, ilo) : T.Wide(0))
    }

    /// The sums of a row with a finite max m and min mn (−∞ entries included; `finite_row`):
    /// by the fast exp where `FastExp` allows it, else by the double-word argument of the
    /// row's context (which needs the min above −∞: a second read in that rare case).
    @inline(always)
    static func finiteRow<T: FallbackScalar>(_ call: CallContext<T>, _ x: UnsafePointer<T>, _ n: Int,
                                             _ range: RowRange<T>, y: UnsafeMutablePointer<T>?,
                                             withIndex: Bool) -> RowSums<T> {
        var clamp = false
        if let f = FastExp(call, max: range.max, min: range.min, clamp: &clamp) {
            let s = clamp ? expLoop(call.ordinary, f, x, n, y: y, withIndex: withIndex, mode: .fastClamp)
                : expLoop(call.ordinary, f, x, n, y: y, withIndex: withIndex, mode: .fast)
            return RowSums(sum: s.sum, indexSum: s.indexSum, emax: f.term(of: range.max),
                           context: call.ordinary.row(max: range.max))
        }
        let mn = range.min == -.infinity ? RowScan(x, n).min : range.min
        let cx = call.row(max: range.max, min: mn)
        let s = cx.isPlain ? expLoop(cx, FastExp.none(call), x, n, y: y, withIndex: withIndex, mode: .doubleWordPlain)
            : expLoop(cx, FastExp.none(call), x, n, y: y, withIndex: withIndex, mode: .doubleWord)
        return RowSums(sum: s.sum, indexSum: s.indexSum, emax: 1, context: cx)
    }

    /// A row whose max is +∞ (no NaN): the number of +∞ entries and the sum of their indices.
    static func infinities<T: FallbackScalar>(_ x: UnsafePointer<T>, _ n: Int) -> (count: Int, indexSum: Int) {
        var count = 0, indexSum = 0
        for i in 0..<n where x[i] == .infinity {
            count += 1
            indexSum += i
        }
        return (count, indexSum)
    }

    static func fill<T>(_ y: UnsafeMutablePointer<T>, _ n: Int, _ v: T) {
        y.update(repeating: v, count: n)
    }

    // ---- the four ops ---------------------------------------------------------------------
    // Tiny rows go in groups first (TinyRows.swift); the rest, and every group with an edge
    // row, row by row in the `…Rows` bodies below. A row whose max (NaN skipped) is finite
    // takes `finiteRow`; any other row is classified by a full scan (`RowScan`, SPEC §1.1).

    static func logSumExp<T: FallbackScalar>(_ x: UnsafePointer<T>, _ rows: Int, _ cols: Int, _ ldx: Int,
                                             _ tau: T, _ out: UnsafeMutablePointer<T>) {
        let call = CallContext(temperature: tau)
        TinyRows.drive(.logSumExp, x, rows, cols, ldx, call, out, 1) { logSumExpRows($0, $1, cols, ldx, call, $2) }
    }

    static func softmax<T: FallbackScalar>(_ x: UnsafePointer<T>, _ rows: Int, _ cols: Int, _ ldx: Int,
                                           _ tau: T, _ y: UnsafeMutablePointer<T>, _ ldy: Int) {
        let call = CallContext(temperature: tau)
        TinyRows.drive(.softmax, x, rows, cols, ldx, call, y, ldy) { softmaxRows($0, $1, cols, ldx, call, $2, ldy) }
    }

    static func logSoftmax<T: FallbackScalar>(_ x: UnsafePointer<T>, _ rows: Int, _ cols: Int, _ ldx: Int,
                                              _ tau: T, _ y: UnsafeMutablePointer<T>, _ ldy: Int) {
        let call = CallContext(temperature: tau)
        TinyRows.drive(.logSoftmax, x, rows, cols, ldx, call, y, ldy) { logSoftmaxRows($0, $1, cols, ldx, call, $2, ldy) }
    }

    static func softArgmax<T: FallbackScalar>(_ x: UnsafePointer<T>, _ rows: Int, _ cols: Int, _ ldx: Int,
                                              _ tau: T, _ out: UnsafeMutablePointer<T>) {
        let call = CallContext(temperature: tau)
        TinyRows.drive(.softArgmax, x, rows, cols, ldx, call, out, 1) { softArgmaxRows($0, $1, cols, ldx, call, $2) }
    }

    /// logsumexp: out = m + τ·log(Σ/e(m)), in the wide type.
    static func logSumExpRows<T: FallbackScalar>(_ x: UnsafePointer<T>, _ rows: Int, _ cols: Int, _ ldx: Int,
                                                 _ call: CallContext<T>, _ out: UnsafeMutablePointer<T>) {
        for r in 0..<rows {
            let xr = x + r * ldx
            let range = RowRange(xr, cols)
            if range.max.isFinite {
                let s = finiteRow(call, xr, cols, range, y: nil, withIndex: false)
                out[r] = (T.Wide(range.max) + T.Wide(call.tau) * s.logRelative).narrowed
                continue
            }
            switch RowScan(xr, cols).rowClass {
            case .nan: out[r] = .nan
            case .posInf: out[r] = .infinity
            case .masked, .finite: out[r] = -.infinity  // .finite cannot happen here
            }
        }
    }

    /// softmax: y = e stored while summing, then scaled by 1/Σ (rounded once from the wide
    /// type). In place when y == x: each element is read before it is written.
    static func softmaxRows<T: FallbackScalar>(_ x: UnsafePointer<T>, _ rows: Int, _ cols: Int, _ ldx: Int,
                                               _ call: CallContext<T>, _ y: UnsafeMutablePointer<T>, _ ldy: Int) {
        for r in 0..<rows {
            let xr = x + r * ldx, yr = y + r * ldy
            let range = RowRange(xr, cols)
            if range.max.isFinite {
                let sum = finiteRow(call, xr, cols, range, y: yr, withIndex: false).sum
                // y ·= 1/Σ with 1/Σ as a double word (inv + invLo): about one rounding per element.
                let invWide = T.Wide(1) / sum
                let inv = invWide.narrowed, invLo = (invWide - T.Wide(inv)).narrowed
                let yc = UnsafePointer(yr), lanes = T.Packet.scalarCount
                var i = 0
                while i + lanes <= cols {
                    let e = yc.packet(at: i)
                    yr.store(mulAdd(e, T.Packet(repeating: inv), e * invLo), at: i)
                    i += lanes
                }
                while i < cols {
                    yr[i] = yr[i] * inv + yr[i] * invLo
                    i += 1
                }
                continue
            }
            switch RowScan(xr, cols).rowClass {
            case .nan: fill(yr, cols, .nan)
            case .masked, .finite: fill(yr, cols, 0)
            case .posInf:
                let share = (T.Wide(1) / T.Wide(infinities(xr, cols).count)).narrowed
                for i in 0..<cols { yr[i] = xr[i] == .infinity ? share : 0 }
            }
        }
    }

    /// log_softmax: Σ e, then y = (x − m)/τ − log(Σ/e(m)).
    static func logSoftmaxRows<T: FallbackScalar>(_ x: UnsafePointer<T>, _ rows: Int, _ cols: Int, _ ldx: Int,
                                                  _ call: CallContext<T>, _ y: UnsafeMutablePointer<T>, _ ldy: Int) {
        for r in 0..<rows {
            let xr = x + r * ldx, yr = y + r * ldy
            let range = RowRange(xr, cols)
            if range.max.isFinite {
                let s = finiteRow(call, xr, cols, range, y: nil, withIndex: false)
                let logs = s.logRelative.narrowed
                if s.context.isPlain {
                    logSoftmaxStore(s.context, xr, yr, cols, logs, plain: true)
                } else {
                    logSoftmaxStore(s.context, xr, yr, cols, logs, plain: false)
                }
                continue
            }
            switch RowScan(xr, cols).rowClass {
            case .nan: fill(yr, cols, .nan)
            case .masked, .finite: fill(yr, cols, -.infinity)
            case .posInf:
                let there = (-T.Wide(infinities(xr, cols).count).naturalLog).narrowed
                for i in 0..<cols { yr[i] = xr[i] == .infinity ? there : -.infinity }
            }
        }
    }

    /// log_softmax's last pass: y = (x − m)/τ − log Σ (`RowContext.scaledDifference`), with
    /// `plain` a constant as in `expLoop`.
    @inline(always)
    static func logSoftmaxStore<T: FallbackScalar>(_ cx: RowContext<T>, _ x: UnsafePointer<T>,
                                                   _ y: UnsafeMutablePointer<T>, _ n: Int, _ logs: T,
                                                   plain: Bool) {
        let lanes = T.Packet.scalarCount
        var i = 0
        while i + lanes <= n {
            y.store(cx.scaledDifference(x.packet(at: i), plain: plain) - logs, at: i)
            i += lanes
        }
        if i < n {
            let v = x.partialPacket(at: i, count: n - i, fill: 0)
            y.storePartial(cx.scaledDifference(v, plain: plain) - logs, at: i, count: n - i)
        }
    }

    /// soft-argmax: Σ i·e / Σ e, both sums fused in one pass, the quotient in the wide type.
    static func softArgmaxRows<T: FallbackScalar>(_ x: UnsafePointer<T>, _ rows: Int, _ cols: Int, _ ldx: Int,
                                                  _ call: CallContext<T>, _ out: UnsafeMutablePointer<T>) {
        for r in 0..<rows {
            let xr = x + r * ldx
            let range = RowRange(xr, cols)
            if range.max.isFinite {
                let s = finiteRow(call, xr, cols, range, y: nil, withIndex: true)
                out[r] = (s.indexSum / s.sum).narrowed
                continue
            }
            switch RowScan(xr, cols).rowClass {
            case .nan, .masked, .finite: out[r] = .nan
            case .posInf:
                let k = infinities(xr, cols)
                out[r] = (T.Wide(k.indexSum) / T.Wide(k.count)).narrowed
            }
        }
    }
}
