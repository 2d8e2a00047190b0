#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SmoothKit

// Helpers for the catalog tests (namespaced: other test files have their own helpers).

/// The higher-precision reference type: Float80 where it exists (x86), else Double.
#if arch(x86_64) || arch(i386)
typealias CatRef = Float80
func catExp(_ x: CatRef) -> CatRef { expl(x) }
func catLog(_ x: CatRef) -> CatRef { logl(x) }
func catLog1p(_ x: CatRef) -> CatRef { log1pl(x) }
func catExpm1(_ x: CatRef) -> CatRef { expm1l(x) }
func catErf(_ x: CatRef) -> CatRef { erfl(x) }
func catErfc(_ x: CatRef) -> CatRef { erfcl(x) }
func catAtan(_ x: CatRef) -> CatRef { atanl(x) }
func catPow(_ x: CatRef, _ y: CatRef) -> CatRef { powl(x, y) }
#else
typealias CatRef = Double
func catExp(_ x: CatRef) -> CatRef { exp(x) }
func catLog(_ x: CatRef) -> CatRef { log(x) }
func catLog1p(_ x: CatRef) -> CatRef { log1p(x) }
func catExpm1(_ x: CatRef) -> CatRef { expm1(x) }
func catErf(_ x: CatRef) -> CatRef { erf(x) }
func catErfc(_ x: CatRef) -> CatRef { erfc(x) }
func catAtan(_ x: CatRef) -> CatRef { atan(x) }
func catPow(_ x: CatRef, _ y: CatRef) -> CatRef { pow(x, y) }
#endif

/// The element types, as a test argument.
enum CatDType: String, CaseIterable, Sendable, CustomStringConvertible {
    case f32, f64
    var description: String { rawValue }
    /// Unit roundoff u = 2^-24 or 2^-53.
    var u: Double { self == .f32 ? 0x1p-24 : 0x1p-53 }
    /// The largest finite value.
    var huge: Double { self == .f32 ? Double(Float.greatestFiniteMagnitude) : .greatestFiniteMagnitude }
}

/// The two backends every catalog op has.
let catBackends: [Backend] = [.c, .swift]

/// Gauss–Legendre 8-point nodes and weights on [−1, 1] (Abramowitz & Stegun 25.4.30).
let catGL8: [(x: Double, w: Double)] = [
    (0.183434642495649804939476142360, 0.362683783378361982965150449277),
    (0.525532409916328985817739049189, 0.313706645877887287337962201987),
    (0.796666477413626739591553936476, 0.222381034453374470544355994426),
    (0.960289856497536231683560868569, 0.101228536290376259152531354310),
].flatMap { [($0.0, $0.1), (-$0.0, $0.1)] }

/// ∫_a^b f by composite 8-point Gauss–Legendre on pieces no longer than `piece`, in CatRef.
func catIntegrate(_ a: Double, _ b: Double, piece: Double, _ f: (CatRef) -> CatRef) -> CatRef {
    guard b > a else { return 0 }
    let k = max(1, Int(((b - a) / piece).rounded(.up)))
    let h = (CatRef(b) - CatRef(a)) / CatRef(k)
    var total: CatRef = 0
    for j in 0..<k {
        let lo = CatRef(a) + CatRef(j) * h, mid = lo + h / 2
        var s: CatRef = 0
        for node in catGL8 { s += CatRef(node.w) * f(mid + h / 2 * CatRef(node.x)) }
        total += s * h / 2
    }
    return total
}

/// The kernels' densities, written from SPEC §2's table in CatRef (independent of the library).
func catDensity(_ k: Mollifier, _ p: Double, _ y: CatRef) -> CatRef {
    let p = CatRef(p)
    switch k {
    case .gaussian: return catExp(-y * y / (2 * p * p)) / ((2 * CatRef.pi).squareRoot() * p)
    case .cauchy: return p / (CatRef.pi * (y * y + p * p))
    case .logistic: // t·σ(ty)(1 − σ(ty)) = t·e/(1 + e)², e = e^{−t|y|}: no 1 − σ cancellation
        let e = catExp(-p * Swift.abs(y))
        return p * e / ((1 + e) * (1 + e))
    }
}

/// A half-width beyond which the density's mass is far below 2^-64.
func catSupport(_ k: Mollifier, _ p: Double) -> Double { k == .gaussian ? 10 * p : 50 / p }
