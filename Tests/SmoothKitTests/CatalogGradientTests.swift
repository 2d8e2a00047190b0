#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSmoothKit
import Testing
import SmoothKit

/// The gradients of the smooth max / min (issue 5): against central differences of the value,
/// the translation-invariance identity, edge rows, C vs Swift, every error path with canaries.
@Suite struct CatalogGradientTests {
    /// A row op with the parameter used for the difference tests and the sign of its entries.
    struct RowCase: Sendable, CustomStringConvertible {
        let kind: SmoothMaxKind, param: Double, min: Bool
        var description: String { "\(kind) \(param) \(min ? "min" : "max")" }
    }

    static let rowCases: [RowCase] = [SmoothMaxKind.logSumExp, .boltzmann, .power, .logLog].flatMap { k in
        let p: Double = switch k {
        case .logSumExp: 0.5
        case .boltzmann: 2
        case .power: 3
        case .logLog: 1.5
        }
        return [RowCase(kind: k, param: p, min: false), RowCase(kind: k, param: p, min: true)]
    }

    /// Deterministic entries in [lo, hi] (a 64-bit LCG; seeds differ per row).
    static func entries(_ n: Int, seed: UInt64, _ lo: Double, _ hi: Double) -> [Double] {
        var s = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<n).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return lo + (hi - lo) * Double(s >> 11) * 0x1p-53
        }
    }

    /// Test rows for a case: entries of the kind's domain (power: ≥ 0 for the max, ≤ 0 for the min).
    static func rows(_ c: RowCase) -> Matrix<Double> {
        let n = 5, r = 4
        var e: [Double] = []
        for j in 0..<r {
            let v = entries(n, seed: UInt64(j + 1), c.kind == .power ? 0.1 : -1.5, 1.5)
            e += v.map { c.kind == .power && c.min ? -$0 : $0 }
        }
        return try! Matrix(rows: r, cols: n, elements: e)
    }

    static func value(_ x: Matrix<Double>, _ c: RowCase) throws -> [Double] {
        c.min ? try smoothMin(x, kind: c.kind, parameter: c.param, backend: .c)
            : try smoothMax(x, kind: c.kind, parameter: c.param, backend: .c)
    }

    static func grad<S: SmoothScalar>(_ x: Matrix<S>, _ c: RowCase, _ b: Backend) throws -> Matrix<S> {
        c.min ? try smoothMinGradient(x, kind: c.kind, parameter: S(c.param), backend: b)
            : try smoothMaxGradient(x, kind: c.kind, parameter: S(c.param), backend: b)
    }

    /// Central difference (f(x + h) − f(x − h))/2h of the C f64 value, h = 1e-5·max(1, |x_i|).
    /// Its error: truncation h²|f'''|/6 (f''' ≲ rate² ≤ 16 here: < 3e-9) plus rounding
    /// 2·2^-53·|f|/(2h) (|f| ≤ 3: < 4e-11); the f32 gradient adds its rounding u·|g| ≤ 6e-8.
    /// Tolerance 1e-7 (f64) and 1e-6 (f32) absolute, with |g| ≤ 1 for every case here.
    static func differences(_ x: Matrix<Double>, _ c: RowCase) throws -> [[Double]] {
        try (0..<x.rows).map { r in
            try (0..<x.cols).map { i in
                let xi = x[r, i], h = 1e-5 * Swift.max(1, Swift.abs(xi))
                var up = x, down = x
                up[r, i] = xi + h
                down[r, i] = xi - h
                return (try value(up, c)[r] - value(down, c)[r]) / ((xi + h) - (xi - h))
            }
        }
    }

    @Test(arguments: rowCases, catBackends)
    func rowGradientMatchesDifferences(c: RowCase, backend: Backend) throws {
        let x = Self.rows(c)
        let fd = try Self.differences(x, c)
        let g64 = try Self.grad(x, c, backend)
        let xf = try Matrix<Float>(rows: x.rows, cols: x.cols, elements: x.elements.map { Float($0) })
        let xd = try Matrix<Double>(rows: x.rows, cols: x.cols, elements: xf.elements.map { Double($0) })
        let fdf = try Self.differences(xd, c)
        let g32 = try Self.grad(xf, c, backend)
        for r in 0..<x.rows {
            for i in 0..<x.cols {
                #expect(Swift.abs(g64[r, i] - fd[r][i]) <= 1e-7, "\(c) f64 [\(r), \(i)]: \(g64[r, i]) vs \(fd[r][i])")
                #expect(Swift.abs(Double(g32[r, i]) - fdf[r][i]) <= 1e-6, "\(c) f32 [\(r), \(i)]")
            }
        }
    }

    /// LSE and Boltzmann satisfy f(x + c·1) = f(x) + c, so Σ_i ∂f/∂x_i = 1, also for spread rows
    /// (entries ±300 with a sharp parameter) where most weights underflow. Tolerance: the sum of
    /// n = 40 weights each rounded once (n·u) plus Boltzmann's factor (1 + β(x_i − B)) of size up
    /// to ~βΔ: 40·u·(1 + βΔ)·4 with βΔ ≤ 10⁴ for the table's rows gives ≤ 2e-10 (f64), 0.2 (f32:
    /// checked only for the mild rows, 40·u·8 ≈ 2e-5).
    @Test(arguments: [SmoothMaxKind.logSumExp, .boltzmann], catBackends)
    func gradientSumsToOne(kind: SmoothMaxKind, backend: Backend) throws {
        for (scale, param) in [(1.5, 0.7), (300.0, 20.0), (1e-3, 1e3)] {
            let e = Self.entries(40, seed: 9, -scale, scale)
            let x = try Matrix<Double>(rows: 1, cols: 40, elements: e)
            for min in [false, true] {
                let c = RowCase(kind: kind, param: param, min: min)
                let sum = try Self.grad(x, c, backend).elements.reduce(0, +)
                #expect(Swift.abs(sum - 1) <= 2e-10, "\(c) scale \(scale): Σ = \(sum)")
            }
        }
        let xf = try Matrix<Float>(rows: 1, cols: 40, elements: Self.entries(40, seed: 3, -2, 2).map { Float($0) })
        let sf = try Self.grad(xf, RowCase(kind: kind, param: 0.7, min: false), backend).elements.reduce(0, +)
        #expect(Swift.abs(sf - 1) <= 2e-5)
    }

    /// The pairwise gradients against central differences of the C f64 value (h = 1e-5·max(1, |a|),
    /// tolerance as for the rows: 1e-7), and ∂/∂a + ∂/∂b = 1 (the max of (a + c, b + c) is max + c).
    @Test(arguments: [PairwiseMaxKind.erf, .sqrt], catBackends)
    func pairGradientMatchesDifferences(kind: PairwiseMaxKind, backend: Backend) throws {
        let a = Self.entries(12, seed: 21, -2, 2), b = Self.entries(12, seed: 22, -2, 2)
        for min in [false, true] {
            let f = { (a: [Double], b: [Double]) throws -> [Double] in
                min ? try smoothMin(a, b, kind: kind, parameter: 1.7, backend: .c)
                    : try smoothMax(a, b, kind: kind, parameter: 1.7, backend: .c)
            }
            let g = min ? try smoothMinGradient(a, b, kind: kind, parameter: 1.7, backend: backend)
                : try smoothMaxGradient(a, b, kind: kind, parameter: 1.7, backend: backend)
            for i in a.indices {
                let ha = 1e-5 * Swift.max(1, Swift.abs(a[i])), hb = 1e-5 * Swift.max(1, Swift.abs(b[i]))
                let da = try (f([a[i] + ha], [b[i]])[0] - f([a[i] - ha], [b[i]])[0]) / ((a[i] + ha) - (a[i] - ha))
                let db = try (f([a[i]], [b[i] + hb])[0] - f([a[i]], [b[i] - hb])[0]) / ((b[i] + hb) - (b[i] - hb))
                #expect(Swift.abs(g.a[i] - da) <= 1e-7, "\(kind) min \(min) ∂a at \(a[i]), \(b[i])")
                #expect(Swift.abs(g.b[i] - db) <= 1e-7, "\(kind) min \(min) ∂b at \(a[i]), \(b[i])")
                #expect(Swift.abs(g.a[i] + g.b[i] - 1) <= 4 * 0x1p-53)
            }
        }
    }

    /// Far apart, the small derivative keeps its relative accuracy (no 1 − (1 − ε) cancellation),
    /// on whichever side it is (∂/∂a for a ≪ b, ∂/∂b for a ≫ b):
    /// sqrt: (1 − |d|/h)/2 = μ²/(2h(h + |d|)) ≈ μ²/(4d²) for |d| ≫ μ; erf: erfc(μ|d|)/2 −
    /// μ|d|e^{−μ²d²}/√π, from CatRef's erfc.
    @Test(arguments: catBackends)
    func pairSmallDerivativeIsAccurate(backend: Backend) throws {
        let t = CatRef(6)
        let eref = Double(catErfc(t) / 2 - t * catExp(-t * t) / CatRef.pi.squareRoot())
        let ref = 1.0 / (4e12) // μ²/(4d²)(1 + O(μ²/d²))
        for low in [true, false] {
            let g = try smoothMaxGradient([low ? 0.0 : 1e6], [low ? 1e6 : 0.0], kind: .sqrt, parameter: 1, backend: backend)
            let small = low ? g.a[0] : g.b[0]
            #expect(Swift.abs(small - ref) <= 1e-10 * ref, "sqrt, a \(low ? "below" : "above") b: \(small)")
            let e = try smoothMaxGradient([low ? 0.0 : 4.0], [low ? 4.0 : 0.0], kind: .erf, parameter: 1.5, backend: backend)
            let es = low ? e.a[0] : e.b[0]
            #expect(Swift.abs(es - eref) <= 1e-12 * Swift.abs(eref), "erf, a \(low ? "below" : "above") b: \(es) vs \(eref)")
        }
    }

    /// Edge rows, as documented: NaN → NaN; k entries +∞ → 1/k (power k^{1/p−1}); −∞ masked → 0;
    /// fully masked → 0; power's all-zero row → n^{1/p−1}. The min mirrors (x → −x).
    @Test(arguments: catBackends)
    func edgeRows(backend: Backend) throws {
        let inf = Double.infinity
        for kind in SmoothMaxKind.allCases {
            for min in [false, true] {
                let s: Double = min ? -1 : 1
                let c = RowCase(kind: kind, param: 2, min: min)
                let rows: [[Double]] = kind == .power
                    ? [[1, .nan, 2], [inf, 1, inf], [0, 0, 0]]
                    : [[1, .nan, 2], [inf, 1, inf], [-inf, -inf, -inf], [-inf, 1, -inf]]
                let x = try Matrix(rows: rows.count, cols: 3, elements: rows.flatMap { $0.map { s * $0 } })
                let g = try Self.grad(x, c, backend)
                #expect((0..<3).allSatisfy { g[0, $0].isNaN }, "\(c) NaN row")
                let top = kind == .power ? pow(2.0, 1 / 2.0 - 1) : 0.5
                #expect(g.row(1) == [top, 0, top], "\(c) +∞ row \(g.row(1))")
                if kind == .power {
                    #expect(g.row(2) == [Double](repeating: pow(3.0, -0.5), count: 3), "\(c) zero row")
                } else {
                    #expect(g.row(2) == [0, 0, 0], "\(c) fully masked")
                    #expect(g.row(3)[0] == 0 && g.row(3)[2] == 0 && g.row(3)[1] > 0, "\(c) masked entries")
                    if kind != .logLog { #expect(g.row(3)[1] == 1) }
                }
            }
        }
        let p = try smoothMaxGradient([.nan, inf, 1, inf, -inf], [1, 1, inf, inf, -inf], kind: .erf, parameter: 1,
                                      backend: backend)
        #expect(p.a[0].isNaN && p.b[0].isNaN)
        #expect(p.a[1...] == [1, 0, 0.5, 0.5] && p.b[1...] == [0, 1, 0.5, 0.5])
        let empty = try smoothMaxGradient(Matrix<Float>(rows: 3, cols: 0, repeating: 0), kind: .boltzmann,
                                          parameter: 1, backend: backend)
        #expect(empty.rows == 3 && empty.cols == 0)
    }

    /// C and Swift agree to a few roundings of T (both evaluate the same formulas in double,
    /// one rounding to T at the end): |g_C − g_S| ≤ 4u·max(|g_C|, |g_S|) + 4u·2^-1000-ish floor.
    @Test(arguments: CatDType.allCases)
    func cAndSwiftAgree(dtype: CatDType) throws {
        for c in Self.rowCases {
            for (lo, hi, param) in [(-3.0, 3.0, c.param), (-40.0, 40.0, 8.0)] {
                var e: [Double] = []
                for j in 0..<6 { e += Self.entries(33, seed: UInt64(40 + j), c.kind == .power ? 0 : lo, hi) }
                if c.kind == .power && c.min { e = e.map { -$0 } }
                let cc = RowCase(kind: c.kind, param: param, min: c.min)
                let (a, b): ([Double], [Double])
                if dtype == .f32 {
                    let x = try Matrix<Float>(rows: 6, cols: 33, elements: e.map { Float($0) })
                    (a, b) = try (Self.grad(x, cc, .c).elements.map { Double($0) },
                                  Self.grad(x, cc, .swift).elements.map { Double($0) })
                } else {
                    let x = try Matrix<Double>(rows: 6, cols: 33, elements: e)
                    (a, b) = try (Self.grad(x, cc, .c).elements, Self.grad(x, cc, .swift).elements)
                }
                for i in a.indices {
                    #expect(Swift.abs(a[i] - b[i]) <= 4 * dtype.u * Swift.max(Swift.abs(a[i]), Swift.abs(b[i])),
                            "\(cc) \(dtype) [\(i)]: \(a[i]) vs \(b[i])")
                }
            }
        }
    }

    /// Adversarial parameters and spreads (sharp or flat, entries near the type's range): a
    /// finite row gets a finite gradient, LSE's and log-log's weights lie in [0, 1] (both are
    /// w_i times a factor ≤ 1), and the two backends agree exactly in kind (finite vs not).
    @Test(arguments: CatDType.allCases)
    func adversarialRowsStayFinite(dtype: CatDType) throws {
        let spread = dtype == .f32 ? 1e30 : 1e300
        let rows: [[Double]] = [[0, 1e-30, -1e-30, 5], [spread, -spread, 0, spread / 2], [100, 100, 99.999, -3]]
        let params: [Double] = dtype == .f32 ? [1e-30, 1e-3, 1, 50, 1e30] : [1e-300, 1e-3, 1, 50, 1e300]
        for kind in [SmoothMaxKind.logSumExp, .boltzmann, .logLog] {
            for param in params {
                for min in [false, true] {
                    let c = RowCase(kind: kind, param: param, min: min)
                    for b in catBackends {
                        try withStableISA(for: b) {
                            let g: [Double]
                            if dtype == .f32 {
                                let x = try Matrix<Float>(rows: 3, cols: 4, elements: rows.flatMap { $0.map { Float($0) } })
                                g = try Self.grad(x, c, b).elements.map { Double($0) }
                            } else {
                                g = try Self.grad(Matrix(rows: 3, cols: 4, elements: rows.flatMap { $0 }), c, b).elements
                            }
                            #expect(g.allSatisfy { $0.isFinite }, "\(c) \(dtype) \(b): \(g)")
                            if kind != .boltzmann { #expect(g.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(c) \(dtype) \(b): \(g)") }
                        }
                    }
                }
            }
        }
    }

    // MARK: against a higher-precision reference

    /// ∂/∂y of the log-log max (1/k) ln ln S, S = Σ e^{e^{k y_j}}, in CatRef from its definition
    /// g_i = w_i e^{k y_i}/ln S, w = softmax(e^{k y}), with e^{k y_j} − e^{k m} formed as
    /// e^{k m}·expm1(k(y_j − m)) and ln S = e^{k m} + ln Σ_j e^{e^{k y_j} − e^{k m}} (no
    /// cancellation), and each element's relative condition number
    /// κ_i = Σ_j s_j |∂ log g_i/∂y_j| with ∂ log g_i/∂y_j = δ_ij k(e^{k y_i} + 1) − k g_j (ln S + 1)
    /// and s_j = max(|y_j|, |m|), the size of the roundings of y_j, k·m and k(y_j − m).
    static func logLogReference(_ y: [Double], _ k: Double) -> (g: [CatRef], kappa: [CatRef]) {
        let yr = y.map { CatRef($0) }, kr = CatRef(k), m = yr.max()!, e = catExp(kr * m)
        let t = yr.map { catExp(e * catExpm1(kr * ($0 - m))) }
        let total = t.reduce(0, +), lnS = e + catLog(total)
        let g = yr.indices.map { t[$0] / total * catExp(kr * yr[$0]) / lnS }
        let kappa = yr.indices.map { i in
            yr.indices.reduce(CatRef(0)) { acc, j in
                let d = (i == j ? kr * (catExp(kr * yr[i]) + 1) : 0) - kr * g[j] * (lnS + 1)
                return acc + Swift.max(Swift.abs(yr[j]), Swift.abs(m)) * Swift.abs(d)
            }
        }
        return (g, kappa)
    }

    /// The log-log gradient, max and min, against logLogReference at 8u(1 + κ_i) relative per
    /// element (plus the subnormal grid of T): the computed gradient is the exact one at inputs
    /// perturbed by a few u, so its error is a few u times the conditioning. The first row's
    /// smallest entry, 7.2292701590450994e-74 (k = 5, mpmath at 50 digits), needs
    /// e^{k(y_i − m)} = e^{−20} formed directly: as 1 + expm1(−20) it is off by 2e-8.
    func logLogAgainstReference<S: SmoothScalar>(_: S.Type, _ backend: Backend) throws {
        let u = Double(S.ulpOfOne) / 2, floor = CatRef(S.leastNonzeroMagnitude)
        let rows: [([Double], Double)] = [([1, -2, 0.5, -1, 0.9, 0, -3], 5), ([-1, 2, -0.5, 1, -0.9, 0, 3], 5),
                                          (Self.entries(9, seed: 71, -2, 2), 1.5), (Self.entries(9, seed: 72, -1, 3), 5)]
        for (row, k) in rows {
            let xs = row.map { S($0) }, x = try Matrix<S>(rows: 1, cols: xs.count, elements: xs)
            for min in [false, true] {
                let c = RowCase(kind: .logLog, param: k, min: min)
                let g = try Self.grad(x, c, backend)
                let ref = Self.logLogReference(xs.map { (min ? -1 : 1) * Double($0) }, k)
                for i in xs.indices {
                    let tol = CatRef(8 * u) * (1 + ref.kappa[i]) * ref.g[i] + floor
                    #expect(Swift.abs(CatRef(g[0, i]) - ref.g[i]) <= tol,
                            "\(S.self) \(c) \(backend) \(row)[\(i)]: \(g[0, i]) vs \(ref.g[i]), κ = \(ref.kappa[i])")
                }
                if S.self == Double.self && row[0] == 1 && !min {
                    #expect(Swift.abs(Double(g[0, 6]) - 7.2292701590450994e-74) <= 8 * u * Double(1 + ref.kappa[6]) * 7.23e-74,
                            "\(backend): mpmath's value")
                }
            }
        }
    }

    @Test(arguments: catBackends)
    func logLogGradientMatchesReference(backend: Backend) throws {
        try logLogAgainstReference(Float.self, backend)
        try logLogAgainstReference(Double.self, backend)
    }

    /// Pairs whose difference is past T's largest finite value (a, b = ±0.94·max, finite) keep
    /// the formulas' gradient, against CatRef (where a − b is finite): with μ = 1 the hard max's
    /// (1, 0) / (0, 1), and with μ at the scale of 1/|a − b| (erf: μ|a − b| = 1) or of |a − b|
    /// (sqrt: μ = |a − b|/2) the smooth values in between (erf's ∂b is negative there). Relative 8u (plus T's subnormal grid).
    func pairPastRange<S: SmoothScalar>(_: S.Type, _ backend: Backend) throws {
        let u = CatRef(S.ulpOfOne) / 2, floor = CatRef(S.leastNonzeroMagnitude)
        let big = S.greatestFiniteMagnitude * S(0.94)
        for (kind, params) in [(PairwiseMaxKind.erf, [S(1), S(0.5) / big]), (.sqrt, [S(1), big])] {
            for mu in params {
                for min in [false, true] {
                    let a = [big, -big], b = [-big, big]
                    let g = min ? try smoothMinGradient(a, b, kind: kind, parameter: mu, backend: backend)
                        : try smoothMaxGradient(a, b, kind: kind, parameter: mu, backend: backend)
                    for i in 0..<2 {
                        let s: CatRef = min ? -1 : 1, d = s * CatRef(a[i]) - s * CatRef(b[i]), m = CatRef(mu)
                        let ga: CatRef, gb: CatRef
                        if kind == .erf {
                            let t = m * d, bump = 2 / CatRef.pi.squareRoot() * t * catExp(-t * t)
                            (ga, gb) = ((catErfc(-t) + bump) / 2, (catErfc(t) - bump) / 2)
                        } else {
                            let h = (d * d + m * m).squareRoot(), small = m * m / (2 * h * (h + Swift.abs(d)))
                            (ga, gb) = d >= 0 ? (1 - small, small) : (small, 1 - small)
                        }
                        let what = "\(S.self) \(kind) μ = \(mu) min \(min) \(backend) (\(a[i]), \(b[i]))"
                        #expect(Swift.abs(CatRef(g.a[i]) - ga) <= 8 * u * Swift.abs(ga) + floor, "\(what): ∂a \(g.a[i]) vs \(ga)")
                        #expect(Swift.abs(CatRef(g.b[i]) - gb) <= 8 * u * Swift.abs(gb) + floor, "\(what): ∂b \(g.b[i]) vs \(gb)")
                    }
                }
            }
        }
    }

    @Test(arguments: catBackends)
    func pairGradientPastTheRange(backend: Backend) throws {
        try pairPastRange(Float.self, backend)
        try pairPastRange(Double.self, backend)
    }

    // MARK: error paths

    protocol GradEntries: BinaryFloatingPoint {
        static func grad(_ x: UnsafePointer<Self>?, _ rows: Int, _ cols: Int, _ ldx: Int, _ k: smk_max_kind, _ p: Self,
                         _ e: smk_extremum, _ g: UnsafeMutablePointer<Self>?, _ ldg: Int) -> smk_status
        static func grad2(_ a: UnsafePointer<Self>?, _ b: UnsafePointer<Self>?, _ n: Int, _ k: smk_pair_kind,
                          _ p: Self, _ e: smk_extremum, _ ga: UnsafeMutablePointer<Self>?,
                          _ gb: UnsafeMutablePointer<Self>?) -> smk_status
    }

    /// Every rejected argument: the status, and the canaries in both outputs untouched.
    func errorPaths<E: GradEntries>(_: E.Type) {
        let canary = E(-12345.5), big = Int.max / 2
        let x: [E] = [1, 2, -3, 4, 5, 6, 7, 8]
        let lse = SMK_MAX_LOGSUMEXP, mx = SMK_EXTREMUM_MAX
        typealias Call = (UnsafePointer<E>, UnsafeMutablePointer<E>, UnsafeMutablePointer<E>) -> smk_status
        var table: [(String, smk_status, Call)] = []
        for bad in [E(0), -1, .nan, .infinity] {
            table.append(("param \(bad)", SMK_ERR_TEMPERATURE, { x, g, _ in E.grad(x, 2, 2, 2, lse, bad, mx, g, 2) }))
            table.append(("pair param \(bad)", SMK_ERR_TEMPERATURE, { x, g, h in E.grad2(x, x, 4, SMK_PAIR_SQRT, bad, mx, g, h) }))
        }
        table += [
            ("ldx < cols", SMK_ERR_SHAPE, { x, g, _ in E.grad(x, 2, 3, 2, lse, 1, mx, g, 3) }),
            ("ldg < cols", SMK_ERR_SHAPE, { x, g, _ in E.grad(x, 2, 3, 3, lse, 1, mx, g, 2) }),
            ("extent", SMK_ERR_SHAPE, { x, g, _ in E.grad(x, big, 2, 2, lse, 1, mx, g, 2) }),
            ("x NULL", SMK_ERR_NULL, { _, g, _ in E.grad(nil, 2, 2, 2, lse, 1, mx, g, 2) }),
            ("g NULL", SMK_ERR_NULL, { x, _, _ in E.grad(x, 2, 2, 2, lse, 1, mx, nil, 2) }),
            ("kind", SMK_ERR_DOMAIN, { x, g, _ in E.grad(x, 2, 2, 2, smk_max_kind(rawValue: 9), 1, mx, g, 2) }),
            ("ext", SMK_ERR_DOMAIN, { x, g, _ in E.grad(x, 2, 2, 2, lse, 1, smk_extremum(rawValue: 5), g, 2) }),
            ("power negative (row 1)", SMK_ERR_DOMAIN, { x, g, _ in E.grad(x, 2, 2, 2, SMK_MAX_POWER, 1, mx, g, 2) }),
            ("power min positive", SMK_ERR_DOMAIN, { x, g, _ in E.grad(x, 2, 2, 2, SMK_MAX_POWER, 1, SMK_EXTREMUM_MIN, g, 2) }),
            ("pair extent", SMK_ERR_SHAPE, { x, g, h in E.grad2(x, x, big, SMK_PAIR_ERF, 1, mx, g, h) }),
            ("pair a NULL", SMK_ERR_NULL, { x, g, h in E.grad2(nil, x, 4, SMK_PAIR_ERF, 1, mx, g, h) }),
            ("pair b NULL", SMK_ERR_NULL, { x, g, h in E.grad2(x, nil, 4, SMK_PAIR_ERF, 1, mx, g, h) }),
            ("pair ga NULL", SMK_ERR_NULL, { x, _, h in E.grad2(x, x, 4, SMK_PAIR_ERF, 1, mx, nil, h) }),
            ("pair gb NULL", SMK_ERR_NULL, { x, g, _ in E.grad2(x, x, 4, SMK_PAIR_ERF, 1, mx, g, nil) }),
            ("pair kind", SMK_ERR_DOMAIN, { x, g, h in E.grad2(x, x, 4, smk_pair_kind(rawValue: 2), 1, mx, g, h) }),
            ("pair ext", SMK_ERR_DOMAIN, { x, g, h in E.grad2(x, x, 4, SMK_PAIR_ERF, 1, smk_extremum(rawValue: 2), g, h) }),
        ]
        for (name, status, call) in table {
            var g = [E](repeating: canary, count: 8), h = [E](repeating: canary, count: 8)
            let st = x.withUnsafeBufferPointer { xp in
                g.withUnsafeMutableBufferPointer { gp in
                    h.withUnsafeMutableBufferPointer { hp in call(xp.baseAddress!, gp.baseAddress!, hp.baseAddress!) }
                }
            }
            #expect(st == status, "\(E.self) \(name): \(st)")
            #expect(g.allSatisfy { $0 == canary } && h.allSatisfy { $0 == canary }, "\(E.self) \(name): written")
        }
        // rows = 0 and n = 0 succeed and touch nothing, even with null pointers
        #expect(E.grad(nil, 0, 4, 4, lse, 1, mx, nil, 4) == SMK_OK)
        #expect(E.grad2(nil, nil, 0, SMK_PAIR_ERF, 1, mx, nil, nil) == SMK_OK)
    }

    @Test func cErrorPaths() {
        errorPaths(Float.self)
        errorPaths(Double.self)
    }

    @Test(arguments: catBackends)
    func swiftErrors(backend: Backend) throws {
        let x = try Matrix<Double>(rows: 1, cols: 2, elements: [1, -1])
        for bad in [0.0, -2, .infinity] {
            #expect(throws: SmoothKitError.invalidParameter(name: "parameter", value: bad)) {
                try smoothMaxGradient(x, kind: .logSumExp, parameter: bad, backend: backend)
            }
        }
        #expect(throws: SmoothKitError.self) { try smoothMaxGradient(x, kind: .logLog, parameter: .nan, backend: backend) }
        #expect(throws: SmoothKitError.self) { try smoothMaxGradient(x, kind: .power, parameter: 2, backend: backend) }
        #expect(throws: SmoothKitError.self) { try smoothMinGradient(x, kind: .power, parameter: 2, backend: backend) }
        #expect(throws: SmoothKitError.elementCount(expected: 2, actual: 1)) {
            try smoothMaxGradient([1.0, 2], [1.0], kind: .erf, parameter: 1, backend: backend)
        }
        #expect(throws: SmoothKitError.invalidParameter(name: "parameter", value: 0)) {
            try smoothMinGradient([Float(1)], [2], kind: .sqrt, parameter: 0, backend: backend)
        }
    }
}

extension Float: CatalogGradientTests.GradEntries {
    static func grad(_ x: UnsafePointer<Float>?, _ rows: Int, _ cols: Int, _ ldx: Int, _ k: smk_max_kind, _ p: Float,
                     _ e: smk_extremum, _ g: UnsafeMutablePointer<Float>?, _ ldg: Int) -> smk_status {
        smk_smooth_max_grad_f32(x, rows, cols, ldx, k, p, e, g, ldg)
    }
    static func grad2(_ a: UnsafePointer<Float>?, _ b: UnsafePointer<Float>?, _ n: Int, _ k: smk_pair_kind, _ p: Float,
                      _ e: smk_extremum, _ ga: UnsafeMutablePointer<Float>?, _ gb: UnsafeMutablePointer<Float>?) -> smk_status {
        smk_smooth_max2_grad_f32(a, b, n, k, p, e, ga, gb)
    }
}

extension Double: CatalogGradientTests.GradEntries {
    static func grad(_ x: UnsafePointer<Double>?, _ rows: Int, _ cols: Int, _ ldx: Int, _ k: smk_max_kind, _ p: Double,
                     _ e: smk_extremum, _ g: UnsafeMutablePointer<Double>?, _ ldg: Int) -> smk_status {
        smk_smooth_max_grad_f64(x, rows, cols, ldx, k, p, e, g, ldg)
    }
    static func grad2(_ a: UnsafePointer<Double>?, _ b: UnsafePointer<Double>?, _ n: Int, _ k: smk_pair_kind,
                      _ p: Double, _ e: smk_extremum, _ ga: UnsafeMutablePointer<Double>?,
                      _ gb: UnsafeMutablePointer<Double>?) -> smk_status {
        smk_smooth_max2_grad_f64(a, b, n, k, p, e, ga, gb)
    }
}
