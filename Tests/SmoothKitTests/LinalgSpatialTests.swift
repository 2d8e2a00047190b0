// 2-D spatial soft-argmax (smoothkit_linalg.h, spatialSoftArgmax): kornia's conventions on
// hand-checked maps, a Float80 reference on random maps, edge maps, the gradient against central
// finite differences, every error path with canaries, C vs Swift.
import CSmoothKit
import Glibc
import Testing
@testable import SmoothKit

/// A hand-checked map: h × w values (given as exponents of e·τ where convenient) and (x, y).
struct SpatialCase: Sendable, CustomTestStringConvertible {
    let name: String
    let h, w: Int
    let map: [Double]
    let temperature: Double
    let pixel: (x: Double, y: Double)
    let normalized: (x: Double, y: Double)
    var testDescription: String { name }
}

@Suite("Linalg: spatial soft-argmax")
struct LinalgSpatialTests {
    static let sigmoid1 = 1 / (1 + exp(-1.0))
    static let cases: [SpatialCase] = [
        // e = (1, 1, 1; 1, 1, 7), Σ = 12: x = (0+1+2 + 0+1 + 2·7)/12 = 18/12 = 1.5, y = (1 + 1 + 7)/12 = 0.75.
        // Normalised: x = −1 + 2·1.5/(3 − 1) = 0.5, y = −1 + 2·0.75/(2 − 1) = 0.5.
        SpatialCase(name: "2×3, one pixel ×7", h: 2, w: 3, map: [0, 0, 0, 0, 0, log(7)], temperature: 1,
                    pixel: (1.5, 0.75), normalized: (0.5, 0.5)),
        // 1×2 map (0, 2), τ = 2: p = (1, e)/(1 + e), x = σ(1); normalised −1 + 2σ(1) = tanh(½).
        // h == 1: y = 0 in both systems (the single row sits at the centre). kornia: temperature β = ½.
        SpatialCase(name: "1×2, τ 2 (kornia β ½)", h: 1, w: 2, map: [0, 2], temperature: 2,
                    pixel: (sigmoid1, 0), normalized: (tanh(0.5), 0)),
        // Uniform 3×3: the centre, pixel (1, 1), normalised (0, 0), for any τ.
        SpatialCase(name: "uniform 3×3", h: 3, w: 3, map: [Double](repeating: 0.25, count: 9), temperature: 5,
                    pixel: (1, 1), normalized: (0, 0)),
        // 3×1 (w == 1): e = (1, 2, 5)/8, y = (0 + 2 + 10)/8 = 1.5, normalised −1 + 2·1.5/2 = 0.5; x = 0 (centre).
        SpatialCase(name: "3×1 column", h: 3, w: 1, map: [0, log(2), log(5)], temperature: 1,
                    pixel: (0, 1.5), normalized: (0, 0.5)),
        // Two +∞ at (0, 0) and (1, 1) of a 2×2: their mean, pixel (½, ½), normalised (0, 0).
        SpatialCase(name: "2×2 with +∞ on the diagonal", h: 2, w: 2, map: [.infinity, 0, 5, .infinity], temperature: 1,
                    pixel: (0.5, 0.5), normalized: (0, 0)),
        // A sharp peak at row 2, column 0 of a 3×4 (τ = 0.01, margin 100/τ): pixel (0, 2), normalised (−1, 1).
        SpatialCase(name: "3×4 sharp peak", h: 3, w: 4, map: [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0], temperature: 0.01,
                    pixel: (0, 2), normalized: (-1, 1)),
    ]

    static func bound<S: LinalgTestScalar>(_: S.Type, h: Int, w: Int, _ coords: SpatialCoordinates) -> Double {
        Double(h + w + 10) * S.u * (coords == .pixel ? Double(max(w, h) - 1) : 2) + Double(S.leastNormalMagnitude)
    }

    @Test("kornia's conventions on hand-checked maps, both coordinate systems, C and Swift",
          arguments: LinalgDType.allCases, cases)
    func handChecked(dtype: LinalgDType, c: SpatialCase) throws {
        switch dtype {
        case .f32: try checkCase(Float.self, c)
        case .f64: try checkCase(Double.self, c)
        }
    }

    func checkCase<S: LinalgTestScalar>(_: S.Type, _ c: SpatialCase) throws {
        let map = try Matrix<S>(rows: 1, cols: c.h * c.w, elements: c.map.map { S($0) })
        for backend in [Backend.c, .swift] {
            try withStableISA(for: backend) {
                for (coords, want) in [(SpatialCoordinates.pixel, c.pixel), (.normalized, c.normalized)] {
                    let xy = try spatialSoftArgmax(map, height: c.h, width: c.w, temperature: S(c.temperature),
                                                   coordinates: coords, backend: backend)
                    let tol = Self.bound(S.self, h: c.h, w: c.w, coords) + S.u * 2   // + rounding of the closed form
                    #expect(abs(Double(xy[0, 0]) - want.x) <= tol && abs(Double(xy[0, 1]) - want.y) <= tol,
                            "\(backend) \(coords): \(xy.row(0)) vs \(want)")
                }
            }
        }
    }

    @Test("random maps: Float80 softmax-then-mean reference within (h + w + 10)·u·R; C and Swift agree",
          arguments: LinalgDType.allCases, [0.05, 1, 10])
    func randomMaps(dtype: LinalgDType, temperature: Double) throws {
        switch dtype {
        case .f32: try checkRandom(Float.self, temperature)
        case .f64: try checkRandom(Double.self, temperature)
        }
    }

    func checkRandom<S: LinalgTestScalar>(_: S.Type, _ t: Double) throws {
        var rng = SplitMix64(UInt64(t * 100) + 1)
        for (maps, h, w, pad) in [(5, 7, 9, 3), (3, 16, 16, 0), (2, 1, 33, 1)] {
            let vals = (0..<(maps * h * w)).map { _ in S(rng.uniform(-2, 2)) }
            var heat = try Matrix<S>(rows: maps, cols: h * w, leadingDimension: h * w + pad, repeating: .nan)
            for k in 0..<maps { heat.withMutableRow(k) { row in for m in 0..<(h * w) { row[m] = vals[k * h * w + m] } } }
            for coords in SpatialCoordinates.allCases {
                let (ax, ay) = (coords.axis(w), coords.axis(h))
                let c = try spatialSoftArgmax(heat, height: h, width: w, temperature: S(t), coordinates: coords, backend: .c)
                let s = try spatialSoftArgmax(heat, height: h, width: w, temperature: S(t), coordinates: coords, backend: .swift)
                let tol = Self.bound(S.self, h: h, w: w, coords)
                for k in 0..<maps {
                    let p = referenceSoftmax(vals[(k * h * w)..<((k + 1) * h * w)].map { Float80($0) }, temperature: Float80(S(t)))
                    var xi: Float80 = 0, yi: Float80 = 0
                    for i in 0..<h { for j in 0..<w { xi += p[i * w + j] * Float80(j); yi += p[i * w + j] * Float80(i) } }
                    let rx = Float80(ax.origin) + Float80(ax.step) * xi, ry = Float80(ay.origin) + Float80(ay.step) * yi
                    for (name, got) in [("C", c), ("Swift", s)] {
                        #expect(abs(Double(Float80(got[k, 0]) - rx)) <= tol && abs(Double(Float80(got[k, 1]) - ry)) <= tol,
                                "\(name) \(coords) \(h)×\(w) map \(k): \(got.row(k)) vs (\(rx), \(ry))")
                    }
                }
            }
        }
    }

    @Test("edge maps: NaN → NaN, fully masked → NaN, no pixel → NaN; maps independent", arguments: [Backend.c, .swift])
    func edgeMaps(backend: Backend) throws {
        let maps: [[Double]] = [[0, 1, 2, 3], [0, .nan, 2, 3], [-.infinity, -.infinity, -.infinity, -.infinity],
                                [-.infinity, 0, -.infinity, 0]]
        let xy = try spatialSoftArgmax(try Matrix<Double>(rows: 4, cols: 4, elements: maps.flatMap { $0 }),
                                       height: 2, width: 2, coordinates: .pixel, backend: backend)
        let alone = try spatialSoftArgmax(try Matrix<Double>(rows: 1, cols: 4, elements: maps[0]), height: 2, width: 2,
                                          coordinates: .pixel, backend: backend)
        #expect(xy.row(0) == alone.row(0))
        #expect(xy.row(1).allSatisfy { $0.isNaN } && xy.row(2).allSatisfy { $0.isNaN })
        #expect(xy.row(3) == [1, 0.5])     // p = (0, ½, 0, ½) on pixels (1, 0) and (1, 1)
        let empty = try spatialSoftArgmax(try Matrix<Double>(rows: 2, cols: 0, repeating: 0), height: 0, width: 5, backend: backend)
        #expect(empty.elements.allSatisfy { $0.isNaN } && empty.rows == 2)
    }

    // MARK: gradient

    @Test("gradient = central finite differences of gx·x + gy·y (in Double); in place equals out of place",
          arguments: LinalgDType.allCases, SpatialCoordinates.allCases)
    func gradient(dtype: LinalgDType, coords: SpatialCoordinates) throws {
        switch dtype {
        case .f32: try checkGradient(Float.self, coords)
        case .f64: try checkGradient(Double.self, coords)
        }
    }

    func checkGradient<S: LinalgTestScalar>(_: S.Type, _ coords: SpatialCoordinates) throws {
        let (maps, h, w, t) = (2, 3, 4, 0.7)
        var rng = SplitMix64(17)
        let vals = (0..<(maps * h * w)).map { _ in Double(S(rng.uniform(-1, 1))) }
        let up: [Double] = [0.8, -1.3, -0.4, 2.1]
        let heat = try Matrix<S>(rows: maps, cols: h * w, elements: vals.map { S($0) })
        let upstream = try Matrix<S>(rows: maps, cols: 2, elements: up.map { S($0) })
        // ∂(gx·x + gy·y)/∂X_m by central differences of the Double C forward, step 1e-5
        // (truncation ~h²·R/τ³ ≈ 1e-9, roundoff ~u·R/h ≈ 1e-10).
        let step = 1e-5
        func objective(_ v: [Double], _ k: Int) throws -> Double {
            let xy = try spatialSoftArgmax(try Matrix<Double>(rows: 1, cols: h * w, elements: Array(v[(k * h * w)..<((k + 1) * h * w)])),
                                           height: h, width: w, temperature: t, coordinates: coords, backend: .c)
            return up[2 * k] * xy[0, 0] + up[2 * k + 1] * xy[0, 1]
        }
        var fd = [Double](repeating: 0, count: maps * h * w)
        for m in 0..<(maps * h * w) {
            var plus = vals, minus = vals
            plus[m] += step; minus[m] -= step
            fd[m] = (try objective(plus, m / (h * w)) - objective(minus, m / (h * w))) / (2 * step)
        }
        let r = coords == .pixel ? Double(w - 1) : 2
        let tol = 1e-7 + 64 * S.u * r * 3 / t
        for backend in [Backend.c, .swift] {
            try withStableISA(for: backend) {
                let g = try spatialSoftArgmaxGradient(heat, height: h, width: w, temperature: S(t), coordinates: coords,
                                                      upstream: upstream, backend: backend)
                for m in 0..<(maps * h * w) {
                    #expect(abs(Double(g[m / (h * w), m % (h * w)]) - fd[m]) <= tol, "\(backend) ∂/∂X[\(m)] = \(g[m / (h * w), m % (h * w)]), FD \(fd[m])")
                }
            }
        }
        // In place through the C ABI: dheat == heat.
        var buffer = vals.map { S($0) }
        let upS = up.map { S($0) }
        let (outOfPlace, status) = try withStableISA { // bit for bit: one instruction-set path
            (try spatialSoftArgmaxGradient(heat, height: h, width: w, temperature: S(t), coordinates: coords,
                                           upstream: upstream, backend: .c),
             buffer.withUnsafeMutableBufferPointer { b in
                 S.cSpatialGrad(b.baseAddress, maps, h, w, h * w, S(t), coords.cValue, upS, b.baseAddress, h * w)
             })
        }
        #expect(status == SMK_OK && buffer == outOfPlace.elements)
    }

    @Test("gradient edge maps: +∞ → 0, NaN or masked → NaN", arguments: [Backend.c, .swift])
    func gradientEdges(backend: Backend) throws {
        let maps: [Double] = [.infinity, 0, 1, 2, .nan, 0, 1, 2, -.infinity, -.infinity, -.infinity, -.infinity]
        let g = try spatialSoftArgmaxGradient(try Matrix<Double>(rows: 3, cols: 4, elements: maps), height: 2, width: 2,
                                              upstream: try Matrix<Double>(rows: 3, cols: 2, repeating: 1), backend: backend)
        #expect(g.row(0) == [0, 0, 0, 0])
        #expect(g.row(1).allSatisfy { $0.isNaN } && g.row(2).allSatisfy { $0.isNaN })
        // No pixel (h·w == 0): valid, nothing to write, so heat and dheat may be NULL.
        #expect(smk_spatial_softargmax_grad_f64(nil, 2, 0, 5, 0, 1, SMK_COORDS_PIXEL, [1, 1, 1, 1], nil, 0) == SMK_OK)
    }

    // MARK: errors

    enum Fault: String, CaseIterable, Sendable {
        case temperatureZero, temperatureNaN, hwOverflow, ldhBelowHW, lddBelowHW, coordsUnknown
        case nullXY, nullHeat, nullGXY, nullDHeat, workTooSmall, workMisaligned
    }

    @Test("C errors: the status, and the canaries untouched", arguments: LinalgDType.allCases, Fault.allCases)
    func cErrors(dtype: LinalgDType, fault: Fault) {
        switch dtype {
        case .f32: checkFault(Float.self, fault)
        case .f64: checkFault(Double.self, fault)
        }
    }

    func checkFault<S: LinalgTestScalar>(_: S.Type, _ fault: Fault) {
        let heat = [S](repeating: 1, count: 12), gxy = [S](repeating: 1, count: 4)
        var xy = [S](repeating: 12345, count: 4), d = [S](repeating: 12345, count: 12)
        var (t, h, w, ldh, ldd, coords) = (S(1), 2, 3, 6, 6, SMK_COORDS_NORMALIZED)
        var (nilXY, nilHeat, nilG, nilD) = (false, false, false, false)
        let bytes = S.cSpatialWorkspace(2, 3)
        let work = UnsafeMutableRawPointer.allocate(byteCount: bytes + 64, alignment: 64)
        defer { work.deallocate() }
        var (wp, wb): (UnsafeMutableRawPointer?, Int) = (nil, 0)
        let expected: smk_status
        switch fault {
        case .temperatureZero: t = 0; expected = SMK_ERR_TEMPERATURE
        case .temperatureNaN: t = .nan; expected = SMK_ERR_TEMPERATURE
        case .hwOverflow: h = Int.max / 2; w = 3; expected = SMK_ERR_SHAPE
        case .ldhBelowHW: ldh = 5; expected = SMK_ERR_SHAPE
        case .lddBelowHW: ldd = 5; expected = SMK_ERR_SHAPE
        case .coordsUnknown: coords = smk_coords(rawValue: 7); expected = SMK_ERR_DOMAIN
        case .nullXY: nilXY = true; expected = SMK_ERR_NULL
        case .nullHeat: nilHeat = true; expected = SMK_ERR_NULL
        case .nullGXY: nilG = true; expected = SMK_ERR_NULL
        case .nullDHeat: nilD = true; expected = SMK_ERR_NULL
        case .workTooSmall: (wp, wb) = (work, bytes - 1); expected = SMK_ERR_SHAPE
        case .workMisaligned: (wp, wb) = (work + 1, bytes); expected = SMK_ERR_SHAPE
        }
        let forwardFaults: Set<Fault> = [.lddBelowHW, .nullGXY, .nullDHeat]
        let gradientFaults: Set<Fault> = [.nullXY, .workTooSmall, .workMisaligned]
        if !forwardFaults.contains(fault) {
            let s = heat.withUnsafeBufferPointer { hp in xy.withUnsafeMutableBufferPointer { xp in
                S.cSpatial(nilHeat ? nil : hp.baseAddress, 2, h, w, ldh, t, coords, nilXY ? nil : xp.baseAddress, wp, wb)
            } }
            #expect(s == expected, "forward \(fault): \(String(cString: smk_status_string(s)))")
        }
        if !gradientFaults.contains(fault) {
            let s = heat.withUnsafeBufferPointer { hp in gxy.withUnsafeBufferPointer { gp in d.withUnsafeMutableBufferPointer { dp in
                S.cSpatialGrad(nilHeat ? nil : hp.baseAddress, 2, h, w, ldh, t, coords, nilG ? nil : gp.baseAddress,
                               nilD ? nil : dp.baseAddress, ldd)
            } } }
            #expect(s == expected, "gradient \(fault): \(String(cString: smk_status_string(s)))")
        }
        #expect(xy.allSatisfy { $0 == 12345 } && d.allSatisfy { $0 == 12345 }, "\(fault): an output was written")
    }

    @Test("C: a workspace malloc that fails is SMK_ERR_COMPUTE, nothing written", arguments: LinalgDType.allCases)
    func mallocFailure(dtype: LinalgDType) {
        // One 2^29 × 2^30 map: a valid extent (2^59 elements ≤ PTRDIFF_MAX bytes), but its
        // probabilities need 2^61–2^62 bytes, more than any address space: malloc fails before
        // the map is read, so a tiny buffer stands in for it.
        func check<S: LinalgTestScalar>(_: S.Type) {
            let (h, w) = (1 << 29, 1 << 30)
            let heat = [S](repeating: 0, count: 4)
            var xy = [S](repeating: 12345, count: 2)
            #expect(S.cSpatial(heat, 1, h, w, h * w, 1, SMK_COORDS_PIXEL, &xy, nil, 0) == SMK_ERR_COMPUTE)
            #expect(xy == [12345, 12345])
        }
        switch dtype {
        case .f32: check(Float.self)
        case .f64: check(Double.self)
        }
    }

    @Test("Swift errors: typed", arguments: [Backend.c, .swift])
    func swiftErrors(backend: Backend) throws {
        let heat = try Matrix<Float>(rows: 2, cols: 6, repeating: 0)
        #expect(throws: SmoothKitError.self) { try spatialSoftArgmax(heat, height: 2, width: 3, temperature: 0, backend: backend) }
        #expect(throws: SmoothKitError.self) { try spatialSoftArgmax(heat, height: 2, width: 2, backend: backend) }
        #expect(throws: SmoothKitError.self) { try spatialSoftArgmax(heat, height: -2, width: -3, backend: backend) }
        #expect(throws: SmoothKitError.self) {
            try spatialSoftArgmaxGradient(heat, height: 2, width: 3, upstream: try Matrix<Float>(rows: 2, cols: 3, repeating: 0),
                                          backend: backend)
        }
    }
}
