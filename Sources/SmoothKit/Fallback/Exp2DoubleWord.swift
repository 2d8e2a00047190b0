// SmoothKit's exponential, the Swift twin of the exp2dw / make_ctx / arg section of
// CKernels/kernels/rowops.inc: e_i = exp((x_i − m)/τ) = 2^(t_i) with
// t_i = (x_i − m)·log2(e)/τ ≤ 0 formed in double word, so that (x_i − m)/τ loses nothing
// before it is exponentiated.

// ---- exp2 on a double-word argument -------------------------------------------------------

/// 2^(th + tl) for th ≤ 0 and |tl| ≪ 1; exactly 0 where th < cutoff (also th = −∞, whatever
/// tl holds then). n = rint(th) by the round-magic trick, f = (th − n) + tl in [−½, ½] up to
/// |tl|, 2^f by the fitted polynomial, and 2^n applied as 2^(n+64)·2^−64 so that subnormal
/// results are rounded once, by the last product.
extension FallbackScalar {
    @inline(always)
    static func exp2DoubleWord(_ th: Packet, _ tl: Packet) -> Packet {
        let underflow = lanesLess(th, Packet(repeating: exp2Cutoff))
        let tc = th.replacing(with: exp2Cutoff, where: underflow)
        let big = tc + roundMagic
        let n = big - roundMagic
        let f = (tc - n) + tl
        let p = exp2Polynomial(f)
        // n sits in the low bits of big: shifted into the exponent field and rebiased, they
        // make the float 2^(n+64), normal since n ≥ cutoff.
        typealias Bits = Packet.MaskStorage
        let mantissa = Bits.Scalar(significandBitCount)
        let bias = (1 << (exponentBitCount - 1)) - 1
        let bits = (unsafeBitCast(big, to: Bits.self) &<< mantissa)
            &+ Bits(repeating: Bits.Scalar(bias + 64) &<< mantissa)
        let r = (p * unsafeBitCast(bits, to: Packet.self)) * 0x1p-64
        return r.replacing(with: 0, where: underflow)
    }
}

// ---- per-row argument context -------------------------------------------------------------

/// What a row needs to form t = (x − m)·log2(e)/τ as th + tl, exact to about u² relative,
/// for every finite τ > 0:
/// - `sc`: 1, or ½ when m − min overflows the element type (min over the entries above
///   −∞, see `RowScan`), so that no x·sc − m·sc overflows. That takes m ≥ ½ulp(greatest
///   finite), and every entry close enough to m to matter is then normal: halving is exact.
/// - `pre`: 2^k, k ≠ 0 only when log2(e)/(τ·sc) leaves [2^−60, 2^60] (subnormal or huge τ):
///   differences are lifted by 2^k so that c = log2(e)/(τ·sc·2^k) stays normal.
/// - `c`: c_hi + c_lo, computed in `Wide` and split.
/// - `q`: 1/(τ·sc·pre), for log_softmax's (x − m)/τ.
///
/// As `make_ctx` in rowops.inc, except that the C code decides sc on the exact difference
/// m − min (in the wide type) and this code on the rounded one; the values agree bit for bit
/// wherever that made no difference.
struct RowContext<T: FallbackScalar> {
    let sc: T, pre: T, q: T
    let cHi: SplitFactor<T>, cLo: T
    /// −m·sc; 0 in a τ context (`init(temperature:halved:)`) until `row(max:)` sets it.
    private(set) var msc: T

    /// `mn`: the row's smallest entry above −∞ (see `RowScan`).
    init(max m: T, min mn: T, temperature tau: T) {
        self = RowContext(temperature: tau, halved: Self.needsHalving(max: m, min: mn)).row(max: m)
    }

    /// Whether a row needs sc = ½: m − mn overflows the element type.
    static func needsHalving(max m: T, min mn: T) -> Bool { !(m - mn).isFinite }

    /// The part of a context that depends on τ and sc alone (`make_tctx` in rowops.inc): the
    /// frexp, ldexp and wide divisions are paid once per call, and a row only sets −m·sc.
    init(temperature tau: T, halved halve: Bool) {
        typealias W = T.Wide
        // τ·sc = tsN·2^eTs with tsN in [½, 1), and log2(e)/(τ·sc) = baseN·2^−eTs: kept apart
        // so that nothing under- or overflows in W (a double-double has Double's range).
        let eTau = W(tau).frexpExponent
        let tsN = W(tau).scaled(by: -eTau)
        let eTs = halve ? eTau - 1 : eTau
        let baseN = W.log2e / tsN
        var e = baseN.frexpExponent - eTs  // frexp's exponent of log2(e)/(τ·sc)
        if e > 60 || e < -60 {
            e = Swift.min(Swift.max(e, -T.prescaleMaxExponent), T.prescaleMaxExponent)
        } else {
            e = 0
        }
        let c = baseN.scaled(by: -eTs - e)  // log2(e)/(τ·sc·2^e)
        let cHi = c.narrowed
        sc = halve ? 0.5 : 1
        msc = 0
        pre = W(1).scaled(by: e).narrowed
        self.cHi = SplitFactor(cHi)
        cLo = (c - W(cHi)).narrowed
        q = (W(1) / tsN).scaled(by: -eTs - e).narrowed  // 1/(τ·sc·2^e)
    }

    /// This τ context for a row whose max is m (`row_ctx`).
    @inline(always)
    func row(max m: T) -> RowContext {
        var cx = self
        cx.msc = -m * sc
        return cx
    }

    /// Whether sc = pre = 1, the usual case: `argument` may then skip its three scaling
    /// products, exact multiplications by 1 there.
    var isPlain: Bool { sc == 1 && pre == 1 }

    /// th + tl = (x·sc − m·sc)·pre·(c_hi + c_lo): TwoSum for the difference, an exact product
    /// error for d·c_hi; what is left is below u²·|t|. −∞ entries give th = −∞ (tl may be
    /// NaN: `exp2DoubleWord` ignores it there). `msc` is −m·sc per lane (the tiny-row groups
    /// hold one row per lane); `plain` (a constant at every call) skips the scaling, for
    /// `isPlain` contexts.
    @inline(always)
    func argument(_ x: T.Packet, minusMax msc: T.Packet, plain: Bool) -> (hi: T.Packet, lo: T.Packet) {
        var (d, e) = twoSum(plain ? x : x * sc, msc)
        if !plain {
            d *= pre
            e *= pre
        }
        let h = d * cHi.value
        var l = productError(d, cHi, h)
        l = mulAdd(d, T.Packet(repeating: cLo), l)
        return (h, mulAdd(e, T.Packet(repeating: cHi.value), l))
    }

    /// (x − m)/τ lane by lane, as (x·sc − m·sc)·pre·q: the scaled difference never overflows
    /// and pre·q = 1/(τ·sc). `plain` (a constant) drops the products by sc = pre = 1.
    @inline(always)
    func scaledDifference(_ x: T.Packet, plain: Bool) -> T.Packet {
        plain ? (x + msc) * q : mulAdd(x, T.Packet(repeating: sc), T.Packet(repeating: msc)) * pre * q
    }

    /// exp((x − m)/τ) lane by lane; `plain` (a constant) as in `argument`.
    @inline(always)
    func exp(_ x: T.Packet, plain: Bool) -> T.Packet {
        let t = argument(x, minusMax: T.Packet(repeating: msc), plain: plain)
        return T.exp2DoubleWord(t.hi, t.lo)
    }
}
