import CSmoothKit
import Testing
import SmoothKit

/// Every error path of the catalog: the C status AND not one output element written
/// (canaries), and the Swift thrown error.
@Suite struct CatalogErrorTests {
    /// The catalog's C entry points of one element type.
    protocol CEntries: BinaryFloatingPoint {
        static func abs(_ x: UnsafePointer<Self>?, _ n: Int, _ k: smk_abs_kind, _ p: Self, _ y: UnsafeMutablePointer<Self>?, _ dy: UnsafeMutablePointer<Self>?) -> smk_status
        static func max(_ x: UnsafePointer<Self>?, _ rows: Int, _ cols: Int, _ ld: Int, _ k: smk_max_kind, _ p: Self, _ e: smk_extremum, _ out: UnsafeMutablePointer<Self>?) -> smk_status
        static func max2(_ a: UnsafePointer<Self>?, _ b: UnsafePointer<Self>?, _ n: Int, _ k: smk_pair_kind, _ p: Self, _ e: smk_extremum, _ out: UnsafeMutablePointer<Self>?) -> smk_status
        static func moll(_ x: UnsafePointer<Self>?, _ n: Int, _ k: smk_kernel, _ p: Self, _ part: smk_kernel_part, _ out: UnsafeMutablePointer<Self>?) -> smk_status
        static func pw(_ x: UnsafePointer<Self>?, _ n: Int, _ k: smk_kernel, _ p: Self, _ a: Self, _ b: Self, _ c: UnsafePointer<Self>?, _ j: UnsafePointer<Self>?, _ s: UnsafePointer<Self>?, _ m: Int, _ y: UnsafeMutablePointer<Self>?, _ dy: UnsafeMutablePointer<Self>?) -> smk_status
        static func quant(_ x: UnsafePointer<Self>?, _ n: Int, _ q: smk_quantizer, _ k: smk_kernel, _ p: Self, _ y: UnsafeMutablePointer<Self>?) -> smk_status
    }

    /// One row of the error table: what the call gets wrong, the status it must return.
    struct Case<E: CEntries> {
        let name: String
        let status: smk_status
        let call: (_ x: UnsafePointer<E>, _ out: UnsafeMutablePointer<E>, _ out2: UnsafeMutablePointer<E>) -> smk_status
    }

    static func table<E: CEntries>(_: E.Type) -> [Case<E>] {
        let big = Int.max / 2 // n·sizeof(element) past PTRDIFF_MAX
        var t: [Case<E>] = []
        for bad in [E(0), -1, .nan, .infinity] {
            t += [
                Case(name: "abs param \(bad)", status: SMK_ERR_TEMPERATURE) { x, y, d in E.abs(x, 4, SMK_ABS_SQRT, bad, y, d) },
                Case(name: "max param \(bad)", status: SMK_ERR_TEMPERATURE) { x, y, _ in E.max(x, 2, 2, 2, SMK_MAX_BOLTZMANN, bad, SMK_EXTREMUM_MAX, y) },
                Case(name: "max2 param \(bad)", status: SMK_ERR_TEMPERATURE) { x, y, _ in E.max2(x, x, 4, SMK_PAIR_ERF, bad, SMK_EXTREMUM_MIN, y) },
                Case(name: "mollifier param \(bad)", status: SMK_ERR_TEMPERATURE) { x, y, _ in E.moll(x, 4, SMK_KERNEL_GAUSSIAN, bad, SMK_PART_CDF, y) },
                Case(name: "piecewise param \(bad)", status: SMK_ERR_TEMPERATURE) { x, y, d in E.pw(x, 4, SMK_KERNEL_LOGISTIC, bad, 0, 0, x, x, x, 2, y, d) },
                Case(name: "quantize param \(bad)", status: SMK_ERR_TEMPERATURE) { x, y, _ in E.quant(x, 4, SMK_QUANT_FLOOR, SMK_KERNEL_GAUSSIAN, bad, y) },
            ]
        }
        t += [
            Case(name: "abs extent", status: SMK_ERR_SHAPE) { x, y, d in E.abs(x, big, SMK_ABS_SQRT, 1, y, d) },
            Case(name: "abs y NULL", status: SMK_ERR_NULL) { x, _, d in E.abs(x, 4, SMK_ABS_SQRT, 1, nil, d) },
            Case(name: "abs x NULL", status: SMK_ERR_NULL) { _, y, d in E.abs(nil, 4, SMK_ABS_SQRT, 1, y, d) },
            Case(name: "abs unknown kind", status: SMK_ERR_DOMAIN) { x, y, d in E.abs(x, 4, smk_abs_kind(rawValue: 99), 1, y, d) },
            Case(name: "max ld < cols", status: SMK_ERR_SHAPE) { x, y, _ in E.max(x, 2, 2, 1, SMK_MAX_POWER, 1, SMK_EXTREMUM_MAX, y) },
            Case(name: "max extent", status: SMK_ERR_SHAPE) { x, y, _ in E.max(x, 3, big, big, SMK_MAX_POWER, 1, SMK_EXTREMUM_MAX, y) },
            Case(name: "max out NULL", status: SMK_ERR_NULL) { x, _, _ in E.max(x, 2, 2, 2, SMK_MAX_LOGLOG, 1, SMK_EXTREMUM_MAX, nil) },
            Case(name: "max x NULL", status: SMK_ERR_NULL) { _, y, _ in E.max(nil, 2, 2, 2, SMK_MAX_LOGLOG, 1, SMK_EXTREMUM_MAX, y) },
            Case(name: "max unknown kind", status: SMK_ERR_DOMAIN) { x, y, _ in E.max(x, 2, 2, 2, smk_max_kind(rawValue: 9), 1, SMK_EXTREMUM_MAX, y) },
            Case(name: "max unknown extremum", status: SMK_ERR_DOMAIN) { x, y, _ in E.max(x, 2, 2, 2, SMK_MAX_BOLTZMANN, 1, smk_extremum(rawValue: 2), y) },
            // x = [1, 2, 3, −4]: the negative entry is in the last row; row 0 must not be written
            Case(name: "power max negative entry", status: SMK_ERR_DOMAIN) { x, y, _ in E.max(x, 2, 2, 2, SMK_MAX_POWER, 2, SMK_EXTREMUM_MAX, y) },
            Case(name: "power min positive entry", status: SMK_ERR_DOMAIN) { x, y, _ in E.max(x, 2, 2, 2, SMK_MAX_POWER, 2, SMK_EXTREMUM_MIN, y) },
            Case(name: "max2 b NULL", status: SMK_ERR_NULL) { x, y, _ in E.max2(x, nil, 4, SMK_PAIR_SQRT, 1, SMK_EXTREMUM_MAX, y) },
            Case(name: "max2 extent", status: SMK_ERR_SHAPE) { x, y, _ in E.max2(x, x, big, SMK_PAIR_SQRT, 1, SMK_EXTREMUM_MAX, y) },
            Case(name: "max2 unknown kind", status: SMK_ERR_DOMAIN) { x, y, _ in E.max2(x, x, 4, smk_pair_kind(rawValue: 2), 1, SMK_EXTREMUM_MAX, y) },
            Case(name: "Cauchy ramp", status: SMK_ERR_DOMAIN) { x, y, _ in E.moll(x, 4, SMK_KERNEL_CAUCHY, 1, SMK_PART_RAMP, y) },
            Case(name: "mollifier unknown part", status: SMK_ERR_DOMAIN) { x, y, _ in E.moll(x, 4, SMK_KERNEL_GAUSSIAN, 1, smk_kernel_part(rawValue: 3), y) },
            Case(name: "mollifier unknown kernel", status: SMK_ERR_DOMAIN) { x, y, _ in E.moll(x, 4, smk_kernel(rawValue: 3), 1, SMK_PART_PDF, y) },
            Case(name: "piecewise knots NULL", status: SMK_ERR_NULL) { x, y, d in E.pw(x, 4, SMK_KERNEL_GAUSSIAN, 1, 0, 0, nil, x, x, 2, y, d) },
            Case(name: "piecewise knots extent", status: SMK_ERR_SHAPE) { x, y, d in E.pw(x, 4, SMK_KERNEL_GAUSSIAN, 1, 0, 0, x, nil, nil, big, y, d) },
            Case(name: "piecewise NaN intercept", status: SMK_ERR_DOMAIN) { x, y, d in E.pw(x, 4, SMK_KERNEL_GAUSSIAN, 1, .nan, 0, x, x, x, 2, y, d) },
            Case(name: "piecewise ∞ slope", status: SMK_ERR_DOMAIN) { x, y, d in E.pw(x, 4, SMK_KERNEL_GAUSSIAN, 1, 0, .infinity, x, x, x, 2, y, d) },
            Case(name: "piecewise Cauchy slope", status: SMK_ERR_DOMAIN) { x, y, d in E.pw(x, 4, SMK_KERNEL_CAUCHY, 1, 0, 1, x, nil, nil, 2, y, d) },
            Case(name: "piecewise Cauchy ramp", status: SMK_ERR_DOMAIN) { x, y, d in E.pw(x, 4, SMK_KERNEL_CAUCHY, 1, 0, 0, x, nil, x, 2, y, d) },
            Case(name: "quantize Cauchy floor", status: SMK_ERR_DOMAIN) { x, y, _ in E.quant(x, 4, SMK_QUANT_FLOOR, SMK_KERNEL_CAUCHY, 1, y) },
            Case(name: "quantize Cauchy round", status: SMK_ERR_DOMAIN) { x, y, _ in E.quant(x, 4, SMK_QUANT_ROUND, SMK_KERNEL_CAUCHY, 1, y) },
            Case(name: "quantize unknown", status: SMK_ERR_DOMAIN) { x, y, _ in E.quant(x, 4, smk_quantizer(rawValue: 4), SMK_KERNEL_GAUSSIAN, 1, y) },
            Case(name: "quantize y NULL", status: SMK_ERR_NULL) { x, _, _ in E.quant(x, 4, SMK_QUANT_SIGN, SMK_KERNEL_GAUSSIAN, 1, nil) },
        ]
        return t
    }

    static func run<E: CEntries>(_: E.Type) {
        let canary = E(-12345.5)
        var x: [E] = [1, 2, 3, -4, 0, 0, 0, 0]
        for c in table(E.self) {
            var out = [E](repeating: canary, count: 8), out2 = [E](repeating: canary, count: 8)
            let st = x.withUnsafeMutableBufferPointer { xb in
                out.withUnsafeMutableBufferPointer { ob in
                    out2.withUnsafeMutableBufferPointer { o2 in c.call(xb.baseAddress!, ob.baseAddress!, o2.baseAddress!) }
                }
            }
            #expect(st == c.status, "\(E.self) \(c.name): status \(st.rawValue), expected \(c.status.rawValue)")
            #expect(out.allSatisfy { $0 == canary } && out2.allSatisfy { $0 == canary }, "\(E.self) \(c.name): output written")
        }
        // n == 0 / rows == 0: valid, nothing written, whatever the pointers
        var out = [E](repeating: canary, count: 2)
        out.withUnsafeMutableBufferPointer { ob in
            #expect(E.abs(nil, 0, SMK_ABS_SQRT, 1, nil, nil) == SMK_OK)
            #expect(E.max(nil, 0, 5, 5, SMK_MAX_POWER, 1, SMK_EXTREMUM_MAX, nil) == SMK_OK)
            #expect(E.quant(nil, 0, SMK_QUANT_FLOOR, SMK_KERNEL_GAUSSIAN, 1, ob.baseAddress) == SMK_OK)
            #expect(E.pw(nil, 0, SMK_KERNEL_GAUSSIAN, 1, 0, 0, nil, nil, nil, 0, ob.baseAddress, nil) == SMK_OK)
        }
        #expect(out.allSatisfy { $0 == canary })
        // cols == 0 with x NULL: valid, every row answered (−∞; +∞ for the min; 0 for power)
        out.withUnsafeMutableBufferPointer { ob in
            #expect(E.max(nil, 2, 0, 0, SMK_MAX_BOLTZMANN, 1, SMK_EXTREMUM_MIN, ob.baseAddress) == SMK_OK)
        }
        #expect(out == [E.infinity, E.infinity])
    }

    @Test func cStatusesAndCanariesF32() { Self.run(Float.self) }
    @Test func cStatusesAndCanariesF64() { Self.run(Double.self) }

    /// The bounds API: bad parameters, NULL outputs, unknown kinds, an unreachable target;
    /// the output is untouched on every error.
    @Test func boundsAPI() {
        let canary = smk_gap(below: -9, above: -9)
        for bad in [0.0, -1, .nan, .infinity] {
            var g = canary, p = -9.0
            #expect(smk_smooth_abs_gap(SMK_ABS_ERF, bad, &g) == SMK_ERR_TEMPERATURE)
            #expect(smk_smooth_max_gap(SMK_MAX_POWER, bad, 3, 1, &g) == SMK_ERR_TEMPERATURE)
            #expect(smk_smooth_max2_gap(SMK_PAIR_SQRT, bad, &g) == SMK_ERR_TEMPERATURE)
            #expect(smk_smooth_abs_param(SMK_ABS_HUBER, bad, &p) == SMK_ERR_TEMPERATURE)
            #expect(smk_smooth_max_param(SMK_MAX_BOLTZMANN, bad, 3, 1, &p) == SMK_ERR_TEMPERATURE)
            #expect(smk_smooth_max2_param(SMK_PAIR_ERF, bad, &p) == SMK_ERR_TEMPERATURE)
            #expect(g.below == -9 && g.above == -9 && p == -9)
            #expect(SmoothAbsKind.sqrt.gap(parameter: bad).below.isNaN && SmoothAbsKind.sqrt.parameter(forMaxError: bad).isNaN)
        }
        var g = canary, p = -9.0
        #expect(smk_smooth_abs_gap(SMK_ABS_ERF, 1, nil) == SMK_ERR_NULL)
        #expect(smk_smooth_max_param(SMK_MAX_LOGLOG, 0.1, 3, 1, nil) == SMK_ERR_NULL)
        #expect(smk_smooth_abs_gap(smk_abs_kind(rawValue: 5), 1, &g) == SMK_ERR_DOMAIN)
        #expect(smk_smooth_max_gap(smk_max_kind(rawValue: 4), 1, 3, 0, &g) == SMK_ERR_DOMAIN)
        #expect(smk_smooth_max_gap(SMK_MAX_LOGLOG, 1, 3, .nan, &g) == SMK_ERR_DOMAIN)
        #expect(smk_smooth_max2_param(smk_pair_kind(rawValue: 2), 1, &p) == SMK_ERR_DOMAIN)
        // log-log far below 0: its gap tends to |m| + …, never 1e-3
        #expect(smk_smooth_max_param(SMK_MAX_LOGLOG, 1e-3, 10, -5, &p) == SMK_ERR_DOMAIN)
        #expect(SmoothMaxKind.logLog.parameter(forMaxError: 1e-3, count: 10, max: -5) == nil)
        #expect(g.below == -9 && g.above == -9 && p == -9)
    }

    /// The power max's domain (entries ≥ 0; ≤ 0 for the min) is checked at every position of
    /// the matrix, not only where a scan happens to start or end: one wrong-signed entry at each
    /// (row, column) in turn is SMK_ERR_DOMAIN for the value and the gradient, with every output
    /// canary intact; the same entry in the padding between rows (ld > cols) is not part of
    /// the matrix and the call succeeds.
    func powerDomainEverywhere<E: CEntries & CatalogGradientTests.GradEntries>(_: E.Type) {
        let rows = 3, cols = 4, ld = 6, canary = E(-7777)
        for ext in [SMK_EXTREMUM_MAX, SMK_EXTREMUM_MIN] {
            let s: E = ext == SMK_EXTREMUM_MIN ? -1 : 1, bad = -s / 2
            let base = (0..<rows * ld).map { $0 % ld < cols ? s * E(1 + $0 % 3) : bad } // padding wrong-signed
            for pos in (0..<rows).flatMap({ r in (0..<cols).map { r * ld + $0 } }) + [-1] {
                var x = base
                if pos >= 0 { x[pos] = bad }
                var out = [E](repeating: canary, count: rows), g = [E](repeating: canary, count: rows * ld)
                let sv = E.max(x, rows, cols, ld, SMK_MAX_POWER, 3, ext, &out)
                let sg = E.grad(x, rows, cols, ld, SMK_MAX_POWER, 3, ext, &g, ld)
                let what = "\(E.self) ext \(ext.rawValue) wrong sign at \(pos < 0 ? "padding only" : "(\(pos / ld), \(pos % ld))")"
                if pos < 0 {
                    #expect(sv == SMK_OK && sg == SMK_OK && out.allSatisfy { $0.isFinite }, "\(what): \(sv), \(sg)")
                } else {
                    #expect(sv == SMK_ERR_DOMAIN && sg == SMK_ERR_DOMAIN, "\(what): \(sv), \(sg)")
                    #expect(out.allSatisfy { $0 == canary } && g.allSatisfy { $0 == canary }, "\(what): written")
                }
            }
        }
    }

    @Test func powerDomainCheckedAtEveryPosition() throws {
        powerDomainEverywhere(Float.self)
        powerDomainEverywhere(Double.self)
        // The Swift façade, both backends: the same single entry anywhere throws.
        func isDomain(_ e: any Error) -> Bool { if case SmoothKitError.domain = e { true } else { false } }
        for backend in catBackends {
            for min in [false, true] {
                let s: Double = min ? -1 : 1
                for pos in 0..<12 {
                    let x = try Matrix<Double>(rows: 3, cols: 4, leadingDimension: 5,
                                               elements: (0..<12).map { $0 == pos ? -s / 2 : s * Double(1 + $0 % 3) })
                    #expect(performing: {
                        min ? try smoothMin(x, kind: .power, parameter: 3, backend: backend)
                            : try smoothMax(x, kind: .power, parameter: 3, backend: backend)
                    }, throws: isDomain)
                    #expect(performing: {
                        min ? try smoothMinGradient(x, kind: .power, parameter: 3, backend: backend)
                            : try smoothMaxGradient(x, kind: .power, parameter: 3, backend: backend)
                    }, throws: isDomain)
                }
            }
        }
    }

    /// The Swift façade throws the matching typed error.
    @Test(arguments: catBackends)
    func swiftThrows(backend: Backend) throws {
        for bad in [0.0, -1, .infinity] {
            #expect(throws: SmoothKitError.invalidParameter(name: "parameter", value: bad)) {
                try smoothAbs([1.0], kind: .logCosh, parameter: bad, backend: backend)
            }
        }
        func isParameter(_ e: any Error) -> Bool { if case SmoothKitError.invalidParameter(name: "parameter", _) = e { true } else { false } }
        func isDomain(_ e: any Error) -> Bool { if case SmoothKitError.domain = e { true } else { false } }
        let x = try Matrix<Double>(rows: 2, cols: 2, elements: [1, 2, 3, -4])
        #expect(performing: { try smoothMax(x, kind: .boltzmann, parameter: .nan, backend: backend) }, throws: isParameter)
        #expect(performing: { try smoothAbs([1.0], kind: .erf, parameter: .nan, backend: backend) }, throws: isParameter)
        #expect(performing: { try smoothMax(x, kind: .power, parameter: 2, backend: backend) }, throws: isDomain)
        #expect(performing: { try smoothMin(x, kind: .power, parameter: 2, backend: backend) }, throws: isDomain)
        #expect(throws: SmoothKitError.elementCount(expected: 2, actual: 1)) {
            try smoothMax([1.0, 2], [1.0], kind: .erf, parameter: 1, backend: backend)
        }
        #expect(performing: { try mollifier([1.0], kernel: .cauchy, parameter: 1, part: .ramp, backend: backend) }, throws: isDomain)
        #expect(performing: { try smoothQuantize([1.0], .ceil, kernel: .cauchy, parameter: 1, backend: backend) }, throws: isDomain)
        #expect(performing: {
            try mollify(PiecewiseLinear<Float>(knots: [.init(at: .infinity, jump: 1)]), at: [0], kernel: .gaussian, parameter: 1, backend: backend)
        }, throws: isDomain)
        #expect(performing: { try mollifier([Float(1)], kernel: .gaussian, parameter: 0, part: .cdf, backend: backend) }, throws: isParameter)
    }
}

extension Float: CatalogErrorTests.CEntries {
    static func abs(_ x: UnsafePointer<Float>?, _ n: Int, _ k: smk_abs_kind, _ p: Float, _ y: UnsafeMutablePointer<Float>?, _ dy: UnsafeMutablePointer<Float>?) -> smk_status { smk_smooth_abs_f32(x, n, k, p, y, dy) }
    static func max(_ x: UnsafePointer<Float>?, _ rows: Int, _ cols: Int, _ ld: Int, _ k: smk_max_kind, _ p: Float, _ e: smk_extremum, _ out: UnsafeMutablePointer<Float>?) -> smk_status { smk_smooth_max_f32(x, rows, cols, ld, k, p, e, out) }
    static func max2(_ a: UnsafePointer<Float>?, _ b: UnsafePointer<Float>?, _ n: Int, _ k: smk_pair_kind, _ p: Float, _ e: smk_extremum, _ out: UnsafeMutablePointer<Float>?) -> smk_status { smk_smooth_max2_f32(a, b, n, k, p, e, out) }
    static func moll(_ x: UnsafePointer<Float>?, _ n: Int, _ k: smk_kernel, _ p: Float, _ part: smk_kernel_part, _ out: UnsafeMutablePointer<Float>?) -> smk_status { smk_mollifier_f32(x, n, k, p, part, out) }
    static func pw(_ x: UnsafePointer<Float>?, _ n: Int, _ k: smk_kernel, _ p: Float, _ a: Float, _ b: Float, _ c: UnsafePointer<Float>?, _ j: UnsafePointer<Float>?, _ s: UnsafePointer<Float>?, _ m: Int, _ y: UnsafeMutablePointer<Float>?, _ dy: UnsafeMutablePointer<Float>?) -> smk_status { smk_mollify_piecewise_f32(x, n, k, p, a, b, c, j, s, m, y, dy) }
    static func quant(_ x: UnsafePointer<Float>?, _ n: Int, _ q: smk_quantizer, _ k: smk_kernel, _ p: Float, _ y: UnsafeMutablePointer<Float>?) -> smk_status { smk_smooth_quantize_f32(x, n, q, k, p, y) }
}

extension Double: CatalogErrorTests.CEntries {
    static func abs(_ x: UnsafePointer<Double>?, _ n: Int, _ k: smk_abs_kind, _ p: Double, _ y: UnsafeMutablePointer<Double>?, _ dy: UnsafeMutablePointer<Double>?) -> smk_status { smk_smooth_abs_f64(x, n, k, p, y, dy) }
    static func max(_ x: UnsafePointer<Double>?, _ rows: Int, _ cols: Int, _ ld: Int, _ k: smk_max_kind, _ p: Double, _ e: smk_extremum, _ out: UnsafeMutablePointer<Double>?) -> smk_status { smk_smooth_max_f64(x, rows, cols, ld, k, p, e, out) }
    static func max2(_ a: UnsafePointer<Double>?, _ b: UnsafePointer<Double>?, _ n: Int, _ k: smk_pair_kind, _ p: Double, _ e: smk_extremum, _ out: UnsafeMutablePointer<Double>?) -> smk_status { smk_smooth_max2_f64(a, b, n, k, p, e, out) }
    static func moll(_ x: UnsafePointer<Double>?, _ n: Int, _ k: smk_kernel, _ p: Double, _ part: smk_kernel_part, _ out: UnsafeMutablePointer<Double>?) -> smk_status { smk_mollifier_f64(x, n, k, p, part, out) }
    static func pw(_ x: UnsafePointer<Double>?, _ n: Int, _ k: smk_kernel, _ p: Double, _ a: Double, _ b: Double, _ c: UnsafePointer<Double>?, _ j: UnsafePointer<Double>?, _ s: UnsafePointer<Double>?, _ m: Int, _ y: UnsafeMutablePointer<Double>?, _ dy: UnsafeMutablePointer<Double>?) -> smk_status { smk_mollify_piecewise_f64(x, n, k, p, a, b, c, j, s, m, y, dy) }
    static func quant(_ x: UnsafePointer<Double>?, _ n: Int, _ q: smk_quantizer, _ k: smk_kernel, _ p: Double, _ y: UnsafeMutablePointer<Double>?) -> smk_status { smk_smooth_quantize_f64(x, n, q, k, p, y) }
}
