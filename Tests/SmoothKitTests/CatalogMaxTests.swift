#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import SmoothKit

/// SPEC §2, smooth max/min: bounds on sampled and adversarial rows, values against the
/// definitions in higher precision, edge rows, C vs Swift, the bounds API.
@Suite struct CatalogMaxTests {
    static let parameters: [SmoothMaxKind: [Double]] = [
        .logSumExp: [1e-3, 1, 100], .boltzmann: [1e-2, 1, 1e3], .power: [1, 2, 8, 100], .logLog: [0.5, 1, 10],
    ]

    /// Rows of one shape: random spread, all tied, tiny, huge (entries ≥ 0 for the power max).
    static func rows(_ t: CatDType, _ kind: SmoothMaxKind, n: Int, seed: UInt64) -> [(String, [Double])] {
        var rng = SplitMix64(seed)
        let lo = kind == .power ? 0.0 : -1.0
        var out: [(String, [Double])] = [
            ("random", (0..<n).map { _ in rng.uniform(lo * 5, 5) }),
            ("ties", [Double](repeating: kind == .power ? 2.5 : -2.5, count: n)),
            ("tiny", (0..<n).map { _ in rng.uniform(lo, 1) * 1e-30 }),
            ("near one", (0..<n).map { _ in 1 + rng.uniform(lo, 1) * 1e-6 }),
        ]
        if kind != .logLog { // log-log's bound is only tight for k·m ≫ 0; huge rows go to its own test
            // the power max of n entries near the top may truly exceed the largest finite value
            // (it is up to n^{1/p}·m): there the entries are scaled by 1/n
            let top = kind == .power ? t.huge / Double(4 * n) : t.huge / 4
            out.append(("huge", (0..<n).map { _ in rng.uniform(lo, 1) * top }))
        }
        return out.map { ($0.0, $0.1.map { t == .f32 ? Double(Float($0)) : $0 }) }
    }

    static func check<S: SmoothScalar>(_: S.Type, _ t: CatDType, _ kind: SmoothMaxKind, n: Int) throws {
        for p in parameters[kind]! {
            for (name, data) in rows(t, kind, n: n, seed: UInt64(n)) {
                for min in [false, true] {
                    // the min sees −data, so that power's min has its domain (entries ≤ 0)
                    let row = min ? data.map { -$0 } : data
                    let x = try Matrix<S>(rows: 1, cols: n, elements: row.map { S($0) })
                    for backend in catBackends {
                        try withStableISA(for: backend) {
                            let v = Double((min ? try smoothMin(x, kind: kind, parameter: S(p), backend: backend)
                                                 : try smoothMax(x, kind: kind, parameter: S(p), backend: backend))[0])
                            let m = data.max()!, g = kind.gap(parameter: p, count: n, max: m)
                            let tol = 16 * t.u * (Swift.abs(m) + g.worst) + 1e-300
                            // max: m − below ≤ · ≤ m + above;  min = −max(−x): −m − above ≤ · ≤ −m + below
                            let (lo, hi) = min ? (-m - g.above, -m + g.below) : (m - g.below, m + g.above)
                            #expect(v >= lo - tol && v <= hi + tol,
                                    "\(kind) \(min ? "min" : "max") \(t) \(backend) n=\(n) p=\(p) \(name): \(v) ∉ [\(lo), \(hi)]")
                        }
                    }
                }
            }
        }
    }

    @Test(arguments: SmoothMaxKind.allCases, CatDType.allCases)
    func bounds(kind: SmoothMaxKind, t: CatDType) throws {
        for n in [1, 2, 3, 10, 1000] {
            switch t {
            case .f32: try Self.check(Float.self, t, kind, n: n)
            case .f64: try Self.check(Double.self, t, kind, n: n)
            }
        }
    }

    /// n = 10^5 in a few cases: a long row keeps the bound (compensated sums, no drift).
    @Test(arguments: SmoothMaxKind.allCases)
    func boundsLongRow(kind: SmoothMaxKind) throws {
        try Self.check(Float.self, .f32, kind, n: 100_000)
    }

    /// Each smoothing's definition, in CatRef, shifted by the max where the formula allows.
    static func reference(_ kind: SmoothMaxKind, _ p: Double, _ x: [Double]) -> CatRef {
        let xr = x.map { CatRef($0) }, m = xr.max()!, k = CatRef(p)
        switch kind {
        case .logSumExp: return m + k * catLog(xr.reduce(0) { $0 + catExp(($1 - m) / k) })
        case .boltzmann:
            let w = xr.map { catExp(k * ($0 - m)) }
            return zip(xr, w).reduce(0) { $0 + $1.0 * $1.1 } / w.reduce(0, +)
        case .power: return catPow(xr.reduce(0) { $0 + catPow($1, k) }, 1 / k)
        case .logLog: return catLog(catLog(xr.reduce(0) { $0 + catExp(catExp(k * $1)) })) / k
        }
    }

    @Test(arguments: SmoothMaxKind.allCases, [1, 2, 7, 300])
    func valuesMatchDefinition(kind: SmoothMaxKind, n: Int) throws {
        var rng = SplitMix64(99)
        for p in Self.parameters[kind]! where !(kind == .power && p > 10) {
            // inputs where the definition itself is safe in CatRef: k·x ≤ 8 for log-log
            let hi = kind == .logLog ? 8 / p : 3.0, lo = kind == .power ? 0 : -3.0
            let data = (0..<n).map { _ in rng.uniform(lo, hi) }
            let r = Self.reference(kind, p, data)
            for backend in catBackends {
                try withStableISA(for: backend) {
                    let v64 = try smoothMax(Matrix<Double>(rows: 1, cols: n, elements: data), kind: kind, parameter: p,
                                            backend: backend)[0]
                    // error scale: the result and the entries it is formed from (Boltzmann's SIMD
                    // kernel sums (x − m)·e in the element type: u·|B − m| on top of u·|B|)
                    let scale = CatRef(Swift.max(1, data.map { Swift.abs($0) }.max()!))
                    #expect(Swift.abs(CatRef(v64) - r) <= CatRef(32 * 0x1p-53) * Swift.max(scale, Swift.abs(r)),
                            "\(kind) f64 \(backend) n=\(n) p=\(p): \(v64) vs \(r)")
                    let x32 = data.map { Float($0) }
                    let r32 = Self.reference(kind, Double(Float(p)), x32.map { Double($0) })
                    let v32 = try smoothMax(Matrix<Float>(rows: 1, cols: n, elements: x32), kind: kind,
                                            parameter: Float(p), backend: backend)[0]
                    #expect(Swift.abs(CatRef(v32) - r32) <= CatRef(4 * 0x1p-24) * Swift.max(scale, Swift.abs(r32)),
                            "\(kind) f32 \(backend) n=\(n) p=\(p): \(v32) vs \(r32)")
                }
            }
        }
    }

    /// SPEC §2: n = 2 Boltzmann is (x1 − x2)σ(β(x1 − x2)) + x2, and its gap reaches 0.27846/β.
    @Test func boltzmannTwoEntries() throws {
        let beta = 3.0
        var worst = 0.0
        for d in stride(from: -4.0, through: 4.0, by: 1.0 / 256) {
            let x = try Matrix<Double>(rows: 1, cols: 2, elements: [d, 0])
            let v = try smoothMax(x, kind: .boltzmann, parameter: beta)[0]
            #expect(Swift.abs(v - d / (1 + exp(-beta * d))) <= 1e-15)
            worst = Swift.max(worst, Swift.max(d, 0) - v)
        }
        #expect(worst <= SmoothingConstants.lambertWOfInverseE / beta)
        #expect(worst >= 0.999 * SmoothingConstants.lambertWOfInverseE / beta) // the bound is tight
    }

    /// Edge rows (mirroring SPEC §1's table): NaN, +∞, all −∞, empty, −∞ mixed with finite.
    @Test(arguments: SmoothMaxKind.allCases, catBackends)
    func edgeRows(kind: SmoothMaxKind, backend: Backend) throws {
        let inf = Double.infinity
        let k = 2.0
        let rows: [[Double]] = kind == .power ? [[1, .nan, 2], [1, inf, 2], [0, 0, 0]] :
            [[1, .nan, 2], [1, inf, 2], [-inf, -inf, -inf], [-inf, 1, 2]]
        for row in rows {
            let x = try Matrix<Double>(rows: 1, cols: row.count, elements: row)
            let v = try smoothMax(x, kind: kind, parameter: k, backend: backend)[0]
            if row.contains(where: \.isNaN) { #expect(v.isNaN, "\(kind) NaN row → \(v)"); continue }
            if row.contains(inf) { #expect(v == inf, "\(kind) +∞ row → \(v)"); continue }
            if row.allSatisfy({ $0 == -inf }) {
                let expected = kind == .logLog ? log(log(3.0)) / k : -inf
                #expect(v == expected, "\(kind) all −∞ → \(v)")
                continue
            }
            if row.allSatisfy({ $0 == 0 }) { #expect(v == 0); continue }
            // −∞ entries drop out: the same as the row without them
            let rest = try Matrix<Double>(rows: 1, cols: 2, elements: [1, 2])
            let w = try smoothMax(rest, kind: kind, parameter: k, backend: backend)[0]
            #expect(Swift.abs(v - w) <= 1e-15 * Swift.abs(w), "\(kind) −∞ mixed: \(v) vs \(w)")
        }
        let empty = try Matrix<Double>(rows: 2, cols: 0, repeating: 0)
        let e = try smoothMax(empty, kind: kind, parameter: k, backend: backend)
        #expect(e == [Double](repeating: kind == .power ? 0 : -inf, count: 2))
        let emin = try smoothMin(empty, kind: kind, parameter: k, backend: backend)
        #expect(emin == [Double](repeating: kind == .power ? 0 : inf, count: 2))
    }

    /// The log-log max on huge rows: exactly the max once e^{km} overflows, no NaN; far below
    /// zero it tends to (1/k) ln ln n (SPEC's corrected domain note).
    @Test(arguments: catBackends)
    func logLogExtremes(backend: Backend) throws {
        let k = 1.0
        let big = try Matrix<Double>(rows: 1, cols: 3, elements: [1e300, 1e300, -1e300])
        #expect(try smoothMax(big, kind: .logLog, parameter: k, backend: backend)[0] == 1e300)
        let low = try Matrix<Double>(rows: 1, cols: 3, elements: [-1e3, -2e3, -1e300])
        let v = try smoothMax(low, kind: .logLog, parameter: k, backend: backend)[0]
        #expect(Swift.abs(v - log(log(3.0))) <= 1e-15)
        let g = SmoothMaxKind.logLog.gap(parameter: k, count: 3, max: -1e3)
        #expect(v <= -1e3 + g.above * (1 + 1e-15))
    }

    @Test(arguments: SmoothMaxKind.allCases, CatDType.allCases)
    func cAndSwiftAgree(kind: SmoothMaxKind, t: CatDType) throws {
        var rng = SplitMix64(17)
        let rows = 20, cols = 37
        let data = (0..<rows * cols).map { _ in kind == .power ? rng.uniform(0, 9) : rng.uniform(-9, 9) }
        for p in Self.parameters[kind]! {
            let x = try Matrix<Double>(rows: rows, cols: cols, leadingDimension: cols + 3, repeating: .nan)
            var y = x
            for r in 0..<rows { for c in 0..<cols { y[r, c] = data[r * cols + c] } }
            let c = try smoothMax(y, kind: kind, parameter: p, backend: .c)
            let s = try smoothMax(y, kind: kind, parameter: p, backend: .swift)
            for r in 0..<rows {
                #expect(Swift.abs(c[r] - s[r]) <= 32 * 0x1p-53 * Swift.max(1, Swift.abs(c[r])),
                        "\(kind) p=\(p) row \(r): C \(c[r]) vs Swift \(s[r])")
            }
        }
    }

    /// The picked parameter meets the target error on real rows.
    @Test(arguments: SmoothMaxKind.allCases, [2, 10, 1000])
    func parameterForTargetError(kind: SmoothMaxKind, n: Int) throws {
        var rng = SplitMix64(23)
        let data = (0..<n).map { _ in rng.uniform(kind == .power ? 0.5 : 1, 4) }
        let m = data.max()!
        for eps in [1e-1, 1e-3] {
            let p = try #require(kind.parameter(forMaxError: eps, count: n, max: m))
            #expect(kind.gap(parameter: p, count: n, max: m).worst <= eps * (1 + 1e-9))
            let v = try smoothMax(Matrix<Double>(rows: 1, cols: n, elements: data), kind: kind, parameter: p)[0]
            #expect(Swift.abs(v - m) <= eps * (1 + 1e-9), "\(kind) eps=\(eps) p=\(p): |\(v) − \(m)|")
        }
    }

    // MARK: pairwise

    /// SPEC §2 pairwise bounds on adversarial pairs (ties, huge, the worst-case distance),
    /// values against (a + b + …)/2 in CatRef, min = −max(−a, −b).
    @Test(arguments: PairwiseMaxKind.allCases, CatDType.allCases)
    func pairwise(kind: PairwiseMaxKind, t: CatDType) throws {
        var rng = SplitMix64(31)
        for p in [1e-3, 1, 1e4] {
            var a: [Double] = [0, 1, t.huge, -t.huge, t.huge, 1e-300], b: [Double] = [0, 1, t.huge, t.huge, -t.huge, 0]
            for _ in 0..<300 {
                let s = rng.uniform(-3, 3) / p
                a.append(rng.uniform(-5, 5)); b.append(a.last! + (kind == .erf ? s : s * p * p))
            }
            if t == .f32 { a = a.map { Double(Float($0)) }; b = b.map { Double(Float($0)) } }
            let g = kind.gap(parameter: p)
            for backend in catBackends {
                try withStableISA(for: backend) {
                    let (mx, mn) = t == .f32
                        ? try (smoothMax(a.map { Float($0) }, b.map { Float($0) }, kind: kind, parameter: Float(p), backend: backend).map { Double($0) },
                               smoothMin(a.map { Float($0) }, b.map { Float($0) }, kind: kind, parameter: Float(p), backend: backend).map { Double($0) })
                        : try (smoothMax(a, b, kind: kind, parameter: p, backend: backend),
                               smoothMin(a, b, kind: kind, parameter: p, backend: backend))
                    for i in a.indices {
                        let m = Swift.max(a[i], b[i]), mi = Swift.min(a[i], b[i])
                        let tol = 4 * t.u * (Swift.abs(m) + Swift.abs(mi) + g.worst)
                        #expect(mx[i] >= m - g.below - tol && mx[i] <= m + g.above + tol, "\(kind) \(t) max(\(a[i]), \(b[i])) = \(mx[i])")
                        #expect(mn[i] >= mi - g.above - tol && mn[i] <= mi + g.below + tol, "\(kind) \(t) min(\(a[i]), \(b[i])) = \(mn[i])")
                        guard Swift.abs(a[i]) < 1e10 && Swift.abs(b[i]) < 1e10 else { continue }
                        let ar = CatRef(a[i]), br = CatRef(b[i]), d = ar - br, mu = CatRef(p)
                        let r = kind == .erf ? (ar + br + d * catErf(mu * d)) / 2 : (ar + br + (d * d + mu * mu).squareRoot()) / 2
                        #expect(Swift.abs(CatRef(mx[i]) - r) <= CatRef(4 * t.u) * (Swift.abs(r) + CatRef(g.worst)) + 1e-300,
                                "\(kind) \(t) \(backend) (\(a[i]), \(b[i])): \(mx[i]) vs \(r)")
                    }
                }
            }
        }
    }

    /// Finite pairs more than the largest finite value apart (a, b = ±0.94·max), with the
    /// parameter at the scale of the distance (erf: μ|a − b| = 1; sqrt: μ = |a − b|/4), where
    /// the smooth max is far from the hard one (erf: 0.84·m; sqrt: 1.03·m, still finite): max
    /// and min against (a + b + …)/2 in CatRef (where a − b is finite), within 8u·(|a| + |b|).
    func pairPastRange<S: SmoothScalar>(_: S.Type, _ kind: PairwiseMaxKind, _ backend: Backend) throws {
        let big = S.greatestFiniteMagnitude * S(0.94), u = CatRef(S.ulpOfOne) / 2
        let mu = kind == .erf ? S(0.5) / big : big / 2, a = [big, -big], b = [-big, big]
        let mx = try smoothMax(a, b, kind: kind, parameter: mu, backend: backend)
        let mn = try smoothMin(a, b, kind: kind, parameter: mu, backend: backend)
        for i in 0..<2 {
            for (s, got) in [(CatRef(1), mx[i]), (-1, mn[i])] {
                let ar = s * CatRef(a[i]), br = s * CatRef(b[i]), d = ar - br, m = CatRef(mu)
                let r = s * (kind == .erf ? (ar + br + d * catErf(m * d)) / 2 : (ar + br + (d * d + m * m).squareRoot()) / 2)
                #expect(Swift.abs(CatRef(got) - r) <= 8 * u * 2 * CatRef(big),
                        "\(S.self) \(kind) \(backend) \(s < 0 ? "min" : "max")(\(a[i]), \(b[i])), μ = \(mu): \(got) vs \(r)")
            }
        }
    }

    @Test(arguments: PairwiseMaxKind.allCases, catBackends)
    func pairwisePastTheRange(kind: PairwiseMaxKind, backend: Backend) throws {
        try pairPastRange(Float.self, kind, backend)
        try pairPastRange(Double.self, kind, backend)
    }

    @Test(arguments: PairwiseMaxKind.allCases)
    func pairwiseEdgesAndTarget(kind: PairwiseMaxKind) throws {
        let inf = Double.infinity
        for backend in catBackends {
            try withStableISA(for: backend) {
                let v = try smoothMax([inf, -inf, .nan, 1, inf], [1, 2, 0, -inf, inf], kind: kind, parameter: 1, backend: backend)
                #expect(v[0] == inf && v[1] == 2 && v[2].isNaN && v[3] == 1 && v[4] == inf)
            }
        }
        let eps = 1e-4, p = kind.parameter(forMaxError: eps)
        let d = stride(from: -0.01, through: 0.01, by: 1e-5).map { $0 }
        let v = try smoothMax(d, [Double](repeating: 0, count: d.count), kind: kind, parameter: p)
        for (x, y) in zip(d, v) { #expect(Swift.abs(y - Swift.max(x, 0)) <= eps * (1 + 1e-9)) }
    }

    /// Boltzmann and the log-sum-exp min run a SIMD row kernel (kernels/catalog_rows.inc) on
    /// every instruction-set path: each path agrees with the pure-Swift backend, on rows whose
    /// lengths hit every tail (n mod LANES) and a padded leading dimension.
    @Test(arguments: [SmoothMaxKind.boltzmann, .logSumExp])
    func everyInstructionSet(kind: SmoothMaxKind) throws {
        var rng = SplitMix64(404)
        for cols in [1, 3, 8, 17, 300] {
            let rows = 5
            var x = try Matrix<Double>(rows: rows, cols: cols, leadingDimension: cols + 1, repeating: .nan)
            for r in 0..<rows { for c in 0..<cols { x[r, c] = rng.uniform(-20, 20) } }
            x[0, 0] = -.infinity
            let x32 = try Matrix<Float>(rows: rows, cols: cols, elements: x.elements.map { Float($0) })
            for p in [0.05, 1, 30.0] {
                let swift = try (smoothMax(x, kind: kind, parameter: p, backend: .swift), smoothMin(x, kind: kind, parameter: p, backend: .swift))
                let swift32 = try (smoothMax(x32, kind: kind, parameter: Float(p), backend: .swift), smoothMin(x32, kind: kind, parameter: Float(p), backend: .swift))
                for isa in InstructionSet.supported {
                    let ((c, c32), _) = try withForcedISA(isa) {
                        try ((smoothMax(x, kind: kind, parameter: p, backend: .c), smoothMin(x, kind: kind, parameter: p, backend: .c)),
                             (smoothMax(x32, kind: kind, parameter: Float(p), backend: .c), smoothMin(x32, kind: kind, parameter: Float(p), backend: .c)))
                    }
                    for r in 0..<rows {
                        for (a, b) in [(c.0[r], swift.0[r]), (c.1[r], swift.1[r])] {
                            #expect(a == b || Swift.abs(a - b) <= 8 * 0x1p-53 * Swift.max(20, Swift.abs(b), p), "\(kind) \(isa) cols=\(cols) p=\(p): \(a) vs \(b)")
                        }
                        for (a, b) in [(c32.0[r], swift32.0[r]), (c32.1[r], swift32.1[r])] {
                            // SPEC §1-style: 8u·max(|L|, τ), and u·max|x| for Boltzmann's Σ(x − m)·e (|x| ≤ 20)
                            #expect(a == b || Swift.abs(a - b) <= 8 * 0x1p-24 * Swift.max(20, Swift.abs(b), Float(p)), "\(kind) f32 \(isa) cols=\(cols) p=\(p): \(a) vs \(b)")
                        }
                    }
                }
            }
        }
        // β beyond Float's range of 1/β: the scalar path, still inside the bound
        let tiny = try smoothMax(Matrix<Float>(rows: 1, cols: 2, elements: [1, 3]), kind: .boltzmann, parameter: 0x1p-130)[0]
        #expect(Swift.abs(tiny - 2) <= 1e-6) // β → 0: the mean
    }

    /// A tie tail that dominates the sum ([0.3, 10^5 × −13.8], mirrored for the min): equal
    /// terms round alike at every addition, so the kernel's blocks must stay short.
    @Test(arguments: [SmoothMaxKind.logSumExp, .boltzmann])
    func tieTail(kind: SmoothMaxKind) throws {
        let data = [0.3] + [Double](repeating: -13.8, count: 100_000)
        let x = try Matrix<Float>(rows: 1, cols: data.count, elements: data.map { -Float($0) })
        let r = Self.reference(kind, 1, data.map { Double(Float($0)) })
        let v = try smoothMin(x, kind: kind, parameter: 1, backend: .c)[0]
        let tol = 8 * CatRef(0x1p-24) * Swift.max(Swift.abs(r), kind == .boltzmann ? 14.1 : 1)
        #expect(Swift.abs(CatRef(-v) - r) <= tol, "\(kind) min: \(v) vs \(-r)")
    }

    /// Midpoint convexity where SPEC §2 implies it: log-sum-exp ((1, ln n)-smoothable), the
    /// power max for p ≥ 1 on x ≥ 0 (a norm), the pairwise sqrt max (a + b + √(d²+μ²))/2.
    @Test(arguments: catBackends)
    func convexity(backend: Backend) throws {
        var rng = SplitMix64(61)
        let n = 6
        for _ in 0..<200 {
            let u = (0..<n).map { _ in rng.uniform(-4, 4) }, v = (0..<n).map { _ in rng.uniform(-4, 4) }
            let mid = zip(u, v).map { ($0 + $1) / 2 }
            for (kind, p, shift) in [(SmoothMaxKind.logSumExp, 0.3, 0.0), (.power, 3, 4.0)] {
                let rows = [u, v, mid].flatMap { $0.map { $0 + shift } }
                let f = try smoothMax(Matrix<Double>(rows: 3, cols: n, elements: rows), kind: kind, parameter: p, backend: backend)
                #expect(f[2] <= (f[0] + f[1]) / 2 + 1e-14 * (Swift.abs(f[0]) + Swift.abs(f[1])), "\(kind) not midpoint-convex")
            }
            let a = [u[0], v[0], (u[0] + v[0]) / 2], b = [u[1], v[1], (u[1] + v[1]) / 2]
            let g = try smoothMax(a, b, kind: .sqrt, parameter: 0.5, backend: backend)
            #expect(g[2] <= (g[0] + g[1]) / 2 + 1e-14 * (Swift.abs(g[0]) + Swift.abs(g[1])), "sqrt max not midpoint-convex")
        }
    }

    /// The log-sum-exp max goes through the core kernel (smk_logsumexp): identical results.
    @Test func logSumExpReusesCore() throws {
        var rng = SplitMix64(1)
        let x = try Matrix<Float>(rows: 4, cols: 50, elements: (0..<200).map { _ in Float(rng.uniform(-4, 4)) })
        #expect(try smoothMax(x, kind: .logSumExp, parameter: 0.5, backend: .c) == logSumExp(x, temperature: 0.5, backend: .c))
    }
}
