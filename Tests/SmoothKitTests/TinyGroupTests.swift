// The pure-Swift backend's tiny-row groups (Sources/SmoothKit/Fallback/TinyRows.swift): rows
// of 1…16 entries go 16 (Float) or 8 (Double) at a time, one row per lane, and a group with
// an edge row goes row by row. Every case here has whole groups and a tail, ld > cols, and
// runs `.swift` out of place and in place, and `.c`, against the reference (SPEC §1's bounds
// and edge table), and `.swift` against `.c` (within twice the bound: the groups round differently).
import SmoothKit
import Testing

/// What sits in the edge rows of a tiny-row matrix (none: every group is ordinary).
enum TinyEdge: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case none, nan, posInf, masked, oneNegInf, hugeRange

    var testDescription: String { rawValue }

    /// Row r of the matrix: U(−spread, spread), times τ when τ < 1 (so that huge τ does not
    /// overflow the entries), with the edge in rows 3 and rows − 1 (the first group and the tail).
    func row<S: TestScalar>(_ r: Int, rows: Int, cols n: Int, spread: Double, tau: S,
                            rng: inout SplitMix64) -> [S] {
        var x = (0..<n).map { _ in S(fromDouble: spread * rng.symmetric()) * (tau < 1 ? tau : 1) }
        guard r == 3 || r == rows - 1 else { return x }
        let j = r % n
        switch self {
        case .none: break
        case .nan: x[j] = .nan
        case .posInf: x[j] = .infinity
        case .masked: x = Array(repeating: -.infinity, count: n)
        case .oneNegInf: x[j] = -.infinity
        case .hugeRange:
            x[0] = S.huge
            if n > 1 { x[n - 1] = -S.huge }
        }
        return x
    }
}

@Suite struct TinyGroupTests {
    /// 37 rows: two Float groups (or four Double groups) and a tail of 5.
    static let rows = 37

    /// Tiny widths from 1 to 16, each edge kind, ordinary and prescaled temperatures.
    @Test(arguments: CoreDType.allCases, TinyEdge.allCases)
    func groupsMatchReference(_ dtype: CoreDType, _ edge: TinyEdge) throws {
        try dtype.with { try check($0, edge) }
    }

    private func check<S: TestScalar>(_: S.Type, _ edge: TinyEdge) throws {
        guard S.hasWiderReference else { return }
        // τ = 1 and 0.3 take the groups; huge and subnormal τ are prescaled (row by row).
        // Widths: 1…5, a power of two and its neighbour, and the largest two (debug builds
        // are slow, and the sanitizer stage runs this too).
        let temperatures: [TemperatureSpec] = [.value(1), .value(0.3), .ofHuge(0.5), .subnormal]
        for cols in [1, 2, 3, 4, 5, 8, 9, 15, 16] {
            for spec in temperatures {
                let t = spec.resolve(S.self)
                var rng = SplitMix64(seed: UInt64(100 * cols + 7))
                let list = (0..<Self.rows).map { edge.row($0, rows: Self.rows, cols: cols, spread: 20, tau: t, rng: &rng) }
                let x = InputMatrix(rowsOf: list, ldPad: cols % 3 + 1)
                try checkTinyPaths(x, temperature: t, context: "tiny rows \(Self.rows)×\(cols) ld=\(x.ld) edge \(edge) \(spec)")
            }
        }
    }
}

/// One tiny-row matrix on the `.c` façade and the `.swift` façade (out of place and in place,
/// one thread), each against the reference, and `.swift` against `.c`. Returns the `.swift`
/// results of the out-of-place call.
@discardableResult
func checkTinyPaths<S: TestScalar>(_ x: InputMatrix<S>, temperature t: S, context: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws -> CoreOutputs<S> {
    let ref = CaseReference(x, temperature: t)
    let viaC = try runOps(x, temperature: t, on: .facade(.c, threads: 1, style: .returning), context: context)
    checkOutputs(viaC, ref, context: "\(context), .c", sourceLocation: sourceLocation)
    var results: [CoreOutputs<S>] = []
    for style in [FacadeStyle.returning, .inPlace] {
        let path = CorePath.facade(.swift, threads: 1, style: style)
        let viaSwift = try runOps(x, temperature: t, on: path, context: context)
        checkOutputs(viaSwift, ref, context: "\(context), \(path)", sourceLocation: sourceLocation)
        checkAgreement(viaC, viaSwift, ref, context: "\(context), .c vs \(path)", sourceLocation: sourceLocation)
        results.append(viaSwift)
    }
    return results[0]
}
