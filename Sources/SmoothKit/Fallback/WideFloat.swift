// The wider type of the per-row scalars (`W` in CKernels/kernels/types_<suf>.h): Double for
// Float rows; Float80 for Double rows on x86-64, or a double-double where Float80 does not
// exist (arm64: the C kernels use the 128-bit long double there).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif

/// Arithmetic in more precision than an element type, for the handful of per-row scalars
/// (never per element): the context c = log2(e)/τ, Σ 2^t over the lanes, and the final
/// `m + τ·log Σ`, `1/Σ`, `Σ i·2^t / Σ 2^t`.
protocol WideFloat {
    /// The element type this widens; every `Narrow` converts exactly.
    associatedtype Narrow
    init(_ x: Narrow)
    /// An integer (counts and index sums), exactly while it fits the significand.
    init(_ i: Int)
    /// Rounded once to the element type.
    var narrowed: Narrow { get }

    static prefix func - (a: Self) -> Self
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self

    /// ln(self), for self > 0.
    var naturalLog: Self { get }
    /// The e of frexp: self = f·2^e with |f| in [½, 1), for finite self ≠ 0.
    var frexpExponent: Int { get }
    /// self·2^e, exact while the result is normal (ldexp), for the exponents of the context.
    func scaled(by e: Int) -> Self
    /// log2(e) = 1/ln 2, rounded to this type.
    static var log2e: Self { get }
}

extension Double: WideFloat {
    typealias Narrow = Float
    var narrowed: Float { Float(self) }
    var naturalLog: Double { log(self) }
    var frexpExponent: Int { Int(exponent) + 1 }
    func scaled(by e: Int) -> Double {
        // The Float rows' exponents stay within ±300: one exact product by a normal 2^e.
        self * Double(sign: .plus, exponentBitPattern: UInt(1023 + e), significandBitPattern: 0)
    }
    static var log2e: Double { 0x1.71547652b82fep+0 }
}

#if arch(x86_64) && !os(Windows) && !SMOOTHKIT_DOUBLE_DOUBLE
/// The wide type of Double rows: the x87 80-bit format, as `long double` in the C kernels.
typealias Float64Wide = Float80

extension Float80: WideFloat {
    typealias Narrow = Double
    var narrowed: Double { Double(self) }
    var naturalLog: Float80 { logl(self) }
    var frexpExponent: Int { Int(exponent) + 1 }
    func scaled(by e: Int) -> Float80 {
        // The Double rows' exponents stay within ±2200: one exact product by a normal 2^e.
        self * Float80(sign: .plus, exponentBitPattern: UInt(16383 + e), significandBitPattern: 0)
    }
    static var log2e: Float80 { 0x1.71547652b82fe178p+0 }
}
#else
/// The wide type of Double rows where Float80 does not exist. (`-D SMOOTHKIT_DOUBLE_DOUBLE`
/// selects it on x86-64 too, to test this path there.)
typealias Float64Wide = DoubleDouble
#endif

/// An unevaluated sum `hi + lo` of two Doubles with |lo| ≤ ½ulp(hi): about 106 bits.
///
/// The classic error-free transformations (Dekker, Knuth; as in the QD library): TwoSum for
/// additions, an FMA for the exact error of a product. Only what the row context needs.
struct DoubleDouble: WideFloat {
    var hi: Double
    var lo: Double

    init(_ x: Double) { (hi, lo) = (x, 0) }
    init(_ i: Int) {
        // Two halves that each convert exactly; their sum then rounds once.
        self = DoubleDouble(Double(i >> 32) * 0x1p32) + DoubleDouble(Double(i & 0xffff_ffff))
    }
    private init(hi: Double, lo: Double) { (self.hi, self.lo) = (hi, lo) }

    var narrowed: Double { hi + lo }

    /// s + e = a + b exactly (Knuth's TwoSum: no condition on the operands).
    private static func twoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b, bv = s - a
        return DoubleDouble(hi: s, lo: (a - (s - bv)) + (b - bv))
    }
    /// s + e = a + b exactly, for |a| ≥ |b| (Dekker's FastTwoSum).
    private static func fastTwoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        return DoubleDouble(hi: s, lo: b - (s - a))
    }

    static func + (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let s = twoSum(a.hi, b.hi), t = twoSum(a.lo, b.lo)
        guard s.hi.isFinite else { return DoubleDouble(s.hi) }  // overflow: ±∞ as in Double
        let u = fastTwoSum(s.hi, s.lo + t.hi)
        return fastTwoSum(u.hi, u.lo + t.lo)
    }
    static prefix func - (a: DoubleDouble) -> DoubleDouble { DoubleDouble(hi: -a.hi, lo: -a.lo) }
    static func - (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble { a + -b }

    static func * (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let p = a.hi * b.hi
        guard p.isFinite else { return DoubleDouble(p) }
        let e = (-p).addingProduct(a.hi, b.hi)  // a.hi·b.hi − p, exact
        return fastTwoSum(p, e + (a.hi * b.lo + a.lo * b.hi))
    }
    static func / (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        // Long division: three quotient digits, each from the remainder so far.
        let q1 = a.hi / b.hi
        var r = a - b * DoubleDouble(q1)
        let q2 = r.hi / b.hi
        r = r - b * DoubleDouble(q2)
        let q3 = r.hi / b.hi
        return fastTwoSum(q1, q2) + DoubleDouble(q3)
    }

    /// ln x = k·ln 2 + ln m with m = x·2^−k in [√½, √2): ln m from the libm log of m's high
    /// part (one rounding of a value below 0.35) plus lo/hi; k·ln 2 in double-double.
    /// Measured error below 2^−55 absolute: logsumexp's τ·log Σ (log Σ up to ln 10^6 ≈ 14)
    /// needs those bits beyond Double, but the result is not always the correctly rounded
    /// Double (−log k for the +∞ rows: 17 of k = 1…3000 are 1 ulp off; SPEC allows 8u).
    var naturalLog: DoubleDouble {
        var k = frexpExponent
        if hi.magnitude.significand * 0.5 < 0.70710678118654752 { k -= 1 }
        let m = scaled(by: -k)
        let lnm = DoubleDouble(log(m.hi)) + DoubleDouble(m.lo / m.hi)
        return DoubleDouble(k) * DoubleDouble.ln2 + lnm
    }
    var frexpExponent: Int {
        // frexp of hi, one lower when hi is a power of two and lo pulls the sum below it.
        let e = Int(hi.exponent) + 1
        return hi.significand == 1 && lo != 0 && (lo < 0) != (hi < 0) ? e - 1 : e
    }
    func scaled(by e: Int) -> DoubleDouble {
        DoubleDouble(hi: scalbn(hi, Int32(e)), lo: scalbn(lo, Int32(e)))
    }
    static var log2e: DoubleDouble { DoubleDouble(hi: 0x1.71547652b82fep+0, lo: 0x1.777d0ffda0d24p-56) }
    static var ln2: DoubleDouble { DoubleDouble(hi: 0x1.62e42fefa39efp-1, lo: 0x1.abc9e3b39803fp-56) }
}
