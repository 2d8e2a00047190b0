// The fast exp of the row ops: the Swift twin of fexp / fast_ctx in CKernels/kernels/rowops.inc,
// in its no-table form (TABLE_BITS = 0, as the C portable and NEON paths: a table lookup has no
// one-instruction form at Swift's baseline ISA). The derivation and the error budget are in
// rowops.inc's comment above fexp; SPEC §1 has the bounds. In short, for a row with a finite
// max m, |m·c| ≤ fexpMaxReference and pre = 1 (c = c_hi + c_lo = log2(e)/τ):
//   e_i = 2^(x_i·c − M),  M = rint(m·c_hi),
// the factor 2^(M − m·c) common to every term (softmax and soft-argmax cancel it, logsumexp
// and log_softmax divide Σ by the max entry's own term). No TwoSum: x·c_hi − K is exact
// (an FMA, or Dekker's product), |r| ≤ ½ + |x·c_lo|, and 2^r = 1 + q(r) by a short fit.

/// The fast exp's constants for one row (`fctx` in rowops.inc).
struct FastExp<T: FallbackScalar> {
    /// c_hi (split for Dekker's product), c_lo, ROUND_MAGIC − M, and the clamp point.
    let c: SplitFactor<T>, cLo: T, b: T, xcut: T

    /// The row's fast exp (`fast_ctx`), nil when it must take the double-word argument (τ
    /// outside the plain context, |m·c_hi| > fexpMaxReference). `clamp`: some entry (its min,
    /// −∞ included) may give a term below the normal range, so entries go through the clamp.
    @inline(always)
    init?(_ call: CallContext<T>, max m: T, min mn: T, clamp: inout Bool) {
        let k = call.ordinary
        let h = m * k.cHi.value
        guard k.pre == 1, h <= T.fexpMaxReference, h >= -T.fexpMaxReference else { return nil }
        let ref = (h + T.roundMagic) - T.roundMagic
        c = k.cHi
        cLo = k.cLo
        b = T.roundMagic - ref
        xcut = (ref - T.fexpCut) * call.invC
        // e ≥ 2^−(bias−3), normal, for every entry above this.
        clamp = !(mn > (ref - T(T.exponentBias - 3)) * call.invC)
    }

    /// Per lane (the tiny-row groups: one row per lane, M and the clamp point per lane).
    @inline(always)
    init(_ call: CallContext<T>, b: T, xcut: T) {
        c = call.ordinary.cHi
        cLo = call.ordinary.cLo
        self.b = b
        self.xcut = xcut
    }

    /// A stand-in for the loops of the double-word modes, which do not read it.
    static func none(_ call: CallContext<T>) -> FastExp { FastExp(call, b: 0, xcut: 0) }

    /// e = 2^(x·c − M) lane by lane (`fexp`). With `clamp` (a constant at every call), x ←
    /// max(x, xcut) first, which makes every entry at or below xcut, −∞ included, exactly 0,
    /// and the scale carries 2^64 that the last product removes (subnormal terms rounded
    /// once, there). NaN stays NaN. `b` and `xcut` per lane for the tiny groups.
    @inline(always)
    func callAsFunction(_ x0: T.Packet, b bv: T.Packet, xcut xc: T.Packet, clamp: Bool) -> T.Packet {
        typealias P = T.Packet
        var x = x0
        if clamp { x.replace(with: xc, where: T.lanesLess(x, xc)) }
        let big: P, r0: P
        if packetFMA {
            big = bv.addingProduct(x, P(repeating: c.value))
            r0 = (bv - big).addingProduct(x, P(repeating: c.value))  // x·c_hi − K, K = big − b exact
        } else {
            let h = x * c.value
            big = h + bv
            r0 = (h - (big - bv)) + T.productErrorMasked(x, c, h)
        }
        let r = mulAdd(x, P(repeating: cLo), r0)
        let q = T.fastPolynomial(r)  // 2^r − 1
        // k = rint(x·c_hi − M) sits in big's low bits: shifted into the exponent field, added
        // to 1.0's bits, it makes 2^k (2^(k+64) with the clamp).
        typealias Bits = P.MaskStorage
        let mantissa = Bits.Scalar(T.significandBitCount)
        let one = Bits.Scalar(T.exponentBias + (clamp ? 64 : 0)) &<< mantissa
        let scale = unsafeBitCast((unsafeBitCast(big, to: Bits.self) &<< mantissa) &+ Bits(repeating: one), to: P.self)
        let e = mulAdd(q, scale, scale)
        return clamp ? e * 0x1p-64 : e
    }

    @inline(always)
    func callAsFunction(_ x: T.Packet, clamp: Bool) -> T.Packet {
        self(x, b: T.Packet(repeating: b), xcut: T.Packet(repeating: xcut), clamp: clamp)
    }

    /// The max entry's own term e(m) (with the clamp, as the C code takes it): Σ/e(m) ≥ 1 is
    /// free of the common factor 2^(M − m·c), so a row of one finite entry gets log 1 = 0.
    @inline(always)
    func term(of m: T) -> T { self(T.Packet(repeating: m), clamp: true)[0] }
}

extension FallbackScalar {
    /// a·b − p exactly for p = fl(a·b) and the split constant b (no FMA): Dekker's product with
    /// a split by masking its low ⌈p/2⌉ − ½ significand bits (two operations instead of
    /// Veltkamp's four): the head has at most 12 (Float) / 27 (Double) bits, b's head and
    /// tail at most 12 / 26, so every partial product is exact.
    @inline(always)
    static func productErrorMasked(_ a: Packet, _ b: SplitFactor<Self>, _ p: Packet) -> Packet {
        typealias Bits = Packet.MaskStorage
        let keep = Bits(repeating: ~((1 &<< Bits.Scalar((significandBitCount + 1) / 2)) &- 1))
        let head = unsafeBitCast(unsafeBitCast(a, to: Bits.self) & keep, to: Packet.self)
        return dekkerError((head, a - head), (Packet(repeating: b.head), Packet(repeating: b.tail)), p)
    }

    /// The exponent bias (127, 1023).
    static var exponentBias: Int { (1 << (exponentBitCount - 1)) - 1 }
}
