// Tiny rows, `lanes` rows at a time: the Swift twin of the "tiny rows" section of
// CKernels/kernels/rowops.inc (tiny_group, drive). One row per lane and the columns in turn,
// so that the packets are full whatever the row length, and the per-row scalar work (scan
// reductions, context, wide arithmetic) is shared by the group.
//
// A group is done this way only when all its rows are ordinary: no NaN, a finite max,
// max − min below the greatest finite value, min taken over the entries above −∞ as the row
// scan does (`RowScan`), |m·c_hi| within the fast exp's reach, and the call's τ context has
// sc = pre = 1. Any other group goes row by row (SwiftRowOps.swift), so every edge case of
// SPEC §1 keeps one implementation. e = 2^(x·c − M) by the fast exp (FastExp.swift) with M
// per lane; −∞ entries (attention masks) stay in the group: the clamp makes their e exactly 0,
// and log_softmax's (x − m)/τ − log Σ is −∞. A row of −∞ only (max −∞) is an edge row. Per lane:
//   Σ e as a running sum plus its TwoSum errors (each term added exactly), renormalised once
//   logsumexp    m + τ·log(Σ/e(m)), the log per lane (`lanesLogRelative`), the sum in the wide type
//   softmax      e·(1/Σ), 1/Σ as a double word from the exact residual 1 − Σ·inv
//   log_softmax  (x − m)/τ − log(Σ/e(m)), as the row code with sc = pre = 1
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
        var r = 0
        if cols > 0 && cols <= maxColumns && call.ordinary.isPlain {
            while r + lanes <= rows {
                let xg = x + r * ldx, dg = dst + r * dstStep
                if !group(op, call, xg, ldx, cols, dg, ldd) { rowByRow(xg, lanes, dg) }
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
    /// written nothing, when a row is not ordinary (see the top of the file) or out of the fast
    /// exp's reach (|m·c_hi| > fexpMaxReference). Reads every entry before it writes, so
    /// softmax and log_softmax may run in place.
    @inline(always)
    static func group<T: FallbackScalar>(_ op: TinyOp, _ call: CallContext<T>, _ x: UnsafePointer<T>,
                                         _ ldx: Int, _ n: Int, _ dst: UnsafeMutablePointer<T>, _ ldd: Int) -> Bool {
        typealias P = T.Packet
        let cx = call.ordinary
        var col = Columns<P>(repeating: P())
        var mx = P(repeating: -.infinity), mn = P(repeating: .infinity), mnAll = mn
        var nan = SIMDMask<P.MaskStorage>(repeating: false)
        for j in 0..<n {
            let v = column(x, ldx, j)
            col[unchecked: j] = v
            mx.replace(with: v, where: T.lanesLess(mx, v))
            mn = T.minAboveNegativeInfinity(mn, v)
            mnAll.replace(with: v, where: T.lanesLess(v, mnAll))
            nan .|= T.lanesNaN(v)
        }
        // max − min < greatest finite, tested halved so that the test cannot overflow (the
        // halving is exact for the values that matter, and rounding is monotone: a computed
        // half-range below greatest/2 means an exact one below it). Fails for a max of +∞
        // (+∞, or NaN when min is +∞ too), but not for a max of −∞ (all entries −∞: min is
        // +∞, the half-range −∞), hence the separate test of the max. Then the fast exp's
        // reach per lane (`FastExp.init`; false for an infinite max too).
        let halfRange = mx * 0.5 - mn * 0.5
        let maxAboveNegativeInfinity = .!T.lanesLess(mx, P(repeating: -T.greatestFiniteMagnitude))
        let mch = mx * cx.cHi.value, reach = P(repeating: T.fexpMaxReference)
        let ordinary = T.lanesLess(halfRange, P(repeating: T.greatestFiniteMagnitude * 0.5))
            .& maxAboveNegativeInfinity .& .!nan .& .!T.lanesLess(reach, mch) .& .!T.lanesLess(mch, -reach)
        guard all(ordinary) else { return false }

        // The fast exp per lane: M = rint(m·c_hi), b = ROUND_MAGIC − M, the clamp point; the
        // clamp only where a lane's min (−∞ entries included) can give a term below the
        // normal range (as `FastExp.init`).
        let msc = -mx
        let ref = (mch + T.roundMagic) - T.roundMagic
        let b = P(repeating: T.roundMagic) - ref, invC = P(repeating: call.invC)
        let xcut = (ref - T.fexpCut) * invC
        let clamp = any(.!T.lanesLess((ref - T(T.exponentBias - 3)) * invC, mnAll))
        let f = FastExp(call, b: 0, xcut: 0)
        // Σ e (and Σ j·e) as hi + lo: hi the plain running sum, lo the sum of its TwoSum errors,
        // renormalised once at the end, as tiny_group in rowops.inc (its comment has the
        // bound: n ≤ 16 terms in [0, 1], so lo's own roundings stay below 2^8·u²·Σ). The chain
        // from column to column is then one addition, not addTwoSum's renormalisation.
        var hi = P(), lo = P(), ihi = P(), ilo = P()
        if clamp {
            terms(op, f, b, xcut, n, &col, &hi, &lo, &ihi, &ilo, clamp: true)
        } else {
            terms(op, f, b, xcut, n, &col, &hi, &lo, &ihi, &ilo, clamp: false)
        }
        (hi, lo) = fastTwoSum(hi, lo)  // |lo| ≤ ulp(hi)/2 for the log and 1/Σ; hi ≥ e(m) > ½
        // Each lane's max entry's own term e(m): log(Σ/e(m)) ≥ 0, free of 2^(M − m·c) (`FastExp.term`).
        let emax = f(mx, b: b, xcut: xcut, clamp: true)

        typealias W = T.Wide
        switch op {
        case .logSumExp:
            let logs = T.lanesLogRelative(hi, lo, emax)
            for k in 0..<P.scalarCount {
                dst[k] = (W(mx[k]) + W(call.tau) * (W(logs.hi[k]) + W(logs.lo[k]))).narrowed
            }
        case .softArgmax:
            for k in 0..<P.scalarCount {
                dst[k] = ((W(ihi[k]) + W(ilo[k])) / (W(hi[k]) + W(lo[k]))).narrowed
            }
        case .softmax:
            // 1/(hi + lo) as inv + invLo: the residual 1 − hi·inv is exact (Sterbenz, with the
            // exact product error), hi > ½.
            let inv = 1 / hi, p = hi * inv
            let invLo = (((1 - p) - productError(hi, inv, p)) - lo * inv) * inv
            for j in 0..<n {
                let e = col[unchecked: j]
                storeColumn(mulAdd(e, inv, e * invLo), dst, ldd, j)
            }
        case .logSoftmax:
            let logs = T.lanesLogRelative(hi, lo, emax), q = P(repeating: cx.q)
            for j in 0..<n {
                storeColumn(((col[unchecked: j] + msc) * q - logs.hi) - logs.lo, dst, ldd, j)
            }
        }
        return true
    }

    /// A group's terms, column by column (`tiny_terms`; `clamp` a constant): e into col for
    /// softmax, Σ e and Σ j·e as plain running sums plus their TwoSum errors.
    @inline(always)
    static func terms<T: FallbackScalar>(_ op: TinyOp, _ f: FastExp<T>, _ b: T.Packet, _ xcut: T.Packet, _ n: Int,
                                         _ col: inout Columns<T.Packet>, _ hi: inout T.Packet, _ lo: inout T.Packet,
                                         _ ihi: inout T.Packet, _ ilo: inout T.Packet, clamp: Bool) {
        for j in 0..<n {
            let e = f(col[unchecked: j], b: b, xcut: xcut, clamp: clamp)
            if op == .softmax { col[unchecked: j] = e }
            addTwoSumDeferred(&hi, &lo, e)
            if op == .softArgmax { addTwoSumDeferred(&ihi, &ilo, T(j) * e) }
        }
    }
}
