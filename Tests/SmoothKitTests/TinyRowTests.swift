// Rows of at most 16 entries, which the C kernels take LANES rows at a time, one row per lane
// (rowops.inc tiny_group; on AVX2 and AVX-512 through vector loads/stores and an in-register
// transpose). Part of the serialized ISAPathTests suite: it forces every ISA path.
import Testing

extension ISAPathTests {
    /// Every width 1…16, 37 rows (no multiple of any lane count: full groups and a row-by-row
    /// remainder), ld = cols and cols + 3, edge rows inside the groups (NaN, +∞, a row of −∞,
    /// one −∞ entry, ±huge), every ISA path out of place and in place. The input is passed in
    /// an allocation that ends at the last row's last entry (over-reads fail under ASan);
    /// output padding must keep its canaries (runOps).
    @Test(arguments: CoreDType.allCases, [0, 3])
    func tinyRows(_ dtype: CoreDType, _ ldPad: Int) throws {
        try dtype.with { try checkTinyRows($0, ldPad: ldPad) }
    }
}

private func checkTinyRows<S: TestScalar>(_: S.Type, ldPad: Int) throws {
    let rows = 37
    for cols in 1...16 {
        var rng = SplitMix64(seed: UInt64(100 + cols))
        let x = InputMatrix<S>(rows: rows, cols: cols, ld: cols + ldPad) { r, c in
            switch r {
            case 5 where c == cols / 2: return .nan
            case 10 where c == cols - 1: return .infinity
            case 17: return -.infinity
            case 21 where c == 0: return -.infinity
            case 26 where c == cols / 3: return S.huge
            case 26 where c == cols - 1: return -S.huge
            default: return S(fromDouble: 10 * rng.symmetric())
            }
        }
        for t in [S(fromDouble: 1), S(fromDouble: 0.37)] {
            let ref = CaseReference(x, temperature: t)
            for path in allCPaths {
                let context = "tiny rows \(S.label) cols=\(cols) ld=\(x.ld) τ=\(t), \(path)"
                try untilUndisturbed(context) {
                    let (out, disturbed) = try onPath(path) { try runOps(x, temperature: t, on: path, context: context) }
                    checkOutputs(out, ref, context: context)
                    return disturbed
                }
            }
        }
    }
}
