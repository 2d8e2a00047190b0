// The caller's arrays in and out: softmax through MatrixView / MutableMatrixView (no copy)
// against what a caller without views does (copy the array into a Matrix, run the op, copy the
// result out), with the op alone on Matrix storage as the floor. Same data, same threads.
import SmoothKit

/// One shape and thread count of the view-against-copy row; times in seconds (median).
struct ViewRecord: Codable {
    var dtype: DType
    var shape: Shape
    var threads: Int
    /// softmax(MatrixView, into: MutableMatrixView) from the caller's array into the caller's array.
    var view: Double
    /// softmax(Matrix, into: Matrix) on matrices made beforehand: the op alone.
    var opOnly: Double
    /// Matrix(rows:cols:elements: array), then softmax(into:) a matrix made beforehand.
    var copyIn: Double
    /// Matrix(rows:cols:elements: array), softmax(x), then .elements: the array back.
    var copyInOut: Double
    /// copyInOut over view: what the copies cost the caller.
    var copyOverView: Double { copyInOut / view }
}

extension Options {
    /// The shape: 1000 rows of 512 logits.
    static let viewShapes = [Shape(1000, 512)]
}

/// Times the four ways for one element type and shape at each thread count.
func runViews<S: BenchScalar>(_: S.Type, _ shape: Shape, threads: [Int], _ opts: Options) throws -> [ViewRecord] {
    let (rows, cols) = (shape.rows, shape.cols)
    let input = makeInput(S.self, count: shape.elements, seed: 5)
    var output = [S](repeating: 0, count: shape.elements)
    let x = try Matrix(rows: rows, cols: cols, elements: input)
    var y = try Matrix<S>(rows: rows, cols: cols, repeating: 0)
    func time(_ body: () throws -> Void) rethrows -> Double {
        try medianTiming(minSeconds: opts.minSeconds, minReps: opts.minReps, body).wall
    }
    return try threads.map { n in
        let view = try time {
            var out = try MutableMatrixView(rows: rows, cols: cols, elements: output.mutableSpan)
            try softmax(MatrixView(rows: rows, cols: cols, elements: input.span), threads: n, into: &out)
        }
        let opOnly = try time { try softmax(x, threads: n, into: &y) }
        let copyIn = try time { try softmax(Matrix(rows: rows, cols: cols, elements: input), threads: n, into: &y) }
        let copyInOut = try time {
            output = try softmax(Matrix(rows: rows, cols: cols, elements: input), threads: n).elements
        }
        return ViewRecord(dtype: S.dtype, shape: shape, threads: n, view: view, opOnly: opOnly, copyIn: copyIn,
                          copyInOut: copyInOut)
    }
}
