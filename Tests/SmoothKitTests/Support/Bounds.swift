// SPEC §1's accuracy bounds and edge semantics, checked element by element against the
// reference. One issue per (op, check) with the count, the first failures and the worst
// error in units of u, so that a failure says which case, path, op, row and column.
import Testing

enum CoreOp: String, CaseIterable, Sendable {
    case logSumExp = "logsumexp", softmax, logSoftmax = "log_softmax", softArgmax = "softargmax"
}

// SPEC §1's bounds, for the element type of `ref`.
extension CaseReference {
    /// logsumexp: |err| ≤ 8u·max(|L|, τ).
    func logSumExpBound(_ l: Double) -> Double { 8 * u * max(l.magnitude, temperature) }
    /// softmax: relative 8u for p ≥ 2^-100 (f32) / 2^-1000 (f64), absolute 8u·2^-100 / 8u·2^-1000 below.
    func softmaxBound(_ p: Double) -> Double { 8 * u * max(p, softmaxFloor) }
    /// log_softmax: |err| ≤ 8u·max(1, |log p|).
    func logSoftmaxBound(_ lp: Double) -> Double { 8 * u * max(1, lp.magnitude) }
    /// soft-argmax: |err| ≤ 8u·n.
    var softArgmaxBound: Double { 8 * u * Double(cols) }
    /// |Σ p − 1| ≤ 8u·√n.
    var softmaxSumBound: Double { 8 * u * Double(cols).squareRoot() }

    /// SPEC pins the softmax of element `i` to exactly 0: a −∞ entry, a masked row, or a
    /// finite entry of a row with +∞ entries.
    func softmaxPinnedToZero(_ i: Int) -> Bool {
        let kind = kinds[i / cols], xi = x[i]
        return xi == -.infinity || kind == .masked || (kind == .posInf && xi != .infinity)
    }
}

/// What `checkElement` needs to know about the element type (small: passed per element).
struct ElementLimits {
    /// u, the unit roundoff.
    let u: Double
    /// The spacing of subnormals (2^-149 / 2^-1074).
    let subnormalSpacing: Double
    /// The largest finite value.
    let maxFinite: Double
}

extension CaseReference {
    var limits: ElementLimits { ElementLimits(u: u, subnormalSpacing: subnormalSpacing, maxFinite: maxFinite) }
}

/// Collects the failures of one check and records a single issue for them.
struct FailureLog {
    let title: String
    var count = 0
    var examples: [String] = []
    /// The worst error / bound seen, and where. Every bound is 8u·scale (scale = max(|L|, τ),
    /// max(p, 2^-100), max(1, |log p|) or n), so 8·ratio is the error in units of u·scale:
    /// what the reports call "u".
    var worstRatio = 0.0
    var worstIndex = -1
    var worstInU: Double { 8 * worstRatio }

    init(_ title: String) { self.title = title }

    mutating func fail(_ message: @autoclosure () -> String) {
        count += 1
        if examples.count < 3 { examples.append(message()) }
    }

    func record(place: (Int) -> String, sourceLocation: SourceLocation) {
        guard count > 0 else { return }
        Issue.record("""
            \(title): \(count) element(s) fail; first: \(examples.joined(separator: "; ")); \
            worst error \(worstInU) u (bound 8 u) at \(worstIndex >= 0 ? place(worstIndex) : "-")
            """, sourceLocation: sourceLocation)
    }
}

/// Checks one element `got` against the reference `hi + lo` within `bound`.
///
/// - NaN in the reference: `got` must be NaN. ±∞: exactly that infinity.
/// - `pinnedZero`: SPEC says exactly 0.
/// - A finite reference beyond the type's range may round to ±∞ of its sign.
/// - Otherwise `got` must be finite (never NaN where SPEC says a number) and
///   |got − ref| ≤ bound + ½·(subnormal spacing): no result of the element type is closer to
///   `ref` than half its spacing, and below the normal range that spacing (2^-149 / 2^-1074)
///   exceeds 8u·|ref|. For normal results half an ulp ≤ u·|ref|, so the term changes nothing.
///   Below 2^-969 the reference has no low word (it would fall under Double's subnormal grid):
///   `hi` is then the reference rounded to 2^-1074, itself up to half that spacing off, and
///   that half spacing is allowed on top (an f64 result there must be `hi` or a neighbour).
func checkElement(_ got: Double, _ hi: Double, _ lo: Double, bound: Double, pinnedZero: Bool = false,
                  _ ref: ElementLimits, _ log: inout FailureLog, index: Int, place: (Int) -> String) {
    if hi.isNaN {
        if !got.isNaN { log.fail("\(place(index)): got \(got), want NaN") }
        return
    }
    if pinnedZero {
        if got != 0 { log.fail("\(place(index)): got \(got), want exactly 0") }
        return
    }
    if hi.isInfinite {
        if got != hi { log.fail("\(place(index)): got \(got), want \(hi)") }
        return
    }
    if got.isInfinite && hi.magnitude > ref.maxFinite && (got < 0) == (hi < 0) { return }
    let err = got.isFinite ? ((got - hi) - lo).magnitude : .infinity
    let ratio = err / (bound + ref.subnormalSpacing / 2) // for reports (spacing/2 is 0 in Double for f64)
    if ratio > log.worstRatio {
        log.worstRatio = ratio
        log.worstIndex = index
    }
    // err ≤ bound + spacing/2 (+ the reference's own rounding), written so that spacing/2
    // cannot underflow to 0.
    let referenceRounding = hi.magnitude < 0x1p-969 ? 0x1p-1074 : 0.0
    if !(2 * (err - bound) <= ref.subnormalSpacing + referenceRounding) {
        log.fail("\(place(index)): got \(got), want \(hi) (error \(8 * ratio) u, bound 8 u)")
    }
}

/// The worst error seen per op, in units of u·scale (bound 8; for reports).
typealias WorstErrors = [CoreOp: Double]

/// CoreOutputs as Double (exact), for the checks.
struct CoreDoubleOutputs {
    var logSumExp: [Double], softmax: [Double], logSoftmax: [Double], softArgmax: [Double]

    init<S: TestScalar>(_ o: CoreOutputs<S>) {
        logSumExp = S.doubles(o.logSumExp)
        softmax = S.doubles(o.softmax)
        logSoftmax = S.doubles(o.logSoftmax)
        softArgmax = S.doubles(o.softArgmax)
    }
}

/// Checks every output against the reference with SPEC §1's bounds and edge semantics: per
/// element, and |Σ p − 1| per softmax row. Records one issue per failing check, naming
/// `context`; returns the worst error per op in units of u.
@discardableResult
func checkOutputs<S: TestScalar>(_ out: CoreOutputs<S>, _ ref: CaseReference, context: String,
                                 sourceLocation: SourceLocation = #_sourceLocation) -> WorstErrors {
    checkOutputs(CoreDoubleOutputs(out), ref, context: "\(context), \(ref.label)", sourceLocation: sourceLocation)
}

private func checkOutputs(_ out: CoreDoubleOutputs, _ ref: CaseReference, context: String,
                          sourceLocation: SourceLocation) -> WorstErrors {
    let rows = ref.rows, n = ref.cols
    guard out.logSumExp.count == rows && out.softArgmax.count == rows
            && out.softmax.count == rows * n && out.logSoftmax.count == rows * n else {
        Issue.record("\(context): wrong output sizes", sourceLocation: sourceLocation)
        return [:]
    }
    var lse = FailureLog("\(context) logsumexp"), arg = FailureLog("\(context) softargmax")
    var sm = FailureLog("\(context) softmax"), lsm = FailureLog("\(context) log_softmax")
    var sumLog = FailureLog("\(context) softmax |Σp − 1| ≤ 8u√n")
    let rowPlace = { (r: Int) in "row \(r)" }
    let elementPlace = { (i: Int) in "row \(i / n) col \(i % n) (x = \(ref.x[i]))" }
    // Hoisted out of the loops: debug builds do not optimise repeated property access.
    let limits = ref.limits
    let (smHi, smLo, lsmHi, lsmLo) = (ref.softmax.hi, ref.softmax.lo, ref.logSoftmax.hi, ref.logSoftmax.lo)
    let (gotSm, gotLsm) = (out.softmax, out.logSoftmax)
    for r in 0..<rows {
        checkElement(out.logSumExp[r], ref.logSumExp.hi[r], ref.logSumExp.lo[r],
                     bound: ref.logSumExpBound(ref.logSumExp.hi[r]), limits, &lse, index: r, place: rowPlace)
        checkElement(out.softArgmax[r], ref.softArgmax.hi[r], ref.softArgmax.lo[r],
                     bound: ref.softArgmaxBound, limits, &arg, index: r, place: rowPlace)
        var sum = 0.0, c = 0.0 // Neumaier
        for i in r * n..<(r + 1) * n {
            let p = gotSm[i]
            checkElement(p, smHi[i], smLo[i], bound: ref.softmaxBound(smHi[i]), pinnedZero: ref.softmaxPinnedToZero(i),
                         limits, &sm, index: i, place: elementPlace)
            checkElement(gotLsm[i], lsmHi[i], lsmLo[i], bound: ref.logSoftmaxBound(lsmHi[i]),
                         limits, &lsm, index: i, place: elementPlace)
            let t = sum + p
            c += sum.magnitude >= p.magnitude ? (sum - t) + p : (p - t) + sum
            sum = t
        }
        if ref.kinds[r] == .finite || ref.kinds[r] == .posInf {
            let dev = ((sum - 1) + c).magnitude
            if !(dev <= ref.softmaxSumBound) {
                sumLog.fail("row \(r): |Σp − 1| = \(dev) = \(dev / ref.u) u, bound \(ref.softmaxSumBound / ref.u) u")
            }
        }
    }
    lse.record(place: rowPlace, sourceLocation: sourceLocation)
    arg.record(place: rowPlace, sourceLocation: sourceLocation)
    sm.record(place: elementPlace, sourceLocation: sourceLocation)
    lsm.record(place: elementPlace, sourceLocation: sourceLocation)
    sumLog.record(place: rowPlace, sourceLocation: sourceLocation)
    return [.logSumExp: lse.worstInU, .softmax: sm.worstInU, .logSoftmax: lsm.worstInU, .softArgmax: arg.worstInU]
}

/// Two paths agree: where the reference is a finite, unpinned number, within twice SPEC's
/// bound of each other (each is within the bound of the reference); elsewhere identical.
func checkAgreement<S: TestScalar>(_ a: CoreOutputs<S>, _ b: CoreOutputs<S>, _ ref: CaseReference, context: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
    let a = CoreDoubleOutputs(a), b = CoreDoubleOutputs(b), n = ref.cols
    var log = FailureLog("\(context), \(ref.label): paths disagree")
    func agree(_ x: Double, _ y: Double, _ hi: Double, bound: Double, pinned: Bool, _ what: @autoclosure () -> String) {
        // Equal results agree, also where both overflow a finite reference (±huge rows).
        let ok = x == y || (hi.isFinite && !pinned ? (x - y).magnitude <= 2 * bound + ref.subnormalSpacing
                                                   : x.isNaN && y.isNaN)
        if !ok { log.fail("\(what()): \(x) vs \(y) (reference \(hi))") }
    }
    guard a.softmax.count == ref.rows * n, b.softmax.count == ref.rows * n else {
        Issue.record("\(context): wrong output sizes", sourceLocation: sourceLocation)
        return
    }
    for r in 0..<ref.rows {
        let l = ref.logSumExp.hi[r]
        agree(a.logSumExp[r], b.logSumExp[r], l, bound: ref.logSumExpBound(l), pinned: false, "logsumexp row \(r)")
        agree(a.softArgmax[r], b.softArgmax[r], ref.softArgmax.hi[r], bound: ref.softArgmaxBound, pinned: false,
              "softargmax row \(r)")
    }
    for i in 0..<ref.rows * n {
        let p = ref.softmax.hi[i], lp = ref.logSoftmax.hi[i]
        agree(a.softmax[i], b.softmax[i], p, bound: ref.softmaxBound(p), pinned: ref.softmaxPinnedToZero(i),
              "softmax row \(i / n) col \(i % n)")
        agree(a.logSoftmax[i], b.logSoftmax[i], lp, bound: ref.logSoftmaxBound(lp), pinned: false,
              "log_softmax row \(i / n) col \(i % n)")
    }
    log.record(place: { _ in "-" }, sourceLocation: sourceLocation)
}
