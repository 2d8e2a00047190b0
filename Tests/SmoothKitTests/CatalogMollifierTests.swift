#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import SmoothKit

/// SPEC §2, convolution with a δ approximation: φ, Φ, Ψ; the piecewise engine against direct
/// numerical convolution; the corrected, windowed smooth floor against quadrature.
@Suite struct CatalogMollifierTests {
    static let widths: [(Mollifier, Double)] = [
        (.gaussian, 0.05), (.gaussian, 0.3), (.gaussian, 1), (.gaussian, 5),
        (.logistic, 20), (.logistic, 3), (.logistic, 1), (.logistic, 0.2),
        (.cauchy, 0.1), (.cauchy, 2),
    ]

    struct Case: Sendable, CustomStringConvertible {
        let kernel: Mollifier, parameter: Double
        var description: String { "\(kernel) \(parameter)" }
    }
    static let cases = widths.map { Case(kernel: $0.0, parameter: $0.1) }

    /// Φ from SPEC §2's table in CatRef.
    static func cdf(_ k: Mollifier, _ p: Double, _ x: CatRef) -> CatRef {
        let p = CatRef(p)
        switch k {
        case .gaussian: return catErfc(-x / (p * CatRef(2).squareRoot())) / 2
        case .cauchy: return 0.5 + catAtan(x / p) / CatRef.pi
        case .logistic: return 1 / (1 + catExp(-p * x))
        }
    }

    /// φ, Φ against the table; Φ against ∫φ by quadrature; Ψ against ∫Φ by quadrature.
    @Test(arguments: cases)
    func kernelParts(c: Case) throws {
        let (k, p) = (c.kernel, c.parameter)
        let s = k == .logistic ? 1 / p : p
        let xs = [-30.0, -6, -2, -0.7, -0.1, 0, 0.1, 0.7, 2, 6, 30].map { $0 * s }
        for backend in catBackends {
            try withStableISA(for: backend) {
                let phi = try mollifier(xs, kernel: k, parameter: p, part: .density, backend: backend)
                let cdf = try mollifier(xs, kernel: k, parameter: p, part: .cdf, backend: backend)
                for (i, x) in xs.enumerated() {
                    let rphi = catDensity(k, p, CatRef(x)), rcdf = Self.cdf(k, p, CatRef(x))
                    // relative, in both tails (the lower tail of Φ is not 1 − something close to 1);
                    // e^{−u²/2} and e^{−t|x|} amplify the rounding of u = x/σ, t·x by the exponent
                    let u = CatRef(k == .logistic ? p * x : x / p), rel = 1e-14 * (1 + (k == .gaussian ? u * u : Swift.abs(u)))
                    #expect(Swift.abs(CatRef(phi[i]) - rphi) <= rel * rphi, "\(c) φ(\(x)) = \(phi[i]) vs \(rphi)")
                    #expect(Swift.abs(CatRef(cdf[i]) - rcdf) <= rel * rcdf, "\(c) Φ(\(x)) = \(cdf[i]) vs \(rcdf)")
                    if k != .cauchy && x <= 6 * s { // ∫_{−L}^x φ (Cauchy: its tail mass is not negligible)
                        let q = catIntegrate(-catSupport(k, p), x, piece: s / 4) { catDensity(k, p, $0) }
                        #expect(Swift.abs(CatRef(cdf[i]) - q) <= 1e-13, "\(c) Φ(\(x)) vs ∫φ = \(q)")
                    }
                }
                if k == .cauchy {
                    #expect(throws: SmoothKitError.self) { try mollifier(xs, kernel: k, parameter: p, part: .ramp, backend: backend) }
                    return
                }
                let ramp = try mollifier(xs, kernel: k, parameter: p, part: .ramp, backend: backend)
                for (i, x) in xs.enumerated() where x <= 6 * s {
                    let q = catIntegrate(-catSupport(k, p), x, piece: s / 4) { Self.cdf(k, p, $0) }
                    #expect(Swift.abs(CatRef(ramp[i]) - q) <= CatRef(1e-13 * s), "\(c) Ψ(\(x)) = \(ramp[i]) vs ∫Φ = \(q)")
                    #expect(ramp[i] >= Swift.max(x, 0) && ramp[i] - Swift.max(x, 0) <= (k == .gaussian ? p * 0.3989422804014327 : log(2) / p) * (1 + 1e-14),
                            "\(c) Ψ(\(x)) − relu = \(ramp[i] - Swift.max(x, 0)) above Ψ(0)")
                }
            }
        }
    }

    /// The piecewise examples of SPEC §2, and the direct convolution ∫ f(x − y) φ(y) dy by
    /// Gauss–Legendre between the kinks, in CatRef.
    static let shapes: [(String, PiecewiseLinear<Double>, @Sendable (Double) -> Double)] = [
        ("relu", .relu, { Swift.max($0, 0) }),
        ("|x|", .abs, { Swift.abs($0) }),
        ("max(x, 1.5)", .max(1.5), { Swift.max($0, 1.5) }),
        ("clamp(x, −1, 2)", .clamp(-1, 2), { Swift.min(Swift.max($0, -1), 2) }),
        ("staircase", .staircase(steps: [0, 1, 2.5]), { x in [0, 1, 2.5].reduce(0.0) { $0 + (x >= $1 ? 1 : 0) } }),
        ("mixed", PiecewiseLinear(intercept: 0.5, slope: 0.25, knots: [.init(at: -1, jump: 2, slopeChange: -1), .init(at: 3, jump: -1, slopeChange: 0.5)]),
         { x in 0.5 + 0.25 * x + (x >= -1 ? 2 - (x + 1) : 0) + (x >= 3 ? -1 + 0.5 * (x - 3) : 0) }),
    ]

    @Test(arguments: cases.filter { $0.kernel != .cauchy })
    func piecewiseMatchesConvolution(c: Case) throws {
        let (k, p) = (c.kernel, c.parameter)
        let s = k == .logistic ? 1 / p : p, L = catSupport(k, p)
        let xs = [-4.0, -1.2, -1, -0.3, 0, 0.4, 1.5, 2, 2.7, 3.1, 6]
        for (name, f, hard) in Self.shapes {
            let knots = f.knots.map(\.at)
            for backend in catBackends {
                try withStableISA(for: backend) {
                    let (y, dy) = try mollify(f, at: xs, kernel: k, parameter: p, backend: backend)
                    // ∫ f(x − y) φ(y) dy by Gauss–Legendre, split at the kinks t = c_j (y = x − t)
                    func convolution(_ x: CatRef) -> CatRef {
                        let xd = Double(x)
                        let cuts = ([xd - L, xd + L] + knots.filter { Swift.abs($0 - xd) < L }).sorted()
                        var conv: CatRef = 0
                        for j in 1..<cuts.count {
                            conv += catIntegrate(cuts[j - 1], cuts[j], piece: Swift.min(s / 2, 0.5)) { t in
                                CatRef(hard(Double(t))) * catDensity(k, p, x - t)
                            }
                        }
                        return conv
                    }
                    for (i, x) in xs.enumerated() {
                        let conv = convolution(CatRef(x))
                        #expect(Swift.abs(CatRef(y[i]) - conv) <= 1e-12 * (1 + Swift.abs(conv)),
                                "\(name) \(c) \(backend) x=\(x): \(y[i]) vs ∫ = \(conv)")
                        // the derivative against a central difference of that convolution in CatRef
                        // (h = 1e-4 of the scale: truncation ~1e-8, quadrature noise ~1e-18/h)
                        let h = CatRef(1e-4 * s)
                        let fd = (convolution(CatRef(x) + h) - convolution(CatRef(x) - h)) / (2 * h)
                        #expect(Swift.abs(CatRef(dy[i]) - fd) <= 1e-6 * (1 + Swift.abs(fd)),
                                "\(name) \(c) x=\(x): f' \(dy[i]) vs difference \(fd)")
                    }
                }
            }
        }
    }

    /// At ±∞ the mollified function takes the hard function's limits (no ∞ − ∞ = NaN), and a
    /// NaN input gives NaN.
    @Test(arguments: catBackends)
    func piecewiseLimits(backend: Backend) throws {
        let inf = Double.infinity
        let cases: [(PiecewiseLinear<Double>, [Double], [Double])] = [
            (.clamp(-1, 2), [-1, 2], [0, 0]),
            (.staircase(steps: [0, 1, 2.5]), [0, 3], [0, 0]),
            (.relu, [0, inf], [0, 1]),
            (.abs, [inf, inf], [-1, 1]),
            (PiecewiseLinear(intercept: 1, slope: 2, knots: [.init(at: 1, slopeChange: -2)]), [-inf, 3], [2, 0]), // 1 + 2x, then 3
        ]
        for (f, values, slopes) in cases {
            for kernel in [Mollifier.gaussian, .logistic] {
                let (y, dy) = try mollify(f, at: [-inf, inf, .nan], kernel: kernel, parameter: 0.5, backend: backend)
                #expect(y[0] == values[0] && y[1] == values[1] && dy[0] == slopes[0] && dy[1] == slopes[1],
                        "\(f) \(kernel): limits \(y), \(dy)")
                #expect(y[2].isNaN)
            }
        }
        let st = try mollify(PiecewiseLinear<Float>.staircase(steps: [0, 1]), at: [-.infinity, .infinity], kernel: .cauchy,
                             parameter: 1, backend: backend).values
        #expect(st == [0, 2])
    }

    /// relu ∗ logistic is softplus (SPEC §2); Cauchy smooths steps but rejects slopes.
    @Test func reluLogisticIsSoftplusAndCauchySteps() throws {
        let xs = stride(from: -20.0, through: 20, by: 0.25).map { $0 }
        for backend in catBackends {
            try withStableISA(for: backend) {
                let y = try mollify(PiecewiseLinear<Double>.relu, at: xs, kernel: .logistic, parameter: 2, backend: backend).values
                for (x, v) in zip(xs, y) {
                    let sp = (Swift.max(2 * x, 0) + log1p(exp(-Swift.abs(2 * x)))) / 2
                    #expect(Swift.abs(v - sp) <= 2e-16 * Swift.max(1, sp))
                }
                let st = try mollify(PiecewiseLinear<Float>.staircase(steps: [0, 1]), at: [0.5], kernel: .cauchy,
                                     parameter: 0.5, backend: backend).values[0]
                #expect(Swift.abs(Double(st) - 1) <= 1e-6) // Φ(½) + Φ(−½) = 1 by symmetry
                #expect(throws: SmoothKitError.self) {
                    try mollify(PiecewiseLinear<Double>.relu, at: [0], kernel: .cauchy, parameter: 1, backend: backend)
                }
                #expect(throws: SmoothKitError.self) {
                    try mollify(PiecewiseLinear<Double>(intercept: .nan, knots: []), at: [0], kernel: .gaussian, parameter: 1, backend: backend)
                }
            }
        }
    }

    // MARK: smooth floor, ceil, round, sign

    /// ⌊·⌋ ∗ φ by direct quadrature: ∫ ⌊x − y⌋ φ(y) dy over |y| ≤ L, between the jumps y = x − j.
    static func floorByQuadrature(_ k: Mollifier, _ p: Double, _ x: Double) -> CatRef {
        let L = catSupport(k, p), s = k == .logistic ? 1 / p : p
        var cuts = [x - L]
        var j = (x - L).rounded(.up)
        while j < x + L { if j > x - L { cuts.append(j) }; j += 1 }
        cuts.append(x + L)
        var total: CatRef = 0
        for i in 1..<cuts.count { // t = x − y runs over [cuts[i−1], cuts[i]], where ⌊t⌋ is constant
            let value = CatRef(((cuts[i - 1] + cuts[i]) / 2).rounded(.down))
            total += value * catIntegrate(cuts[i - 1], cuts[i], piece: Swift.min(s / 2, 0.5)) { catDensity(k, p, CatRef(x) - $0) }
        }
        return total
    }

    @Test(arguments: cases.filter { $0.kernel != .cauchy })
    func smoothFloorMatchesQuadrature(c: Case) throws {
        let (k, p) = (c.kernel, c.parameter)
        let xs = [-3.7, -1, -0.5, 0, 0.25, 0.999, 1, 2.5, 1000.3, -1e5 + 0.7]
        for backend in catBackends {
            try withStableISA(for: backend) {
                let f = try smoothQuantize(xs, .floor, kernel: k, parameter: p, backend: backend)
                let ceil = try smoothQuantize(xs, .ceil, kernel: k, parameter: p, backend: backend)
                let round = try smoothQuantize(xs, .round, kernel: k, parameter: p, backend: backend)
                let f32 = try smoothQuantize(xs.map { Float($0) }, .floor, kernel: k, parameter: Float(p), backend: backend)
                for (i, x) in xs.enumerated() {
                    let q = Self.floorByQuadrature(k, p, x)
                    let tol = 1e-12 * Swift.max(1, Swift.abs(x))
                    #expect(Swift.abs(CatRef(f[i]) - q) <= CatRef(tol), "floor \(c) \(backend) x=\(x): \(f[i]) vs ∫ = \(q)")
                    #expect(Swift.abs(ceil[i] - (f[i] + 1)) <= tol, "ceil = floor + 1 at \(x)")
                    let qr = Self.floorByQuadrature(k, p, x + 0.5)
                    #expect(Swift.abs(CatRef(round[i]) - qr) <= CatRef(tol), "round \(c) x=\(x): \(round[i]) vs \(qr)")
                    let q32 = Self.floorByQuadrature(k, Double(Float(p)), Double(Float(x)))
                    #expect(Swift.abs(CatRef(f32[i]) - q32) <= CatRef(2 * 0x1p-24 * Swift.max(1, Swift.abs(x))),
                            "floor f32 \(c) x=\(x): \(f32[i]) vs \(q32)")
                }
            }
        }
    }

    /// Exact properties: ⌊x + 1⌋ ∗ φ = ⌊x⌋ ∗ φ + 1, value j − ½ at integers (symmetric kernel),
    /// monotone, close to ⌊x⌋ away from the jumps for a narrow kernel, x − ½ past 2^52.
    @Test(arguments: cases.filter { $0.kernel != .cauchy })
    func smoothFloorProperties(c: Case) throws {
        let (k, p) = (c.kernel, c.parameter)
        let xs = stride(from: -2.0, through: 2, by: 1.0 / 32).map { $0 }
        for backend in catBackends {
            try withStableISA(for: backend) {
                let f = try smoothQuantize(xs, .floor, kernel: k, parameter: p, backend: backend)
                let g = try smoothQuantize(xs.map { $0 + 1 }, .floor, kernel: k, parameter: p, backend: backend)
                for i in xs.indices {
                    #expect(Swift.abs(g[i] - f[i] - 1) <= 1e-14, "periodicity at \(xs[i])")
                    if i > 0 { #expect(f[i] >= f[i - 1], "monotone at \(xs[i])") }
                    if xs[i] == xs[i].rounded() { #expect(Swift.abs(f[i] - (xs[i] - 0.5)) <= 1e-14, "\(c) at integer \(xs[i]): \(f[i])") }
                }
                let big = try smoothQuantize([0x1p53, -0x1p60, 1e300], .floor, kernel: k, parameter: p, backend: backend)
                #expect(big == [0x1p53, -0x1p60, 1e300]) // x − ½ rounds to x there
                let edge = try smoothQuantize([.infinity, -.infinity, .nan], .floor, kernel: k, parameter: p, backend: backend)
                #expect(edge[0] == .infinity && edge[1] == -.infinity && edge[2].isNaN)
            }
        }
        if (k == .gaussian && p <= 0.05) || (k == .logistic && p >= 20) {
            let near = try smoothQuantize([0.5, 1.5, -0.5], .floor, kernel: k, parameter: p)
            #expect(Swift.abs(near[0] - 0) <= 1e-8 && Swift.abs(near[1] - 1) <= 1e-8 && Swift.abs(near[2] + 1) <= 1e-8)
        }
    }

    /// sign ∗ φ = 2Φ − 1 for every kernel (Cauchy included); Cauchy floor is rejected.
    @Test(arguments: cases)
    func smoothSign(c: Case) throws {
        let xs = [-50.0, -3, -0.2, 0, 1e-8, 0.2, 3, 50]
        for backend in catBackends {
            try withStableISA(for: backend) {
                let y = try smoothQuantize(xs, .sign, kernel: c.kernel, parameter: c.parameter, backend: backend)
                for (x, v) in zip(xs, y) {
                    let r = 2 * Self.cdf(c.kernel, c.parameter, CatRef(x)) - 1
                    #expect(Swift.abs(CatRef(v) - r) <= 4e-16, "sign \(c) x=\(x): \(v) vs \(r)")
                }
                if c.kernel == .cauchy {
                    for q in [SmoothQuantizer.floor, .ceil, .round] {
                        #expect(throws: SmoothKitError.self) { try smoothQuantize(xs, q, kernel: .cauchy, parameter: c.parameter, backend: backend) }
                    }
                }
            }
        }
    }

    @Test func cAndSwiftAgree() throws {
        var rng = SplitMix64(8)
        let xs = (0..<300).map { _ in rng.uniform(-40, 40) }
        for c in Self.cases {
            for part in MollifierPart.allCases where !(c.kernel == .cauchy && part == .ramp) {
                let a = try mollifier(xs, kernel: c.kernel, parameter: c.parameter, part: part, backend: .c)
                let b = try mollifier(xs, kernel: c.kernel, parameter: c.parameter, part: part, backend: .swift)
                #expect(zip(a, b).allSatisfy { Swift.abs($0 - $1) <= 4e-16 * Swift.max(1, Swift.abs($0)) }, "\(c) \(part)")
            }
            for q in SmoothQuantizer.allCases where !(c.kernel == .cauchy && q != .sign) {
                let a = try smoothQuantize(xs, q, kernel: c.kernel, parameter: c.parameter, backend: .c)
                let b = try smoothQuantize(xs, q, kernel: c.kernel, parameter: c.parameter, backend: .swift)
                #expect(zip(a, b).allSatisfy { Swift.abs($0 - $1) <= 1e-15 * Swift.max(1, Swift.abs($0)) }, "\(c) \(q)")
            }
        }
    }
}
