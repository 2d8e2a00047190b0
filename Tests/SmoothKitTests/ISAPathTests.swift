// The C kernels on every instruction-set path of this machine. This suite forces paths among
// the core row-op tests only through `withForcedISA` (a lock shared with the bit-for-bit
// comparisons of the other suites), which restores SMK_ISA_AUTO after every forced section;
// its cases run in parallel, so the references and checks of one overlap the forced calls of
// another.
import CSmoothKit
import SmoothKit
import Testing

@Suite
struct ISAPathTests {
    /// Every row of SPEC §1's edge table, every op, both dtypes, every ISA path (out of place
    /// and in place).
    @Test(arguments: EdgeRow.allCases, CoreDType.allCases)
    func edgeTable(_ edge: EdgeRow, _ dtype: CoreDType) throws {
        try dtype.with { try checkEdgeRow(edge, $0, on: allCPaths) }
    }

    /// The same rows with 8300 entries, the edge entries last: past 32 KiB in both types, after
    /// many summation blocks. At τ = 1 and 10⁻³ (entries far apart in units of τ).
    @Test(arguments: EdgeRow.allCases, CoreDType.allCases)
    func edgeTableLongRows(_ edge: EdgeRow, _ dtype: CoreDType) throws {
        try dtype.with { try checkEdgeRow(edge, $0, on: allCPaths, columns: 8300, temperatures: [.value(1), .value(1e-3)]) }
    }

    /// logsumexp of a long row keeps every NaN: one among entries far below the max at a small
    /// τ (a fuzzer's row, Tests/Fuzz/regressions), and one among −∞ entries (the clamp).
    @Test func longRowLogSumExpKeepsNaN() {
        let n = 9000
        let period: [Double] = [0, -12.125, -12.125, -12.125, -12.125, -12.125, -12.125, -12.75, .nan, 1]
        let fuzzRow = (0..<n).map { period[$0 % 10] }
        var rng = SplitMix64(seed: 5)
        var maskedLane = (0..<n).map { $0 % 8 == 3 ? -Double.infinity : rng.symmetric() }
        maskedLane[8003] = .nan // 8003 % 8 == 3: among the −∞ of lane 3 (f32 AVX2)
        for (row, tau) in [(fuzzRow, 1e-3), (maskedLane, 1.0)] {
            let row32 = row.map { Float($0) }
            for isa in ISAPath.supported {
                var o32: Float = 0, o64: Double = 0
                let (s32, _) = withForcedISA(isa) { smk_logsumexp_f32(row32, 1, n, n, Float(tau), &o32) }
                let (s64, _) = withForcedISA(isa) { smk_logsumexp_f64(row, 1, n, n, tau, &o64) }
                #expect(s32 == SMK_OK && o32.isNaN && s64 == SMK_OK && o64.isNaN, "\(isa) τ = \(tau): \(o32), \(o64)")
            }
        }
    }

    /// SPEC §1's accuracy bounds on random and adversarial rows, on every ISA path against
    /// one reference per case (`FacadeTests.accuracy` runs the same table on the backends).
    @Test(arguments: AccuracyCase.table(.f32) + AccuracyCase.table(.f64))
    func accuracy(_ c: AccuracyCase) throws {
        try checkAccuracy(c, on: allCPaths)
    }

    /// Names the paths this run tests and the ones it cannot (the CPU or the build lacks them),
    /// in the test output, so a skipped path is never silent; every suite that loops over
    /// `ISAPath.supported` covers exactly the first list.
    @Test func pathsTestedAndSkipped() {
        let tested = ISAPath.supported.map(\.name), skipped = ISAPath.unsupported.map(\.name)
        print("ISA paths tested: \(tested.joined(separator: ", ")); skipped (not on this CPU or build): "
              + (skipped.isEmpty ? "none" : skipped.joined(separator: ", ")))
        #expect(tested.contains("portable"))
        #expect(Set(tested).isDisjoint(with: skipped) && tested.count + skipped.count == ISAPath.all.count)
        #expect(tested.first { $0 != "portable" } == nil || tested.contains(String(cString: smk_isa_name())),
                "the automatic path must be among the tested ones")
    }

    /// `smk_isa_supported` / `smk_force_isa` agree with each other and with the Swift view;
    /// an unsupported ISA is refused and leaves the active path unchanged. Holds the ISA lock
    /// throughout, so no other case forces a path between its checks.
    @Test func forcingISAs() throws {
        try withStableISA { try forcingISAsLocked() }
    }

    private func forcingISAsLocked() throws {
        let best = String(cString: smk_isa_name())
        #expect(smk_isa_supported(SMK_ISA_AUTO) != 0)
        #expect(!ISAPath.supported.isEmpty && ISAPath.supported.contains { $0.name == "portable" })
        #expect(InstructionSet.supported.map(\.rawValue).sorted() == ISAPath.supported.map(\.name).sorted())
        for isa in ISAPath.supported {
            untilUndisturbed("forcing \(isa)") {
                let ((active, swiftView), held) = withForcedISA(isa) { (smk_active_isa(), InstructionSet.active.rawValue) }
                return held && active == isa.cValue && swiftView == isa.name ? []
                    : ["forced \(isa), active \(active.rawValue) (Swift: \(swiftView))"]
            }
            #expect(String(cString: smk_isa_name()) == best, "SMK_ISA_AUTO did not restore \(best) after \(isa)")
        }
        for isa in ISAPath.unsupported {
            #expect(smk_force_isa(isa.cValue) == SMK_ERR_DOMAIN, "forcing unsupported \(isa) must fail")
            #expect(String(cString: smk_isa_name()) == best, "a refused force changed the active path")
            #expect(throws: SmoothKitError.self) { try InstructionSet.force(InstructionSet(rawValue: isa.name)!) }
        }
        #expect(smk_force_isa(smk_isa(rawValue: 99)) == SMK_ERR_DOMAIN, "an unknown ISA value must fail")
        #expect(String(cString: smk_isa_name()) == best)
    }
}
