// Long rows whose sum is dominated by a run of equal terms: the case where compensated
// summation itself can drift. Each block adds the same value to a slowly growing total, so
// every TwoSum error has the same sign; unless the (hi, lo) pair is renormalised, lo grows to
// n·u·hi and its own roundings grow with n (the portable path reached 7u at n = 10^6 and
// 24u at 4·10^6 before add2 renormalised). The row [a, N × b] has a closed form, so N can be
// large without a slow reference.
import CSmoothKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Long tie tails: summation error independent of n", .serialized)
struct LongSumTests {
    /// N copies of b after one a = 0.3: the tail carries about 3/7 of the sum at N = 4·10^6.
    static let tailLengths = [1_000_000, 4_000_000]

    #if arch(x86_64)
    @Test("f32 logsumexp of [0.3, N × −13.8] within 8u on every C path", arguments: tailLengths)
    func float32(n: Int) {
        var x = [Float](repeating: -13.8, count: n + 1)
        x[0] = 0.3
        let a = Float80(x[0]), b = Float80(x[1])
        let exact = a + log1pl(Float80(n) * expl(b - a))
        for isa in ISAPath.supported {
            var out: Float = .nan
            let (status, _) = withForcedISA(isa) { smk_logsumexp_f32(x, 1, n + 1, n + 1, 1, &out) }
            let err = Double(abs(Float80(out) - exact)) / (0x1p-24 * max(Double(abs(exact)), 1))
            #expect(status == SMK_OK && err <= 8, "\(isa) N = \(n): \(out) vs \(exact), \(err)u")
        }
    }

    @Test("f64 logsumexp of [0.3, N × −13.8] within 8u on every C path", arguments: tailLengths)
    func float64(n: Int) {
        var x = [Double](repeating: -13.8, count: n + 1)
        x[0] = 0.3
        let a = Float80(x[0]), b = Float80(x[1])
        let exact = a + log1pl(Float80(n) * expl(b - a))
        for isa in ISAPath.supported {
            var out: Double = .nan
            let (status, _) = withForcedISA(isa) { smk_logsumexp_f64(x, 1, n + 1, n + 1, 1, &out) }
            let err = Double(abs(Float80(out) - exact)) / (0x1p-53 * max(Double(abs(exact)), 1))
            #expect(status == SMK_OK && err <= 8, "\(isa) N = \(n): \(out) vs \(exact), \(err)u")
        }
    }
    #endif
}
