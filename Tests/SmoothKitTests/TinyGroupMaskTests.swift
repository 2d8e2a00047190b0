// Tiny-row groups of the pure-Swift backend with −∞ entries (attention masks). The group
// leaves −∞ out of its min, as the row scan does, so a masked row stays in its group; only a
// row of −∞ alone (max −∞), a max of +∞, a NaN or an overflowing max − min send the group row
// by row. Every width 1…16, Float and Double, every op: values against the reference (SPEC
// §1's bounds and edge table) and the C backend, and the group's own verdict, asked directly.
@testable import SmoothKit
import Testing

/// Where row r of a masked tiny-row matrix holds −∞; the masks cycle over the rows, so every
/// group mixes them all. A mask never covers a whole row: column r mod n stays finite then.
enum TinyMask: CaseIterable {
    case none, one, first, last, several, allButOne

    func isMasked(_ c: Int, row r: Int, cols n: Int) -> Bool {
        switch self {
        case .none: false
        case .one: c == (r + 1) % n
        case .first: c == 0
        case .last: c == n - 1
        case .several: (c + r) % 3 == 0
        case .allButOne: true
        }
    }

    /// Row r of n masked columns: `-∞` where the row's mask says so, `value(c)` elsewhere.
    static func row<S: TestScalar>(_ r: Int, cols n: Int, _ value: (Int) -> S) -> [S] {
        let mask = allCases[r % allCases.count]
        let all = (0..<n).allSatisfy { mask.isMasked($0, row: r, cols: n) }
        return (0..<n).map { c in
            mask.isMasked(c, row: r, cols: n) && !(all && c == r % n) ? -.infinity : value(c)
        }
    }
}

/// What sits beside the masks of `TinyMask`. Rows 3 and rows − 1 (in the first group and in
/// the tail) are edge rows that send the first group row by row; the other groups stay groups.
enum MaskedLayout: String, Sendable, CaseIterable, CustomTestStringConvertible {
    /// U(−20, 20) entries; the edge rows all −∞.
    case uniform
    /// The first and last entry above −∞ of each row ±huge/4 (max − min = huge/2: a group);
    /// ±huge in the edge rows (max − min overflows: row by row, with sc = ½).
    case largeRange

    var testDescription: String { rawValue }

    func row<S: TestScalar>(_ r: Int, rows: Int, cols n: Int, rng: inout SplitMix64) -> [S] {
        let uniform = (0..<n).map { _ in S(fromDouble: 20 * rng.symmetric()) }
        var x = TinyMask.row(r, cols: n) { uniform[$0] }
        let edgeRow = r == 3 || r == rows - 1
        switch self {
        case .uniform:
            if edgeRow { x = Array(repeating: -.infinity, count: n) }
        case .largeRange:
            let big = edgeRow ? S.huge : S.huge / 4
            let kept = x.indices.filter { x[$0] > -.infinity }
            x[kept[0]] = big
            if kept.count > 1 { x[kept[kept.count - 1]] = -big }
        }
        return x
    }
}

@Suite struct TinyGroupMaskTests {
    /// 37 rows: two Float groups (or four Double groups) and a tail of 5.
    static let rows = 37

    @Test(arguments: CoreDType.allCases, MaskedLayout.allCases)
    func maskedGroups(_ dtype: CoreDType, _ layout: MaskedLayout) throws {
        switch dtype {
        case .f32: try check(Float.self, layout)
        case .f64: try check(Double.self, layout)
        }
    }

    private func check<S: TinyGroupScalar>(_: S.Type, _ layout: MaskedLayout) throws {
        for cols in 1...TinyRows.maxColumns {
            var rng = SplitMix64(seed: UInt64(100 * cols + 11))
            let list: [[S]] = (0..<Self.rows).map { layout.row($0, rows: Self.rows, cols: cols, rng: &rng) }
            let x = InputMatrix(rowsOf: list, ldPad: cols % 3)
            // τ = 1 and 0.3 (both take the groups) by turns: the sanitizer stage runs this too.
            let t = S(fromDouble: cols % 2 == 0 ? 1 : 0.3)
            let context = "masked tiny rows \(Self.rows)×\(cols) ld=\(x.ld) \(layout) τ=\(t)"
            // Without a wider reference (Double off x86) only the verdicts are checked.
            let viaSwift = S.hasWiderReference
                ? try checkTinyPaths(x, temperature: t, context: context)
                : try runOps(x, temperature: t, on: .facade(.swift, threads: 1, style: .returning), context: context)
            checkGroupVerdicts(x, temperature: t, facade: viaSwift, context: context)
        }
    }
}

/// Whether a tiny group of these rows is done as a group: every row has no NaN, a finite max,
/// max − min < the greatest finite value with min over the entries above −∞ (in the
/// reference type, where the difference cannot overflow), and |m|·log2(e)/τ within the fast
/// exp's reach (the inputs stay far from its edge, where c's rounding would decide).
private func isOrdinaryGroup<S: TinyGroupScalar>(_ rows: [[S]], temperature t: S) -> Bool {
    rows.allSatisfy { row in
        let above = row.filter { $0 > -.infinity }
        guard let m = above.max(), let mn = above.min(), m.isFinite, !row.contains(where: \.isNaN) else { return false }
        return m.wide - mn.wide < S.greatestFiniteMagnitude.wide
            && S.doubles([m, t]).withUnsafeBufferPointer { abs($0[0]) * 1.4426950408889634 / $0[1] } <= S.fastReach
    }
}

/// Calls `TinyRows.group` directly on every whole group of `x`, for every op: it must take
/// exactly the ordinary groups (the masked rows of a group are no reason to leave it), write
/// nothing when it declines, and yield, where it accepts, the façade's `.swift` results bit
/// for bit: those come from this same call (`TinyRows.drive`), while the row-by-row bodies
/// they would otherwise come from round differently.
private func checkGroupVerdicts<S: TinyGroupScalar>(_ x: InputMatrix<S>, temperature t: S,
                                                                 facade: CoreOutputs<S>, context: String) {
    let lanes = S.groupLanes, n = x.cols
    var failures: [String] = []
    for g in 0..<x.rows / lanes {
        let first = g * lanes
        let expected = isOrdinaryGroup((first..<first + lanes).map(x.row), temperature: t)
        for op in [TinyOp.logSumExp, .softmax, .logSoftmax, .softArgmax] {
            let ldd = op.isMap ? n + 1 : 1
            var dst = [S](repeating: canary(), count: lanes * ldd)
            let taken = x.storage.withUnsafeBufferPointer { xs in
                dst.withUnsafeMutableBufferPointer {
                    S.group(op, temperature: t, xs.baseAddress! + first * x.ld, x.ld, n, $0.baseAddress!, ldd)
                }
            }
            let place = "group \(g) (rows \(first)..<\(first + lanes)) \(op)"
            guard taken == expected else {
                failures.append("\(place): \(taken ? "taken" : "declined"), expected \(expected ? "taken" : "declined")")
                continue
            }
            if !taken {
                if !dst.allSatisfy({ sameBits($0, canary()) }) { failures.append("\(place): declined but wrote") }
                continue
            }
            let got = op.isMap ? (0..<lanes).flatMap { dst[$0 * ldd..<$0 * ldd + n] } : dst
            let want: ArraySlice<S> = switch op {
            case .logSumExp: facade.logSumExp[first..<first + lanes]
            case .softArgmax: facade.softArgmax[first..<first + lanes]
            case .softmax: facade.softmax[first * n..<(first + lanes) * n]
            case .logSoftmax: facade.logSoftmax[first * n..<(first + lanes) * n]
            }
            if !zip(got, want).allSatisfy(sameBits) { failures.append("\(place): differs from the façade's .swift results") }
        }
    }
    #expect(failures.isEmpty, "\(context), \(S.label): \(failures.prefix(5).joined(separator: "; "))")
}

/// The element types with their `TinyRows.group`, called as `TinyRows.drive` calls it (the
/// call's plain τ context). Not `TestScalar & FallbackScalar`: both protocols name an
/// associated type `Wide`, which a composition would require to be one type (for Double the
/// reference's Float80 and the kernels' double-double are not).
protocol TinyGroupScalar: TestScalar {
    /// Rows per group (`Packet.scalarCount`: 16 Float, 8 Double).
    static var groupLanes: Int { get }
    /// The fast exp's reach |m·c| (`fexpMaxReference`).
    static var fastReach: Double { get }
    static func group(_ op: TinyOp, temperature t: Self, _ x: UnsafePointer<Self>, _ ldx: Int, _ n: Int,
                      _ dst: UnsafeMutablePointer<Self>, _ ldd: Int) -> Bool
}

extension Float: TinyGroupScalar {
    static var groupLanes: Int { Packet.scalarCount }
    static var fastReach: Double { Double(fexpMaxReference) }
    static func group(_ op: TinyOp, temperature t: Float, _ x: UnsafePointer<Float>, _ ldx: Int, _ n: Int,
                      _ dst: UnsafeMutablePointer<Float>, _ ldd: Int) -> Bool {
        TinyRows.group(op, CallContext(temperature: t), x, ldx, n, dst, ldd)
    }
}

extension Double: TinyGroupScalar {
    static var groupLanes: Int { Packet.scalarCount }
    static var fastReach: Double { fexpMaxReference }
    static func group(_ op: TinyOp, temperature t: Double, _ x: UnsafePointer<Double>, _ ldx: Int, _ n: Int,
                      _ dst: UnsafeMutablePointer<Double>, _ ldd: Int) -> Bool {
        TinyRows.group(op, CallContext(temperature: t), x, ldx, n, dst, ldd)
    }
}
