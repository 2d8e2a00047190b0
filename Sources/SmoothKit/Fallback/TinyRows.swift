// Tiny rows, `lanes` rows at a time: the Swift twin of the "tiny rows" section of
// CKernels/kernels/rowops.inc (tiny_group, drive). One row per lane and the columns in turn,
// so that the packets are full whatever the row length, and the per-row scalar work (scan
// reductions, context, wide arithmetic) is shared by the group.
//
// A group is done this way only when all its rows are ordinary: no NaN, a finite max,
// max − min below the greatest finite value, min taken over the entries above −∞ as the row
// scan does (`RowScan`), and the call's τ context has sc = pre = 1. Any other group goes row
// by row (SwiftRowOps.swift), so every edge case of SPEC §1 keeps one implementation. −∞
// entries (attention masks) stay in the group: their t is −∞, so e = 0 exactly (the low
// word, NaN there, is discarded by `exp2DoubleWord`), and log_softmax's (x − m)/τ − log Σ is
// −∞. A row of −∞ only (max −∞) is an edge row. Per lane:
//   Σ e as a running sum plus its TwoSum errors (each term added exactly), renormalised once
//   logsumexp    m + τ·log Σ, log Σ per lane in Double (`lanesLog`), the sum in the wide type
//   softmax      e·(1/Σ), 1/Σ as a double word from the exact residual 1 − Σ·inv
//   log_softmax  (x − m)/τ − log Σ, as the row code with sc = pre = 1
//   softargmax   Σ i·e (a second double word) / Σ e in the wide type

/// Which op a tiny group computes.
enum TinyOp {
    case logSumExp, softmax, logSoftmax, softArgmax

    /// Maps write a matrix (leading dimension `ldd`); the others one value per row.
    var isMap: Bool { self == .softmax || self == .logSoftmax }
}

enum TinyRows {
    /// One packet per column of a group (`TINY_COLS` in rowops.inc): rows of at most 16
    /// entries are grouped, the column packets of a group held in registers or on the stack.
    typealias Columns<P> = InlineArray<16, P>
    static var maxColumns: Int { Columns<Float>.count }

    /// An op over a matrix: groups of `lanes` rows first when the rows are tiny and τ needs no
    /// prescale, then `rowByRow(x, rows, dst)` for the groups that are not ordinary and the
    /// rows after the last whole group, all with the call's one τ context. `dst` is the output
    /// matrix (maps, leading dimension `ldd`) or vector (reductions).
    @inline(always)
    static func drive<T: FallbackScalar>(_ op: TinyOp, _ x: UnsafePointer<T>, _ rows: Int, _ cols: Int, _ ldx: Int,
                                         _ call: CallContext<T>, _ dst: UnsafeMutablePointer<T>, _ ldd: Int,
                                         rowByRow: (UnsafePointer<T>, Int, UnsafeMutablePointer<T>) -> Void) {
        let lanes = T.Packet.scalarCount, dstStep = op.isMap ? ldd : 1
        // The τ context of sc = 1; m and min are per lane, supplied by the group.
        let cx = call.ordinary
        var r = 0
        if cols > 0 && cols <= maxColumns && cx.isPlain {
            while r + lanes <= rows {
                let xg = x + r * ldx, dg = dst + r * dstStep
                if !group(op, cx, call.tau, xg, ldx, cols, dg, ldd) { rowByRow(xg, lanes, dg) }
                r += lanes
            }
        }
        if r < rows { rowByRow(x + r * ldx, rows - r, dst + r * dstStep) }
    }

    /// Column j of a group: x[k·ldx + j] in lane k.
    @inline(always)
    static func column<T: FallbackScalar>(_ x: UnsafePointer<T>, _ ldx: Int, _ j: Int) -> T.Packet {
        var v = T.Packet()
        for k in 0..<T.Packet.scalarCount { v[k] = x[k * ldx + j] }
        return v
    }

    /// Stores lane k of v at dst[k·ldd + j].
    @inline(always)
    static func storeColumn<T: FallbackScalar>(_ v: T.Packet, _ dst: UnsafeMutablePointer<T>, _ ldd: Int, _ j: Int) {
        for k in 0..<T.Packet.scalarCount { dst[k * ldd + j] = v[k] }
    }

    /// One group of `lanes` rows of n ≤ 16 entries, row k in lane k. Returns false, having
    /// written nothing, when a row is not ordinary (see the top of the file). Reads every entry
    /// before it writes, so softmax and log_softmax may run in place.
    @inline(always)
    static func group<T: FallbackScalar>(_ op: TinyOp, _ cx: RowContext<T>, _ tau: T, _ x: UnsafePointer<T>,
                                         _ ldx: Int, _ n: Int, _ dst: UnsafeMutablePointer<T>, _ ldd: Int) -> Bool {
        typealias P = T.Packet
        var col = Columns<P>(repeating: P())
        var mx = P(repeating: -.infinity), mn = P(repeating: .infinity)
        var nan = SIMDMask<P.MaskStorage>(repeating: false)
        for j in 0..<n {
            let v = column(x, ldx, j)
            col[unchecked: j] = v
            mx.replace(with: v, where: T.lanesLess(mx, v))
            mn = T.minAboveNegativeInfinity(mn, v)
            nan .|= T.lanesNaN(v)
        }
        // max − min < greatest finite, tested halved so that the test cannot overflow (the
        // halving is exact for the values that matter, and rounding is monotone: a computed
        // half-range below greatest/2 means an exact one below it). Fails for a max of +∞
        // (+∞, or NaN when min is +∞ too), but not for a max of −∞ (all entries −∞: min is
        // +∞, the half-range −∞), hence the separate test of the max.
        let halfRange = mx * 0.5 - mn * 0.5
        let maxAboveNegativeInfinity = .!T.lanesLess(mx, P(repeating: -T.greatestFiniteMagnitude))
        let ordinary = T.lanesLess(halfRange, P(repeating: T.greatestFiniteMagnitude * 0.5))
            .& maxAboveNegativeInfinity .& .!nan
        guard all(ordinary) else { return false }

        let msc = -mx
        // Σ e (and Σ j·e) as hi + lo: hi the plain running sum, lo the sum of its TwoSum errors,
        // renormalised once at the end, as tiny_group in rowops.inc (its comment has the
        // bound: n ≤ 16 terms in [0, 1], so lo's own roundings stay below 2^8·u²·Σ). The chain
        // from column to column is then one addition, not addTwoSum's renormalisation.
        var hi = P(), lo = P(), ihi = P(), ilo = P()
        for j in 0..<n {
            let t = cx.argument(col[unchecked: j], minusMax: msc, plain: true)
            let e = T.exp2DoubleWord(t.hi, t.lo)
            if op == .softmax { col[unchecked: j] = e }
            addTwoSumDeferred(&hi, &lo, e)
            if op == .softArgmax { addTwoSumDeferred(&ihi, &ilo, T(j) * e) }
        }
        (hi, lo) = fastTwoSum(hi, lo)  // |lo| ≤ ulp(hi)/2 for lanesLog and 1/Σ; hi ≥ 1

        typealias W = T.Wide
        switch op {
        case .logSumExp:
            let logs = T.lanesLog(hi, lo)
            for k in 0..<P.scalarCount {
                dst[k] = (W(mx[k]) + W(tau) * (W(logs.hi[k]) + W(logs.lo[k]))).narrowed
            }
        case .softArgmax:
            for k in 0..<P.scalarCount {
                dst[k] = ((W(ihi[k]) + W(ilo[k])) / (W(hi[k]) + W(lo[k]))).narrowed
            }
        case .softmax:
            // 1/(hi + lo) as inv + invLo: the residual 1 − hi·inv is exact (Sterbenz, with the
            // exact product error), hi ≥ 1 (the max's term is 2^0).
            let inv = 1 / hi, p = hi * inv
            let invLo = (((1 - p) - productError(hi, inv, p)) - lo * inv) * inv
            for j in 0..<n {
                let e = col[unchecked: j]
                storeColumn(mulAdd(e, inv, e * invLo), dst, ldd, j)
            }
        case .logSoftmax:
            let logs = T.lanesLog(hi, lo).hi, q = P(repeating: cx.q)
            for j in 0..<n {
                storeColumn((col[unchecked: j] + msc) * q - logs, dst, ldd, j)
            }
        }
        return true
    }
}
