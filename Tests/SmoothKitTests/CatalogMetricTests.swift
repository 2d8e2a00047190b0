import CSmoothKit
import Testing
import SmoothKit

/// SPEC §2, smooth accuracy and F1 from logits: values against the definitions in CatRef,
/// gradients against central differences of those definitions, bad labels, C vs Swift.
@Suite struct CatalogMetricTests {
    static func softmax(_ z: [CatRef]) -> [CatRef] {
        let m = z.max()!, e = z.map { catExp($0 - m) }, s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    /// The definitions of SPEC §2 in CatRef (z is rows × cols, row-major).
    static func accuracy(_ z: [CatRef], _ cols: Int, _ y: [Int]) -> CatRef {
        y.indices.reduce(0) { $0 + softmax(Array(z[$1 * cols..<($1 + 1) * cols]))[y[$1]] } / CatRef(y.count)
    }
    static func macroF1(_ z: [CatRef], _ cols: Int, _ y: [Int]) -> CatRef {
        var tp = [CatRef](repeating: 0, count: cols), fp = tp, fn = tp
        for r in y.indices {
            let p = softmax(Array(z[r * cols..<(r + 1) * cols]))
            for c in 0..<cols {
                let yc: CatRef = y[r] == c ? 1 : 0
                tp[c] += p[c] * yc; fp[c] += p[c] * (1 - yc); fn[c] += (1 - p[c]) * yc
            }
        }
        return (0..<cols).reduce(0) { $0 + 2 * tp[$1] / (2 * tp[$1] + fp[$1] + fn[$1]) } / CatRef(cols)
    }
    static func binaryF1(_ z: [CatRef], _ y: [Int]) -> CatRef {
        let p = z.map { 1 / (1 + catExp(-$0)) }
        let tp = zip(p, y).reduce(0) { $0 + $1.0 * CatRef($1.1) }
        return 2 * tp / (p.reduce(0, +) + CatRef(y.reduce(0, +)))
    }

    /// Central difference of `f` in every coordinate, h = 1e-5 (error ~1e-10 · f''').
    static func numericGradient(_ z: [Double], _ f: ([CatRef]) -> CatRef) -> [CatRef] {
        let h: CatRef = 1e-5
        return z.indices.map { i in
            var a = z.map { CatRef($0) }, b = a
            a[i] += h; b[i] -= h
            return (f(a) - f(b)) / (2 * h)
        }
    }

    @Test(arguments: catBackends, [(1, 2), (5, 3), (40, 7)])
    func matrixMetrics(backend: Backend, shape: (Int, Int)) throws {
        let (rows, cols) = shape
        var rng = SplitMix64(UInt64(rows * 31 + cols))
        let z = (0..<rows * cols).map { _ in rng.uniform(-3, 3) }
        let y = (0..<rows).map { _ in Int(rng.next() % UInt64(cols)) }
        let m = try Matrix<Double>(rows: rows, cols: cols, elements: z)
        for (name, metric, reference) in [
            ("accuracy", { try smoothAccuracy(logits: $0, labels: $1, backend: backend) } as (Matrix<Double>, [Int]) throws -> (value: Double, gradient: Matrix<Double>), Self.accuracy),
            ("macro F1", { try smoothMacroF1(logits: $0, labels: $1, backend: backend) }, Self.macroF1),
        ] {
            let (v, g) = try metric(m, y)
            let r = reference(z.map { CatRef($0) }, cols, y)
            #expect(Swift.abs(CatRef(v) - r) <= 1e-14, "\(name) \(backend) \(shape): \(v) vs \(r)")
            let ng = Self.numericGradient(z) { reference($0, cols, y) }
            let ge = g.elements
            for i in z.indices {
                #expect(Swift.abs(CatRef(ge[i]) - ng[i]) <= 1e-9, "\(name) \(backend) ∂/∂z[\(i)]: \(ge[i]) vs \(ng[i])")
            }
            // Float: the same metric rounded once (computed in double inside)
            let m32 = try Matrix<Float>(rows: rows, cols: cols, elements: z.map { Float($0) })
            let v32 = name == "accuracy" ? try smoothAccuracy(logits: m32, labels: y, backend: backend).value
                                         : try smoothMacroF1(logits: m32, labels: y, backend: backend).value
            let r32 = reference(z.map { CatRef(Float($0)) }, cols, y)
            #expect(Swift.abs(CatRef(v32) - r32) <= CatRef(0x1p-24), "\(name) f32: \(v32) vs \(r32)")
        }
    }

    @Test(arguments: catBackends)
    func binaryF1(backend: Backend) throws {
        var rng = SplitMix64(77)
        for n in [1, 4, 100] {
            let z = (0..<n).map { _ in rng.uniform(-5, 5) }
            let y = (0..<n).map { _ in Int(rng.next() % 2) }
            let (v, g) = try smoothF1(logits: z, labels: y, backend: backend)
            let r = Self.binaryF1(z.map { CatRef($0) }, y)
            #expect(Swift.abs(CatRef(v) - r) <= 1e-14, "F1 n=\(n): \(v) vs \(r)")
            let ng = Self.numericGradient(z) { Self.binaryF1($0, y) }
            for i in z.indices { #expect(Swift.abs(CatRef(g[i]) - ng[i]) <= 1e-9, "F1 ∂/∂z[\(i)]: \(g[i]) vs \(ng[i])") }
        }
        // confident and right → F1 → 1; empty batch → 0; −∞ logits with no positives → 0/0 → 0
        #expect(try smoothF1(logits: [30.0, -30, 30], labels: [1, 0, 1], backend: backend).value > 1 - 1e-12)
        #expect(try smoothF1(logits: [Float](), labels: [], backend: backend).value == 0)
        #expect(try smoothF1(logits: [-Double.infinity], labels: [0], backend: backend) == (0, [0]))
    }

    @Test func confidentAndMaskedRows() throws {
        let z = try Matrix<Double>(rows: 3, cols: 3, elements: [40, 0, 0, 0, 40, -.infinity, .nan, 0, 0])
        for backend in catBackends {
            try withStableISA(for: backend) {
                let (acc, g) = try smoothAccuracy(logits: z, labels: [0, 1, 2], backend: backend)
                #expect(acc.isNaN) // the NaN row poisons the mean (SPEC: NaN propagates)
                #expect(g.row(0).allSatisfy { Swift.abs($0) < 1e-16 } && g.row(2).allSatisfy(\.isNaN))
                let ok = try Matrix<Double>(rows: 2, cols: 3, elements: [40, 0, 0, 0, 40, -.infinity])
                #expect(try smoothAccuracy(logits: ok, labels: [0, 1], backend: backend).value > 1 - 1e-15)
            }
        }
    }

    @Test func cAndSwiftAgree() throws {
        var rng = SplitMix64(5)
        let rows = 33, cols = 5
        let z = try Matrix<Float>(rows: rows, cols: cols, elements: (0..<rows * cols).map { _ in Float(rng.uniform(-6, 6)) })
        let y = (0..<rows).map { _ in Int(rng.next() % UInt64(cols)) }
        for metric in [smoothAccuracy(logits:labels:backend:), smoothMacroF1(logits:labels:backend:)] as [(Matrix<Float>, [Int], Backend) throws -> (value: Float, gradient: Matrix<Float>)] {
            let c = try metric(z, y, .c), s = try metric(z, y, .swift)
            #expect(c.value == s.value)
            #expect(zip(c.gradient.elements, s.gradient.elements).allSatisfy { Swift.abs($0 - $1) <= 1e-9 })
        }
    }

    /// Bad labels: Swift throws; C returns SMK_ERR_DOMAIN and writes neither metric nor gradient.
    @Test func badLabels() throws {
        let z = try Matrix<Double>(rows: 2, cols: 3, elements: [1, 2, 3, 4, 5, 6])
        for backend in catBackends {
            for labels in [[0, 3], [-1, 0]] {
                #expect(throws: SmoothKitError.domain("label \(labels.first { $0 < 0 || $0 >= 3 }!) is outside 0..<3")) {
                    try smoothAccuracy(logits: z, labels: labels, backend: backend)
                }
                #expect(throws: SmoothKitError.self) { try smoothMacroF1(logits: z, labels: labels, backend: backend) }
            }
            #expect(throws: SmoothKitError.elementCount(expected: 2, actual: 1)) { try smoothAccuracy(logits: z, labels: [0], backend: backend) }
            #expect(throws: SmoothKitError.self) { try smoothF1(logits: [1.0, 2], labels: [0, 2], backend: backend) }
        }
        let canary = -777.0
        let x: [Double] = [1, 2, 3, 4, 5, 6]
        for labels: [Int64] in [[0, 3], [-1, 0], [0, Int64.max]] {
            var acc = canary, f1 = canary, work = [Double](repeating: canary, count: 9)
            var grad = [Double](repeating: canary, count: 6)
            #expect(smk_smooth_accuracy_f64(x, 2, 3, 3, labels, &acc, &grad, 3) == SMK_ERR_DOMAIN)
            #expect(smk_smooth_macro_f1_f64(x, 2, 3, 3, labels, &work, &f1, &grad, 3) == SMK_ERR_DOMAIN)
            #expect(smk_smooth_f1_f64(x, 2, labels, &f1, &grad) == SMK_ERR_DOMAIN)
            #expect(acc == canary && f1 == canary && grad.allSatisfy { $0 == canary } && work.allSatisfy { $0 == canary })
        }
        var acc: Float = -1, grad = [Float](repeating: -1, count: 6)
        let xf: [Float] = [1, 2, 3, 4, 5, 6]
        #expect(smk_smooth_accuracy_f32(xf, 2, 3, 2, [0, 1], &acc, &grad, 3) == SMK_ERR_SHAPE) // ld < cols
        #expect(smk_smooth_accuracy_f32(xf, 2, 3, 3, nil, &acc, &grad, 3) == SMK_ERR_NULL)
        #expect(smk_smooth_macro_f1_f32(xf, 2, 3, 3, [0, 1], nil, &acc, &grad, 3) == SMK_ERR_NULL) // no work
        #expect(acc == -1 && grad.allSatisfy { $0 == -1 })
    }
}
