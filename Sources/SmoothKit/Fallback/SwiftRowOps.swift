// The pure-Swift row kernels (`Backend.swift`): the algorithm of CKernels/kernels/rowops.inc,
// step for step, on SIMD packets, so the SPEC §1 bounds of the C kernels hold here too.
//
// Per row:  scan (max, min, NaN) → the edge cases of SPEC §1 → for a finite max:
//   logsumexp    Σ 2^t                          then m + τ·log Σ
//   softmax      y = 2^t stored, Σ 2^t          then y ·= 1/Σ           (3 passes)
//   log_softmax  Σ 2^t                          then y = (x − m)/τ − log Σ
//   softargmax   Σ 2^t and Σ i·2^t fused        then Σ i·2^t / Σ 2^t
// with t = (x − m)·log2(e)/τ ≤ 0 in double word (`RowContext`, Exp2DoubleWord.swift).

/// The four batched row ops of SPEC §1 in Swift, for `Float` and `Double`.
///
/// Arguments are checked by the caller: rows ≥ 1, cols ≥ 0, ld ≥ cols, temperature finite
/// and > 0. Element (r, c) is `x[r*ldx + c]`; `y` may be `x` (same leading dimension).
enum SwiftRowOps {
    static func logSumExp<S: SmoothScalar>(_ x: UnsafePointer<S>, rows: Int, cols: Int, ldx: Int,
                                           temperature: S, out: UnsafeMutablePointer<S>) {
        switch S._smoothKind {
        case .float32:
            RowKernels.logSumExp(x.as(Float.self), rows, cols, ldx, temperature.as(Float.self), out.as(Float.self))
        case .float64:
            RowKernels.logSumExp(x.as(Double.self), rows, cols, ldx, temperature.as(Double.self), out.as(Double.self))
        }
    }

    static func softmax<S: SmoothScalar>(_ x: UnsafePointer<S>, rows: Int, cols: Int, ldx: Int,
                                         temperature: S, y: UnsafeMutablePointer<S>, ldy: Int) {
        switch S._smoothKind {
        case .float32:
            RowKernels.softmax(x.as(Float.self), rows, cols, ldx, temperature.as(Float.self), y.as(Float.self), ldy)
        case .float64:
            RowKernels.softmax(x.as(Double.self), rows, cols, ldx, temperature.as(Double.self), y.as(Double.self), ldy)
        }
    }

    static func logSoftmax<S: SmoothScalar>(_ x: UnsafePointer<S>, rows: Int, cols: Int, ldx: Int,
                                            temperature: S, y: UnsafeMutablePointer<S>, ldy: Int) {
        switch S._smoothKind {
        case .float32:
            RowKernels.logSoftmax(x.as(Float.self), rows, cols, ldx, temperature.as(Float.self), y.as(Float.self), ldy)
        case .float64:
            RowKernels.logSoftmax(x.as(Double.self), rows, cols, ldx, temperature.as(Double.self), y.as(Double.self), ldy)
        }
    }

    static func softArgmax<S: SmoothScalar>(_ x: UnsafePointer<S>, rows: Int, cols: Int, ldx: Int,
                                            temperature: S, out: UnsafeMutablePointer<S>) {
        switch S._smoothKind {
        case .float32:
            RowKernels.softArgmax(x.as(Float.self), rows, cols, ldx, temperature.as(Float.self), out.as(Float.self))
        case .float64:
            RowKernels.softArgmax(x.as(Double.self), rows, cols, ldx, temperature.as(Double.self), out.as(Double.self))
        }
    }
}

// The caller's S seen as the type its `_smoothKind` names (the same type: no conversion).
extension SmoothScalar {
    @inline(always)
    fileprivate func `as`<U>(_: U.Type) -> U { unsafeBitCast(self, to: U.self) }
}

extension UnsafePointer {
    @inline(always)
    fileprivate func `as`<U>(_: U.Type) -> UnsafePointer<U> {
        UnsafeRawPointer(self).assumingMemoryBound(to: U.self)
    }
}

extension UnsafeMutablePointer {
    @inline(always)
    fileprivate func `as`<U>(_: U.Type) -> UnsafeMutablePointer<U> {
        UnsafeMutableRawPointer(self).assumingMemoryBound(to: U.self)
    }
}

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
        max = mx.max()
        min = mn.min()
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

/// The τ context of a call, built once (`make_tctx` in rowops.inc): an ordinary row only sets
/// its −m; a row whose m − min overflows builds its own halved context (rare).
struct CallContext<T: FallbackScalar> {
    let tau: T, ordinary: RowContext<T>

    init(temperature tau: T) {
        self.tau = tau
        ordinary = RowContext(temperature: tau, halved: false)
    }

    /// The context of a row with a finite max (`row_ctx`).
    @inline(always)
    func row(_ s: RowScan<T>) -> RowContext<T> {
        RowContext.needsHalving(max: s.max, min: s.min)
            ? RowContext(max: s.max, min: s.min, temperature: tau) : ordinary.row(max: s.max)
    }
}

/// The generic row kernels, one body per op for `Float` and `Double` (`FallbackScalar`);
/// `SwiftRowOps` calls them with concrete types, so each is compiled specialised.
enum RowKernels {
    // ---- passes ---------------------------------------------------------------------------

    /// Σ 2^t (and Σ i·2^t when `withIndex`, and y_i = 2^t when `y` is given) over a row with a
    /// finite max. Blocked summation: each block of 8 packets feeds two accumulators (4 terms
    /// per lane each: long runs of equal terms round alike, so blocks stay short), then joins
    /// a compensated running total with TwoSum, so the error does not grow with n (SPEC §1:
    /// no long serial sums). Always inlined with constant flags, so each op gets its own
    /// loops: one for `isPlain` contexts (every ordinary row at ordinary τ), which skips the
    /// argument's scaling, and one for the rest.
    @inline(always)
    static func expPass<T: FallbackScalar>(_ cx: RowContext<T>, _ x: UnsafePointer<T>, _ n: Int,
                                           y: UnsafeMutablePointer<T>?, withIndex: Bool)
        -> (sum: T.Wide, indexSum: T.Wide) {
        cx.isPlain ? expLoop(cx, x, n, y: y, withIndex: withIndex, plain: true)
            : expLoop(cx, x, n, y: y, withIndex: withIndex, plain: false)
    }

    /// The body of `expPass`, `plain` a constant at both call sites.
    @inline(always)
    static func expLoop<T: FallbackScalar>(_ cx: RowContext<T>, _ x: UnsafePointer<T>, _ n: Int,
                                           y: UnsafeMutablePointer<T>?, withIndex: Bool, plain: Bool)
        -> (sum: T.Wide, indexSum: T.Wide) {
        typealias P = T.Packet
        let lanes = P.scalarCount, block = 8 * lanes
        var iota = P()
        for k in 0..<lanes { iota[k] = T(k) }
        var hi = P(), lo = P(), ihi = P(), ilo = P()
        var i = 0
        while i < n {
            let end = Swift.min(n, i + block)
            var a0 = P(), a1 = P(), b0 = P(), b1 = P()
            while i + 2 * lanes <= end {
                let e0 = cx.exp(x.packet(at: i), plain: plain)
                let e1 = cx.exp(x.packet(at: i + lanes), plain: plain)
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
                let v = k == lanes ? x.packet(at: i) : x.partialPacket(at: i, count: k, fill: -.infinity)
                let e = cx.exp(v, plain: plain)
                if let y {
                    if k == lanes { y.store(e, at: i) } else { y.storePartial(e, at: i, count: k) }
                }
                a0 += e
                if withIndex { b0 = mulAdd(iota + T(i), e, b0) }
                i += k
            }
            addTwoSum(&hi, &lo, a0 + a1)
            if withIndex { addTwoSum(&ihi, &ilo, b0 + b1) }
        }
        return (lanesSum(hi, lo), withIndex ? lanesSum(ihi, ilo) : T.Wide(0))
    }

    /// Σ (hi + lo) over the lanes, in the wide type: four partial sums, for a short
    /// dependency chain (the order does not matter at the wide type's precision).
    @inline(always)
    static func lanesSum<P: SIMD>(_ hi: P, _ lo: P) -> P.Scalar.Wide where P.Scalar: FallbackScalar {
        typealias W = P.Scalar.Wide
        var s0 = W(0), s1 = W(0), s2 = W(0), s3 = W(0)
        for k in stride(from: 0, to: P.scalarCount, by: 4) {
            s0 = s0 + W(hi[k]) + W(lo[k])
            s1 = s1 + W(hi[k + 1]) + W(lo[k + 1])
            s2 = s2 + W(hi[k + 2]) + W(lo[k + 2])
            s3 = s3 + W(hi[k + 3]) + W(lo[k + 3])
        }
        return (s0 + s1) + (s2 + s3)
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
    // row, row by row in the `…Rows` bodies below.

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

    /// logsumexp: out = m + τ·log Σ 2^t, the sum and the final expression in the wide type.
    static func logSumExpRows<T: FallbackScalar>(_ x: UnsafePointer<T>, _ rows: Int, _ cols: Int, _ ldx: Int,
                                             _ call: CallContext<T>, _ out: UnsafeMutablePointer<T>) {
        for r in 0..<rows {
            let xr = x + r * ldx
            let s = RowScan(xr, cols)
            switch s.rowClass {
            case .nan: out[r] = .nan
            case .posInf: out[r] = .infinity
            case .masked: out[r] = -.infinity
            case .finite:
                let cx = call.row(s)
                let sum = expPass(cx, xr, cols, y: nil, withIndex: false).sum
                out[r] = (T.Wide(s.max) + T.Wide(call.tau) * sum.naturalLog).narrowed
            }
        }
    }

    /// softmax: y = 2^t stored while summing, then scaled by 1/Σ (rounded once from the wide
    /// type). In place when y == x: each element is read before it is written.
    static func softmaxRows<T: FallbackScalar>(_ x: UnsafePointer<T>, _ rows: Int, _ cols: Int, _ ldx: Int,
                                           _ call: CallContext<T>, _ y: UnsafeMutablePointer<T>, _ ldy: Int) {
        for r in 0..<rows {
            let xr = x + r * ldx, yr = y + r * ldy
            let s = RowScan(xr, cols)
            switch s.rowClass {
            case .nan: fill(yr, cols, .nan)
            case .masked: fill(yr, cols, 0)
            case .posInf:
                let share = (T.Wide(1) / T.Wide(infinities(xr, cols).count)).narrowed
                for i in 0..<cols { yr[i] = xr[i] == .infinity ? share : 0 }
            case .finite:
                let cx = call.row(s)
                let sum = expPass(cx, xr, cols, y: yr, withIndex: false).sum
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
            }
        }
    }

    /// log_softmax: Σ 2^t, then y = (x − m)/τ − log Σ.
    static func logSoftmaxRows<T: FallbackScalar>(_ x: UnsafePointer<T>, _ rows: Int, _ cols: Int, _ ldx: Int,
                                              _ call: CallContext<T>, _ y: UnsafeMutablePointer<T>, _ ldy: Int) {
        for r in 0..<rows {
            let xr = x + r * ldx, yr = y + r * ldy
            let s = RowScan(xr, cols)
            switch s.rowClass {
            case .nan: fill(yr, cols, .nan)
            case .masked: fill(yr, cols, -.infinity)
            case .posInf:
                let there = (-T.Wide(infinities(xr, cols).count).naturalLog).narrowed
                for i in 0..<cols { yr[i] = xr[i] == .infinity ? there : -.infinity }
            case .finite:
                let cx = call.row(s)
                let sum = expPass(cx, xr, cols, y: nil, withIndex: false).sum
                let logs = sum.naturalLog.narrowed
                if cx.isPlain {
                    logSoftmaxStore(cx, xr, yr, cols, logs, plain: true)
                } else {
                    logSoftmaxStore(cx, xr, yr, cols, logs, plain: false)
                }
            }
        }
    }

    /// log_softmax's last pass: y = (x − m)/τ − log Σ (`RowContext.scaledDifference`), with
    /// `plain` a constant as in `expPass`.
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

    /// soft-argmax: Σ i·2^t / Σ 2^t, both sums fused in one pass, the quotient in the wide type.
    static func softArgmaxRows<T: FallbackScalar>(_ x: UnsafePointer<T>, _ rows: Int, _ cols: Int, _ ldx: Int,
                                              _ call: CallContext<T>, _ out: UnsafeMutablePointer<T>) {
        for r in 0..<rows {
            let xr = x + r * ldx
            let s = RowScan(xr, cols)
            switch s.rowClass {
            case .nan, .masked: out[r] = .nan
            case .posInf:
                let k = infinities(xr, cols)
                out[r] = (T.Wide(k.indexSum) / T.Wide(k.count)).narrowed
            case .finite:
                let cx = call.row(s)
                let sums = expPass(cx, xr, cols, y: nil, withIndex: true)
                out[r] = (sums.indexSum / sums.sum).narrowed
            }
        }
    }
}
