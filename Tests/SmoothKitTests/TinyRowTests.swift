// Rows of at most 16 entries, which the C kernels take LANES rows at a time, one row per lane
// (rowops.inc tiny_group; on AVX2 and AVX-512 through vector loads/stores and an in-register
// transpose, packed LANES/c rows to a register when the last tile's rows hold r ≤ c < LANES
// entries). Part of ISAPathTests: every ISA path.
import Testing

/// What the rows of a tiny-row test matrix hold.
enum TinyRowLayout: String, Sendable, CaseIterable, CustomTestStringConvertible {
    /// SPEC §1's edge rows inside the groups: NaN, +∞, a row of −∞, one −∞ entry, ±huge.
    case edges
    /// −∞ entries (attention masks), which a group keeps (they add exactly 0), in three rows
    /// of four: one per row at varying columns, the first and last column, every other
    /// column; with them a row of only −∞ (row 20: its group goes row by row), a range of
    /// ≈ huge next to −∞ (rows 9 and 29: kept), and ±huge next to −∞ (row 13: a range beyond
    /// the greatest finite value, row by row and halved). The other groups of every lane
    /// count are done as groups.
    case masks

    var testDescription: String { rawValue }

    /// edges: 37 (no multiple of any lane count: full groups and a row-by-row tail). masks: 48,
    /// a multiple of every lane count, so that the last row is read by a group and a read past
    /// a row's n-th entry runs off the end of the allocation (ASan).
    var rows: Int { self == .edges ? 37 : 48 }

    /// τ = 4 (> 1) brings (x − m)/τ of a ±huge range back into range, so a group that kept
    /// such a row would show as −∞ in log_softmax.
    var temperatures: [Double] { self == .edges ? [1, 0.37] : [0.37, 4] }

    /// Entry (r, c) of an n-column matrix; draws from `rng` for every entry.
    func element<S: TestScalar>(_ r: Int, _ c: Int, cols n: Int, rng: inout SplitMix64) -> S {
        let x = S(fromDouble: 10 * rng.symmetric())
        switch self {
        case .edges:
            switch r {
            case 5 where c == n / 2: return .nan
            case 10 where c == n - 1: return .infinity
            case 17: return -.infinity
            case 21 where c == 0: return -.infinity
            case 26 where c == n / 3: return S.huge
            case 26 where c == n - 1: return -S.huge
            default: return x
            }
        case .masks:
            switch r {
            case 20: return -.infinity
            case 9: return c == 0 ? S.huge : c == n - 1 ? -.infinity : x
            case 13: return c == 0 ? S.huge : c == n - 1 ? -S.huge : c == n / 2 ? -.infinity : x
            case 29: return c == n - 1 ? S.huge * S(fromDouble: 0.6) : c == 0 ? -S.huge * S(fromDouble: 0.4)
                : c == 1 ? -.infinity : x
            default:
                // Every row keeps a finite entry, so only rows 13 and 20 take their groups
                // row by row.
                switch r % 4 {
                case 1: return n > 1 && c == (r / 4) % n ? -.infinity : x
                case 2: return n > 2 && (c == 0 || c == n - 1) ? -.infinity : x
                case 3: return c % 2 == 1 ? -.infinity : x
                default: return x
                }
            }
        }
    }
}

extension ISAPathTests {
    /// Every width 1…17 (17: past the tiny rows), ld = cols and cols + 3, each layout with
    /// its temperatures, every ISA path out of place and in place. The input is passed in an
    /// allocation that ends at the last row's last entry (over-reads fail under ASan); output
    /// padding must keep its canaries (runOps).
    @Test(arguments: CoreDType.allCases, TinyRowLayout.allCases)
    func tinyRows(_ dtype: CoreDType, _ layout: TinyRowLayout) throws {
        for ldPad in [0, 3] {
            try dtype.with { try checkTinyRows($0, layout, ldPad: ldPad) }
        }
    }
}

private func checkTinyRows<S: TestScalar>(_: S.Type, _ layout: TinyRowLayout, ldPad: Int) throws {
    let rows = layout.rows
    for cols in 1...17 {
        var rng = SplitMix64(seed: UInt64(100 + cols))
        let x = InputMatrix<S>(rows: rows, cols: cols, ld: cols + ldPad) { r, c in
            layout.element(r, c, cols: cols, rng: &rng)
        }
        for t in layout.temperatures.map({ S(fromDouble: $0) }) {
            let ref = CaseReference(x, temperature: t)
            for path in allCPaths {
                let context = "tiny rows \(layout) \(S.label) cols=\(cols) ld=\(x.ld) τ=\(t), \(path)"
                let out = try onPath(path) { try runOps(x, temperature: t, on: path, context: context) }
                checkOutputs(out, ref, context: context)
            }
        }
    }
}
