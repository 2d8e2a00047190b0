// The Swift façade: SPEC §1's edge table on every backend, thread count and calling style;
// the C and pure-Swift backends against each other; one thread against two. These tests
// never force an ISA (the C backend runs on whatever path is active).
import SmoothKit
import Testing

@Suite struct FacadeTests {
    /// Every row of SPEC §1's edge table through `softmax(x)`, `softmax(x, into:)` and
    /// `softmaxInPlace` (and the other ops), backends `.c` and `.swift`, 1 and 2 threads.
    @Test(arguments: EdgeRow.allCases, CoreDType.allCases)
    func edgeTable(_ edge: EdgeRow, _ dtype: CoreDType) throws {
        try dtype.with { try checkEdgeRow(edge, $0, on: CorePath.facadePaths) }
    }

    /// SPEC §1's accuracy bounds on the table of `ISAPathTests.accuracy`, through the
    /// façade with backends `.c` and `.swift`.
    @Test(arguments: AccuracyCase.table(.f32) + AccuracyCase.table(.f64))
    func accuracy(_ c: AccuracyCase) throws {
        let backends = facadeBackends.filter { c.swiftBackend || $0 != .swift }
        try checkAccuracy(c, on: backends.map { .facade($0, threads: 1, style: .returning) })
    }

    /// Random shapes (rows, cols, ld, τ, spread): `.c` and `.swift` each within SPEC's
    /// bounds of the reference, and within twice the bound of each other.
    @Test(arguments: CoreDType.allCases, 1...8)
    func backendsAgree(_ dtype: CoreDType, _ seed: Int) throws {
        try dtype.with { try backendsAgree($0, seed: UInt64(seed)) }
    }

    private func backendsAgree<S: TestScalar>(_: S.Type, seed: UInt64) throws {
        guard S.hasWiderReference else { return }
        var rng = SplitMix64(seed: 0xA9EE + seed)
        let rows = 1 + rng.index(6), cols = 1 + rng.index(700), ldPad = rng.index(5)
        let t = S(fromDouble: Double.exponential(rng.symmetric() * 7)) // τ in [e^-7, e^7]
        let spread = 1 + rng.unit() * 80
        let x = InputMatrix<S>(rows: rows, cols: cols, ld: cols + ldPad) { _, _ in
            S(fromDouble: spread * rng.symmetric()) * t
        }
        let context = "random shape \(rows)×\(cols) ld=\(cols + ldPad) τ=\(t) spread \(spread)·τ (seed \(seed))"
        let ref = CaseReference(x, temperature: t)
        let viaC = try runOps(x, temperature: t, on: .facade(.c, threads: 1, style: .returning), context: context)
        let viaSwift = try runOps(x, temperature: t, on: .facade(.swift, threads: 1, style: .returning), context: context)
        checkOutputs(viaC, ref, context: context + ", .c")
        checkOutputs(viaSwift, ref, context: context + ", .swift")
        checkAgreement(viaC, viaSwift, ref, context: context + ", .c vs .swift")
    }

    /// `threads: 2` splits the rows (8 × 8200 = 65 600 elements > 2 · 2^15, the façade's
    /// minimum per thread, so two workers taking blocks of rows) and must give exactly the results of
    /// `threads: 1`; edge rows sit on both sides of the split. Every calling style with `.c`;
    /// `.returning` with `.swift` (the styles are the façade's code, the same for both
    /// backends, and `.swift` is slow in debug builds).
    @Test(arguments: CoreDType.allCases, facadeBackends)
    func twoThreadsMatchOne(_ dtype: CoreDType, _ backend: Backend) throws {
        try dtype.with { try twoThreadsMatchOne($0, backend) }
    }

    private func twoThreadsMatchOne<S: TestScalar>(_: S.Type, _ backend: Backend) throws {
        var rng = SplitMix64(seed: 0x7EAD)
        let rows = 8, cols = 8200
        let x = InputMatrix<S>(rows: rows, cols: cols, ld: cols + 1) { r, c in
            switch r {
            case 1: c == 700 ? .nan : 1
            case 3: c % 3 == 0 ? .infinity : 0
            case 4: -.infinity
            default: S(fromDouble: 20 * rng.symmetric())
            }
        }
        #expect(rows * cols > 2 * (1 << 15))
        let t: S = 1
        let ref = CaseReference(x, temperature: t)
        for style in backend == .swift ? [.returning] : FacadeStyle.allCases {
            let context = "\(rows)×\(cols), .\(backend), \(style.rawValue)"
            let (one, two) = try withStableISA(for: backend) {
                (try runOps(x, temperature: t, on: .facade(backend, threads: 1, style: style), context: context),
                 try runOps(x, temperature: t, on: .facade(backend, threads: 2, style: style), context: context))
            }
            checkOutputs(two, ref, context: context + ", threads 2")
            let differences = bitDifferences(one, two, label: "threads 1 and 2")
            #expect(differences.isEmpty, "\(context), \(S.label): \(differences.prefix(5).joined(separator: "; "))")
        }
    }
}
