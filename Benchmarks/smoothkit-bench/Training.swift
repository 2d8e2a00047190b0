// The training ops of docs/training.md, each against the composition it replaces: plain Swift
// loops or the library's own forward ops. One thread, τ = 1; every timed call allocates its
// result as a Matrix, fused and composition alike (the training API returns new matrices).
import SmoothKit

/// A fused training op, named as in the C ABI (without `smk_` and the type suffix).
enum TrainOp: String, CaseIterable, Codable {
    case softmax_backward, log_softmax_backward, logsumexp_backward, softargmax_backward, cross_entropy,
         masked_softmax, col_softmax

    /// The composition the fused call is timed against.
    var baseline: String {
        switch self {
        case .softmax_backward: "loops: <g,p> per row, then p(g - <g,p>)/t"
        case .log_softmax_backward: "loops: p = exp(log p) (libm), sum g, then (g - p sum g)/t"
        case .logsumexp_backward: "softmax, then loop g p"
        case .softargmax_backward: "softmax, then loops a = sum i p_i, g p_i (i - a)/t"
        case .cross_entropy: "logSoftmax + gather (loss), softmax - onehot (gradient)"
        case .masked_softmax: "softmax without the mask"
        case .col_softmax: "softmax of the transpose (transposed before timing)"
        }
    }
}

/// One fused op and its composition on the same data; ratios fused over composition.
struct TrainRecord: Codable {
    var op: TrainOp
    var dtype: DType
    var shape: Shape
    var baseline: String
    var fusedGelemPerSecond: Double
    var baselineGelemPerSecond: Double
    /// Wall-clock ratio, and the same over the calling thread's CPU time (see Measure.swift).
    var fusedOverBaseline: Double
    var fusedOverBaselineCPU: Double
}

extension Options {
    /// The training rows' shapes: long rows (a classifier's logits) and short rows (attention).
    static let trainShapes = [Shape(4096, 1000), Shape(16384, 128)]
    static let quickTrainShapes = [Shape(1024, 1000), Shape(4096, 128)]
}

/// The inputs every training row reads, made once per shape: logits `x`, its softmax `p` and
/// log-softmax `lp`, an upstream matrix `g` and one upstream value per row, labels, row
/// lengths (ragged, 0–7 short of full) and the transpose of `x`.
struct TrainInputs<S: BenchScalar> {
    let shape: Shape
    let x, p, lp, g, xT: Matrix<S>
    let pArr, lpArr, gArr, gRow: [S]
    let labels: [Int]
    let mask: RowMask

    init(_ shape: Shape) throws {
        self.shape = shape
        let (rows, cols) = (shape.rows, shape.cols)
        let xs = makeInput(S.self, count: shape.elements, seed: UInt64(shape.rows * 31 + shape.cols))
        x = try Matrix(rows: rows, cols: cols, elements: xs)
        p = try softmax(x, threads: 1)
        lp = try logSoftmax(x, threads: 1)
        gArr = makeInput(S.self, count: shape.elements, seed: 7)
        g = try Matrix(rows: rows, cols: cols, elements: gArr)
        pArr = p.elements
        lpArr = lp.elements
        gRow = makeInput(S.self, count: rows, seed: 11)
        labels = (0..<rows).map { $0 * 7 % cols }
        mask = try RowMask(rows: rows, cols: cols, lengths: (0..<rows).map { max(1, cols - $0 % 8) })
        xT = try Matrix(rows: cols, cols: rows, elements: (0..<shape.elements).map { xs[($0 % rows) * cols + $0 / rows] })
    }

    /// The fused call of `op`.
    func fused(_ op: TrainOp) throws {
        switch op {
        case .softmax_backward: _ = try softmaxBackward(probabilities: p, upstream: g, threads: 1)
        case .log_softmax_backward: _ = try logSoftmaxBackward(output: lp, upstream: g, threads: 1)
        case .logsumexp_backward: _ = try logSumExpBackward(x, upstream: gRow, threads: 1)
        case .softargmax_backward: _ = try softArgmaxBackward(x, upstream: gRow, threads: 1)
        case .cross_entropy: _ = try crossEntropy(logits: x, labels: labels)
        case .masked_softmax: _ = try maskedSoftmax(x, mask: mask)
        case .col_softmax: _ = try columnSoftmax(x)
        }
    }

    /// The composition `op` replaces (TrainOp.baseline).
    func composed(_ op: TrainOp) throws {
        let (rows, cols) = (shape.rows, shape.cols), tau: S = 1
        switch op {
        case .softmax_backward, .log_softmax_backward, .logsumexp_backward, .softargmax_backward:
            // dx is allocated as the fused call's result is: zeros, or the softmax it scales.
            let fromX = op == .logsumexp_backward || op == .softargmax_backward
            var dx = fromX ? try softmax(x, threads: 1) : try Matrix<S>(rows: rows, cols: cols, repeating: 0)
            let y = op == .softmax_backward ? pArr : lpArr
            y.withUnsafeBufferPointer { yb in
                gArr.withUnsafeBufferPointer { gb in
                    for r in 0..<rows {
                        let (yr, gr, gv) = (yb.baseAddress! + r * cols, gb.baseAddress! + r * cols, gRow[r])
                        dx.withMutableRow(r) { span in
                            span.withUnsafeMutableBufferPointer { d in
                                switch op {
                                case .softmax_backward:
                                    var dot: S = 0
                                    for i in 0..<cols { dot += gr[i] * yr[i] }
                                    for i in 0..<cols { d[i] = yr[i] * (gr[i] - dot) / tau }
                                case .log_softmax_backward:
                                    for i in 0..<cols { d[i] = S.libmExp(yr[i]) }
                                    var sg: S = 0
                                    for i in 0..<cols { sg += gr[i] }
                                    for i in 0..<cols { d[i] = (gr[i] - d[i] * sg) / tau }
                                case .logsumexp_backward:
                                    for i in 0..<cols { d[i] *= gv }
                                default:
                                    var a: S = 0
                                    for i in 0..<cols { a += S(i) * d[i] }
                                    for i in 0..<cols { d[i] = gv * d[i] * (S(i) - a) / tau }
                                }
                            }
                        }
                    }
                }
            }
        case .cross_entropy:
            let lps = try logSoftmax(x, threads: 1)
            var loss: S = 0
            for r in 0..<rows { loss -= lps[r, labels[r]] }
            var grad = try softmax(x, threads: 1)
            let scale = 1 / S(rows)
            for r in 0..<rows {
                grad.withMutableRow(r) { span in
                    span.withUnsafeMutableBufferPointer { d in
                        d[labels[r]] -= 1
                        for i in 0..<cols { d[i] *= scale }
                    }
                }
            }
            precondition(loss.isFinite)
        case .masked_softmax: _ = try softmax(x, threads: 1)
        case .col_softmax: _ = try softmax(xT, threads: 1)
        }
    }
}

/// Times every training op, fused and composed, on `shape` in `S` with 1 thread.
func runTraining<S: BenchScalar>(_: S.Type, _ shape: Shape, _ opts: Options,
                                 progress: (String) -> Void) throws -> [TrainRecord] {
    let inputs = try TrainInputs<S>(shape)
    let elements = Double(shape.elements)
    return try TrainOp.allCases.map { op in
        let f = try medianTiming(minSeconds: opts.minSeconds, minReps: opts.minReps) { try inputs.fused(op) }
        let b = try medianTiming(minSeconds: opts.minSeconds, minReps: opts.minReps) { try inputs.composed(op) }
        let r = TrainRecord(op: op, dtype: S.dtype, shape: shape, baseline: op.baseline,
                            fusedGelemPerSecond: elements / f.wall / 1e9, baselineGelemPerSecond: elements / b.wall / 1e9,
                            fusedOverBaseline: b.wall / f.wall, fusedOverBaselineCPU: b.cpu / f.cpu)
        progress("\(op.rawValue) \(S.dtype.rawValue) \(shape): fused \(fixed(r.fusedGelemPerSecond, 3)), composed "
                 + "\(fixed(r.baselineGelemPerSecond, 3)) Gelem/s")
        return r
    }
}
