import CSmoothKit

/// The four batched row ops of SPEC §1.
enum RowOp: Sendable {
    case logSumExp, softmax, logSoftmax, softArgmax

    /// Maps write a matrix; the others reduce each row to one value.
    var isMap: Bool { self == .softmax || self == .logSoftmax }
}

/// The façade's one dispatch point: runs `op` on a block of rows with `backend`.
/// Arguments are already valid (SPEC §1); `out` has `rows` elements for reductions, or is
/// a matrix with leading dimension `ldo` for maps.
enum RowDispatch {
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func run<S: SmoothScalar>(_ op: RowOp, backend: Backend, x: UnsafePointer<S>, rows: Int, cols: Int,
                                     ldx: Int, temperature t: S, out: UnsafeMutablePointer<S>, ldo: Int) {
        switch backend.resolved {
        case .swift:
            S.c.swiftRows(op, x, rows, cols, ldx, Double(t), out, ldo)
        default:
            let c = S.c, t = Double(t)
            let status = switch op {
            case .logSumExp: c.logSumExp(x, rows, cols, ldx, t, out)
            case .softArgmax: c.softArgmax(x, rows, cols, ldx, t, out)
            case .softmax: c.softmax(x, rows, cols, ldx, t, out, ldo)
            case .logSoftmax: c.logSoftmax(x, rows, cols, ldx, t, out, ldo)
            }
            // The façade validated every argument, so the C checks cannot fail.
            expectOK(status, "\(op)")
        }
    }
}
