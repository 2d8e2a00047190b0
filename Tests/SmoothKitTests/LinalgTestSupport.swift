// Shared helpers of the linalg tests: a seeded generator, Float80 references, and the C entry
// points of smoothkit_linalg.h per element type so each test is written once for Float and Double.
import CSmoothKit
import Glibc
import Testing
@testable import SmoothKit

/// SplitMix64: a tiny seeded generator so every test input is reproducible.
struct LinalgRNG {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [lo, hi).
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * Double(next() >> 11) * 0x1p-53
    }
}

/// The element types under test, with their C entry points and unit roundoff u = ulpOfOne/2.
protocol LinalgTestScalar: SmoothScalar {
    static var cExpectation: (UnsafePointer<Self>?, Int, Int, Int, Self, UnsafePointer<Self>?, Int, Int,
                              UnsafeMutablePointer<Self>?, Int, UnsafeMutableRawPointer?, Int) -> smk_status { get }
    static var cExpectationWorkspace: (Int, Int) -> Int { get }
    static var cSoftargmax: (UnsafePointer<Self>?, Int, Int, Int, Self, UnsafeMutablePointer<Self>?) -> smk_status { get }
    static var cEigmax: (UnsafePointer<Self>?, Int, Int, Int, Self, smk_symmetry, Self, UnsafeMutablePointer<Self>?,
                         UnsafeMutablePointer<Self>?, Int, UnsafeMutableRawPointer?, Int) -> smk_status { get }
    static var cEigmaxWorkspace: (Int, Int, Int32) -> Int { get }
    static var cSpatial: (UnsafePointer<Self>?, Int, Int, Int, Int, Self, smk_coords, UnsafeMutablePointer<Self>?,
                          UnsafeMutableRawPointer?, Int) -> smk_status { get }
    static var cSpatialGrad: (UnsafePointer<Self>?, Int, Int, Int, Int, Self, smk_coords, UnsafePointer<Self>?,
                              UnsafeMutablePointer<Self>?, Int) -> smk_status { get }
    static var cSpatialWorkspace: (Int, Int) -> Int { get }
}

extension Float: LinalgTestScalar {
    static var cExpectation: (UnsafePointer<Float>?, Int, Int, Int, Float, UnsafePointer<Float>?, Int, Int,
                              UnsafeMutablePointer<Float>?, Int, UnsafeMutableRawPointer?, Int) -> smk_status { smk_softmax_expectation_f32 }
    static var cExpectationWorkspace: (Int, Int) -> Int { smk_softmax_expectation_workspace_f32 }
    static var cSoftargmax: (UnsafePointer<Float>?, Int, Int, Int, Float, UnsafeMutablePointer<Float>?) -> smk_status { smk_softargmax_f32 }
    static var cEigmax: (UnsafePointer<Float>?, Int, Int, Int, Float, smk_symmetry, Float, UnsafeMutablePointer<Float>?,
                         UnsafeMutablePointer<Float>?, Int, UnsafeMutableRawPointer?, Int) -> smk_status { smk_smooth_eigmax_f32 }
    static var cEigmaxWorkspace: (Int, Int, Int32) -> Int { smk_smooth_eigmax_workspace_f32 }
    static var cSpatial: (UnsafePointer<Float>?, Int, Int, Int, Int, Float, smk_coords, UnsafeMutablePointer<Float>?,
                          UnsafeMutableRawPointer?, Int) -> smk_status { smk_spatial_softargmax_f32 }
    static var cSpatialGrad: (UnsafePointer<Float>?, Int, Int, Int, Int, Float, smk_coords, UnsafePointer<Float>?,
                              UnsafeMutablePointer<Float>?, Int) -> smk_status { smk_spatial_softargmax_grad_f32 }
    static var cSpatialWorkspace: (Int, Int) -> Int { smk_spatial_softargmax_workspace_f32 }
}

extension Double: LinalgTestScalar {
    static var cExpectation: (UnsafePointer<Double>?, Int, Int, Int, Double, UnsafePointer<Double>?, Int, Int,
                              UnsafeMutablePointer<Double>?, Int, UnsafeMutableRawPointer?, Int) -> smk_status { smk_softmax_expectation_f64 }
    static var cExpectationWorkspace: (Int, Int) -> Int { smk_softmax_expectation_workspace_f64 }
    static var cSoftargmax: (UnsafePointer<Double>?, Int, Int, Int, Double, UnsafeMutablePointer<Double>?) -> smk_status { smk_softargmax_f64 }
    static var cEigmax: (UnsafePointer<Double>?, Int, Int, Int, Double, smk_symmetry, Double, UnsafeMutablePointer<Double>?,
                         UnsafeMutablePointer<Double>?, Int, UnsafeMutableRawPointer?, Int) -> smk_status { smk_smooth_eigmax_f64 }
    static var cEigmaxWorkspace: (Int, Int, Int32) -> Int { smk_smooth_eigmax_workspace_f64 }
    static var cSpatial: (UnsafePointer<Double>?, Int, Int, Int, Int, Double, smk_coords, UnsafeMutablePointer<Double>?,
                          UnsafeMutableRawPointer?, Int) -> smk_status { smk_spatial_softargmax_f64 }
    static var cSpatialGrad: (UnsafePointer<Double>?, Int, Int, Int, Int, Double, smk_coords, UnsafePointer<Double>?,
                              UnsafeMutablePointer<Double>?, Int) -> smk_status { smk_spatial_softargmax_grad_f64 }
    static var cSpatialWorkspace: (Int, Int) -> Int { smk_spatial_softargmax_workspace_f64 }
}

/// Which element type a table row runs in.
enum LinalgDType: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case f32, f64
    var testDescription: String { rawValue }
}

extension LinalgTestScalar {
    /// Unit roundoff u (2^-24 for Float, 2^-53 for Double).
    static var u: Double { Double(ulpOfOne) / 2 }
}

/// Float80 softmax of one row without NaN (the reference the op must match): k entries +∞
/// share the mass, −∞ entries get 0, a fully masked row is all 0 (SPEC §1).
func referenceSoftmax(_ x: [Float80], temperature t: Float80) -> [Float80] {
    let m = x.max() ?? -.infinity
    if m == .infinity {
        let k = Float80(x.filter { $0 == .infinity }.count)
        return x.map { $0 == .infinity ? 1 / k : 0 }
    }
    guard m > -.infinity else { return x.map { _ in 0 } }
    let e = x.map { $0 == -.infinity ? 0 : exp(($0 - m) / t) }
    let s = e.reduce(0, +)
    return e.map { $0 / s }
}

/// Float80 logsumexp of finite values.
func referenceLogSumExp(_ x: [Float80], temperature t: Float80) -> Float80 {
    let m = x.max()!
    return m + t * log(x.reduce(0) { $0 + exp(($1 - m) / t) })
}

/// The matrix `Q·diag(λ)·Qᵀ` with a known spectrum, Q a product of two Householder reflectors
/// `I − 2wwᵀ/wᵀw` of random `w`, all in Float80 (then rounded to the element type by callers).
func matrixWithSpectrum(_ lambda: [Float80], rng: inout LinalgRNG) -> [Float80] {
    let n = lambda.count
    var q = [Float80](repeating: 0, count: n * n)
    for i in 0..<n { q[i * n + i] = 1 }
    for _ in 0..<2 {
        let w = (0..<n).map { _ in Float80(rng.uniform(-1, 1)) }
        let ww = w.reduce(0) { $0 + $1 * $1 }
        // Q ← Q·(I − 2wwᵀ/wᵀw)
        for i in 0..<n {
            let qw = (0..<n).reduce(Float80(0)) { $0 + q[i * n + $1] * w[$1] }
            for j in 0..<n { q[i * n + j] -= 2 * qw * w[j] / ww }
        }
    }
    var a = [Float80](repeating: 0, count: n * n)
    for i in 0..<n {
        for j in 0...i {   // computed once per pair, so the result is exactly symmetric
            a[i * n + j] = (0..<n).reduce(0) { $0 + q[i * n + $1] * lambda[$1] * q[j * n + $1] }
            a[j * n + i] = a[i * n + j]
        }
    }
    return a
}
