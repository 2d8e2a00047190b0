// Shapes whose extent overflows: SPEC §1 "Arguments" requires `ld ≥ cols` and a byte extent
// `((rows − 1)·ld + cols)·sizeof(element) ≤ PTRDIFF_MAX`, checked without overflow, and
// nothing touched on error. The buffers passed here are a few elements long, so any access
// to the claimed extent would be out of bounds (AddressSanitizer reports it under
// scripts/test-sanitizers); canaries show nothing was written. The real > 2^31-element
// rows are in scripts/test-huge (opt-in: 8 GiB and more).
import CSmoothKit
import Foundation
import SmoothKit
import Testing

/// One C entry point of one element type, called on caller-sized buffers.
private struct SizedCall<T: BinaryFloatingPoint>: Sendable {
    let name: String
    let isMap: Bool
    let call: @Sendable (UnsafePointer<T>, Int, Int, Int, UnsafeMutablePointer<T>, Int) -> smk_status
}

private let float32Calls: [SizedCall<Float>] = [
    .init(name: "logsumexp_f32", isMap: false) { x, r, c, ldx, y, _ in smk_logsumexp_f32(x, r, c, ldx, 1, y) },
    .init(name: "softmax_f32", isMap: true) { x, r, c, ldx, y, ldy in smk_softmax_f32(x, r, c, ldx, 1, y, ldy) },
    .init(name: "log_softmax_f32", isMap: true) { x, r, c, ldx, y, ldy in smk_log_softmax_f32(x, r, c, ldx, 1, y, ldy) },
    .init(name: "softargmax_f32", isMap: false) { x, r, c, ldx, y, _ in smk_softargmax_f32(x, r, c, ldx, 1, y) },
]
private let float64Calls: [SizedCall<Double>] = [
    .init(name: "logsumexp_f64", isMap: false) { x, r, c, ldx, y, _ in smk_logsumexp_f64(x, r, c, ldx, 1, y) },
    .init(name: "softmax_f64", isMap: true) { x, r, c, ldx, y, ldy in smk_softmax_f64(x, r, c, ldx, 1, y, ldy) },
    .init(name: "log_softmax_f64", isMap: true) { x, r, c, ldx, y, ldy in smk_log_softmax_f64(x, r, c, ldx, 1, y, ldy) },
    .init(name: "softargmax_f64", isMap: false) { x, r, c, ldx, y, _ in smk_softargmax_f64(x, r, c, ldx, 1, y) },
]

/// size_t arguments are `Int` in Swift; values past Int.max travel as their bit pattern.
private func sz(_ v: UInt) -> Int { Int(bitPattern: v) }

/// A shape that SPEC §1 rejects, and why. `elem` is the element size it is built for.
struct SizesBadShape: CustomTestStringConvertible, Sendable {
    let why: String
    let rows: UInt, cols: UInt, ld: UInt
    var testDescription: String { "\(why) (rows \(rows), cols \(cols), ld \(ld))" }

    static func table(elem: UInt) -> [SizesBadShape] {
        let maxExtent = UInt(Int.max) / elem // elements that fit in PTRDIFF_MAX bytes
        return [
            SizesBadShape(why: "(rows − 1)·ld wraps size_t", rows: 3, cols: 1, ld: UInt.max / 2 + 1),
            SizesBadShape(why: "(rows − 1)·ld + cols wraps size_t", rows: 2, cols: 2, ld: UInt.max - 1),
            SizesBadShape(why: "extent·sizeof wraps size_t", rows: 2, cols: 1, ld: UInt.max / elem + 1),
            SizesBadShape(why: "extent one element past PTRDIFF_MAX bytes", rows: 2, cols: 1, ld: maxExtent),
            SizesBadShape(why: "extent just past PTRDIFF_MAX bytes, many rows", rows: 1000, cols: 5,
                     ld: (maxExtent - 5) / 999 + 1),
            SizesBadShape(why: "rows·ld past PTRDIFF_MAX, tiny ld", rows: UInt(Int.max) / 2, cols: 1, ld: 8),
            SizesBadShape(why: "cols alone past PTRDIFF_MAX bytes", rows: 1, cols: maxExtent + 1, ld: maxExtent + 1),
            SizesBadShape(why: "cols = SIZE_MAX", rows: 1, cols: UInt.max, ld: UInt.max),
            SizesBadShape(why: "ld = cols − 1", rows: 2, cols: 4, ld: 3),
            SizesBadShape(why: "ld = 0 with cols > 0", rows: 1, cols: 1, ld: 0),
        ]
    }
}

@Suite("Sizes: extents past PTRDIFF_MAX and size_t overflow")
struct SizesTests {
    static let canary: Float = -12345.5

    /// Every entry point rejects each bad shape with SMK_ERR_SHAPE and writes nothing; for maps
    /// the bad extent is tried on ldx (x) and on ldy (y) separately.
    @Test("bad shape → SMK_ERR_SHAPE, nothing touched (f32)", arguments: SizesBadShape.table(elem: 4))
    func rejectsFloat(_ shape: SizesBadShape) {
        for entry in float32Calls { expectRejected(entry, shape) }
    }

    @Test("bad shape → SMK_ERR_SHAPE, nothing touched (f64)", arguments: SizesBadShape.table(elem: 8))
    func rejectsDouble(_ shape: SizesBadShape) {
        for entry in float64Calls { expectRejected(entry, shape) }
    }

    private func expectRejected<T: BinaryFloatingPoint>(_ e: SizedCall<T>, _ s: SizesBadShape) {
        let n = 8
        let x = UnsafeMutablePointer<T>.allocate(capacity: n)
        let y = UnsafeMutablePointer<T>.allocate(capacity: n)
        defer { x.deallocate(); y.deallocate() }
        x.initialize(repeating: 1, count: n)
        let sites = e.isMap ? ["ldx", "ldy"] : ["ldx"]
        for site in sites {
            y.initialize(repeating: T(Self.canary), count: n)
            // The bad leading dimension goes to one argument; the other gets a valid one.
            let good = s.cols
            let ldx = site == "ldx" ? s.ld : good, ldy = site == "ldy" ? s.ld : good
            let status = e.call(x, sz(s.rows), sz(s.cols), sz(ldx), y, sz(ldy))
            #expect(status == SMK_ERR_SHAPE, "\(e.name) \(site): \(s.testDescription) gave \(status)")
            #expect((0..<n).allSatisfy { y[$0] == T(Self.canary) }, "\(e.name) \(site): output written")
            #expect((0..<n).allSatisfy { x[$0] == 1 }, "\(e.name) \(site): input written")
        }
    }

    /// The boundary itself is valid: a single row ignores ld (even SIZE_MAX), and an extent of
    /// exactly ⌊PTRDIFF_MAX / sizeof⌋ elements with cols = 0 is accepted without reading x.
    @Test("valid extents at the limit are accepted")
    func acceptsBoundary() {
        let x: [Float] = [0, 1, 2]
        var out: [Float] = [0, 0]
        let single = x.withUnsafeBufferPointer { xb in
            out.withUnsafeMutableBufferPointer { smk_logsumexp_f32(xb.baseAddress, 1, 3, sz(UInt.max), 1, $0.baseAddress) }
        }
        #expect(single == SMK_OK)
        // L = log(e⁰ + e¹ + e²), evaluated in Double; SPEC bound 8u·max(|L|, τ), u = 2^-24.
        let want = log(1 + exp(1.0) + exp(2.0))
        #expect(abs(Double(out[0]) - want) <= 8 * 0x1p-24 * max(want, 1))

        let limit = UInt(Int.max) / 4 // the largest extent of floats within PTRDIFF_MAX bytes
        let empty = x.withUnsafeBufferPointer { xb in
            out.withUnsafeMutableBufferPointer { smk_logsumexp_f32(xb.baseAddress, 2, 0, sz(limit), 1, $0.baseAddress) }
        }
        #expect(empty == SMK_OK)
        #expect(out == [-.infinity, -.infinity], "cols == 0: logsumexp is −∞ (empty sum)")
    }

    /// The Swift façade refuses matrices whose element count overflows Int or cannot be
    /// addressed, with a typed error instead of a trap.
    @Test("Matrix rejects rows·ld overflow", arguments: [
        (Int.max, 2, 2), (2, Int.max, Int.max), (1 << 40, 1 << 30, 1 << 30), (3, 4, Int.max / 2),
    ])
    func matrixRejects(_ shape: (Int, Int, Int)) {
        #expect(throws: SmoothKitError.self) {
            _ = try Matrix<Float>(rows: shape.0, cols: shape.1, leadingDimension: shape.2, repeating: 0)
        }
        #expect(throws: SmoothKitError.self) {
            _ = try Matrix<Double>(rows: shape.0, cols: shape.1, leadingDimension: shape.2, repeating: 0)
        }
    }
}
