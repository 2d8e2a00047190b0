// Long rows whose sum is dominated by a run of equal terms: the case where compensated
// summation itself can drift. Each block adds the same value to a slowly growing total, so
// every TwoSum error has the same sign; unless the (hi, lo) pair is renormalised, lo grows to
// n·u·hi and its own roundings grow with n (the portable path reached 7u at n = 10^6 and
// 24u at 4·10^6 before add2 renormalised). The row [a, N × b] has a closed form, so N can be
// large without a slow reference.
import CSmoothKit
import Testing

@Suite("Long tie tails: summation error independent of n", .serialized)
struct LongSumTests {
    /// N copies of b after one a = 0.3: the tail carries about 3/7 of the sum at N = 4·10^6.
    static let tailLengths = [1_000_000, 4_000_000]

    /// The reference a + log1p(N·e^(b−a)) in the wide type (Double for Float, Float80 for
    /// Double), from the entries as rounded to the element type.
    @Test("logsumexp of [0.3, N × −13.8] within 8u on every C path", arguments: CoreDType.allCases, tailLengths)
    func tieTail(_ dtype: CoreDType, n: Int) {
        dtype.with { check($0, n: n) }
    }

    private func check<S: TestScalar>(_: S.Type, n: Int) {
        guard S.hasWiderReference else { return }
        var x = [S](repeating: S(fromDouble: -13.8), count: n + 1)
        x[0] = S(fromDouble: 0.3)
        let a = x[0].wide, b = x[1].wide
        let exact = a + S.Wide.logOnePlus(S.Wide(widening: Double(n)) * S.Wide.exponential(b - a))
        for isa in ISAPath.supported {
            var out = S(fromDouble: .nan)
            let (status, _) = withForcedISA(isa) { S.smkLogSumExp(x, 1, n + 1, n + 1, 1, &out) }
            let err = abs(out.wide - exact) / (S.unitRoundoff * max(abs(exact), 1))
            #expect(status == SMK_OK && err <= 8, "\(S.label) \(isa) N = \(n): \(out) vs \(exact), \(err)u")
        }
    }
}
