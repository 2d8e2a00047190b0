// The test oracle: SPEC §1's four ops on one row, in a wider type, written once.

/// Neumaier's compensated sum (Kahan–Babuška): the rounding error of every addition is kept
/// in `c`, so the error of a long sum stays near one rounding of the wide type.
struct CompensatedSum<W: WideFloat> {
    private var sum: W = 0
    private var c: W = 0

    mutating func add(_ v: W) {
        let t = sum + v
        if sum.magnitude >= v.magnitude { c += (sum - t) + v } else { c += (v - t) + sum }
        sum = t
    }

    var value: W { sum + c }
}

/// SPEC §1's edge class of a row, in the order the table tests for them.
enum RowKind: Sendable {
    case nan       // any NaN
    case posInf    // ≥ 1 entry +∞, no NaN
    case masked    // every entry −∞, or no entry at all
    case finite    // a finite maximum
}

/// The four ops on one row, exact up to a few roundings of `W` (≈ 2^-53 for Float rows,
/// 2^-64 for Double rows): far below SPEC's 8u bounds.
struct RowReference<W: WideFloat> {
    var kind: RowKind
    var logSumExp: W
    var softmax: [W]
    var logSoftmax: [W]
    var softArgmax: W
}

/// Computes the reference for row `x` at temperature `t`, following SPEC §1's definitions
/// and edge table literally.
///
/// For a finite maximum `m`: `d_i = (x_i − m)/τ` and `e_i = exp(d_i)` in `W` (the wide type
/// has the exponent range for `x_i − m` and for `d_i` at a subnormal τ); `s = 1 + r` with
/// `r` the compensated sum of every `e_i` except one maximal entry's `1`, so `log s =
/// log1p(r)` keeps its relative accuracy when one entry dominates. Then `L = m + τ·log s`,
/// `p_i = e_i/s`, `log p_i = d_i − log s`, `a = Σ i·e_i / s`.
func referenceRow<S: TestScalar>(_ x: UnsafeBufferPointer<S>, temperature t: S) -> RowReference<S.Wide> {
    typealias W = S.Wide
    let n = x.count
    var hasNaN = false, infCount = 0, infIndexSum = 0
    var m = -S.infinity
    for i in 0..<n {
        let v = x[i]
        if v.isNaN { hasNaN = true }
        if v == .infinity { infCount += 1; infIndexSum += i }
        if v > m { m = v }
    }
    if hasNaN {
        return RowReference(kind: .nan, logSumExp: .nan, softmax: Array(repeating: .nan, count: n),
                            logSoftmax: Array(repeating: .nan, count: n), softArgmax: .nan)
    }
    if infCount > 0 {
        // The limit τ·log Σ exp(x_i/τ) as entries go to +∞: equal mass on the k infinite ones.
        let k = W(infCount)
        var p = [W](repeating: 0, count: n), lp = [W](repeating: -.infinity, count: n)
        for i in 0..<n where x[i] == .infinity {
            p[i] = 1 / k
            lp[i] = -W.logarithm(k)
        }
        return RowReference(kind: .posInf, logSumExp: .infinity, softmax: p, logSoftmax: lp,
                            softArgmax: W(infIndexSum) / k)
    }
    if m == -S.infinity {
        return RowReference(kind: .masked, logSumExp: -.infinity, softmax: Array(repeating: 0, count: n),
                            logSoftmax: Array(repeating: -.infinity, count: n), softArgmax: .nan)
    }
    let mw = m.wide, tw = t.wide
    var d = [W](repeating: 0, count: n), e = [W](repeating: 0, count: n)
    var rest = CompensatedSum<W>(), indexSum = CompensatedSum<W>()
    var skippedMax = false
    for i in 0..<n {
        d[i] = (x[i].wide - mw) / tw
        e[i] = W.exponential(d[i])
        if !skippedMax && x[i] == m { skippedMax = true } else { rest.add(e[i]) }
        indexSum.add(W(i) * e[i])
    }
    let r = rest.value, s = 1 + r, logS = W.logOnePlus(r)
    for i in 0..<n {
        e[i] /= s
        d[i] -= logS
    }
    return RowReference(kind: .finite, logSumExp: mw + tw * logS, softmax: e, logSoftmax: d,
                        softArgmax: indexSum.value / s)
}

/// Wide values as unevaluated sums `hi + lo` of Doubles: exact for Float rows (`lo = 0`) and
/// keeping Float80's extra bits for Double rows, so that the checks run in plain Double
/// arithmetic (generic code is slow in debug builds; these arrays are checked millions of
/// times). Non-finite values (and finite ones beyond Double's range) have `lo = 0`.
struct SplitValues {
    var hi: [Double] = []
    var lo: [Double] = []

    mutating func append<W: WideFloat>(contentsOf values: [W]) {
        hi.reserveCapacity(hi.count + values.count)
        lo.reserveCapacity(lo.count + values.count)
        for v in values {
            let h = v.double
            hi.append(h)
            lo.append(h.isFinite ? (v - W(widening: h)).double : 0)
        }
    }
}

/// The reference of every row of one input, with what the checks need to know about the
/// element type (SPEC §1's constants), all in Double.
struct CaseReference {
    let label: String
    let rows: Int
    let cols: Int
    let temperature: Double
    let kinds: [RowKind]
    /// The input without padding, row-major.
    let x: [Double]
    var logSumExp = SplitValues(), softArgmax = SplitValues(), softmax = SplitValues(), logSoftmax = SplitValues()

    /// u of the element type.
    let u: Double
    /// 2^-100 (Float) / 2^-1000 (Double): where softmax's bound turns from relative to absolute.
    let softmaxFloor: Double
    /// The spacing of the element type's subnormals (2^-149 / 2^-1074).
    let subnormalSpacing: Double
    /// The element type's largest finite value.
    let maxFinite: Double

    init<S: TestScalar>(_ input: InputMatrix<S>, temperature t: S) {
        label = S.label
        rows = input.rows
        cols = input.cols
        temperature = Double(t)
        x = S.doubles(input.dense)
        u = S.unitRoundoff.double
        softmaxFloor = Double(sign: .plus, exponent: S.softmaxRelativeFloorExponent, significand: 1)
        subnormalSpacing = Double(S.leastNonzeroMagnitude)
        maxFinite = Double(S.greatestFiniteMagnitude)
        var kinds: [RowKind] = [], lse: [S.Wide] = [], arg: [S.Wide] = []
        for r in 0..<rows {
            let ref = input.withRow(r) { referenceRow($0, temperature: t) }
            kinds.append(ref.kind)
            lse.append(ref.logSumExp)
            arg.append(ref.softArgmax)
            softmax.append(contentsOf: ref.softmax)
            logSoftmax.append(contentsOf: ref.logSoftmax)
        }
        self.kinds = kinds
        logSumExp.append(contentsOf: lse)
        softArgmax.append(contentsOf: arg)
    }
}
