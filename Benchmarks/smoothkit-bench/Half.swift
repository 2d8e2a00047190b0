// float16 / bfloat16 storage against float on the same matrix: softmax, log_softmax, logsumexp
// and soft-argmax of a HalfMatrix (C backend, one call: one thread) against the Float op on a
// Matrix<Float> of the same values, C backend, 1 thread. Ratio above 1: the half op is faster.
import SmoothKit

/// One op and shape; times in seconds (median, thread CPU time).
struct HalfRecord: Codable {
    var op: String
    var shape: Shape
    var f32: Double
    var bf16: Double
    var f16: Double?
    var f32OverBF16: Double { f32 / bf16 }
    var f32OverF16: Double? { f16.map { f32 / $0 } }
}

extension Options {
    static let halfShapes = [Shape(4096, 1000), Shape(16384, 128)]
    static let quickHalfShapes = [Shape(1024, 1000), Shape(4096, 128)]
}

func runHalf(_ shape: Shape, _ opts: Options) throws -> [HalfRecord] {
    let values = makeInput(Float.self, count: shape.elements, seed: 7)
    let xf = try Matrix(rows: shape.rows, cols: shape.cols, elements: values)
    let xb = try HalfMatrix<BFloat16>(rows: shape.rows, cols: shape.cols, elements: values.map { BFloat16($0) })
    #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
    let xh: HalfMatrix<Float16>? = try HalfMatrix(rows: shape.rows, cols: shape.cols, elements: values.map { Float16($0) })
    #else
    let xh: HalfMatrix<BFloat16>? = nil
    #endif
    func time(_ body: () throws -> Void) rethrows -> Double {
        try medianTiming(minSeconds: opts.minSeconds, minReps: opts.minReps, body).cpu
    }
    var yf = try Matrix<Float>(rows: shape.rows, cols: shape.cols, repeating: 0)
    var yb = xb, yh = xh
    let ops: [(String, () throws -> Void, () throws -> Void, (() throws -> Void)?)] = [
        ("logsumexp", { _ = try logSumExp(xf, backend: .c, threads: 1) }, { _ = try logSumExp(xb, backend: .c) },
         xh.map { x in { _ = try logSumExp(x, backend: .c) } }),
        ("softmax", { try softmax(xf, backend: .c, threads: 1, into: &yf) }, { try softmax(xb, backend: .c, into: &yb) },
         xh.map { x in { try softmax(x, backend: .c, into: &yh!) } }),
        ("log_softmax", { try logSoftmax(xf, backend: .c, threads: 1, into: &yf) },
         { try logSoftmax(xb, backend: .c, into: &yb) }, xh.map { x in { try logSoftmax(x, backend: .c, into: &yh!) } }),
        ("softargmax", { _ = try softArgmax(xf, backend: .c, threads: 1) }, { _ = try softArgmax(xb, backend: .c) },
         xh.map { x in { _ = try softArgmax(x, backend: .c) } }),
    ]
    return try ops.filter { opts.ops.map(\.rawValue).contains($0.0) }.map { name, f32, bf16, f16 in
        HalfRecord(op: name, shape: shape, f32: try time(f32), bf16: try time(bf16), f16: try f16.map(time))
    }
}
