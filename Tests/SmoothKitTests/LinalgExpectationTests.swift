// Softmax expectation E = softmax(X/τ)·V (smoothkit_linalg.h, softmaxExpectation): values
// against a Float80 composition (softmax, then the naive product), soft-argmax as the d = 1
// case, SPEC §1's edge rows, workspace handling, every error path with canaries, C vs Swift.
import CSmoothKit
import Glibc
import Testing
@testable import SmoothKit

/// One accuracy case: X rows × n (ld n + pad, entries uniform in ±scale), V n × d, temperature.
struct ExpectationShape: Sendable, CustomTestStringConvertible {
    let rows, n, d, pad: Int
    let temperature, scale: Double
    var testDescription: String { "\(rows)×\(n)·\(n)×\(d) pad \(pad) τ \(temperature) ±\(scale)" }
}

@Suite("Linalg: softmax expectation")
struct LinalgExpectationTests {
    static let shapes: [ExpectationShape] = [
        .init(rows: 1, n: 1, d: 1, pad: 0, temperature: 1, scale: 1),
        .init(rows: 4, n: 5, d: 2, pad: 3, temperature: 1, scale: 3),
        .init(rows: 37, n: 64, d: 64, pad: 0, temperature: 0.3, scale: 2),
        .init(rows: 300, n: 17, d: 3, pad: 2, temperature: 2, scale: 5),       // two 256-row blocks
        .init(rows: 3, n: 700, d: 256, pad: 1, temperature: 1, scale: 30),
        .init(rows: 9, n: 2000, d: 1, pad: 0, temperature: 0.01, scale: 1),     // sharp: few weights matter
        .init(rows: 7, n: 300_000, d: 2, pad: 0, temperature: 1, scale: 4),    // block shrinks to 6 rows
    ]

    /// X, V as Matrix<S> and the Float80 reference E with the bound (n + 8)·u·Σ p|V| per entry.
    static func problem<S: LinalgTestScalar>(_: S.Type, _ s: ExpectationShape, seed: UInt64)
        throws -> (x: Matrix<S>, v: Matrix<S>, ref: [Float80], bound: [Double]) {
        var rng = SplitMix64(seed)
        var x = try Matrix<S>(rows: s.rows, cols: s.n, leadingDimension: s.n + s.pad, repeating: .nan)  // NaN padding: must not be read
        let xs = (0..<(s.rows * s.n)).map { _ in S(rng.uniform(-s.scale, s.scale)) }
        for r in 0..<s.rows { x.withMutableRow(r) { row in for i in 0..<s.n { row[i] = xs[r * s.n + i] } } }
        let vs = (0..<(s.n * s.d)).map { k in S(rng.uniform(-1, 1) + (k % s.d % 2 == 0 ? 0 : 3)) }
        let v = try Matrix<S>(rows: s.n, cols: s.d, elements: vs)
        var ref = [Float80](repeating: 0, count: s.rows * s.d), bound = [Double](repeating: 0, count: s.rows * s.d)
        let vv = vs.map { Float80($0) }
        for r in 0..<s.rows {
            let p = referenceSoftmax(xs[(r * s.n)..<((r + 1) * s.n)].map { Float80($0) }, temperature: Float80(S(s.temperature)))
            for j in 0..<s.d {
                var sum: Float80 = 0, mag: Float80 = 0
                for i in 0..<s.n { sum += p[i] * vv[i * s.d + j]; mag += p[i] * abs(vv[i * s.d + j]) }
                ref[r * s.d + j] = sum
                // (n + 8)u relative to Σ p|V|, plus underflow of the tiniest products.
                bound[r * s.d + j] = Double(s.n + 8) * S.u * Double(mag) + Double(s.n) * Double(S.leastNormalMagnitude)
            }
        }
        return (x, v, ref, bound)
    }

    @Test("E matches softmax-then-product in Float80 within (n + 8)·u·Σp|V|; C and Swift agree",
          arguments: LinalgDType.allCases, shapes)
    func matchesReference(dtype: LinalgDType, shape: ExpectationShape) throws {
        switch dtype {
        case .f32: try checkReference(Float.self, shape)
        case .f64: try checkReference(Double.self, shape)
        }
    }

    func checkReference<S: LinalgTestScalar>(_: S.Type, _ s: ExpectationShape) throws {
        let (x, v, ref, bound) = try Self.problem(S.self, s, seed: UInt64(s.rows * 7919 + s.n * 31 + s.d))
        var results = [Backend: Matrix<S>]()
        for backend in [Backend.c, .swift] {
            try withStableISA(for: backend) {
                let e = try softmaxExpectation(x, values: v, temperature: S(s.temperature), backend: backend)
                for r in 0..<s.rows {
                    for j in 0..<s.d {
                        let err = abs(Double(Float80(e[r, j]) - ref[r * s.d + j]))
                        #expect(err <= bound[r * s.d + j], "\(backend) E[\(r), \(j)] = \(e[r, j]), ref \(ref[r * s.d + j]), err \(err) > \(bound[r * s.d + j])")
                    }
                }
                results[backend] = e
            }
        }
        // C vs Swift: both within the bound of the exact value, so within twice it of each other.
        let c = results[.c]!, sw = results[.swift]!
        for r in 0..<s.rows { for j in 0..<s.d {
            #expect(abs(Double(c[r, j]) - Double(sw[r, j])) <= 2 * bound[r * s.d + j], "C vs Swift at (\(r), \(j))")
        } }
    }

    // MARK: soft-argmax is the d = 1, V = 0…n−1 case

    @Test("d = 1, V = (0…n−1): E equals smk_softargmax within its 8u·n plus the product's bound",
          arguments: LinalgDType.allCases, [1, 2, 10, 257, 5000])
    func softArgmaxCase(dtype: LinalgDType, n: Int) throws {
        switch dtype {
        case .f32: try checkSoftArgmax(Float.self, n)
        case .f64: try checkSoftArgmax(Double.self, n)
        }
    }

    func checkSoftArgmax<S: LinalgTestScalar>(_: S.Type, _ n: Int) throws {
        let rows = 6
        var rng = SplitMix64(UInt64(n))
        var xs = (0..<(rows * n)).map { _ in S(rng.uniform(-4, 4)) }
        xs[n * 2 + n / 2] = .infinity                       // row 2: one +∞ → exactly its index
        if n > 3 { xs[n * 3] = .infinity; xs[n * 3 + 3] = .infinity }   // row 3: mean index 1.5
        let positions = (0..<n).map { S($0) }
        var e = [S](repeating: -7, count: rows), a = [S](repeating: -7, count: rows)
        #expect(S.cExpectation(xs, rows, n, n, 1, positions, 1, 1, &e, 1, nil, 0) == SMK_OK)
        #expect(S.cSoftargmax(xs, rows, n, n, 1, &a) == SMK_OK)
        for r in 0..<rows {
            let p = referenceSoftmax(xs[(r * n)..<((r + 1) * n)].map { Float80($0) }, temperature: 1)
            let ref = (0..<n).reduce(Float80(0)) { $0 + p[$1] * Float80($1) }
            // Σ p_i·|V_i| = the reference itself (V ≥ 0).
            let productBound = Double(n + 8) * S.u * Double(ref) + Double(n) * Double(S.leastNormalMagnitude)
            #expect(abs(Double(Float80(e[r]) - ref)) <= productBound, "row \(r): E \(e[r]) vs ref \(ref)")
            #expect(abs(Double(e[r]) - Double(a[r])) <= productBound + 8 * S.u * Double(n),
                    "row \(r): E \(e[r]) vs smk_softargmax \(a[r])")
        }
        #expect(e[2] == S(n / 2))
        if n > 3 { #expect(e[3] == 1.5) }
    }

    // MARK: SPEC §1 edge rows

    @Test("edge rows: NaN → NaN, +∞ → mean of their V rows, masked → 0, huge finite → finite; rows independent",
          arguments: LinalgDType.allCases, [Backend.c, .swift])
    func edgeRows(dtype: LinalgDType, backend: Backend) throws {
        switch dtype {
        case .f32: try checkEdges(Float.self, backend)
        case .f64: try checkEdges(Double.self, backend)
        }
    }

    func checkEdges<S: LinalgTestScalar>(_: S.Type, _ backend: Backend) throws {
        let big = S.greatestFiniteMagnitude / 2
        let rowsX: [[S]] = [
            [0.5, -1, 2, 0],                        // 0: finite
            [0.5, .nan, 2, 0],                      // 1: NaN
            [.infinity, 1, .infinity, 0],           // 2: two +∞ → mean of V rows 0 and 2
            [-.infinity, -.infinity, -.infinity, -.infinity],   // 3: fully masked → 0
            [-.infinity, 1, -.infinity, 1],         // 4: some −∞ → those weights exactly 0
            [big, -big, big, 0],                    // 5: huge finite → no overflow
        ]
        let x = try Matrix<S>(rows: rowsX.count, cols: 4, elements: rowsX.flatMap { $0 })
        let v = try Matrix<S>(rows: 4, cols: 2, elements: [1, 10, 2, 20, 3, 30, 4, 40])
        let e = try softmaxExpectation(x, values: v, backend: backend)
        let alone = try softmaxExpectation(try Matrix<S>(rows: 1, cols: 4, elements: rowsX[0]), values: v, backend: backend)
        #expect(e.row(0) == alone.row(0), "a NaN elsewhere must not change row 0")
        #expect(e.row(1).allSatisfy { $0.isNaN })
        #expect(e.row(2) == [2, 20])                  // (1 + 3)/2, (10 + 30)/2
        #expect(e.row(3) == [0, 0])
        #expect(e.row(4) == [3, 30])                  // p = (0, ½, 0, ½): (2 + 4)/2, (20 + 40)/2
        #expect(e.row(5) == [2, 20])                  // the two `big` entries share the mass
        // n == 0: the empty sum.
        let empty = try softmaxExpectation(try Matrix<S>(rows: 2, cols: 0, repeating: 0),
                                           values: try Matrix<S>(rows: 0, cols: 3, repeating: 0), backend: backend)
        #expect(empty.elements == [S](repeating: 0, count: 6))
    }

    // MARK: workspace

    @Test("workspace query, caller workspace gives the same bits, too small or misaligned is SMK_ERR_SHAPE",
          arguments: LinalgDType.allCases)
    func workspace(dtype: LinalgDType) throws {
        switch dtype {
        case .f32: try checkWorkspace(Float.self)
        case .f64: try checkWorkspace(Double.self)
        }
    }

    func checkWorkspace<S: LinalgTestScalar>(_: S.Type) throws {
        try withStableISA { // bit for bit across calls: one instruction-set path
            let size = MemoryLayout<S>.size
            // Blocks: min(256, rows, 2^21 / n) rows of n probabilities.
            #expect(S.cExpectationWorkspace(1000, 10) == 256 * 10 * size)
            #expect(S.cExpectationWorkspace(5, 10) == 5 * 10 * size)
            #expect(S.cExpectationWorkspace(100, 300_000) == 6 * 300_000 * size)
            #expect(S.cExpectationWorkspace(100, 3_000_000) == 3_000_000 * size)
            #expect(S.cExpectationWorkspace(0, 10) == 0)
            #expect(S.cExpectationWorkspace(10, 0) == 0)
            #expect(S.cExpectationWorkspace(1, Int.max) == Int(bitPattern: UInt.max))    // SIZE_MAX: does not fit

            let (x, v, _, _) = try LinalgExpectationTests.problem(S.self, .init(rows: 270, n: 9, d: 3, pad: 0, temperature: 1, scale: 3), seed: 5)
            let xs = x.elements, vs = v.elements
            var viaMalloc = [S](repeating: 0, count: 270 * 3), viaWork = [S](repeating: 0, count: 270 * 3)
            #expect(S.cExpectation(xs, 270, 9, 9, 1, vs, 3, 3, &viaMalloc, 3, nil, 0) == SMK_OK)
            let bytes = S.cExpectationWorkspace(270, 9)
            let work = UnsafeMutableRawPointer.allocate(byteCount: bytes + 64, alignment: 64)
            defer { work.deallocate() }
            #expect(S.cExpectation(xs, 270, 9, 9, 1, vs, 3, 3, &viaWork, 3, work, bytes) == SMK_OK)
            #expect(viaWork == viaMalloc)
            var canary = [S](repeating: 12345, count: 270 * 3)
            #expect(S.cExpectation(xs, 270, 9, 9, 1, vs, 3, 3, &canary, 3, work, bytes - 1) == SMK_ERR_SHAPE)
            #expect(S.cExpectation(xs, 270, 9, 9, 1, vs, 3, 3, &canary, 3, work + 1, bytes) == SMK_ERR_SHAPE)
            #expect(canary.allSatisfy { $0 == 12345 })
        }
    }

    /// C with lde > d over several row blocks (300 rows: blocks of 256 and 44; 70 rows of
    /// n = 40000: blocks of 52 and 18): each row of E at r·lde against the Float80 reference
    /// within (n + 8)·u·Σp|V|, and the lde − d padding elements after each row untouched.
    @Test("C: E with lde > d, every block at its rows, the padding untouched", arguments: LinalgDType.allCases)
    func paddedOutput(dtype: LinalgDType) throws {
        switch dtype {
        case .f32: try checkPaddedOutput(Float.self)
        case .f64: try checkPaddedOutput(Double.self)
        }
    }

    func checkPaddedOutput<S: LinalgTestScalar>(_: S.Type) throws {
        for shape in [ExpectationShape(rows: 300, n: 17, d: 3, pad: 1, temperature: 0.7, scale: 4),
                      ExpectationShape(rows: 70, n: 40_000, d: 2, pad: 0, temperature: 1, scale: 3)] {
            let (x, v, ref, bound) = try Self.problem(S.self, shape, seed: UInt64(shape.rows))
            let lde = shape.d + 5, canary = S(-31337)
            var e = [S](repeating: canary, count: shape.rows * lde)
            let st = x.withBase { xp in
                v.elements.withUnsafeBufferPointer { vp in
                    S.cExpectation(xp, shape.rows, shape.n, x.leadingDimension, S(shape.temperature), vp.baseAddress,
                                   shape.d, shape.d, &e, lde, nil, 0)
                }
            }
            #expect(st == SMK_OK, "\(shape): \(st)")
            for r in 0..<shape.rows {
                for j in 0..<shape.d {
                    let k = r * shape.d + j, err = abs(Double(Float80(e[r * lde + j]) - ref[k]))
                    #expect(err <= bound[k], "\(shape) lde \(lde): E[\(r), \(j)] = \(e[r * lde + j]), ref \(ref[k])")
                }
                #expect(e[(r * lde + shape.d)..<((r + 1) * lde)].allSatisfy { $0 == canary }, "\(shape) lde \(lde): padding of row \(r) written")
            }
        }
    }

    // MARK: errors: a status, nothing written

    enum Fault: String, CaseIterable, Sendable {
        case temperatureZero, temperatureNegative, temperatureNaN, temperatureInf
        case ldxBelowN, ldvBelowD, ldeBelowD, nPastIntMax, extentOverflow
        case nullE, nullX, nullV
    }

    @Test("C errors: the status, and the canary in E untouched", arguments: LinalgDType.allCases, Fault.allCases)
    func cErrors(dtype: LinalgDType, fault: Fault) {
        switch dtype {
        case .f32: checkFault(Float.self, fault)
        case .f64: checkFault(Double.self, fault)
        }
    }

    func checkFault<S: LinalgTestScalar>(_: S.Type, _ fault: Fault) {
        let x = [S](repeating: 1, count: 12), v = [S](repeating: 2, count: 12)
        var e = [S](repeating: 12345, count: 12)
        var (rows, n, ldx, t, d, ldv, lde) = (3, 4, 4, S(1), 3, 3, 3)
        var (xNil, vNil, eNil) = (false, false, false)
        let expected: smk_status
        switch fault {
        case .temperatureZero: t = 0; expected = SMK_ERR_TEMPERATURE
        case .temperatureNegative: t = -1; expected = SMK_ERR_TEMPERATURE
        case .temperatureNaN: t = .nan; expected = SMK_ERR_TEMPERATURE
        case .temperatureInf: t = .infinity; expected = SMK_ERR_TEMPERATURE
        case .ldxBelowN: ldx = 3; expected = SMK_ERR_SHAPE
        case .ldvBelowD: ldv = 2; expected = SMK_ERR_SHAPE
        case .ldeBelowD: lde = 2; expected = SMK_ERR_SHAPE
        case .nPastIntMax: rows = 1; n = Int(Int32.max) + 1; ldx = n; d = 1; ldv = 1; lde = 1; expected = SMK_ERR_SHAPE  // never read
        case .extentOverflow: ldx = Int.max / 2; expected = SMK_ERR_SHAPE
        case .nullE: eNil = true; expected = SMK_ERR_NULL
        case .nullX: xNil = true; expected = SMK_ERR_NULL
        case .nullV: vNil = true; expected = SMK_ERR_NULL
        }
        let status = x.withUnsafeBufferPointer { xp in
            v.withUnsafeBufferPointer { vp in
                e.withUnsafeMutableBufferPointer { ep in
                    S.cExpectation(xNil ? nil : xp.baseAddress, rows, n, ldx, t, vNil ? nil : vp.baseAddress, d, ldv,
                                   eNil ? nil : ep.baseAddress, lde, nil, 0)
                }
            }
        }
        #expect(status == expected, "\(fault): \(String(cString: smk_status_string(status)))")
        #expect(e.allSatisfy { $0 == 12345 }, "\(fault): E was written")
    }

    @Test("C: rows == 0 or d == 0 is valid and writes nothing", arguments: LinalgDType.allCases)
    func emptyCalls(dtype: LinalgDType) {
        func check<S: LinalgTestScalar>(_: S.Type) {
            let x = [S](repeating: 1, count: 4), v = [S](repeating: 1, count: 4)
            var e = [S](repeating: 12345, count: 4)
            #expect(S.cExpectation(nil, 0, 4, 4, 1, nil, 1, 1, nil, 1, nil, 0) == SMK_OK)
            #expect(S.cExpectation(x, 1, 4, 4, 1, v, 0, 0, &e, 0, nil, 0) == SMK_OK)
            #expect(e.allSatisfy { $0 == 12345 })
        }
        switch dtype {
        case .f32: check(Float.self)
        case .f64: check(Double.self)
        }
    }

    @Test("Swift errors: typed, and the output matrix untouched", arguments: [Backend.c, .swift])
    func swiftErrors(backend: Backend) throws {
        let x = try Matrix<Double>(rows: 2, cols: 3, repeating: 1)
        let v = try Matrix<Double>(rows: 3, cols: 2, repeating: 1)
        var e = try Matrix<Double>(rows: 2, cols: 2, repeating: 12345)
        for t in [0.0, -1, .nan, .infinity] {
            let error = #expect(throws: SmoothKitError.self) {
                try softmaxExpectation(x, values: v, temperature: t, backend: backend, into: &e)
            }
            guard case .invalidTemperature(let got)? = error else { Issue.record("τ = \(t): \(String(describing: error))"); continue }
            #expect(got == t || (got.isNaN && t.isNaN))
        }
        #expect(throws: SmoothKitError.self) {
            try softmaxExpectation(x, values: try Matrix<Double>(rows: 4, cols: 2, repeating: 1), backend: backend, into: &e)
        }
        var wrong = try Matrix<Double>(rows: 2, cols: 3, repeating: 12345)
        #expect(throws: SmoothKitError.self) { try softmaxExpectation(x, values: v, backend: backend, into: &wrong) }
        #expect(e.elements.allSatisfy { $0 == 12345 } && wrong.elements.allSatisfy { $0 == 12345 })
    }
}
