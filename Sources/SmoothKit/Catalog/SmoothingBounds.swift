import CSmoothKit

// The bounds of SPEC §2 as API. The formulas live once, in C (CKernels/catalog/bounds.c,
// `smk_*_gap` / `smk_*_param`); these are their Swift faces.

/// How far a smoothing may sit from its hard function `f`:
/// `f(x) − below ≤ f_μ(x) ≤ f(x) + above` for every input. `worst` is `max(below, above)`.
///
/// ```swift
/// let g = SmoothAbsKind.logCosh.gap(parameter: 10)   // below 0, above ln2/10
/// ```
public struct SmoothingGap: Sendable, Hashable {
    /// How far below the hard function the smoothing may go: `f − below ≤ f_μ`.
    public var below: Double
    /// How far above it may go: `f_μ ≤ f + above`.
    public var above: Double
    /// A gap; `SmoothingGap(below: 0, above: 0.1)` is a smoothing that over-estimates by ≤ 0.1.
    public init(below: Double, above: Double) {
        self.below = below
        self.above = above
    }
    /// The largest possible |f_μ − f|.
    public var worst: Double { Swift.max(below, above) }
}

/// The constants of SPEC §2's bounds.
public enum SmoothingConstants {
    /// `max_{t ≥ 0} t·erfc(t) = 0.2403755868…` (at t = 0.53160); the erf smoothings' gap scale.
    public static let tErfcMax: Double = SMK_T_ERFC_MAX
    /// `W(1/e) = 0.2784645427…`: the two-entry Boltzmann gap `max_d d/(1 + e^d)`, times 1/β.
    public static let lambertWOfInverseE: Double = SMK_LAMBERT_W_INV_E
}

/// A `SmoothingGap` from a C gap function; a bad parameter (not finite and > 0) gives NaNs.
private func cGap(_ body: (UnsafeMutablePointer<smk_gap>) -> smk_status) -> SmoothingGap {
    var g = smk_gap(below: .nan, above: .nan)
    return body(&g) == SMK_OK ? SmoothingGap(below: g.below, above: g.above) : SmoothingGap(below: .nan, above: .nan)
}

/// A parameter from a C picker; nil when it reports that no parameter reaches the target.
private func cParameter(_ body: (UnsafeMutablePointer<Double>) -> smk_status) -> Double? {
    var p = Double.nan
    return body(&p) == SMK_OK ? p : nil
}

extension SmoothAbsKind {
    /// Whether the parameter is a sharpness (larger = closer to |x|) or a width (smaller = closer).
    public var parameterIsSharpness: Bool { self == .logCosh || self == .source6 || self == .erf }

    /// The bound of SPEC §2 for `parameter` (k or μ, as ``SmoothAbsKind`` lists, in the element
    /// type of the call it bounds); NaNs for a parameter that is not finite and > 0.
    ///
    /// ```swift
    /// SmoothAbsKind.huber.gap(parameter: 0.2)             // below 0.1, above 0
    /// SmoothAbsKind.huber.gap(parameter: Float(0.2))      // the same bound for a Float call
    /// ```
    public func gap<S: SmoothScalar>(parameter p: S) -> SmoothingGap {
        cGap { smk_smooth_abs_gap(c, Double(p), $0) }
    }

    /// (α, β) of SPEC §2's smoothability with width `μ` (the inverse of a sharpness), for the
    /// convex members: ∇f_μ is (α/μ)-Lipschitz and the gap is β·μ; nil for `erf` (not convex).
    ///
    /// ```swift
    /// SmoothAbsKind.sqrt.smoothability   // (alpha: 1, beta: 1)
    /// ```
    public var smoothability: (alpha: Double, beta: Double)? {
        // β is the gap at parameter 1 (gap = β/k for a sharpness k = 1/μ, β·μ for a width μ)
        let beta = gap(parameter: 1.0).worst
        switch self {
        case .logCosh, .sqrt, .huber: return (1, beta)
        case .source6: return (0.5, beta)
        case .erf: return nil
        }
    }

    /// The parameter whose worst gap is `maxError` (the smoothest one meeting it), in the type
    /// of `maxError`; NaN for a `maxError` that is not finite and > 0.
    ///
    /// ```swift
    /// let k = SmoothAbsKind.logCosh.parameter(forMaxError: 1e-3)          // ln2 / 1e-3 ≈ 693
    /// let k32: Float = SmoothAbsKind.logCosh.parameter(forMaxError: 1e-3)
    /// ```
    public func parameter<S: SmoothScalar>(forMaxError eps: S) -> S {
        S(cParameter { smk_smooth_abs_param(c, Double(eps), $0) } ?? .nan)
    }
}

extension SmoothMaxKind {
    /// The bound of SPEC §2 for a row of `count` entries whose max is `max` (used by `power`,
    /// whose gap is relative, and `logLog`, whose gap depends on where the max lies).
    /// For the smooth minimum, swap `below` and `above` (and pass `−min` as `max`).
    ///
    /// ```swift
    /// SmoothMaxKind.logSumExp.gap(parameter: 0.1, count: 10)   // below 0, above 0.1·ln 10
    /// ```
    public func gap<S: SmoothScalar>(parameter p: S, count n: Int, max m: S = 0) -> SmoothingGap {
        cGap { smk_smooth_max_gap(c, Double(p), Swift.max(n, 0), Double(m), $0) }
    }

    /// (α, β) smoothability (SPEC §2) where it holds: log-sum-exp is (1, ln n)-smoothable with
    /// μ = τ; the others are not convex smoothings with a fixed (α, β), nil.
    public func smoothability(count n: Int) -> (alpha: Double, beta: Double)? {
        self == .logSumExp ? (1, gap(parameter: 1.0, count: n).above) : nil
    }

    /// The parameter whose worst gap for `count` entries with max `max` is `maxError`: the
    /// largest τ, or the smallest β, p or k. nil when no parameter reaches it (e.g. `logLog`
    /// far below 0, where its gap tends to a constant).
    ///
    /// ```swift
    /// let tau = SmoothMaxKind.logSumExp.parameter(forMaxError: 1e-2, count: 100)  // 1e-2 / ln 100
    /// ```
    public func parameter<S: SmoothScalar>(forMaxError eps: S, count n: Int, max m: S = 0) -> S? {
        cParameter { smk_smooth_max_param(c, Double(eps), Swift.max(n, 0), Double(m), $0) }.map { S($0) }
    }
}

extension PairwiseMaxKind {
    /// The bound of SPEC §2: `erf`: `m − 0.24038/(2μ) ≤ · ≤ m`; `sqrt`: `m ≤ · ≤ m + μ/2`.
    ///
    /// ```swift
    /// PairwiseMaxKind.sqrt.gap(parameter: 0.2)   // below 0, above 0.1
    /// ```
    public func gap<S: SmoothScalar>(parameter p: S) -> SmoothingGap { cGap { smk_smooth_max2_gap(c, Double(p), $0) } }

    /// The parameter whose worst gap is `maxError`.
    ///
    /// ```swift
    /// let mu = PairwiseMaxKind.erf.parameter(forMaxError: 1e-3)   // ≈ 120.2
    /// ```
    public func parameter<S: SmoothScalar>(forMaxError eps: S) -> S {
        S(cParameter { smk_smooth_max2_param(c, Double(eps), $0) } ?? .nan)
    }
}
