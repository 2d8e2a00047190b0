// The element types under test, each paired with its wider reference type and its C entry
// points, so that every test is written once, generic over Float and Double.
import CSmoothKit
import SmoothKit
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A type the reference computes in: wider than the element type (SPEC §1, "Accuracy").
protocol WideFloat: BinaryFloatingPoint, Sendable, CustomStringConvertible {
    // exp, log and log1p of the C library (named apart from other tests' Float/Double members).
    static func exponential(_ x: Self) -> Self
    static func logarithm(_ x: Self) -> Self
    static func logOnePlus(_ x: Self) -> Self
    /// Rounded to Double (concrete: fast in debug builds).
    var double: Double { get }
    /// Exact widening of a Double.
    init(widening d: Double)
}

extension Double: WideFloat {
    static func exponential(_ x: Double) -> Double { exp(x) }
    static func logarithm(_ x: Double) -> Double { log(x) }
    static func logOnePlus(_ x: Double) -> Double { log1p(x) }
    var double: Double { self }
    init(widening d: Double) { self = d }
}

#if arch(x86_64) || arch(i386)
extension Float80: WideFloat {
    static func exponential(_ x: Float80) -> Float80 { expl(x) }
    static func logarithm(_ x: Float80) -> Float80 { logl(x) }
    static func logOnePlus(_ x: Float80) -> Float80 { log1pl(x) }
    var double: Double { Double(self) }
    init(widening d: Double) { self = Float80(d) }
}
#endif

/// A C reduction `smk_<op>_f32/f64(x, rows, cols, ldx, t, out)`.
typealias CReduction<S> = (UnsafePointer<S>?, Int, Int, Int, S, UnsafeMutablePointer<S>?) -> smk_status
/// A C map `smk_<op>_f32/f64(x, rows, cols, ldx, t, y, ldy)`.
typealias CMap<S> = (UnsafePointer<S>?, Int, Int, Int, S, UnsafeMutablePointer<S>?, Int) -> smk_status

/// Float or Double, with what the tests need to know about it.
protocol TestScalar: SmoothScalar, CustomStringConvertible {
    /// The reference type: Double for Float; Float80 for Double where it exists.
    associatedtype Wide: WideFloat

    /// "f32" / "f64", for messages.
    static var label: String { get }
    /// u = 2^-24 (Float) or 2^-53 (Double), SPEC §1.
    static var unitRoundoff: Wide { get }
    /// Softmax outputs at or above 2^softmaxRelativeFloorExponent are held to a relative
    /// bound, those below to an absolute one (SPEC §1: 2^-100 Float, 2^-1000 Double).
    static var softmaxRelativeFloorExponent: Int { get }
    /// SPEC §1's "huge finite values": ±3e38 (Float), ±1.7e308 (Double).
    static var huge: Self { get }
    /// A subnormal temperature: 1e-40 (Float), 1e-310 (Double).
    static var subnormalTemperature: Self { get }
    /// False where no wider type exists (Double off x86): accuracy checks are then skipped.
    static var hasWiderReference: Bool { get }

    /// Exact widening (both wide types hold every value of the narrow one).
    var wide: Wide { get }
    /// Rounds a Double to this type (concrete: fast in debug builds).
    init(fromDouble d: Double)
    /// Rounds a wide value to this type.
    init(fromWide w: Wide)
    /// Exact conversion of many values to Double (concrete: fast in debug builds).
    static func doubles(_ a: [Self]) -> [Double]

    // The C entry points of this type (SPEC §1, smoothkit.h).
    static var smkLogSumExp: CReduction<Self> { get }
    static var smkSoftArgmax: CReduction<Self> { get }
    static var smkSoftmax: CMap<Self> { get }
    static var smkLogSoftmax: CMap<Self> { get }
}

extension Float: TestScalar {
    typealias Wide = Double
    static var label: String { "f32" }
    static var unitRoundoff: Double { 0x1p-24 }
    static var softmaxRelativeFloorExponent: Int { -100 }
    static var huge: Float { 3e38 }
    static var subnormalTemperature: Float { 0x1.16c2p-133 } // 1e-40 rounded to Float
    static var hasWiderReference: Bool { true }
    var wide: Double { Double(self) }
    init(fromDouble d: Double) { self = Float(d) }
    init(fromWide w: Double) { self = Float(w) }
    static func doubles(_ a: [Float]) -> [Double] { a.map { Double($0) } }

    static var smkLogSumExp: CReduction<Float> { smk_logsumexp_f32 }
    static var smkSoftArgmax: CReduction<Float> { smk_softargmax_f32 }
    static var smkSoftmax: CMap<Float> { smk_softmax_f32 }
    static var smkLogSoftmax: CMap<Float> { smk_log_softmax_f32 }
}

extension Double: TestScalar {
    #if arch(x86_64) || arch(i386)
    typealias Wide = Float80
    static var hasWiderReference: Bool { true }
    #else
    typealias Wide = Double
    static var hasWiderReference: Bool { false }
    #endif
    static var label: String { "f64" }
    static var unitRoundoff: Wide { 0x1p-53 }
    static var softmaxRelativeFloorExponent: Int { -1000 }
    static var huge: Double { 1.7e308 }
    static var subnormalTemperature: Double { Double(bitPattern: 0x0001_2688_b70e_62b) } // 1e-310 rounded (a literal warns)
    var wide: Wide { Wide(self) }
    init(fromDouble d: Double) { self = d }
    init(fromWide w: Wide) { self = Double(w) }
    static func doubles(_ a: [Double]) -> [Double] { a }

    static var smkLogSumExp: CReduction<Double> { smk_logsumexp_f64 }
    static var smkSoftArgmax: CReduction<Double> { smk_softargmax_f64 }
    static var smkSoftmax: CMap<Double> { smk_softmax_f64 }
    static var smkLogSoftmax: CMap<Double> { smk_log_softmax_f64 }
}

/// The element type of a table row (test arguments cannot be generic).
enum CoreDType: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case f32, f64
    var testDescription: String { rawValue }

    /// Calls `body` with the Swift type of this dtype.
    func with<R>(_ body: (any TestScalar.Type) throws -> R) rethrows -> R {
        switch self {
        case .f32: try body(Float.self)
        case .f64: try body(Double.self)
        }
    }
}

/// Equality for results: any NaN matches any NaN, -0 differs from +0.
func sameBits<S: TestScalar>(_ a: S, _ b: S) -> Bool {
    a.isNaN ? b.isNaN : (a == b && a.sign == b.sign)
}

/// The value output buffers are filled with before a call: any element a call writes
/// changes it (no op yields it from the inputs used here).
func canary<S: TestScalar>(_: S.Type = S.self) -> S { S(fromDouble: -12345.6875) }
