// The type-specific facts of the pure-Swift row kernels: everything that differs between
// Float and Double lives here, so the algorithm (Exp2DoubleWord.swift, SwiftRowOps.swift)
// is written once. The constants mirror CKernels/kernels/types_f32.h and types_f64.h, which
// document where they come from; the two must stay equal.

/// An element type of the pure-Swift row kernels (`Float`, `Double`).
///
/// The kernels are generic over this protocol and specialised for both types; a conformance
/// supplies the SIMD packet, the wider type for per-row scalars, and the constants of
/// `CKernels/kernels/types_<suf>.h`. The exponent bit trick needs nothing more than the
/// packet's `MaskStorage`, the signed integer vector of the same width and lane count.
protocol FallbackScalar: SmoothScalar {
    /// The vector the kernels compute on, one element per lane.
    associatedtype Packet: SIMD where Packet.Scalar == Self

    /// More precision than `Self`, for the per-row scalars: the split of log2(e)/τ, the
    /// lane sums of Σ 2^t and the final log or quotient (`W` in the C kernels).
    associatedtype Wide: WideFloat where Wide.Narrow == Self

    /// 1.5·2^p, p = significand bits: x + ROUND_MAGIC − ROUND_MAGIC rounds x to an integer
    /// (exact for |x| < 2^(p−1)) and leaves that integer in the low bits of x + ROUND_MAGIC.
    static var roundMagic: Self { get }

    /// 2^t rounds to 0 for t below this: −(bias + p), one below the smallest subnormal's
    /// exponent (2^(cutoff) itself ties to even, to 0).
    static var exp2Cutoff: Self { get }

    /// Largest |k| of the temperature prescale 2^k (`PRESCALE_MAX_EXP`).
    static var prescaleMaxExponent: Int { get }

    /// Lanes where a < b. A requirement, not the generic `.<`, because only the concrete
    /// operator of `SIMD16<Float>` / `SIMD8<Double>` is one vector compare: the generic one
    /// builds its mask lane by lane through memory (measured 30× slower kernels).
    static func lanesLess(_ a: Packet, _ b: Packet) -> SIMDMask<Packet.MaskStorage>
    /// Lanes that hold NaN (same reason).
    static func lanesNaN(_ a: Packet) -> SIMDMask<Packet.MaskStorage>

    /// The largest and the smallest lane of a packet without NaN, by halving (the generic
    /// `max()` / `min()` are a lane-by-lane loop with a branch per lane: a third of the time of
    /// a 128-entry row).
    static func lanesMax(_ a: Packet) -> Self
    static func lanesMin(_ a: Packet) -> Self

    /// Σ (hi + lo) over the lanes in the wide type (`reduce2`).
    static func lanesSum(_ hi: Packet, _ lo: Packet) -> Wide

    /// 2^f for f in [−½, ½]: Horner on `EXP2_COEFFS` of the C header (a Chebyshev-node fit,
    /// 0.16 ulp for Float at degree 6, 0.13 ulp for Double at degree 11).
    static func exp2Polynomial(_ f: Packet) -> Packet

    /// 2^r − 1 for |r| ≤ ½ + 2^−7 (`FastExp`): the no-table `FEXP_COEFFS` of the C header
    /// (relative-error fits, scripts/fit-exp2) without their constant 1.
    static func fastPolynomial(_ r: Packet) -> Packet

    /// |m·c| up to which a row takes the fast exp (`FEXP_M_MAX`).
    static var fexpMaxReference: Self { get }

    /// The fast exp's clamp: entries with x·c − M below −fexpCut give 0 (`FEXP_CUT`).
    static var fexpCut: Self { get }

    /// ln((hi + lo)/e) per lane, as a double word, for a tiny-row group's Σ e over its max
    /// entry's term e (1 ≤ (hi + lo)/e ≤ 16 up to the exp's error, |lo| ≤ ulp(hi)/2): within
    /// about 1 ulp of log 16 < 2.8 in Double, which SPEC §1's 8u needs for Double rows
    /// (logsumexp adds m in the wide type).
    static func lanesLogRelative(_ hi: Packet, _ lo: Packet, _ e: Packet) -> (hi: Packet, lo: Packet)
}

extension Float: FallbackScalar {
    // SIMD16 measured fastest at the x86-64 baseline (SSE2: four registers per packet).
    typealias Packet = SIMD16<Float>
    typealias Wide = Double

    static var roundMagic: Float { 0x1.8p23 }
    static var exp2Cutoff: Float { -150 }
    static var prescaleMaxExponent: Int { 100 }
    static var fexpMaxReference: Float { 0x1p17 }
    static var fexpCut: Float { 160 }

    @inline(always) static func lanesLess(_ a: Packet, _ b: Packet) -> SIMDMask<SIMD16<Int32>> { a .< b }
    @inline(always) static func lanesNaN(_ a: Packet) -> SIMDMask<SIMD16<Int32>> { a .!= a }

    @inline(always)
    static func lanesMax(_ a: Packet) -> Float {
        var h = a.lowHalf, q: SIMD4<Float>
        h.replace(with: a.highHalf, where: h .< a.highHalf)
        q = h.lowHalf
        q.replace(with: h.highHalf, where: q .< h.highHalf)
        return Swift.max(Swift.max(q[0], q[1]), Swift.max(q[2], q[3]))
    }

    @inline(always)
    static func lanesMin(_ a: Packet) -> Float {
        var h = a.lowHalf, q: SIMD4<Float>
        h.replace(with: a.highHalf, where: a.highHalf .< h)
        q = h.lowHalf
        q.replace(with: h.highHalf, where: h.highHalf .< q)
        return Swift.min(Swift.min(q[0], q[1]), Swift.min(q[2], q[3]))
    }

    /// Widened to Double and summed as a tree (exact to about 2^−50 of the sum).
    @inline(always)
    static func lanesSum(_ hi: Packet, _ lo: Packet) -> Double {
        let s = SIMD16<Double>(hi) + SIMD16<Double>(lo)
        let h = s.lowHalf + s.highHalf, q = h.lowHalf + h.highHalf
        return (q[0] + q[2]) + (q[1] + q[3])
    }

    @inline(always)
    static func exp2Polynomial(_ f: Packet) -> Packet {
        horner(f, [0x1.0p+0, 0x1.62e43p-1, 0x1.ebfbep-3, 0x1.c6aeccp-5, 0x1.3b2a1cp-7,
                   0x1.5f491cp-10, 0x1.44404p-13] as InlineArray<7, Float>)
    }

    @inline(always)
    static func fastPolynomial(_ r: Packet) -> Packet {
        r * horner(r, [0x1.62e432p-1, 0x1.ebfbdap-3, 0x1.c6ae8ap-5, 0x1.3b2e3ep-7, 0x1.5f698ep-10,
                       0x1.41b9f6p-13] as InlineArray<6, Float>)
    }

    /// In Double packets (`packetLog`, 2^−34 relative): one vector log instead of 16 libm calls.
    @inline(always)
    static func lanesLogRelative(_ hi: Packet, _ lo: Packet, _ e: Packet) -> (hi: Packet, lo: Packet) {
        let l = packetLog((SIMD16<Double>(hi) + SIMD16<Double>(lo)) / SIMD16<Double>(e))
        let lh = Packet(l)
        return (lh, Packet(l - SIMD16<Double>(lh)))
    }
}

extension Double: FallbackScalar {
    typealias Packet = SIMD8<Double>
    typealias Wide = Float64Wide

    static var roundMagic: Double { 0x1.8p52 }
    static var exp2Cutoff: Double { -1075 }
    static var prescaleMaxExponent: Int { 1000 }
    static var fexpMaxReference: Double { 0x1p46 }
    static var fexpCut: Double { 1080 }

    @inline(always) static func lanesLess(_ a: Packet, _ b: Packet) -> SIMDMask<SIMD8<Int64>> { a .< b }
    @inline(always) static func lanesNaN(_ a: Packet) -> SIMDMask<SIMD8<Int64>> { a .!= a }

    @inline(always)
    static func lanesMax(_ a: Packet) -> Double {
        var h = a.lowHalf
        h.replace(with: a.highHalf, where: h .< a.highHalf)
        return Swift.max(Swift.max(h[0], h[1]), Swift.max(h[2], h[3]))
    }

    @inline(always)
    static func lanesMin(_ a: Packet) -> Double {
        var h = a.lowHalf
        h.replace(with: a.highHalf, where: a.highHalf .< h)
        return Swift.min(Swift.min(h[0], h[1]), Swift.min(h[2], h[3]))
    }

    /// In the wide type lane by lane, four partial sums (the order does not matter there).
    @inline(always)
    static func lanesSum(_ hi: Packet, _ lo: Packet) -> Wide {
        var s = (Wide(hi[0]) + Wide(lo[0]), Wide(hi[1]) + Wide(lo[1]), Wide(hi[2]) + Wide(lo[2]), Wide(hi[3]) + Wide(lo[3]))
        s.0 = s.0 + Wide(hi[4]) + Wide(lo[4])
        s.1 = s.1 + Wide(hi[5]) + Wide(lo[5])
        s.2 = s.2 + Wide(hi[6]) + Wide(lo[6])
        s.3 = s.3 + Wide(hi[7]) + Wide(lo[7])
        return (s.0 + s.1) + (s.2 + s.3)
    }

    @inline(always)
    static func exp2Polynomial(_ f: Packet) -> Packet {
        horner(f, [0x1.0p+0, 0x1.62e42fefa39efp-1, 0x1.ebfbdff82c5afp-3, 0x1.c6b08d704a0c6p-5,
                   0x1.3b2ab6fb9f159p-7, 0x1.5d87fe78a3f7bp-10, 0x1.430913113b9ccp-13,
                   0x1.ffcbfc6db3ea4p-17, 0x1.62bfc2a14714ep-20, 0x1.b524ebafd7059p-24,
                   0x1.e622d05fd57d6p-28, 0x1.e9ec5b20cd57p-32] as InlineArray<12, Double>)
    }

    @inline(always)
    static func fastPolynomial(_ r: Packet) -> Packet {
        r * horner(r, [0x1.62e42fefa39f0p-1, 0x1.ebfbdff82c5bdp-3, 0x1.c6b08d7049f60p-5,
                       0x1.3b2ab6fb9d151p-7, 0x1.5d87fe78dd8e5p-10, 0x1.430913176fdbbp-13,
                       0x1.ffcbfb7bd2fa2p-17, 0x1.62bfb334c8b60p-20, 0x1.b526a7cf81114p-24,
                       0x1.e63d4c32a15f6p-28, 0x1.e79bbd802a80ap-32] as InlineArray<11, Double>)
    }

    /// The quotient as a double word qh + ql by its exact residual (`productError`), then
    /// libm's log per lane (≤ 1 ulp), log(qh) + ql/qh: the first omitted term, (ql/qh)²/2, is
    /// below u². (A polynomial in Double would spend the 8u of SPEC §1 on its own error.)
    @inline(always)
    static func lanesLogRelative(_ hi: Packet, _ lo: Packet, _ e: Packet) -> (hi: Packet, lo: Packet) {
        let qh = hi / e, p = qh * e
        let ql = (((hi - p) - productError(qh, e, p)) + lo) / e
        var l = Packet()
        for k in 0..<Packet.scalarCount { l[k] = qh[k].naturalLog + ql[k] / qh[k] }
        return (l, Packet())
    }
}
