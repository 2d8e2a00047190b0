import CSmoothKit

/// A kernel φ approximating δ (SPEC §2), with its CDF Φ and ramp Ψ = ∫Φ.
///
/// | case | parameter | φ | Φ | Ψ |
/// |---|---|---|---|---|
/// | `gaussian` | width σ | `e^{−x²/2σ²}/(√(2π)σ)` | `(1 + erf(x/(σ√2)))/2` | `x·Φ + σ²·φ` |
/// | `cauchy` | width a | `a/(π(x² + a²))` | `1/2 + atan(x/a)/π` | none (heavy tails): an error |
/// | `logistic` | slope t | `t·σ(tx)(1 − σ(tx))` | `σ(tx)` | `softplus(tx)/t` |
///
/// ```swift
/// let p = try mollifier([0.0], kernel: .logistic, parameter: 1, part: .ramp)   // [ln 2]
/// ```
public enum Mollifier: Sendable, Hashable, CaseIterable {
    case gaussian, cauchy, logistic

    var c: smk_kernel {
        switch self {
        case .gaussian: SMK_KERNEL_GAUSSIAN
        case .cauchy: SMK_KERNEL_CAUCHY
        case .logistic: SMK_KERNEL_LOGISTIC
        }
    }
}

/// Which function of a ``Mollifier``: the density φ, the CDF Φ (smoothed step) or the ramp Ψ
/// (smoothed `max(x, 0)`).
public enum MollifierPart: Sendable, Hashable, CaseIterable {
    case density, cdf, ramp

    var c: smk_kernel_part {
        switch self {
        case .density: SMK_PART_PDF
        case .cdf: SMK_PART_CDF
        case .ramp: SMK_PART_RAMP
        }
    }
}

/// Evaluates φ, Φ or Ψ of a kernel at every element.
///
/// ```swift
/// let step = try mollifier([-1.0, 0, 1], kernel: .gaussian, parameter: 0.5, part: .cdf)  // [0.0228, 0.5, 0.9772]
/// ```
/// - Throws: ``SmoothKitError/invalidParameter(name:value:)`` for a parameter not finite and > 0;
///   ``SmoothKitError/domain(_:)`` for `.cauchy` with `.ramp` (Ψ diverges).
public func mollifier<S: SmoothScalar>(_ x: [S], kernel: Mollifier, parameter: S, part: MollifierPart,
                                       backend: Backend = .automatic) throws -> [S] {
    try checkParameter(parameter)
    if kernel == .cauchy && part == .ramp {
        throw SmoothKitError.domain("the Cauchy kernel has no ramp Ψ: its CDF is not integrable")
    }
    return elementwise(x, backend, swift: { SwiftCatalog.part(kernel, part, Double(parameter), $0) },
                       c: { S.c.mollifier($0, $1, kernel.c, Double(parameter), part.c, $2) })
}

/// Runs an elementwise op on one backend: the Swift body per element (in Double), or `c`, a
/// call of the element type's C entry point (`S.c`) on the input, its count and the output.
@_specialize(where S == Float)
@_specialize(where S == Double)
func elementwise<S: SmoothScalar>(_ x: [S], _ backend: Backend, swift: (Double) -> Double,
                                  c: (UnsafePointer<S>, Int, UnsafeMutablePointer<S>) -> smk_status) -> [S] {
    x.withUnsafeBufferPointer { xb in
        produce(count: x.count, withSecond: false) { y, _ in
            let xp = xb.baseAddress!
            switch backend.resolved {
            case .swift:
                for i in 0..<xb.count { y[i] = S(swift(Double(xp[i]))) }
            default:
                expectOK(c(xp, xb.count, y), "catalog")
            }
        }.0
    }
}

/// A piecewise-linear function with jumps: its leftmost line `intercept + slope·x`, plus at
/// each knot `c_j` a jump `J_j` and a slope change `S_j`:
/// `f(x) = intercept + slope·x + Σ J_j θ(x − c_j) + Σ S_j (x − c_j)_+`.
/// ``mollify(_:at:kernel:parameter:backend:)`` smooths it exactly, term by term.
///
/// ```swift
/// let relu = PiecewiseLinear<Double>.relu
/// let clamp = PiecewiseLinear<Double>.clamp(0, 1)
/// let stairs = PiecewiseLinear<Double>.staircase(steps: [1, 2, 3])   // 0, 1, 2, 3 on the unit steps
/// ```
public struct PiecewiseLinear<S: SmoothScalar>: Sendable, Hashable {
    /// One breakpoint: position, jump of the value and change of the slope there.
    public struct Knot: Sendable, Hashable {
        /// The position `c_j`, the jump `J_j` of the value and the change `S_j` of the slope there.
        public var at: S, jump: S, slopeChange: S
        /// A knot at `at`: `Knot(at: 0, slopeChange: 1)` is relu's kink, `Knot(at: 1, jump: 1)` a step.
        public init(at: S, jump: S = 0, slopeChange: S = 0) {
            self.at = at
            self.jump = jump
            self.slopeChange = slopeChange
        }
    }
    /// The leftmost line `intercept + slope·x` and the breakpoints.
    public var intercept: S, slope: S, knots: [Knot]

    /// `f(x) = intercept + slope·x + Σ J_j θ(x − c_j) + Σ S_j (x − c_j)_+`; e.g. `|x|` is
    /// `PiecewiseLinear(slope: -1, knots: [.init(at: 0, slopeChange: 2)])`.
    public init(intercept: S = 0, slope: S = 0, knots: [Knot]) {
        self.intercept = intercept
        self.slope = slope
        self.knots = knots
    }
    /// `max(x, 0)`: mollified by the logistic kernel it is softplus.
    public static var relu: Self { Self(knots: [Knot(at: 0, slopeChange: 1)]) }
    /// `|x|`: slope −1, then +2 at 0.
    public static var abs: Self { Self(slope: -1, knots: [Knot(at: 0, slopeChange: 2)]) }
    /// `max(x, c)`.
    public static func max(_ c: S) -> Self { Self(intercept: c, knots: [Knot(at: c, slopeChange: 1)]) }
    /// `min(max(x, lo), hi)`.
    public static func clamp(_ lo: S, _ hi: S) -> Self {
        Self(intercept: lo, knots: [Knot(at: lo, slopeChange: 1), Knot(at: hi, slopeChange: -1)])
    }
    /// A staircase: 0 on the left, +1 at each position in `steps`.
    public static func staircase(steps: [S]) -> Self { Self(knots: steps.map { Knot(at: $0, jump: 1) }) }
}

/// `(f ∗ φ)(x)` and its derivative at every element, exactly term by term (SPEC §2):
/// `intercept + slope·x + Σ J_j Φ(x − c_j) + Σ S_j Ψ(x − c_j)`, derivative
/// `slope + Σ J_j φ(x − c_j) + Σ S_j Φ(x − c_j)`. Cost O(count · knots).
///
/// ```swift
/// let (y, dy) = try mollify(PiecewiseLinear<Double>.relu, at: [0], kernel: .logistic, parameter: 1)
/// // y = [ln 2] (softplus), dy = [0.5]
/// ```
/// - Throws: ``SmoothKitError/invalidParameter(name:value:)`` for a bad parameter;
///   ``SmoothKitError/domain(_:)`` for a non-finite coefficient, or `.cauchy` with any slope
///   (lines and ramps do not converge against a kernel without a mean).
public func mollify<S: SmoothScalar>(_ f: PiecewiseLinear<S>, at x: [S], kernel: Mollifier, parameter: S,
                                     backend: Backend = .automatic) throws -> (values: [S], derivatives: [S]) {
    try checkParameter(parameter)
    let coeffs = [f.intercept, f.slope] + f.knots.flatMap { [$0.at, $0.jump, $0.slopeChange] }
    if let bad = coeffs.first(where: { !$0.isFinite }) {
        throw SmoothKitError.domain("piecewise function coefficients must be finite, got \(bad)")
    }
    if kernel == .cauchy && (f.slope != 0 || f.knots.contains { $0.slopeChange != 0 }) {
        throw SmoothKitError.domain("the Cauchy kernel smooths steps only: slopes diverge against it")
    }
    let knots = f.knots.map(\.at), jumps = f.knots.map(\.jump), changes = f.knots.map(\.slopeChange)
    let p = Double(parameter)
    let r = x.withUnsafeBufferPointer { xb in
        produce(count: x.count, withSecond: true) { y, dy in
            let xp = xb.baseAddress!
            switch backend.resolved {
            case .swift:
                // the limits at ±∞: the leftmost line; the rightmost, intercept + ΣJ − ΣS·c, slope + ΣS
                var right = SwiftCatalog.Sum(), rightSlope = SwiftCatalog.Sum()
                right.add(Double(f.intercept)); rightSlope.add(Double(f.slope))
                for k in f.knots {
                    right.add(Double(k.jump)); right.add(-Double(k.slopeChange) * Double(k.at))
                    rightSlope.add(Double(k.slopeChange))
                }
                for i in 0..<xb.count {
                    let xi = Double(xp[i])
                    if xi.isInfinite {
                        let sl = xi > 0 ? rightSlope.value : Double(f.slope), at = xi > 0 ? right.value : Double(f.intercept)
                        y[i] = S(sl != 0 ? (sl * xi > 0 ? .infinity : -.infinity) : at)
                        dy?[i] = S(sl)
                        continue
                    }
                    var v = SwiftCatalog.Sum(), d = SwiftCatalog.Sum()
                    v.add(Double(f.intercept)); v.add(Double(f.slope) * xi); d.add(Double(f.slope))
                    for k in f.knots {
                        let u = xi - Double(k.at)
                        if k.jump != 0 {
                            v.add(Double(k.jump) * SwiftCatalog.cdf(kernel, p, u))
                            d.add(Double(k.jump) * SwiftCatalog.pdf(kernel, p, u))
                        }
                        if k.slopeChange != 0 {
                            v.add(Double(k.slopeChange) * SwiftCatalog.ramp(kernel, p, u))
                            d.add(Double(k.slopeChange) * SwiftCatalog.cdf(kernel, p, u))
                        }
                    }
                    y[i] = S(v.value)
                    dy?[i] = S(d.value)
                }
            default:
                knots.withUnsafeBufferPointer { kb in
                    jumps.withUnsafeBufferPointer { jb in
                        changes.withUnsafeBufferPointer { cb in
                            let n = xb.count, m = kb.count
                            expectOK(S.c.mollifyPiecewise(xp, n, kernel.c, Double(parameter), Double(f.intercept),
                                                          Double(f.slope), kb.baseAddress, jb.baseAddress,
                                                          cb.baseAddress, m, y, dy), "mollify_piecewise")
                        }
                    }
                }
            }
        }
    }
    return (r.0, r.1)
}

/// The hard functions ``smoothQuantize(_:_:kernel:parameter:backend:)`` smooths.
public enum SmoothQuantizer: Sendable, Hashable, CaseIterable {
    case floor, ceil, round, sign

    var c: smk_quantizer {
        switch self {
        case .floor: SMK_QUANT_FLOOR
        case .ceil: SMK_QUANT_CEIL
        case .round: SMK_QUANT_ROUND
        case .sign: SMK_QUANT_SIGN
        }
    }
}

/// Smooth floor, ceil, round or sign by convolution with a kernel (SPEC §2, corrected):
/// `(⌊·⌋ ∗ φ)(x) = ⌊x⌋ + Σ_{|x − j| ≤ W} (Φ(x − j) − θ(x − j))`, the exact floor outside a
/// window `W` chosen so the dropped terms total below 2^-55 (Gaussian σ = 1: W = 8.5; wide
/// kernels switch to the sawtooth's Fourier series, see smoothkit_catalog.h). ceil = floor + 1,
/// round = floor(x + ½), sign = 2Φ(x) − 1.
///
/// ```swift
/// let y = try smoothQuantize([0.5, 2.0], .floor, kernel: .gaussian, parameter: 0.1)  // [0 (a half-integer), 1.5 (an integer j gives j − ½)]
/// ```
/// - Throws: ``SmoothKitError/domain(_:)`` for `.cauchy` with floor, ceil or round (the
///   convolution only exists as a principal value; its terms decay like a/(πW)), and
///   ``SmoothKitError/invalidParameter(name:value:)`` for a bad parameter.
public func smoothQuantize<S: SmoothScalar>(_ x: [S], _ q: SmoothQuantizer, kernel: Mollifier, parameter: S,
                                            backend: Backend = .automatic) throws -> [S] {
    try checkParameter(parameter)
    if kernel == .cauchy && q != .sign {
        throw SmoothKitError.domain("smooth \(q) with the Cauchy kernel does not converge to working precision")
    }
    let p = Double(parameter)
    let plan = q == .sign ? nil : SwiftCatalog.floorPlan(kernel, p)
    return elementwise(x, backend, swift: { SwiftCatalog.quantize(q, kernel, p, plan, $0) },
                       c: { S.c.smoothQuantize($0, $1, q.c, kernel.c, Double(parameter), $2) })
}
