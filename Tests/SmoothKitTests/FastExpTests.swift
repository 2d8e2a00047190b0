// The pure-Swift backend's fast exp (FastExp.swift) at the edges of its reach: rows on both
// sides of |m·c| = fexpMaxReference (fast exp / double-word exp), clamp rows (−∞ entries,
// entries whose terms are subnormal or round to 0, entries at the clamp point), and
// temperatures outside the plain context (prescaled: every row takes the double-word exp). Each matrix holds long rows (two blocks and a partial packet) and tiny
// rows (groups and a tail), checked against the wider reference (SPEC §1) on the Swift
// façade, in place and not, and against the C façade where both must agree.
@testable import SmoothKit
import Testing

@Suite struct FastExpTests {
    /// Rows of each matrix: two Float groups (four Double groups) and a tail.
    static let rows = 37

    @Test(arguments: CoreDType.allCases, [5, 301])
    func reachBoundary(_ dtype: CoreDType, _ cols: Int) throws {
        switch dtype {
        case .f32: try reach(Float.self, cols)
        case .f64: try reach(Double.self, cols)
        }
    }

    @Test(arguments: CoreDType.allCases, [5, 301])
    func clampRows(_ dtype: CoreDType, _ cols: Int) throws {
        switch dtype {
        case .f32: try clamp(Float.self, cols)
        case .f64: try clamp(Double.self, cols)
        }
    }

    @Test(arguments: CoreDType.allCases, [5, 301])
    func temperaturesOutsideThePlainContext(_ dtype: CoreDType, _ cols: Int) throws {
        switch dtype {
        case .f32: try extremeTemperatures(Float.self, cols)
        case .f64: try extremeTemperatures(Double.self, cols)
        }
    }

    /// Maxima with |m|·log2(e)/τ at the reach times 1 ± 2^−6 and 1 ± 2^−20 (the latter may
    /// go either way, by c's rounding), both signs; the other entries m − τ·U(0, 40).
    private func reach<S: FastExpScalar>(_: S.Type, _ cols: Int) throws {
        var rng = SplitMix64(seed: UInt64(cols) &+ 71)
        for tau in [1.0, 0.03125] {
            let edge = S.fastReach * tau / 1.4426950408889634
            let factors = [1 - 0x1p-6, 1 + 0x1p-6, 1 - 0x1p-20, 1 + 0x1p-20]
            let list: [[S]] = (0..<Self.rows).map { r in
                let m = (r % 2 == 0 ? 1.0 : -1.0) * edge * factors[(r / 2) % factors.count]
                return (0..<cols).map { c in S(fromDouble: c == r % cols ? m : m - tau * 40 * rng.unit()) }
            }
            try checkTinyPaths(InputMatrix(rowsOf: list, ldPad: 1), temperature: S(fromDouble: tau),
                               context: "fast exp reach ×\(cols) τ=\(tau)")
        }
    }

    /// Rows whose terms reach below the normal range: entries τ·ln2·t below the max for t
    /// around the subnormal range, the underflow to 0 and the clamp point (M − fexpCut), and
    /// −∞ entries; the max anywhere in the row.
    private func clamp<S: FastExpScalar>(_: S.Type, _ cols: Int) throws {
        var rng = SplitMix64(seed: UInt64(cols) &+ 5)
        let ln2 = 0.6931471805599453, bias = S.exponentBiasValue
        // t offsets below the max: normal edge, subnormal, below the smallest subnormal, the clamp.
        let offsets = [Double(bias - 3), Double(bias + 10), Double(bias + S.significandBits - 1),
                       Double(bias + S.significandBits + 2), S.clampCut - 0.5, S.clampCut + 0.5, S.clampCut + 40]
        for tau in [1.0, 0.25] {
            let list: [[S]] = (0..<Self.rows).map { r in
                let m = 10 * rng.symmetric()
                return (0..<cols).map { c -> S in
                    if c == (3 * r) % cols { return S(fromDouble: m) }
                    switch (c + r) % 4 {
                    case 0: return -.infinity
                    case 1: return S(fromDouble: m - tau * ln2 * offsets[(c + 2 * r) % offsets.count])
                    default: return S(fromDouble: m - tau * 30 * rng.unit())
                    }
                }
            }
            try checkTinyPaths(InputMatrix(rowsOf: list), temperature: S(fromDouble: tau),
                               context: "fast exp clamp rows ×\(cols) τ=\(tau)")
        }
    }

    /// τ subnormal and τ huge: log2(e)/τ outside [2^−60, 2^60], so the context is prescaled and
    /// every row (long or tiny) takes the double-word exp.
    private func extremeTemperatures<S: FastExpScalar>(_: S.Type, _ cols: Int) throws {
        var rng = SplitMix64(seed: UInt64(cols) &+ 9)
        for t in [S.subnormalTemperature, S(fromDouble: 1e30)] {
            #expect(!S.hasPlainContext(t))
            let scale = S.doubles([t])[0]
            let list: [[S]] = (0..<Self.rows).map { _ in
                (0..<cols).map { _ in S(fromDouble: scale * 20 * rng.symmetric()) }
            }
            try checkTinyPaths(InputMatrix(rowsOf: list), temperature: t, context: "prescaled τ=\(t) ×\(cols)")
        }
    }
}

/// The fast exp's constants as the tests need them, in Double.
protocol FastExpScalar: TestScalar {
    static var fastReach: Double { get }
    static var clampCut: Double { get }
    static var exponentBiasValue: Int { get }
    /// Significand bits including the leading one (24, 53).
    static var significandBits: Int { get }
    /// Whether τ gives the plain context (pre = 1), the fast exp's precondition.
    static func hasPlainContext(_ t: Self) -> Bool
}

extension Float: FastExpScalar {
    static var clampCut: Double { Double(fexpCut) }
    static var exponentBiasValue: Int { exponentBias }
    static var significandBits: Int { significandBitCount + 1 }
    static func hasPlainContext(_ t: Self) -> Bool { CallContext(temperature: t).ordinary.isPlain }
}

extension Double: FastExpScalar {
    static var clampCut: Double { fexpCut }
    static var exponentBiasValue: Int { exponentBias }
    static var significandBits: Int { significandBitCount + 1 }
    static func hasPlainContext(_ t: Self) -> Bool { CallContext(temperature: t).ordinary.isPlain }
}
