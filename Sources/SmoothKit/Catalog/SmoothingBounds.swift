#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How far a smoothing may sit from its hard function `f`:
/// `f(x) − below ≤ f_μ(x) ≤ f(x) + above` for every input. `worst` is `max(below, above)`.
///
/// ```swift
/// let g = SmoothAbsKind.logCosh.gap(parameter: 10)   // below 0, above ln2/10
/// ```
public struct SmoothingGap: Sendable, Hashable {
    public var below: Double
    public var above: Double
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
    public static let tErfcMax = 0.24037558683101101677
    /// `W(1/e) = 0.2784645427…`: the two-entry Boltzmann gap `max_d d/(1 + e^d)`, times 1/β.
    public static let lambertWOfInverseE = 0.27846454276107379511
}

/// Solves `gap(parameter) ≤ eps` for a gap that decreases with the parameter on (0, ∞), by
/// bisection on a logarithmic scale; nil when even the largest finite parameter misses it.
func smallestParameter(for eps: Double, _ gap: (Double) -> Double) -> Double? {
    guard eps > 0, eps.isFinite else { return nil }
    var hi = 1.0
    while gap(hi) > eps {
        hi *= 2
        if !hi.isFinite || hi > 0x1p1000 { return nil }
    }
    var lo = hi / 2
    while gap(lo) <= eps && lo > 0x1p-1000 { lo /= 2 }
    for _ in 0..<200 where hi / lo > 1 + 0x1p-50 {
        let mid = (lo * hi).squareRoot()
        if gap(mid) <= eps { hi = mid } else { lo = mid }
    }
    return hi
}

extension SmoothAbsKind {
    /// Whether the parameter is a sharpness (larger = closer to |x|) or a width (smaller = closer).
    public var parameterIsSharpness: Bool { self == .logCosh || self == .source6 || self == .erf }

    /// The bound of SPEC §2 for `parameter` (k or μ, as ``SmoothAbsKind`` lists).
    ///
    /// ```swift
    /// SmoothAbsKind.huber.gap(parameter: 0.2)     // below 0.1, above 0
    /// ```
    public func gap(parameter p: Double) -> SmoothingGap {
        switch self {
        case .logCosh: SmoothingGap(below: 0, above: log(2) / p)
        case .source6: SmoothingGap(below: 0, above: 2 * log(2) / p)
        case .sqrt: SmoothingGap(below: 0, above: p)
        case .erf: SmoothingGap(below: SmoothingConstants.tErfcMax / p, above: 0)
        case .huber: SmoothingGap(below: p / 2, above: 0)
        }
    }

    /// (α, β) of SPEC §2's smoothability with width `μ` (the inverse of a sharpness), for the
    /// convex members: ∇f_μ is (α/μ)-Lipschitz and the gap is β·μ; nil for `erf` (not convex).
    ///
    /// ```swift
    /// SmoothAbsKind.sqrt.smoothability   // (alpha: 1, beta: 1)
    /// ```
    public var smoothability: (alpha: Double, beta: Double)? {
        switch self {
        case .logCosh: (1, log(2))
        case .source6: (0.5, 2 * log(2))
        case .sqrt: (1, 1)
        case .huber: (1, 0.5)
        case .erf: nil
        }
    }

    /// The parameter whose worst gap is `maxError` (the smoothest one meeting it).
    ///
    /// ```swift
    /// let k = SmoothAbsKind.logCosh.parameter(forMaxError: 1e-3)   // ln2 / 1e-3 ≈ 693
    /// ```
    public func parameter(forMaxError eps: Double) -> Double {
        switch self {
        case .logCosh: log(2) / eps
        case .source6: 2 * log(2) / eps
        case .sqrt: eps
        case .erf: SmoothingConstants.tErfcMax / eps
        case .huber: 2 * eps
        }
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
    public func gap(parameter p: Double, count n: Int, max m: Double = 0) -> SmoothingGap {
        let n = Double(Swift.max(n, 1))
        switch self {
        case .logSumExp: return SmoothingGap(below: 0, above: p * log(n))
        case .boltzmann:
            let scale = n == 2 ? SmoothingConstants.lambertWOfInverseE : (n - 1) / exp(1.0)
            return SmoothingGap(below: scale / p, above: 0)
        case .power: return SmoothingGap(below: 0, above: (pow(n, 1 / p) - 1) * Swift.max(m, 0))
        case .logLog: return SmoothingGap(below: 0, above: log1p(log(n) * exp(-p * m)) / p)
        }
    }

    /// (α, β) smoothability (SPEC §2) where it holds: log-sum-exp is (1, ln n)-smoothable with
    /// μ = τ; the others are not convex smoothings with a fixed (α, β), nil.
    public func smoothability(count n: Int) -> (alpha: Double, beta: Double)? {
        self == .logSumExp ? (1, log(Double(Swift.max(n, 1)))) : nil
    }

    /// The parameter whose worst gap for `count` entries with max `max` is `maxError`: the
    /// largest τ, or the smallest β, p or k. nil when no parameter reaches it (e.g. `logLog`
    /// far below 0, where its gap tends to a constant).
    ///
    /// ```swift
    /// let tau = SmoothMaxKind.logSumExp.parameter(forMaxError: 1e-2, count: 100)  // 1e-2 / ln 100
    /// ```
    public func parameter(forMaxError eps: Double, count n: Int, max m: Double = 0) -> Double? {
        guard eps > 0, eps.isFinite else { return nil }
        switch self {
        case .logSumExp: return n <= 1 ? .greatestFiniteMagnitude : eps / log(Double(n))
        case .boltzmann, .power, .logLog:
            return smallestParameter(for: eps) { gap(parameter: $0, count: n, max: m).worst }
        }
    }
}

extension PairwiseMaxKind {
    /// The bound of SPEC §2: `erf`: `m − 0.24038/(2μ) ≤ · ≤ m`; `sqrt`: `m ≤ · ≤ m + μ/2`.
    ///
    /// ```swift
    /// PairwiseMaxKind.sqrt.gap(parameter: 0.2)   // below 0, above 0.1
    /// ```
    public func gap(parameter p: Double) -> SmoothingGap {
        self == .erf ? SmoothingGap(below: SmoothingConstants.tErfcMax / (2 * p), above: 0)
            : SmoothingGap(below: 0, above: p / 2)
    }

    /// The parameter whose worst gap is `maxError`.
    ///
    /// ```swift
    /// let mu = PairwiseMaxKind.erf.parameter(forMaxError: 1e-3)   // ≈ 120.2
    /// ```
    public func parameter(forMaxError eps: Double) -> Double {
        self == .erf ? SmoothingConstants.tErfcMax / (2 * eps) : 2 * eps
    }
}
