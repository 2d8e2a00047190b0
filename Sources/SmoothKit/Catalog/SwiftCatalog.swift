#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libm's erf, named apart from `SmoothAbsKind.erf`.
private func libmErf(_ x: Double) -> Double { erf(x) }

// The pure-Swift backend of the smoothing catalog (SPEC §2): the same overflow-free formulas
// as CKernels/catalog/catalog_math.h, evaluated in Double for Float and Double storage. The
// elementary functions (erf, erfc, log1p, expm1, hypot, atan2) are the platform's libm; no
// SmoothKit C code runs on this path.
enum SwiftCatalog {
    static let invSqrt2Pi = 0.39894228040143267794  // 1/√(2π)
    static let twoOverSqrtPi = 1.12837916709551257390  // 2/√π = erf'(0)
    /// Beyond |t| > 27, e^{−t²} is exactly 0 in Double; the cut also avoids ∞·0 in erf'.
    static let erfTail = 27.0
    /// Dropped tail terms in smooth floor stay below u/4, u = 2^-53.
    static let tailEps = 0x1p-55
    /// Past 2^52 every Double is an integer: smooth floor is x − ½ there (see floorValue).
    static let integralAbove = 0x1p52
    /// The widest window (terms per element) before the Fourier series takes over.
    static let maxWindowTerms = 64.0

    // MARK: smooth |x|

    static func abs(_ kind: SmoothAbsKind, _ p: Double, _ x: Double) -> (value: Double, derivative: Double) {
        if x.isNaN { return (x, x) }
        let ax = Swift.abs(x)
        switch kind {
        case .logCosh:
            return (ax + log1p(exp(-2 * p * ax)) / p, tanh(p * x))
        case .source6:
            return (ax + 2 * log1p(exp(-p * ax)) / p, tanh(0.5 * p * x))
        case .sqrt:
            let h = hypot(x, p)
            return (h, x.isInfinite ? (x > 0 ? 1 : -1) : x / h)
        case .erf:
            let t = p * x
            let g = Swift.abs(t) > erfTail ? 0 : twoOverSqrtPi * t * exp(-t * t)
            return (x * libmErf(t), libmErf(t) + g)
        case .huber:
            let r = x / p
            if ax <= p { return (0.5 * x * r, r) }
            return (ax - 0.5 * p, x > 0 ? 1 : -1)
        }
    }

    // MARK: mollifier kernels

    static func cdf(_ k: Mollifier, _ p: Double, _ x: Double) -> Double {
        switch k {
        case .gaussian: return 0.5 * erfc(-(x / p) * 0.5.squareRoot())
        case .cauchy: return atan2(1, -(x / p)) / Double.pi
        case .logistic:
            let z = p * x
            if z >= 0 { return 1 / (1 + exp(-z)) }
            let e = exp(z)
            return e / (1 + e)
        }
    }

    static func pdf(_ k: Mollifier, _ p: Double, _ x: Double) -> Double {
        let u = x / p
        switch k {
        case .gaussian: return exp(-0.5 * u * u) * invSqrt2Pi / p
        case .cauchy: return 1 / Double.pi / p / (1 + u * u)
        case .logistic:
            let e = exp(-Swift.abs(p * x))
            return p * e / ((1 + e) * (1 + e))
        }
    }

    /// Ψ; the façade rejects Cauchy before calling.
    static func ramp(_ k: Mollifier, _ p: Double, _ x: Double) -> Double {
        if k == .gaussian {
            if x.isInfinite { return x > 0 ? x : 0 }
            return x * cdf(k, p, x) + p * p * pdf(k, p, x)
        }
        return max(x, 0) + log1p(exp(-Swift.abs(p * x))) / p
    }

    static func part(_ k: Mollifier, _ part: MollifierPart, _ p: Double, _ x: Double) -> Double {
        switch part {
        case .density: return pdf(k, p, x)
        case .cdf: return cdf(k, p, x)
        case .ramp: return ramp(k, p, x)
        }
    }

    // MARK: smooth floor

    /// A window of half-width `w`, or (`w < 0`) the Fourier series with `harmonics` terms.
    struct FloorPlan { var w: Double; var harmonics: Int }

    static func tail(_ k: Mollifier, _ p: Double, _ w: Double) -> Double {
        if k == .gaussian {
            let z = w / p
            return 2 * (0.5 * erfc(z * 0.5.squareRoot()) + p * exp(-0.5 * z * z) * invSqrt2Pi / (z * z))
        }
        return 2 * exp(-p * w) * (1 + 1 / p)
    }

    static func harmonic(_ k: Mollifier, _ p: Double, _ j: Int) -> Double {
        let j = Double(j)
        if k == .gaussian { return exp(-2 * Double.pi * Double.pi * p * p * j * j) }
        let a = 2 * Double.pi * Double.pi * j / p
        return a > 700 ? 0 : a / sinh(a)
    }

    static func floorPlan(_ k: Mollifier, _ p: Double) -> FloorPlan {
        var plan = FloorPlan(w: 0.5, harmonics: 0)
        while plan.w <= 0.5 * maxWindowTerms && tail(k, p, plan.w) > tailEps { plan.w += 0.5 }
        if plan.w <= 0.5 * maxWindowTerms { return plan }
        plan.w = -1
        while harmonic(k, p, plan.harmonics + 1) / (Double.pi * Double(plan.harmonics + 1)) > tailEps {
            plan.harmonics += 1
        }
        return plan
    }

    static func floorValue(_ k: Mollifier, _ p: Double, _ plan: FloorPlan, _ x: Double) -> Double {
        if Swift.abs(x) >= integralAbove { return x - 0.5 }
        let f = x.rounded(.down)
        if plan.w < 0 {
            let frac = x - f
            var s = 0.0
            for j in stride(from: plan.harmonics, through: 1, by: -1) {
                s += harmonic(k, p, j) * sin(2 * Double.pi * Double(j) * frac) / (Double.pi * Double(j))
            }
            return (f - 0.5) + (frac + s)
        }
        var lo = -0.0, hi = 0.0
        var j = (x - plan.w).rounded(.down)
        while j <= f { lo -= cdf(k, p, j - x); j += 1 }
        j = (x + plan.w).rounded(.down)
        while j > f { hi += cdf(k, p, x - j); j -= 1 }
        return f + (lo + hi)
    }

    static func quantize(_ q: SmoothQuantizer, _ k: Mollifier, _ p: Double, _ plan: FloorPlan?, _ x: Double) -> Double {
        if x.isNaN { return x }
        switch q {
        case .sign:
            let v = 1 - 2 * cdf(k, p, -Swift.abs(x))
            return x < 0 ? -v : v
        case .floor, .ceil, .round:
            let xi = x + (q == .round ? 0.5 : 0)
            guard xi.isFinite, let plan else { return xi }
            return floorValue(k, p, plan, xi) + (q == .ceil ? 1 : 0)
        }
    }

    // MARK: smooth max

    /// Neumaier's compensated sum.
    struct Sum {
        var s = 0.0, c = 0.0
        mutating func add(_ v: Double) {
            let t = s + v
            c += Swift.abs(s) >= Swift.abs(v) ? (s - t) + v : (v - t) + s
            s = t
        }
        var value: Double { s + c }
    }

    static func max2(_ kind: PairwiseMaxKind, _ p: Double, _ ya: Double, _ yb: Double) -> Double {
        if ya.isNaN || yb.isNaN { return .nan }
        let m = Swift.max(ya, yb), d = Swift.abs(ya - yb)
        if ya.isInfinite || yb.isInfinite { return m }
        if d.isInfinite { // finite entries more than the largest double apart: on h = |d|/2 (exact)
            let h = Swift.abs(0.5 * ya - 0.5 * yb)
            switch kind {
            case .erf: return m - h * erfc(2 * (p * h))
            case .sqrt: // μ²/(4(√(h² + μ²/4) + h)) = c·v²/(√(u² + v²) + u) on (h, μ/2)/c
                let c = Swift.max(h, 0.5 * p), u = h / c, v = 0.5 * p / c
                return m + c * (v * (v / (hypot(u, v) + u)))
            }
        }
        switch kind {
        case .erf: return m - 0.5 * d * erfc(p * d)
        case .sqrt: return m + p * (p / (2 * (hypot(d, p) + d)))
        }
    }

    /// One row of y = s·x (see smoothkit_catalog.h for every case).
    static func rowMax<S: SmoothScalar>(_ x: UnsafePointer<S>, _ n: Int, _ kind: SmoothMaxKind, _ param: Double,
                                        _ s: Double) -> Double {
        var m = -Double.infinity, star = 0
        for i in 0..<n {
            let v = s * Double(x[i])
            if v.isNaN { return .nan }
            if v > m { m = v; star = i }
        }
        if m == .infinity { return s * m }
        switch kind {
        case .power:
            if m == 0 || n == 0 { return 0 }
            var sum = Sum()
            for i in 0..<n { sum.add(pow(s * Double(x[i]) / m, param)) }
            return s * m * pow(sum.value, 1 / param)
        case .logLog:
            if m == -.infinity { return s * (n == 0 ? -.infinity : log(log(Double(n))) / param) }
            var sum = Sum()
            let e = exp(param * m)
            for i in 0..<n where i != star {
                let q = expm1(param * (s * Double(x[i]) - m))
                sum.add(q == 0 ? 1 : exp(e * q))
            }
            let a = log1p(sum.value)
            if a == 0 { return s * m }
            return s * (e >= a ? m + log1p(a / e) / param : (log(a) + log1p(e / a)) / param)
        case .logSumExp, .boltzmann:
            if m == -.infinity { return s * m }
            let rate = kind == .logSumExp ? 1 / param : param
            var se = Sum(), sde = Sum()
            for i in 0..<n {
                let d = 0.5 * (s * Double(x[i])) - 0.5 * m
                let e = exp(2 * (rate * d))
                if e == 0 { continue }
                se.add(e)
                sde.add(d * e)
            }
            return s * (kind == .logSumExp ? m + log(se.value) / rate : m + 2 * (sde.value / se.value))
        }
    }
}
