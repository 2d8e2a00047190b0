// Smooth largest eigenvalue L_τ(A) = τ·log Σ exp(λ_i/τ) and its gradient U·diag(softmax(λ/τ))·Uᵀ
// (smoothkit_linalg.h, smoothLargestEigenvalue): closed forms, known spectra built in Float80,
// a Float80 Jacobi reference, SPEC's bounds, central finite differences, symmetry options,
// every error path with canaries, C vs Swift.
import CSmoothKit
import Glibc
import Testing
@testable import SmoothKit

/// A symmetric test matrix with its exact (Float80) L and gradient.
struct EigenCase: Sendable, CustomTestStringConvertible {
    let name: String
    let n: Int
    let a: [Float80]          // row-major, exactly symmetric
    let lambda: [Float80]     // the exact spectrum
    let temperature: Float80
    let value: Float80        // L_τ(A)
    let gradient: [Float80]   // Σ p_i u_i u_iᵀ
    var testDescription: String { name }
}

/// Runs the C entry point on arrays; returns the status and what was written over canaries.
func cEigmax<S: LinalgTestScalar>(_ a: [S], batch: Int, n: Int, lda: Int, t: S, symmetry: smk_symmetry = SMK_SYMMETRY_LOWER,
                                  tol: S = 0, withGradient: Bool, ldg: Int? = nil, canary: S = 12345,
                                  work: UnsafeMutableRawPointer? = nil, workBytes: Int = 0) -> (smk_status, [S], [S]) {
    let g = ldg ?? n
    var out = [S](repeating: canary, count: max(batch, 1))
    var grad = [S](repeating: canary, count: max(batch * n * g, 1))
    let status = grad.withUnsafeMutableBufferPointer { gp in
        S.cEigmax(a, batch, n, lda, t, symmetry, tol, &out, withGradient ? gp.baseAddress : nil, g, work, workBytes)
    }
    return (status, out, grad)
}

@Suite("Linalg: smooth largest eigenvalue")
struct LinalgEigenTests {
    /// Closed forms (derivations inline) and known spectra A = Q·diag(λ)·Qᵀ, with the exact L and
    /// gradient Q·diag(p)·Qᵀ from the same Q.
    static let cases: [EigenCase] = {
        var list = [EigenCase]()
        // [[2, 1], [1, 2]]: λ = 1, 3 with u = (1, −1)/√2, (1, 1)/√2. τ = ½: p = (1/(1+e⁴), 1/(1+e⁻⁴)),
        // L = 3 + ½·log(1 + e⁻⁴); G = ½·[[1, p₃ − p₁], [p₃ − p₁, 1]] and p₃ − p₁ = tanh 2.
        let th = Float80(tanh(2.0 as Double))
        list.append(EigenCase(name: "2×2 [[2,1],[1,2]] τ ½", n: 2, a: [2, 1, 1, 2], lambda: [1, 3], temperature: 0.5,
                              value: 3 + 0.5 * log(1 + exp(-4 as Float80)), gradient: [0.5, th / 2, th / 2, 0.5]))
        // c·I: every λ = c, p = 1/n: L = c + τ·log n, G = I/n (for any orthonormal U).
        let n5 = 5
        list.append(EigenCase(name: "−2·I₅ τ 0.3", n: n5, a: (0..<(n5 * n5)).map { $0 % (n5 + 1) == 0 ? -2 : 0 },
                              lambda: [Float80](repeating: -2, count: n5), temperature: 0.3, value: -2 + 0.3 * log(5 as Float80),
                              gradient: (0..<(n5 * n5)).map { $0 % (n5 + 1) == 0 ? 0.2 : 0 }))
        // diag(3, −1, ½, 3): λ the diagonal, U = I, so G = diag(p) (p equal on the repeated 3).
        let d: [Float80] = [3, -1, 0.5, 3]
        let pd = referenceSoftmax(d, temperature: 0.25)
        list.append(EigenCase(name: "diag(3, −1, ½, 3) τ ¼", n: 4, a: (0..<16).map { $0 % 5 == 0 ? d[$0 / 5] : 0 },
                              lambda: d, temperature: 0.25, value: referenceLogSumExp(d, temperature: 0.25),
                              gradient: (0..<16).map { $0 % 5 == 0 ? pd[$0 / 5] : 0 }))
        // 1 × 1: L = a, G = [1].
        list.append(EigenCase(name: "1×1 [−7.5]", n: 1, a: [-7.5], lambda: [-7.5], temperature: 2, value: -7.5, gradient: [1]))
        // Known spectra under random orthogonal Q (two Householder reflectors).
        var rng = SplitMix64(42)
        let spectra: [(String, [Float80], Float80)] = [
            ("spread n=3", [-3, 0.5, 2], 1),
            ("spread n=8", (0..<8).map { Float80($0) * 1.25 - 4 }, 0.7),
            ("cluster n=6", [1, 1 + 1e-3, 1 + 2e-3, -2, 0, 1 + 3e-3], 0.01),
            ("all negative n=10", (0..<10).map { -Float80($0) - 20 }, 3),
            ("sharp τ=1e-3 n=12 (only λ_max weighs)", (0..<12).map { Float80($0) / 2 }, 1e-3),
            ("wide τ=50 n=20", (0..<20).map { Float80(($0 * 7) % 20) - 9.5 }, 50),
        ]
        for (name, lambda, t) in spectra {
            var again = rng
            let a = matrixWithSpectrum(lambda, rng: &rng)
            let g = matrixWithSpectrum(referenceSoftmax(lambda, temperature: t), rng: &again)
            list.append(EigenCase(name: name, n: lambda.count, a: a, lambda: lambda, temperature: t,
                                  value: referenceLogSumExp(lambda, temperature: t), gradient: g))
        }
        return list
    }()

    /// The tolerances: SYEVD / Jacobi are backward stable, ‖δA‖ ≤ c·n·u·‖A‖_F (c = 4 also covers
    /// rounding A to the element type), so |δλ| ≤ that (Weyl), plus logsumexp's 8u·max(|L|, τ).
    /// The gradient G = U·softmax(Λ/τ)·Uᵀ is a matrix function; by Daleckii–Krein its first-order
    /// change is bounded by ‖δA‖ times K = max of the divided differences |p_i − p_j|/|λ_i − λ_j|
    /// and of the softmax Jacobian's Gershgorin bound 2p_i(1 − p_i)/τ (K ≤ 1/τ always; K ≈ 1/gap
    /// when τ is small). Without the spectrum (random cases) K = 1/τ.
    static func tolerances<S: LinalgTestScalar>(_: S.Type, _ c: EigenCase) -> (value: Double, gradient: Double) {
        let normF = Double(c.a.reduce(0) { $0 + $1 * $1 }.squareRoot())
        let eig = 4 * Double(c.n) * S.u * normF
        let t = Double(c.temperature)
        var k = c.lambda.isEmpty ? 1 / t : 0
        if !c.lambda.isEmpty {
            let p = referenceSoftmax(c.lambda, temperature: c.temperature).map { Double($0) }
            let l = c.lambda.map { Double($0) }
            for i in 0..<c.n {
                k = max(k, 2 * p[i] * (1 - p[i]) / t)
                for j in 0..<i where l[i] != l[j] { k = max(k, abs(p[i] - p[j]) / abs(l[i] - l[j])) }
            }
        }
        return (eig + 8 * S.u * max(abs(Double(c.value)), t), 4 * eig * k + 8 * Double(c.n) * S.u)
    }

    @Test("L and gradient against closed forms and known spectra; C and Swift agree",
          arguments: LinalgDType.allCases, cases)
    func knownValues(dtype: LinalgDType, c: EigenCase) throws {
        switch dtype {
        case .f32: try checkKnown(Float.self, c)
        case .f64: try checkKnown(Double.self, c)
        }
    }

    func checkKnown<S: LinalgTestScalar>(_: S.Type, _ c: EigenCase) throws {
        let a = try Matrix<S>(rows: c.n, cols: c.n, elements: c.a.map { S($0) })
        let (tolL, tolG) = Self.tolerances(S.self, c)
        var got = [Backend: (S, Matrix<S>)]()
        for backend in [Backend.c, .swift] {
            try withStableISA(for: backend) {
                let (l, g) = try smoothLargestEigenvalueWithGradient([a], temperature: S(c.temperature), backend: backend)
                #expect(abs(Double(Float80(l[0]) - c.value)) <= tolL, "\(backend) L = \(l[0]), exact \(c.value)")
                let onlyL = try smoothLargestEigenvalue([a], temperature: S(c.temperature), backend: backend)
                // Without the gradient SYEVD runs without eigenvectors (another algorithm): equal within the bound.
                #expect(abs(Double(Float80(onlyL[0]) - c.value)) <= tolL, "\(backend) L alone = \(onlyL[0]), exact \(c.value)")
                for i in 0..<c.n { for j in 0..<c.n {
                    #expect(abs(Double(Float80(g[0][i, j]) - c.gradient[i * c.n + j])) <= tolG,
                            "\(backend) G[\(i), \(j)] = \(g[0][i, j]), exact \(c.gradient[i * c.n + j])")
                } }
                got[backend] = (l[0], g[0])
            }
        }
        let (lc, gc) = got[.c]!, (ls, gs) = got[.swift]!
        #expect(abs(Double(lc) - Double(ls)) <= 2 * tolL, "C vs Swift L")
        #expect(zip(gc.elements, gs.elements).allSatisfy { abs(Double($0) - Double($1)) <= 2 * tolG }, "C vs Swift G")
    }

    @Test("the Float80 Jacobi reference recovers known spectra to ~1e-16")
    func jacobiReference() {
        for c in Self.cases {
            let (lambda, _) = JacobiEigen.decompose(c.a, n: c.n)
            let l = referenceLogSumExp(lambda, temperature: c.temperature)
            #expect(abs(l - c.value) <= 1e-16 * max(1, abs(c.value)) * Float80(c.n), "\(c.name): \(l) vs \(c.value)")
        }
    }

    // MARK: random symmetric matrices: Jacobi reference, SPEC bounds, gradient properties

    @Test("random symmetric: Float80 Jacobi reference, λ_max ≤ L ≤ λ_max + τ·log n, G symmetric PSD with trace 1",
          arguments: LinalgDType.allCases, [1e-3, 0.1, 1, 10])
    func randomMatrices(dtype: LinalgDType, temperature: Double) throws {
        switch dtype {
        case .f32: try checkRandom(Float.self, temperature)
        case .f64: try checkRandom(Double.self, temperature)
        }
    }

    func checkRandom<S: LinalgTestScalar>(_: S.Type, _ t: Double) throws {
        var rng = SplitMix64(UInt64(t * 1000) + 7)
        for n in [2, 4, 16, 33] {
            var elems = [S](repeating: 0, count: n * n)
            for i in 0..<n { for j in 0...i { elems[i * n + j] = S(rng.uniform(-3, 3)); elems[j * n + i] = elems[i * n + j] } }
            let a = try Matrix<S>(rows: n, cols: n, elements: elems)
            let (lambda, _) = JacobiEigen.decompose(elems.map { Float80($0) }, n: n)
            let ref = referenceLogSumExp(lambda, temperature: Float80(S(t)))
            let c = EigenCase(name: "", n: n, a: elems.map { Float80($0) }, lambda: [], temperature: Float80(S(t)), value: ref, gradient: [])
            let (tolL, _) = Self.tolerances(S.self, c)
            let lmax = Double(lambda.last!)
            for backend in [Backend.c, .swift] {
                try withStableISA(for: backend) {
                    let (l, g) = try smoothLargestEigenvalueWithGradient([a], temperature: S(t), backend: backend)
                    let value = Double(l[0])
                    #expect(abs(value - Double(ref)) <= tolL, "n \(n) \(backend): L \(value) vs \(ref)")
                    #expect(value >= lmax - tolL && value <= lmax + t * log(Double(n)) + tolL, "n \(n) \(backend): bounds")
                    let gm = g[0]
                    var trace = 0.0
                    for i in 0..<n {
                        trace += Double(gm[i, i])
                        for j in 0..<i { #expect(gm[i, j] == gm[j, i], "G symmetric") }
                    }
                    #expect(abs(trace - 1) <= 16 * Double(n) * S.u, "n \(n) \(backend): trace \(trace)")
                    let (gEig, _) = JacobiEigen.decompose(gm.elements.map { Float80($0) }, n: n)
                    #expect(Double(gEig[0]) >= -16 * Double(n) * S.u, "n \(n) \(backend): G not PSD, λ_min \(gEig[0])")
                }
            }
        }
    }

    @Test("gradient = central finite differences of L (in Double), entry by entry", arguments: LinalgDType.allCases, [Backend.c, .swift])
    func finiteDifferences(dtype: LinalgDType, backend: Backend) throws {
        switch dtype {
        case .f32: try checkFD(Float.self, backend)
        case .f64: try checkFD(Double.self, backend)
        }
    }

    func checkFD<S: LinalgTestScalar>(_: S.Type, _ backend: Backend) throws {
        let n = 4, t = 0.5
        var rng = SplitMix64(99)
        var elems = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0...i { elems[i * n + j] = Double(S(rng.uniform(-2, 2))); elems[j * n + i] = elems[i * n + j] } }
        let g = try smoothLargestEigenvalueWithGradient([Matrix<S>(rows: n, cols: n, elements: elems.map { S($0) })],
                                                        temperature: S(t), backend: backend).gradients[0]
        // L(A ± h·E) for the symmetric direction E = e_i e_jᵀ + e_j e_iᵀ (E = e_i e_iᵀ on the diagonal):
        // dL/dh = ⟨G, E⟩ = 2·G_ij off the diagonal, G_ii on it. Step h = 1e-4: truncation ~h²·|L'''| ~ 1e-8/τ²,
        // roundoff ~u·|L|/h ~ 1e-12.
        let h = 1e-4
        for i in 0..<n {
            for j in 0...i {
                func value(_ s: Double) throws -> Double {
                    var e = elems
                    e[i * n + j] += s * h
                    if i != j { e[j * n + i] += s * h }
                    return try smoothLargestEigenvalue([Matrix<Double>(rows: n, cols: n, elements: e)], temperature: t, backend: .c)[0]
                }
                let fd = (try value(1) - value(-1)) / (2 * h) / (i == j ? 1 : 2)
                let tol = 1e-6 + 64 * Double(n) * S.u * 8 / t
                #expect(abs(Double(g[i, j]) - fd) <= tol, "\(backend) G[\(i), \(j)] = \(g[i, j]), FD \(fd)")
            }
        }
    }

    // MARK: symmetry options

    @Test("LOWER never reads the upper triangle; CHECK rejects asymmetry, NaN anywhere and bad tolerances",
          arguments: LinalgDType.allCases)
    func symmetryOptions(dtype: LinalgDType) {
        switch dtype {
        case .f32: checkSymmetry(Float.self)
        case .f64: checkSymmetry(Double.self)
        }
    }

    func checkSymmetry<S: LinalgTestScalar>(_: S.Type) {
        let sym: [S] = [4, 1, 0, 1, 3, 0.5, 0, 0.5, -1]
        var upperNaN = sym
        upperNaN[1] = .nan; upperNaN[2] = .infinity; upperNaN[5] = -7
        let (s0, l0, g0) = cEigmax(sym, batch: 1, n: 3, lda: 3, t: 1, withGradient: true)
        let (s1, l1, g1) = cEigmax(upperNaN, batch: 1, n: 3, lda: 3, t: 1, withGradient: true)
        #expect(s0 == SMK_OK && s1 == SMK_OK && l0 == l1 && g0 == g1, "LOWER must ignore the strict upper triangle")
        #expect(cEigmax(upperNaN, batch: 1, n: 3, lda: 3, t: 1, symmetry: SMK_SYMMETRY_CHECK, tol: 1, withGradient: true).0 == SMK_ERR_DOMAIN)
        let checked = cEigmax(sym, batch: 1, n: 3, lda: 3, t: 1, symmetry: SMK_SYMMETRY_CHECK, tol: 0, withGradient: true)
        #expect(checked.0 == SMK_OK && checked.1 == l0)
        // |a_01 − a_10| = 0.01 against max|a| = 4: accepted for tol ≥ 0.0025, rejected below.
        var skew = sym
        skew[1] = 1.01
        #expect(cEigmax(skew, batch: 1, n: 3, lda: 3, t: 1, symmetry: SMK_SYMMETRY_CHECK, tol: 0.003, withGradient: false).0 == SMK_OK)
        let rejected = cEigmax(skew, batch: 1, n: 3, lda: 3, t: 1, symmetry: SMK_SYMMETRY_CHECK, tol: 0.002, withGradient: true)
        #expect(rejected.0 == SMK_ERR_DOMAIN && rejected.1 == [12345] && rejected.2.allSatisfy { $0 == 12345 })
        for tol in [S(-1), .nan, .infinity] {
            #expect(cEigmax(sym, batch: 1, n: 3, lda: 3, t: 1, symmetry: SMK_SYMMETRY_CHECK, tol: tol, withGradient: false).0 == SMK_ERR_DOMAIN)
        }
        #expect(cEigmax(sym, batch: 1, n: 3, lda: 3, t: 1, symmetry: smk_symmetry(rawValue: 7), withGradient: false).0 == SMK_ERR_DOMAIN)
    }

    // MARK: errors: a status, nothing written

    enum Fault: String, CaseIterable, Sendable {
        case temperatureZero, temperatureNaN, temperatureInf, temperatureNegative
        case ldaBelowN, ldgBelowN, syevdPastIntMax, batchTimesNOverflow
        case nullOut, nullA, nanInLower, infOnDiagonal, badThirdMatrix
    }

    @Test("C errors: the status, and out and grad canaries untouched", arguments: LinalgDType.allCases, Fault.allCases)
    func cErrors(dtype: LinalgDType, fault: Fault) {
        switch dtype {
        case .f32: checkFault(Float.self, fault)
        case .f64: checkFault(Double.self, fault)
        }
    }

    func checkFault<S: LinalgTestScalar>(_: S.Type, _ fault: Fault) {
        let n = 3, batch = 3
        var a = [S](repeating: 0, count: batch * n * n)
        for b in 0..<batch { for i in 0..<n { a[(b * n + i) * n + i] = S(b + i + 1) } }
        var (t, lda, ldg, nn, bb) = (S(1), n, n, n, batch)
        var (outNil, aNil) = (false, false)
        let expected: smk_status
        switch fault {
        case .temperatureZero: t = 0; expected = SMK_ERR_TEMPERATURE
        case .temperatureNaN: t = .nan; expected = SMK_ERR_TEMPERATURE
        case .temperatureInf: t = .infinity; expected = SMK_ERR_TEMPERATURE
        case .temperatureNegative: t = -2; expected = SMK_ERR_TEMPERATURE
        case .ldaBelowN: lda = 2; expected = SMK_ERR_SHAPE
        case .ldgBelowN: ldg = 2; expected = SMK_ERR_SHAPE
        case .syevdPastIntMax: bb = 1; nn = 40_000; lda = nn; ldg = 1; expected = SMK_ERR_SHAPE   // 1 + 6n + 2n² > INT_MAX; a never read
        case .batchTimesNOverflow: bb = Int.max / 2; expected = SMK_ERR_SHAPE
        case .nullOut: outNil = true; expected = SMK_ERR_NULL
        case .nullA: aNil = true; expected = SMK_ERR_NULL
        case .nanInLower: a[1 * n + 0] = .nan; expected = SMK_ERR_DOMAIN
        case .infOnDiagonal: a[2 * n + 2] = -.infinity; expected = SMK_ERR_DOMAIN
        case .badThirdMatrix: a[(2 * n + 2) * n + 1] = .nan; expected = SMK_ERR_DOMAIN    // matrices 0 and 1 are fine
        }
        var out = [S](repeating: 12345, count: batch), grad = [S](repeating: 12345, count: batch * n * n)
        let status = a.withUnsafeBufferPointer { ap in
            out.withUnsafeMutableBufferPointer { op in
                grad.withUnsafeMutableBufferPointer { gp in
                    S.cEigmax(aNil ? nil : ap.baseAddress, bb, nn, lda, t, SMK_SYMMETRY_LOWER, 0, outNil ? nil : op.baseAddress,
                              gp.baseAddress, ldg, nil, 0)
                }
            }
        }
        #expect(status == expected, "\(fault): \(String(cString: smk_status_string(status)))")
        #expect(out.allSatisfy { $0 == 12345 } && grad.allSatisfy { $0 == 12345 }, "\(fault): an output was written")
    }

    @Test("C: batch == 0 writes nothing; n == 0 gives −∞; caller workspace gives the same bits; too small or misaligned is SMK_ERR_SHAPE",
          arguments: LinalgDType.allCases)
    func workspaceAndEmpty(dtype: LinalgDType) {
        switch dtype {
        case .f32: checkWorkspace(Float.self)
        case .f64: checkWorkspace(Double.self)
        }
    }

    func checkWorkspace<S: LinalgTestScalar>(_: S.Type) {
        withStableISA { // bit for bit across calls: one instruction-set path
            #expect(S.cEigmax(nil, 0, 3, 3, 1, SMK_SYMMETRY_LOWER, 0, nil, nil, 0, nil, 0) == SMK_OK)
            let empty = cEigmax([S](), batch: 2, n: 0, lda: 0, t: 1, withGradient: true)
            #expect(empty.0 == SMK_OK && empty.1 == [-.infinity, -.infinity])
            #expect(S.cEigmaxWorkspace(0, 5, 1) == 0 && S.cEigmaxWorkspace(5, 0, 1) == 0)
            #expect(S.cEigmaxWorkspace(4, 5, 1) > S.cEigmaxWorkspace(4, 5, 0))

            var rng = SplitMix64(3)
            let (batch, n) = (4, 6)
            var a = [S](repeating: 0, count: batch * n * n)
            for b in 0..<batch { for i in 0..<n { for j in 0...i {
                a[(b * n + i) * n + j] = S(rng.uniform(-1, 1)); a[(b * n + j) * n + i] = a[(b * n + i) * n + j]
            } } }
            for withGradient in [false, true] {
                let viaMalloc = cEigmax(a, batch: batch, n: n, lda: n, t: 0.5, withGradient: withGradient)
                let bytes = S.cEigmaxWorkspace(batch, n, withGradient ? 1 : 0)
                let work = UnsafeMutableRawPointer.allocate(byteCount: bytes + 64, alignment: 64)
                defer { work.deallocate() }
                let viaWork = cEigmax(a, batch: batch, n: n, lda: n, t: 0.5, withGradient: withGradient, work: work, workBytes: bytes)
                #expect(viaMalloc.0 == SMK_OK && viaWork.0 == SMK_OK && viaMalloc.1 == viaWork.1 && viaMalloc.2 == viaWork.2)
                // The batch call equals one call per matrix.
                for b in 0..<batch {
                    let one = cEigmax(Array(a[(b * n * n)..<((b + 1) * n * n)]), batch: 1, n: n, lda: n, t: 0.5, withGradient: withGradient)
                    #expect(one.0 == SMK_OK && one.1[0] == viaMalloc.1[b])
                }
                for (w, size) in [(work, bytes - 1), (work + 1, bytes)] {   // too small; misaligned for any element type
                    let bad = cEigmax(a, batch: batch, n: n, lda: n, t: 0.5, withGradient: withGradient, work: w, workBytes: size)
                    #expect(bad.0 == SMK_ERR_SHAPE && bad.1.allSatisfy { $0 == 12345 } && bad.2.allSatisfy { $0 == 12345 })
                }
            }
        }
    }

    @Test("Swift errors: typed, on both backends", arguments: [Backend.c, .swift])
    func swiftErrors(backend: Backend) throws {
        let good = try Matrix<Double>(rows: 2, cols: 2, elements: [1, 0.5, 0.5, 1])
        let cases: [(String, [Matrix<Double>], Double, SymmetryCheck)] = [
            ("τ = 0", [good], 0, .roundoff(Double.self)),
            ("τ = NaN", [good], .nan, .roundoff(Double.self)),
            ("not square", [try Matrix<Double>(rows: 2, cols: 3, repeating: 0)], 1, .lowerTriangle),
            ("NaN in lower", [try Matrix<Double>(rows: 2, cols: 2, elements: [1, 0, .nan, 1])], 1, .lowerTriangle),
            ("asymmetric", [good, try Matrix<Double>(rows: 2, cols: 2, elements: [1, 0.6, 0.5, 1])], 1, .roundoff(Double.self)),
            ("negative tolerance", [good], 1, .checked(tolerance: -1)),
        ]
        for (name, ms, t, sym) in cases {
            #expect(throws: SmoothKitError.self, "\(name)") {
                _ = try smoothLargestEigenvalueWithGradient(ms, temperature: t, symmetry: sym, backend: backend)
            }
        }
        // 0 × 0: the empty logsumexp, −∞, and an empty gradient.
        let (l0, g0) = try smoothLargestEigenvalueWithGradient([try Matrix<Double>(rows: 0, cols: 0, repeating: 0)], backend: backend)
        #expect(l0 == [-.infinity] && g0[0].rows == 0)
        #expect(String(cString: smk_status_string(SMK_ERR_COMPUTE)) != String(cString: smk_status_string(smk_status(rawValue: 99))))
        // NaN in the strict upper triangle is fine when only the lower one is read.
        let upperNaN = try Matrix<Double>(rows: 2, cols: 2, elements: [1, .nan, 0.5, 1])
        #expect(try smoothLargestEigenvalue([upperNaN], symmetry: .lowerTriangle, backend: backend)
                == smoothLargestEigenvalue([good], backend: backend))
    }
}
