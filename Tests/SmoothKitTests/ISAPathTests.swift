// The C kernels on every instruction-set path of this machine. Each call picks its path for
// its own thread (`withForcedISA`, `onPath`: Support/Paths.swift), so the cases run in parallel
// with each other and with every other suite; the process-wide choice is ProcessWideISATests'.
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
}
