import CSmoothKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Gradients of the smooth max / min family, C entry points smoothkit_catalog_grad.h,
// and their pure-Swift fallback (the same formulas, in Double).

@_specialize(where S == Float)
@_specialize(where S == Double)
func smoothMaxGradientDriver<S: SmoothScalar>(_ x: Matrix<S>, _ kind: SmoothMaxKind, _ p: S, _ backend: Backend,
                                              min: Bool, into g: inout Matrix<S>) throws {
    try checkParameter(p)
    if kind == .power { try checkPowerDomain(x, min: min) }
    try checkSameShape(x, g)
    guard x.rows > 0, x.cols > 0 else { return }
    let ext = min ? SMK_EXTREMUM_MIN : SMK_EXTREMUM_MAX, s: Double = min ? -1 : 1
    let rows = x.rows, cols = x.cols, ld = x.leadingDimension, ldg = g.leadingDimension
    let rate = kind == .logSumExp ? 1 / Double(p) : Double(p)
    x.withBase { xp in
        g.withMutableBase { gp in
            switch backend.resolved {
            case .swift:
                for r in 0..<rows { SwiftCatalog.rowGradient(xp + r * ld, cols, kind, rate, s, gp + r * ldg) }
            default:
                expectOK(S.c.smoothMaxGradient(xp, rows, cols, ld, kind.c, Double(p), ext, gp, ldg), "smooth_max_grad")
            }
        }
    }
}

/// The gradient of each row's smooth maximum (see ``SmoothMaxKind``) with respect to its entries:
/// `g[r, i] = ∂smoothMax(x_r)/∂x_{r,i}`, with `p = softmax(βx)` and `P` the power max:
///
/// | kind | gradient |
/// |---|---|
/// | `logSumExp` | `softmax(x/τ)` (sums to 1) |
/// | `boltzmann` | `p_i·(1 + β(x_i − B))` (sums to 1) |
/// | `power` | `(x_i/P)^{p−1}`, entries ≥ 0 (an entry 0 with p < 1: +∞, the true slope) |
/// | `logLog` | `w_i·e^{k x_i}/ln Σ e^{e^{k x_j}}`, `w = softmax(e^{k x})` |
///
/// Edge rows (the limits): a NaN → the row NaN; k entries +∞ → `1/k` on them, 0 elsewhere
/// (`power`: `k^{1/p−1}`); entries −∞ ("masked") → 0, a fully masked row → all 0; `power`'s
/// all-zero row → `n^{1/p−1}` everywhere.
///
/// ```swift
/// let x = try Matrix<Double>(rows: 1, cols: 2, elements: [0, 0])
/// let g = try smoothMaxGradient(x, kind: .logSumExp, parameter: 1)   // [[0.5, 0.5]]
/// ```
/// - Throws: ``SmoothKitError/invalidParameter(name:value:)`` for a parameter not finite and > 0,
///   ``SmoothKitError/domain(_:)`` for a negative entry with `.power`.
public func smoothMaxGradient<S: SmoothScalar>(_ x: Matrix<S>, kind: SmoothMaxKind, parameter: S,
                                               backend: Backend = .automatic) throws -> Matrix<S> {
    var g = try Matrix<S>(rows: x.rows, cols: x.cols, repeating: 0)
    try smoothMaxGradientDriver(x, kind, parameter, backend, min: false, into: &g)
    return g
}

/// The gradient of each row's smooth minimum `−smoothMax(−x)`: the max's gradient at `−x`
/// (so the edge rows mirror: entries −∞ get the weight, +∞ entries are masked).
///
/// ```swift
/// let x = try Matrix<Double>(rows: 1, cols: 2, elements: [0, 0])
/// let g = try smoothMinGradient(x, kind: .boltzmann, parameter: 3)   // [[0.5, 0.5]]
/// ```
/// - Throws: as ``smoothMaxGradient(_:kind:parameter:backend:)``; `.power` needs entries ≤ 0.
public func smoothMinGradient<S: SmoothScalar>(_ x: Matrix<S>, kind: SmoothMaxKind, parameter: S,
                                               backend: Backend = .automatic) throws -> Matrix<S> {
    var g = try Matrix<S>(rows: x.rows, cols: x.cols, repeating: 0)
    try smoothMaxGradientDriver(x, kind, parameter, backend, min: true, into: &g)
    return g
}

@_specialize(where S == Float)
@_specialize(where S == Double)
func pairwiseGradientDriver<S: SmoothScalar>(_ a: [S], _ b: [S], _ kind: PairwiseMaxKind, _ p: S,
                                             _ backend: Backend, min: Bool) throws -> (a: [S], b: [S]) {
    try checkParameter(p)
    guard a.count == b.count else { throw SmoothKitError.elementCount(expected: a.count, actual: b.count) }
    let ext = min ? SMK_EXTREMUM_MIN : SMK_EXTREMUM_MAX, s: Double = min ? -1 : 1
    let (ga, gb) = a.withUnsafeBufferPointer { ab in
        b.withUnsafeBufferPointer { bb in
            produce(count: a.count, withSecond: true) {
                (outA: UnsafeMutablePointer<S>, outB: UnsafeMutablePointer<S>?) in
                let ap = ab.baseAddress!, bp = bb.baseAddress!, outB = outB!
                switch backend.resolved {
                case .swift:
                    for i in 0..<a.count {
                        let d = SwiftCatalog.max2Gradient(kind, Double(p), s * Double(ap[i]), s * Double(bp[i]))
                        outA[i] = S(d.a)
                        outB[i] = S(d.b)
                    }
                default:
                    expectOK(S.c.smoothMax2Gradient(ap, bp, a.count, kind.c, Double(p), ext, outA, outB), "max2_grad")
                }
            }
        }
    }
    return (ga, gb)
}

/// `∂/∂a` and `∂/∂b` of the pairwise smooth maximum (see ``PairwiseMaxKind``), `d = a − b`;
/// the two always sum to 1:
///
/// | kind | `∂/∂a` |
/// |---|---|
/// | `erf` | `(erfc(−μd) + (2/√π)·μd·e^{−μ²d²})/2` |
/// | `sqrt` | `(1 + d/√(d² + μ²))/2` |
///
/// Edges: a NaN → NaN; an infinite entry → the hard max's gradient (1, 0) or (0, 1), ½ each
/// when `a = b = ±∞`.
///
/// ```swift
/// let g = try smoothMaxGradient([1.0], [1.0], kind: .sqrt, parameter: 2)   // (a: [0.5], b: [0.5])
/// ```
/// - Throws: ``SmoothKitError/elementCount(expected:actual:)`` when the lengths differ,
///   ``SmoothKitError/invalidParameter(name:value:)`` for a bad parameter.
public func smoothMaxGradient<S: SmoothScalar>(_ a: [S], _ b: [S], kind: PairwiseMaxKind, parameter: S,
                                               backend: Backend = .automatic) throws -> (a: [S], b: [S]) {
    try pairwiseGradientDriver(a, b, kind, parameter, backend, min: false)
}

/// `∂/∂a` and `∂/∂b` of the pairwise smooth minimum `−max_μ(−a, −b)`: the max's at `(−a, −b)`.
///
/// ```swift
/// let g = try smoothMinGradient([0.0], [10.0], kind: .erf, parameter: 1)   // ≈ (a: [1], b: [0])
/// ```
/// - Throws: as ``smoothMaxGradient(_:_:kind:parameter:backend:)``.
public func smoothMinGradient<S: SmoothScalar>(_ a: [S], _ b: [S], kind: PairwiseMaxKind, parameter: S,
                                               backend: Backend = .automatic) throws -> (a: [S], b: [S]) {
    try pairwiseGradientDriver(a, b, kind, parameter, backend, min: true)
}

// MARK: pure-Swift fallback (mirrors CKernels/catalog/catalog_grad_entries.inc)

extension SwiftCatalog {
    /// Pairwise smooth max gradient at (ya, yb), already sign-flipped.
    static func max2Gradient(_ kind: PairwiseMaxKind, _ p: Double, _ ya: Double, _ yb: Double)
        -> (a: Double, b: Double) {
        if ya.isNaN || yb.isNaN { return (.nan, .nan) }
        if ya.isInfinite || yb.isInfinite {
            let ga = ya == yb ? 0.5 : (ya > yb ? 1.0 : 0.0)
            return (ga, 1 - ga)
        }
        // d = ya − yb as sc·(d/sc): sc = ½ when the difference of two finite values is past the
        // largest double (halving such large values is exact)
        var d = ya - yb, sc = 1.0
        if d.isInfinite { (d, sc) = (0.5 * ya - 0.5 * yb, 0.5) }
        switch kind {
        case .erf:
            let t = p * d / sc // ±∞ only where the limit (1, 0) / (0, 1) is the answer
            let g = Swift.abs(t) > 27 ? 0 : 2 / Double.pi.squareRoot() * t * exp(-t * t)
            return (0.5 * (erfc(-t) + g), 0.5 * (erfc(t) - g))
        case .sqrt: // (1 − |d|/h)/2 = μ²/(2h(h + |d|)) on (|d|, μ)/max(|d|, μ), both times sc
            let c = Swift.max(Swift.abs(d), sc * p), u = Swift.abs(d) / c, v = sc * p / c, h = hypot(u, v)
            let small = 0.5 * (v / h) * (v / (h + u))
            return d >= 0 ? (1 - small, small) : (small, 1 - small)
        }
    }

    /// One row of ∂F/∂x at y = s·x (rate = 1/τ for log-sum-exp, else the parameter).
    static func rowGradient<S: SmoothScalar>(_ x: UnsafePointer<S>, _ n: Int, _ kind: SmoothMaxKind, _ rate: Double,
                                             _ s: Double, _ g: UnsafeMutablePointer<S>) {
        func y(_ i: Int) -> Double { s * Double(x[i]) }
        func fill(_ v: Double) { for i in 0..<n { g[i] = S(v) } }
        var m = -Double.infinity, star = 0, infinite = 0
        for i in 0..<n {
            let v = y(i)
            if v.isNaN { return fill(.nan) }
            if v == .infinity { infinite += 1 }
            if v > m { m = v; star = i }
        }
        if m == -.infinity && kind != .power { return fill(0) }
        if infinite > 0 {
            let top = kind == .power ? pow(Double(infinite), 1 / rate - 1) : 1 / Double(infinite)
            for i in 0..<n { g[i] = S(y(i) == .infinity ? top : 0) }
            return
        }
        switch kind {
        case .power:
            if m == 0 { return fill(pow(Double(n), 1 / rate - 1)) }
            var sum = Sum()
            for i in 0..<n { sum.add(pow(y(i) / m, rate)) }
            let root = pow(sum.value, 1 / rate)
            for i in 0..<n { g[i] = S(pow(y(i) / m / root, rate - 1)) }
        case .logLog:
            let e = exp(rate * m)
            var sum = Sum()
            for i in 0..<n where i != star {
                let q = expm1(rate * (y(i) - m))
                sum.add(q == 0 ? 1 : exp(e * q))
            }
            let a = log1p(sum.value), total = 1 + sum.value
            let r = a == 0 ? 1 : 1 / (1 + a / e)
            for i in 0..<n { // e^{k(y_i − m)} by its own exp: 1 + q cancels for q near −1
                let z = rate * (y(i) - m), q = expm1(z)
                let t = i == star || q == 0 ? 1 : exp(e * q)
                g[i] = S(t / total * exp(z) * r)
            }
        case .logSumExp, .boltzmann:
            var se = Sum(), sde = Sum()
            for i in 0..<n {
                let d = 0.5 * y(i) - 0.5 * m, e = exp(2 * (rate * d))
                if e == 0 { continue }
                se.add(e)
                sde.add(d * e)
            }
            let total = se.value, dev = 2 * (sde.value / total)
            for i in 0..<n {
                let d = 0.5 * y(i) - 0.5 * m, e = exp(2 * (rate * d)), w = e / total
                g[i] = S(e == 0 ? 0 : kind == .logSumExp ? w : w * (1 + (2 * (rate * d) - rate * dev)))
            }
        }
    }
}

// MARK: - views: the caller's memory in and out, no copy

/// ``smoothMaxGradient(_:kind:parameter:backend:)`` of a view, into `g` (`x`'s rows and cols).
///
/// ```swift
/// var grad = [Double](repeating: 0, count: 2)
/// var g = try MutableMatrixView(rows: 1, cols: 2, elements: grad.mutableSpan)
/// try smoothMaxGradient(MatrixView(rows: 1, cols: 2, elements: x.span), kind: .logSumExp,
///                       parameter: 1, into: &g)      // grad == [0.5, 0.5] for x == [0, 0]
/// ```
/// - Throws: as the `Matrix` form; ``SmoothKitError/shapeMismatch(expected:actual:)`` for a
///   `g` of another shape. Nothing is written then.
public func smoothMaxGradient<S: SmoothScalar>(_ x: MatrixView<S>, kind: SmoothMaxKind, parameter: S,
                                               backend: Backend = .automatic,
                                               into g: inout MutableMatrixView<S>) throws {
    try x.withBorrowedMatrix { x in
        try g.withBorrowedMatrix { try smoothMaxGradientDriver(x, kind, parameter, backend, min: false, into: &$0) }
    }
}

/// ``smoothMinGradient(_:kind:parameter:backend:)`` of a view, into `g` (`x`'s rows and cols).
///
/// ```swift
/// try smoothMinGradient(x, kind: .boltzmann, parameter: 3, into: &g)
/// ```
/// - Throws: as ``smoothMaxGradient(_:kind:parameter:backend:into:)``.
public func smoothMinGradient<S: SmoothScalar>(_ x: MatrixView<S>, kind: SmoothMaxKind, parameter: S,
                                               backend: Backend = .automatic,
                                               into g: inout MutableMatrixView<S>) throws {
    try x.withBorrowedMatrix { x in
        try g.withBorrowedMatrix { try smoothMaxGradientDriver(x, kind, parameter, backend, min: true, into: &$0) }
    }
}
