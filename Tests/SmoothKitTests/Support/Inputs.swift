// The input tables: accuracy cases (random and adversarial rows, SPEC §1 "Accuracy") and
// the rows of SPEC §1's edge table.
import Testing

// MARK: - Accuracy cases

/// The temperature of a case, resolved per element type.
enum TemperatureSpec: Sendable, CustomStringConvertible {
    case value(Double)
    /// 1e-40 (Float) / 1e-310 (Double).
    case subnormal
    /// A fraction of `S.huge` (3e38 / 1.7e308).
    case ofHuge(Double)
    /// A multiple of `S.ulpOfOne`.
    case ulps(Double)

    func resolve<S: TestScalar>(_: S.Type) -> S {
        switch self {
        case .value(let v): S(fromDouble: v)
        case .subnormal: S.subnormalTemperature
        case .ofHuge(let f): S.huge * S(fromDouble: f)
        case .ulps(let k): S.ulpOfOne * S(fromDouble: k)
        }
    }

    var description: String {
        switch self {
        case .value(let v): "τ=\(v)"
        case .subnormal: "τ=subnormal"
        case .ofHuge(let f): "τ=\(f)·huge"
        case .ulps(let k): "τ=\(k)ε"
        }
    }
}

/// How the entries of a row are made. `v` below is in units of τ when the case is scaled.
enum RowPattern: Sendable, CustomStringConvertible {
    /// v = spread·U(−1, 1).
    case uniform(spread: Double)
    /// v_i = −(i mod steps): a geometric softmax with ratio e^-1, repeating.
    case ladder(steps: Int)
    /// v = U(−1, 1), except one entry (moving with the row) at +gap.
    case dominant(gap: Double)
    /// Every entry equal to v.
    case ties(Double)
    /// [head, tail, tail, …]: a long run of equal small terms that can dominate the sum.
    case tieTail(head: Double, tail: Double)
    /// Entries drawn from {±huge, huge/2, −huge/3, small}: differences overflow the type.
    case hugeMixed
    /// 1 + k·ε with k uniform in 0..<steps: differences of a few ulps (use τ in ulps).
    case ulpSteps(Int)
    /// v_i = spread·(i/n − ½), ascending (or descending when spread < 0): a new max in
    /// every block, and a min spread·½ below the max (the exp's clamp decision).
    case ramp(spread: Double)
    /// U(−1, 1) in the first half, height + U(−1, 1) in the second: the first half's terms
    /// far below the max.
    case stepUp(height: Double)
    /// −∞ (masked) in the first `length` entries but one, at length/2; U(−1, 1) after: whole
    /// blocks of exact zeros before the terms that count.
    case maskedPrefix(length: Int)
    /// Odd rows `.hugeMixed`, even rows uniform ±20: one call holds rows of both kinds of τ
    /// context (sc = ½ where m − min overflows, sc = 1 elsewhere) in turn.
    case hugeOddRows
    /// `base + spread·U(−1, 1)`: rows far from 0 (where |m·c| decides the exp's form).
    case shifted(base: Double, spread: Double)

    var description: String {
        switch self {
        case .uniform(let s): "uniform ±\(s)"
        case .ladder(let k): "ladder 0…−\(k - 1)"
        case .dominant(let g): "one dominant +\(g)"
        case .ties(let v): "ties at \(v)"
        case .tieTail(let h, let t): "[\(h), \(t) × n−1]"
        case .hugeMixed: "±huge mixed"
        case .ulpSteps(let k): "1 + k·ε, k < \(k)"
        case .ramp(let s): "ramp over \(s)"
        case .stepUp(let h): "step up by \(h) at n/2"
        case .maskedPrefix(let k): "−∞ × \(k) but one, then U(−1, 1)"
        case .hugeOddRows: "±huge mixed on odd rows, ±20 on even rows"
        case .shifted(let b, let s): "\(b) ± \(s)"
        }
    }

    func value<S: TestScalar>(_: S.Type, row r: Int, col i: Int, n: Int, rng: inout SplitMix64) -> S {
        switch self {
        case .uniform(let spread): return S(fromDouble: spread * rng.symmetric())
        case .ladder(let steps): return S(fromDouble: -Double(i % steps))
        case .dominant(let gap): return i == (n / 3 + r) % n ? S(fromDouble: gap) : S(fromDouble: rng.symmetric())
        case .ties(let v): return S(fromDouble: v)
        case .tieTail(let head, let tail): return S(fromDouble: i == 0 ? head : tail)
        case .hugeMixed:
            switch rng.index(5) {
            case 0: return S.huge
            case 1: return -S.huge
            case 2: return S.huge / 2
            case 3: return -S.huge / 3
            default: return S(fromDouble: 10 * rng.symmetric())
            }
        case .ulpSteps(let steps): return 1 + S(fromDouble: Double(rng.index(steps))) * S.ulpOfOne
        case .ramp(let spread): return S(fromDouble: spread * (Double(i) / Double(n) - 0.5))
        case .stepUp(let height): return S(fromDouble: (i < n / 2 ? 0 : height) + rng.symmetric())
        case .maskedPrefix(let length):
            return i < length && i != length / 2 ? -.infinity : S(fromDouble: rng.symmetric())
        case .shifted(let base, let spread): return S(fromDouble: base + spread * rng.symmetric())
        case .hugeOddRows:
            return r % 2 == 1 ? RowPattern.hugeMixed.value(S.self, row: r, col: i, n: n, rng: &rng)
                : RowPattern.uniform(spread: 20).value(S.self, row: r, col: i, n: n, rng: &rng)
        }
    }
}

struct AccuracyCase: Sendable, CustomTestStringConvertible {
    var dtype: CoreDType
    var pattern: RowPattern
    var n: Int
    var rows = 3
    var ldPad = 0
    var temperature = TemperatureSpec.value(1)
    /// Entries are `v·τ` (so the exponent arguments are the same at any τ), else `v`.
    var scaled = false
    var seed: UInt64 = 1
    /// Also through the façade's `.swift` backend (every case but one, see `table`).
    var swiftBackend = true

    var testDescription: String {
        "\(dtype) \(pattern)\(scaled ? " ·τ" : "") n=\(n) rows=\(rows)\(ldPad > 0 ? " ld=n+\(ldPad)" : "") \(temperature)"
            + (swiftBackend ? "" : " (not .swift)")
    }

    func input<S: TestScalar>(_: S.Type) -> (InputMatrix<S>, S) {
        let t = temperature.resolve(S.self)
        var rng = SplitMix64(seed: seed)
        let x = InputMatrix<S>(rows: rows, cols: n, ld: n + ldPad) { r, c in
            let v = pattern.value(S.self, row: r, col: c, n: n, rng: &rng)
            return scaled ? v * t : v
        }
        return (x, t)
    }

    /// The table of SPEC §1 "Accuracy", for one dtype: random rows at every listed n, and
    /// the adversarial rows, at ordinary, tiny, huge and subnormal temperatures.
    static func table(_ d: CoreDType) -> [AccuracyCase] {
        var cases: [AccuracyCase] = []
        // Random rows at every n of the issue (vector bodies, tails, one lane), some with ld > cols.
        for (i, n) in [1, 2, 3, 15, 16, 17, 1000].enumerated() {
            cases.append(AccuracyCase(dtype: d, pattern: .uniform(spread: 20), n: n, rows: 4, ldPad: i % 2 * 5,
                                      scaled: true, seed: UInt64(10 + i)))
        }
        // Spreads: near uniform, typical, most terms below the relative-bound floor.
        for (spread, tau) in [(1.0, 7.0), (60, 0.1), (400, 1)] {
            cases.append(AccuracyCase(dtype: d, pattern: .uniform(spread: spread), n: 1000, ldPad: 3,
                                      temperature: .value(tau), scaled: true, seed: 20))
        }
        // Tiny, huge and subnormal temperatures on O(1) entries (one-hot and near-uniform limits) …
        for tau in [TemperatureSpec.value(1e-30), .value(1e30), .subnormal] {
            cases.append(AccuracyCase(dtype: d, pattern: .uniform(spread: 1), n: 100, temperature: tau, seed: 30))
        }
        // … and on entries scaled with τ, where the distribution is the same as at τ = 1.
        for tau in [TemperatureSpec.value(1), .value(1e-30), .value(1e30), .subnormal] {
            cases.append(AccuracyCase(dtype: d, pattern: .ladder(steps: 40), n: 200, ldPad: 2, temperature: tau,
                                      scaled: true))
        }
        // One dominant entry: the others' p in the relative range (gap 50), mostly below the
        // floor (gap 200, for f32) and all underflowing to 0 (gap 1e4).
        for gap in [50.0, 200, 1e4] {
            cases.append(AccuracyCase(dtype: d, pattern: .dominant(gap: gap), n: 1000, scaled: true, seed: 40))
        }
        // Long ties: p = 1/n, soft-argmax = (n − 1)/2, L = v + τ·log n.
        cases.append(AccuracyCase(dtype: d, pattern: .ties(0.7), n: 1000))
        // A long tie tail: with τ = 1, 10^5 terms e^-14.1 ≈ 7.5e-7 (Σ ≈ 0.075), and
        // 10^5 terms e^-9.5 ≈ 7.5e-5 (Σ ≈ 7.5: the tail dominates the sum).
        for tail in [-13.8, -9.2] {
            cases.append(AccuracyCase(dtype: d, pattern: .tieTail(head: 0.3, tail: tail), n: 100_001, rows: 1))
        }
        // ±huge mixed: differences overflow the type; at τ = 1 the max entries tie; at τ of
        // the values' size they all count.
        for (n, tau) in [(17, TemperatureSpec.value(1)), (1000, .value(1)), (17, .ofHuge(0.25)), (1000, .value(1e30))] {
            cases.append(AccuracyCase(dtype: d, pattern: .hugeMixed, n: n, ldPad: 1, temperature: tau, seed: 50))
        }
        // Both kinds of rows in one call, in turn (the τ context is built once per call, and a
        // row either takes it with its own max or builds a halved one), at τ = 1 (sc = pre = 1
        // on the ordinary rows), τ = 1e-30 (prescaled: pre ≠ 1 on every row) and τ of the huge
        // values' size (where the halved rows' terms all count).
        for (n, tau) in [(40, TemperatureSpec.value(1)), (1000, .value(1)), (40, .value(1e-30)), (40, .ofHuge(0.25))] {
            cases.append(AccuracyCase(dtype: d, pattern: .hugeOddRows, n: n, rows: 6, ldPad: 1,
                                      temperature: tau, seed: 55))
        }
        // Entries a few ulps apart, τ = 4 ulps: only the rounding of the input matters.
        cases.append(AccuracyCase(dtype: d, pattern: .ulpSteps(30), n: 500, temperature: .ulps(4), seed: 60))
        // The fast exp's reach (rowops.inc fast_ctx): rows with |m·c| just inside and just past
        // FEXP_M_MAX (2^17 for f32, 2^46 for f64, at τ = 1: c = log2 e), which then take the
        // double-word argument; rows whose min stays above the normal-range edge (no clamp) and
        // just below it (clamp), at t = −(EXP_BIAS − 3); and a τ near the top of the plain
        // context (c ≈ 2^59), the fast exp with a huge c.
        let reach = d == .f32 ? 131072.0 / 1.4426950408889634 : 0x1p46 / 1.4426950408889634
        for (f, n) in [(0.99, 1000), (1.01, 1000), (0.99, 16), (1.01, 16)] {
            cases.append(AccuracyCase(dtype: d, pattern: .shifted(base: -f * reach, spread: 3), n: n, rows: 4,
                                      ldPad: 1, seed: 95))
        }
        let edge = (d == .f32 ? 124.0 : 1020.0) / 1.4426950408889634 // (EXP_BIAS − 3)/c at τ = 1
        for spread in [0.97 * edge, 1.03 * edge] {
            cases.append(AccuracyCase(dtype: d, pattern: .ramp(spread: spread), n: 1000, rows: 2, seed: 96))
            cases.append(AccuracyCase(dtype: d, pattern: .ramp(spread: spread), n: 13, rows: 32, seed: 97))
        }
        cases.append(AccuracyCase(dtype: d, pattern: .uniform(spread: 20), n: 1000, rows: 2, temperature: .value(2e-18),
                                  scaled: true, seed: 98))
        // Long rows (past 32 KiB: 8192 floats, 4096 doubles), rows that rise block by block
        // (ramps), rows far from 0, τ small for the data, ±huge entries and masked prefixes.
        let online = d == .f32 ? 8192 : 4096, long = 9000
        for (i, n) in [online - 1, online, online + 1].enumerated() {
            cases.append(AccuracyCase(dtype: d, pattern: .uniform(spread: 20), n: n, rows: 2, ldPad: i % 2 * 3,
                                      scaled: true, seed: UInt64(80 + i), swiftBackend: false))
        }
        for spread in [40.0, -40, 4000] {
            cases.append(AccuracyCase(dtype: d, pattern: .ramp(spread: spread), n: long, rows: 2, scaled: true,
                                      swiftBackend: false))
        }
        cases.append(AccuracyCase(dtype: d, pattern: .stepUp(height: d == .f32 ? 1e7 : 1e15), n: long, rows: 2, seed: 90,
                                  swiftBackend: false))
        for tau in [1e-4, 1.2e-5, 1e-6] { // |x·c| up to 1.4e4, 1.2e5 (near the limit 2^17 in f32), past it
            cases.append(AccuracyCase(dtype: d, pattern: .uniform(spread: 1), n: long, rows: 2, temperature: .value(tau),
                                      seed: 91, swiftBackend: false))
        }
        cases.append(AccuracyCase(dtype: d, pattern: .hugeMixed, n: long, rows: 2, ldPad: 1, seed: 92, swiftBackend: false))
        cases.append(AccuracyCase(dtype: d, pattern: .maskedPrefix(length: 3000), n: long, rows: 2, seed: 93,
                                  swiftBackend: false))
        // n = 10^6, one row: the reference, and the pure-Swift backend even more, are slow in
        // debug builds (≈ 5 µs per element and op for `.swift`), so only here, and through
        // `.swift` only in f32 (the long sums are the same code for both types).
        cases.append(AccuracyCase(dtype: d, pattern: .uniform(spread: 20), n: 1_000_000, rows: 1,
                                  scaled: true, seed: 70, swiftBackend: d == .f32))
        return cases
    }
}

// MARK: - SPEC §1's edge table

/// One row of SPEC §1's edge table (several variants for some), as a row of `n` entries.
enum EdgeRow: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case nanInVectorBody, nanInTail, nanWithInfinities
    case onePosInf, twoPosInf, threePosInf, allPosInf
    case masked, someNegInf, oneFiniteRestNegInf
    case empty
    case hugeMixed, hugeTies, hugeOpposite

    var testDescription: String { rawValue }

    /// Columns of the edge matrix: two vectors of every ISA's width plus a tail.
    static let n = 19

    /// Entries of this row; `other` is a finite filler row (U(−3, 3)).
    func values<S: TestScalar>(_: S.Type, filler other: [S]) -> [S] {
        let n = other.count
        var x = other
        switch self {
        case .nanInVectorBody: x[3] = .nan
        case .nanInTail: x[n - 1] = .nan
        case .nanWithInfinities: x[2] = .infinity; x[7] = .nan; x[11] = -.infinity
        case .onePosInf: x[5] = .infinity; x[6] = -.infinity
        case .twoPosInf: x[0] = .infinity; x[17] = .infinity; x[9] = S.huge
        case .threePosInf: x[2] = .infinity; x[9] = .infinity; x[18] = .infinity; x[4] = -.infinity; x[5] = -S.huge
        case .allPosInf: x = Array(repeating: .infinity, count: n)
        case .masked: x = Array(repeating: -.infinity, count: n)
        case .someNegInf: for i in [0, 4, 8, 16, 18] { x[i] = -.infinity }
        case .oneFiniteRestNegInf: x = Array(repeating: -.infinity, count: n); x[13] = S(fromDouble: 2.5)
        case .empty: x = []
        case .hugeMixed: for i in stride(from: 0, to: n, by: 3) { x[i] = i % 2 == 0 ? S.huge : -S.huge }
        case .hugeTies: x = Array(repeating: S.greatestFiniteMagnitude, count: n); x[4] = -S.greatestFiniteMagnitude
        case .hugeOpposite: x[1] = S.greatestFiniteMagnitude; x[2] = -S.greatestFiniteMagnitude
        }
        return x
    }
}
