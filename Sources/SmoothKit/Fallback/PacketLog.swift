// A vector natural log in Double packets, for the per-lane log Σ of the Float tiny-row groups
// (the Swift twin of log_wv in CKernels/kernels/rowops.inc): one libm call per row would cost
// as much as the rest of a 4-entry row.

/// ln s per lane for normal s ≥ 1 (a tiny group's Σ/e(m), at most 16), to about 2^−34 relative
/// (far below Float's u = 2^−24; a Double row group uses libm instead, see `lanesLogRelative`).
///
/// s = 2^k·r with r in [√½, √2), ln r = 2·atanh z = 2z·(1 + z²/3 + … + z¹⁰/11),
/// z = (r − 1)/(r + 1), |z| ≤ 0.1716: the first omitted term, z¹²/13, is below 2^−34.
/// r − 1 is exact (Sterbenz); k comes from the exponent bits through 2^52 + k − 2^52.
/// Concrete on SIMD16<Double> (the Float packet widened): the generic SIMD comparisons build
/// their masks lane by lane (see `FallbackScalar.lanesLess`).
@inline(always)
func packetLog(_ s: SIMD16<Double>) -> SIMD16<Double> {
    typealias V = SIMD16<Double>
    typealias Bits = SIMD16<Int64>
    let ln2 = 0x1.62e42fefa39efp-1, sqrt2 = 0x1.6a09e667f3bcdp+0
    let bits = unsafeBitCast(s, to: Bits.self)
    // The biased exponent in the low bits of 2^52 (0x4330…): that double is 2^52 + exponent.
    let exponentField = (bits &>> 52) | Bits(repeating: 0x4330_0000_0000_0000)
    var k = unsafeBitCast(exponentField, to: V.self) - (0x1p52 + 1023)
    // The significand with the exponent of 1: r in [1, 2), then halved above √2.
    let significand = (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000
    var r = unsafeBitCast(significand, to: V.self)
    let above = r .> sqrt2
    r.replace(with: r * 0.5, where: above)
    k.replace(with: k + 1, where: above)
    let z = (r - 1) / (r + 1), z2 = z * z
    let p = horner(z2, [1, 1.0 / 3, 1.0 / 5, 1.0 / 7, 1.0 / 9, 1.0 / 11] as InlineArray<6, Double>)
    return k * ln2 + 2 * z * p
}
