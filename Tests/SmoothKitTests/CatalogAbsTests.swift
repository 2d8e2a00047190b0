#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import SmoothKit

/// SPEC §2, smooth |x|: bounds, values, derivatives, convexity, C vs Swift.
@Suite struct CatalogAbsTests {
    /// The definition of each smoothing, straight from SPEC §2's formula column, in CatRef;
    /// nil where the naïve formula would overflow even in CatRef.
    static func reference(_ kind: SmoothAbsKind, _ p: Double, _ x: CatRef) -> CatRef? {
        let k = CatRef(p)
        switch kind {
        case .logCosh:
            guard Swift.abs(k * x) < 5000 else { return nil }
            return catLog(catExp(k * x) + catExp(-k * x)) / k
        case .source6:
            guard Swift.abs(k * x) < 5000 else { return nil }
            return catLog(2 + catExp(k * x) + catExp(-k * x)) / k
        case .sqrt: return (x * x + k * k).squareRoot()
        case .erf: return x * catErf(k * x)
        case .huber: return Swift.abs(x) <= k ? x * x / (2 * k) : Swift.abs(x) - k / 2
        }
    }

    static let parameters: [Double] = [1e-3, 0.1, 1, 50, 1e6]

    /// Adversarial and sampled inputs for one parameter: 0, subnormal, the smoothing scale,
    /// huge, the largest finite value, and a random spread.
    static func inputs(_ t: CatDType, scale: Double) -> [Double] {
        var xs: [Double] = [0, -0.0, 1e-300, 0x1p-140, scale, -scale, 0.3 * scale, 4 * scale, 1e30, -1e30,
                            t.huge, -t.huge, 1, -7]
        var rng = SplitMix64(42)
        for _ in 0..<200 { xs.append(rng.uniform(-20, 20) * scale) }
        return xs.map { t == .f32 ? Double(Float($0)) : $0 }
    }

    /// The smoothing scale: 1/k for a sharpness, μ for a width.
    static func scale(_ kind: SmoothAbsKind, _ p: Double) -> Double { kind.parameterIsSharpness ? 1 / p : p }

    static func run<S: SmoothScalar>(_: S.Type, _ xs: [Double], _ kind: SmoothAbsKind, _ p: Double,
                                     _ backend: Backend) throws -> (x: [S], y: [S], dy: [S]) {
        let x = xs.map { S($0) }
        let r = try smoothAbsWithDerivative(x, kind: kind, parameter: S(p), backend: backend)
        return (x, r.values, r.derivatives)
    }

    static func check<S: SmoothScalar>(_: S.Type, _ t: CatDType, _ kind: SmoothAbsKind, _ backend: Backend) throws {
        for p in parameters where S(p).isFinite {
            let g = kind.gap(parameter: p), s = scale(kind, p)
            let (x, y, dy) = try run(S.self, inputs(t, scale: s), kind, p, backend)
            for i in x.indices {
                let xi = Double(x[i]), yi = Double(y[i]), ax = Swift.abs(xi)
                let tol = 4 * t.u * (ax + g.worst) + Double(S.leastNonzeroMagnitude)
                // SPEC §2 bound: |x| − below ≤ f ≤ |x| + above, and finite (no overflow)
                #expect(yi.isFinite || !(ax + g.above).isFinite, "\(kind) p=\(p) x=\(xi): \(yi) not finite")
                #expect(yi >= ax - g.below - tol && yi <= ax + g.above + tol,
                        "\(kind) \(t) \(backend) p=\(p) x=\(xi): \(yi) outside [|x| − \(g.below), |x| + \(g.above)]")
                // |f'| ≤ 1, except erf, whose f' = erf(t) + (2/√π)t·e^{−t²} peaks at 1.2578083 (t = 1)
                let slopeMax = kind == .erf ? 1.25781 : 1.0
                #expect(Swift.abs(Double(dy[i])) <= slopeMax + 4 * t.u, "\(kind) p=\(p) x=\(xi): |f'| = \(dy[i])")
                // value against the definition in higher precision
                if let r = reference(kind, p, CatRef(xi)) {
                    let err = Swift.abs(CatRef(yi) - r)
                    #expect(err <= CatRef(4 * t.u) * (Swift.abs(r) + CatRef(g.worst)) + CatRef(S.leastNonzeroMagnitude),
                            "\(kind) \(t) \(backend) p=\(p) x=\(xi): \(yi) vs \(r)")
                }
            }
        }
    }

    @Test(arguments: SmoothAbsKind.allCases, CatDType.allCases)
    func boundsAndValues(kind: SmoothAbsKind, t: CatDType) throws {
        for backend in catBackends {
            try withStableISA(for: backend) {
                switch t {
                case .f32: try Self.check(Float.self, t, kind, backend)
                case .f64: try Self.check(Double.self, t, kind, backend)
                }
            }
        }
    }

    /// f' against a central difference of the CatRef definition, h = 1e-6 of the scale, on
    /// points within 10 scales of 0 (where the difference quotient is accurate to ~1e-12).
    @Test(arguments: SmoothAbsKind.allCases, catBackends)
    func derivativeMatchesCentralDifference(kind: SmoothAbsKind, backend: Backend) throws {
        for p in [0.1, 1, 30] {
            let s = Self.scale(kind, p)
            var rng = SplitMix64(7)
            // Huber's f'' jumps at ±μ: keep its points off the kinks by more than h
            let xs = (0..<100).map { _ in rng.uniform(-10, 10) * s }.filter {
                kind != .huber || Swift.abs(Swift.abs($0) - s) > 1e-3 * s
            }
            let d = try smoothAbsWithDerivative(xs, kind: kind, parameter: p, backend: backend).derivatives
            let h = CatRef(1e-6 * s)
            for (i, x) in xs.enumerated() {
                let fd = (Self.reference(kind, p, CatRef(x) + h)! - Self.reference(kind, p, CatRef(x) - h)!) / (2 * h)
                #expect(Swift.abs(CatRef(d[i]) - fd) <= 1e-8, "\(kind) p=\(p) x=\(x): f' \(d[i]) vs \(fd)")
            }
            // Float: the same derivative rounded once
            let d32 = try smoothAbsWithDerivative(xs.map { Float($0) }, kind: kind, parameter: Float(p),
                                                  backend: backend).derivatives
            let d64 = try smoothAbsWithDerivative(xs.map { Double(Float($0)) }, kind: kind, parameter: Double(Float(p)),
                                                  backend: backend).derivatives
            for i in xs.indices { #expect(Swift.abs(Double(d32[i]) - d64[i]) <= 2 * 0x1p-24) }
        }
    }

    /// SPEC §2: log-cosh, source (6), sqrt and Huber are convex; erf is not beyond 1/μ.
    @Test(arguments: SmoothAbsKind.allCases)
    func convexity(kind: SmoothAbsKind) throws {
        let p = 2.0, s = Self.scale(kind, p)
        var rng = SplitMix64(11)
        var worst = 0.0
        for _ in 0..<2000 {
            let a = rng.uniform(-6, 6) * s, b = rng.uniform(-6, 6) * s
            let f = try smoothAbs([a, b, (a + b) / 2], kind: kind, parameter: p)
            // midpoint: f((a+b)/2) ≤ (f(a) + f(b))/2 (+ rounding)
            worst = Swift.max(worst, f[2] - (f[0] + f[1]) / 2 - 8 * 0x1p-53 * (Swift.abs(f[0]) + Swift.abs(f[1])))
        }
        if kind == .erf {
            #expect(worst > 0, "erf smooth |x| should violate midpoint convexity beyond 1/μ")
        } else {
            #expect(worst <= 0, "\(kind): midpoint convexity violated by \(worst)")
        }
    }

    /// SPEC §2's curvature bounds: f'' ≤ k (log-cosh), k/2 (source 6), 1/μ (sqrt, Huber),
    /// checked as a Lipschitz bound on the returned derivative.
    @Test(arguments: [SmoothAbsKind.logCosh, .source6, .sqrt, .huber])
    func derivativeLipschitz(kind: SmoothAbsKind) throws {
        let p = 3.0
        let (alpha, _) = kind.smoothability!
        let lip = alpha / Self.scale(kind, p)
        let xs = stride(from: -4.0, through: 4.0, by: 1.0 / 64).map { $0 * Self.scale(kind, p) }
        let d = try smoothAbsWithDerivative(xs, kind: kind, parameter: p).derivatives
        for i in 1..<xs.count {
            let slope = Swift.abs(d[i] - d[i - 1]) / (xs[i] - xs[i - 1])
            #expect(slope <= lip * (1 + 1e-9), "\(kind): derivative slope \(slope) > \(lip)")
        }
    }

    /// NaN in → NaN value and derivative; ±∞ → +∞ with derivative ±1 (every kind, backend, type).
    @Test(arguments: SmoothAbsKind.allCases, catBackends)
    func nonFiniteInputs(kind: SmoothAbsKind, backend: Backend) throws {
        let r = try smoothAbsWithDerivative([Double.nan, .infinity, -.infinity], kind: kind, parameter: 2, backend: backend)
        #expect(r.values[0].isNaN && r.derivatives[0].isNaN, "\(kind) NaN → \(r.values[0]), \(r.derivatives[0])")
        #expect(r.values[1] == .infinity && r.values[2] == .infinity && r.derivatives[1] == 1 && r.derivatives[2] == -1,
                "\(kind) ±∞ → \(r.values), \(r.derivatives)")
        let f = try smoothAbsWithDerivative([Float.nan, .infinity], kind: kind, parameter: 2, backend: backend)
        #expect(f.values[0].isNaN && f.derivatives[0].isNaN && f.values[1] == .infinity && f.derivatives[1] == 1)
    }

    @Test(arguments: SmoothAbsKind.allCases)
    func cAndSwiftAgree(kind: SmoothAbsKind) throws {
        var rng = SplitMix64(3)
        let xs = (0..<500).map { _ in rng.uniform(-50, 50) }
        for p in [0.01, 1.0, 100] {
            let c = try smoothAbsWithDerivative(xs, kind: kind, parameter: p, backend: .c)
            let s = try smoothAbsWithDerivative(xs, kind: kind, parameter: p, backend: .swift)
            for i in xs.indices {
                #expect(Swift.abs(c.values[i] - s.values[i]) <= 4 * 0x1p-53 * Swift.max(1, Swift.abs(c.values[i])))
                #expect(Swift.abs(c.derivatives[i] - s.derivatives[i]) <= 4 * 0x1p-53)
            }
        }
    }

    /// The bounds API: the picked parameter meets the target, and its gap is the target.
    @Test(arguments: SmoothAbsKind.allCases)
    func parameterForTargetError(kind: SmoothAbsKind) throws {
        for eps in [1e-1, 1e-4, 1e-8] {
            let p = kind.parameter(forMaxError: eps)
            #expect(Swift.abs(kind.gap(parameter: p).worst - eps) <= 1e-12 * eps)
            var rng = SplitMix64(5)
            let xs = (0..<200).map { _ in rng.uniform(-3, 3) * Self.scale(kind, p) }
            let y = try smoothAbs(xs, kind: kind, parameter: p)
            for (x, v) in zip(xs, y) { #expect(Swift.abs(v - Swift.abs(x)) <= eps * (1 + 1e-9) + 4e-16 * Swift.abs(x)) }
        }
    }
}
