// The Swift API of half-precision storage: BFloat16's rounding (against the test reference of
// HalfPrecisionTests), and HalfMatrix's four ops on both backends, Float16 and BFloat16.
import CSmoothKit
import SmoothKit
import Testing

@Suite
struct HalfPrecisionSwiftTests {
    /// BFloat16(Float) rounds to nearest even as the reference does, at every pattern's value
    /// and at the midpoints and their neighbours; NaN stays NaN; Float(BFloat16) is exact.
    @Test func bfloat16Rounding() {
        var bad = 0
        for p in stride(from: 0, to: 0x7f7f, by: 1) {
            let v = HalfType.bf16.value(UInt16(p)), next = HalfType.bf16.value(UInt16(p + 1))
            let mid = Float((v + next) / 2)
            for x in [Float(v), mid, mid.nextUp, mid.nextDown, -mid] where BFloat16(x).bitPattern != HalfType.bf16.round(x) {
                bad += 1
            }
            if Double(Float(BFloat16(bitPattern: UInt16(p)))) != v { bad += 1 }
        }
        #expect(bad == 0)
        #expect(BFloat16(Float.nan).floatValue.isNaN && BFloat16(-Float.infinity).bitPattern == 0xff80)
        #expect(BFloat16(Float(bitPattern: 0x7f7f_8000)).bitPattern == 0x7f80) // the overflow tie goes to ∞
        #expect(BFloat16(3.14159).bitPattern == 0x4049 && BFloat16(0) == BFloat16(-0.0))
    }

    /// Both backends, both types: maps within one storage step of each other and of the C
    /// float op rounded, reductions within the float bound; padding copied from x.
    @Test func opsOnBothBackends() throws {
        try check(BFloat16.self, .bf16)
        try check(Float16.self, .f16)
    }

    private func check<E: HalfPrecisionStorage>(_: E.Type, _ type: HalfType) throws {
        var rng = SplitMix64(seed: 3)
        let rows = 7, cols = 45
        let values = (0..<rows * cols).map { _ in E(Float(6 * rng.symmetric())) }
        let x = try HalfMatrix<E>(rows: rows, cols: cols, leadingDimension: cols + 3, elements: values)
        let xf = try x.floatMatrix
        for t: Float in [1, 0.2] {
            let lseF = try logSumExp(xf, temperature: t, backend: .c), argF = try softArgmax(xf, temperature: t, backend: .c)
            let pF = try softmax(xf, temperature: t, backend: .c), lpF = try logSoftmax(xf, temperature: t, backend: .c)
            for backend in [Backend.c, .swift] {
                let lse = try logSumExp(x, temperature: t, backend: backend), arg = try softArgmax(x, temperature: t, backend: backend)
                for r in 0..<rows {
                    #expect(abs(lse[r] - lseF[r]) <= 16 * 0x1p-24 * max(abs(lseF[r]), t), "\(type) \(backend) lse row \(r)")
                    #expect(abs(arg[r] - argF[r]) <= 16 * 0x1p-24 * Float(cols), "\(type) \(backend) softargmax row \(r)")
                }
                for (got, want, name) in [(try softmax(x, temperature: t, backend: backend), pF, "softmax"),
                                          (try logSoftmax(x, temperature: t, backend: backend), lpF, "logSoftmax")] {
                    #expect(got.rows == rows && got.leadingDimension == cols + 3)
                    for r in 0..<rows {
                        for c in 0..<cols {
                            let a = got[r, c], b = E(want[r, c])
                            let ok = a == b || oneStepApart(E._widen(a), E._widen(b), type)
                            #expect(ok, "\(type) \(backend) \(name) (\(r), \(c)): \(E._widen(a)) vs \(E._widen(b))")
                        }
                    }
                    #expect(got.storage.count == x.storage.count && (0..<rows - 1).allSatisfy { r in
                        (cols..<cols + 3).allSatisfy { got.storage[r * (cols + 3) + $0] == x.storage[r * (cols + 3) + $0] }
                    }, "\(type) \(backend) \(name): padding")
                }
            }
        }
        for backend in [Backend.c, .swift] {
            #expect(throws: SmoothKitError.invalidTemperature(0)) { _ = try softmax(x, temperature: 0, backend: backend) }
            #expect(throws: SmoothKitError.self) { _ = try logSumExp(x, temperature: .nan, backend: backend) }
        }
    }

    /// The into-variants: another leading dimension (its padding left alone), the same values
    /// as the returning form; a shape mismatch throws and writes nothing.
    @Test func intoVariants() throws {
        let x = try HalfMatrix<BFloat16>(rows: 3, cols: 4, elements: (0..<12).map { BFloat16(Float($0) / 3) })
        let pad = BFloat16(bitPattern: 0x7f7f)
        for backend in [Backend.c, .swift] {
            var y = try HalfMatrix<BFloat16>(rows: 3, cols: 4, leadingDimension: 6, elements: [BFloat16](repeating: pad, count: 12))
            let before = y.storage
            try softmax(x, backend: backend, into: &y)
            #expect(y.elements == (try softmax(x, backend: backend)).elements, "\(backend)")
            #expect([4, 5, 10, 11].allSatisfy { y.storage[$0] == before[$0] } && y.storage[0] != pad, "\(backend): padding")
            try logSoftmax(x, backend: backend, into: &y)
            #expect(y.elements == (try logSoftmax(x, backend: backend)).elements, "\(backend)")
            var wrong = try HalfMatrix<BFloat16>(rows: 2, cols: 4, elements: [BFloat16](repeating: pad, count: 8))
            #expect(throws: SmoothKitError.self) { try softmax(x, backend: backend, into: &wrong) }
            #expect(wrong.storage.allSatisfy { $0 == pad })
        }
    }

    private func oneStepApart(_ a: Float, _ b: Float, _ type: HalfType) -> Bool {
        let step = Double(sign: .plus, exponent: -type.fractionBits, significand: 1)
        return abs(Double(a) - Double(b)) <= step * max(abs(Double(a)), abs(Double(b))) + type.subnormalHalfStep * 2
    }
}
