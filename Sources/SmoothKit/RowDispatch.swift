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
            switch op {
            case .logSumExp: SwiftRowOps.logSumExp(x, rows: rows, cols: cols, ldx: ldx, temperature: t, out: out)
            case .softArgmax: SwiftRowOps.softArgmax(x, rows: rows, cols: cols, ldx: ldx, temperature: t, out: out)
            case .softmax: SwiftRowOps.softmax(x, rows: rows, cols: cols, ldx: ldx, temperature: t, y: out, ldy: ldo)
            case .logSoftmax: SwiftRowOps.logSoftmax(x, rows: rows, cols: cols, ldx: ldx, temperature: t, y: out, ldy: ldo)
            }
        default:
            let status: smk_status
            switch S._smoothKind {
            case .float32:
                status = cRun(op, x.withMemoryRebound(to: Float.self, capacity: 0) { $0 }, rows, cols, ldx,
                              Float(t), out.withMemoryRebound(to: Float.self, capacity: 0) { $0 }, ldo, F32.self)
            case .float64:
                status = cRun(op, x.withMemoryRebound(to: Double.self, capacity: 0) { $0 }, rows, cols, ldx,
                              Double(t), out.withMemoryRebound(to: Double.self, capacity: 0) { $0 }, ldo, F64.self)
            }
            // The façade validated every argument, so the C checks cannot fail.
            precondition(status == SMK_OK, "smoothkit C kernel rejected checked arguments: \(status)")
        }
    }

    /// The C entry points of one element type.
    protocol CEntries {
        associatedtype E
        static var lse: (UnsafePointer<E>?, Int, Int, Int, E, UnsafeMutablePointer<E>?) -> smk_status { get }
        static var argmax: (UnsafePointer<E>?, Int, Int, Int, E, UnsafeMutablePointer<E>?) -> smk_status { get }
        static var softmax: (UnsafePointer<E>?, Int, Int, Int, E, UnsafeMutablePointer<E>?, Int) -> smk_status { get }
        static var logSoftmax: (UnsafePointer<E>?, Int, Int, Int, E, UnsafeMutablePointer<E>?, Int) -> smk_status { get }
    }
    enum F32: CEntries {
        static var lse: (UnsafePointer<Float>?, Int, Int, Int, Float, UnsafeMutablePointer<Float>?) -> smk_status { smk_logsumexp_f32 }
        static var argmax: (UnsafePointer<Float>?, Int, Int, Int, Float, UnsafeMutablePointer<Float>?) -> smk_status { smk_softargmax_f32 }
        static var softmax: (UnsafePointer<Float>?, Int, Int, Int, Float, UnsafeMutablePointer<Float>?, Int) -> smk_status { smk_softmax_f32 }
        static var logSoftmax: (UnsafePointer<Float>?, Int, Int, Int, Float, UnsafeMutablePointer<Float>?, Int) -> smk_status { smk_log_softmax_f32 }
    }
    enum F64: CEntries {
        static var lse: (UnsafePointer<Double>?, Int, Int, Int, Double, UnsafeMutablePointer<Double>?) -> smk_status { smk_logsumexp_f64 }
        static var argmax: (UnsafePointer<Double>?, Int, Int, Int, Double, UnsafeMutablePointer<Double>?) -> smk_status { smk_softargmax_f64 }
        static var softmax: (UnsafePointer<Double>?, Int, Int, Int, Double, UnsafeMutablePointer<Double>?, Int) -> smk_status { smk_softmax_f64 }
        static var logSoftmax: (UnsafePointer<Double>?, Int, Int, Int, Double, UnsafeMutablePointer<Double>?, Int) -> smk_status { smk_log_softmax_f64 }
    }

    private static func cRun<C: CEntries>(_ op: RowOp, _ x: UnsafePointer<C.E>, _ rows: Int, _ cols: Int, _ ldx: Int,
                                          _ t: C.E, _ out: UnsafeMutablePointer<C.E>, _ ldo: Int, _: C.Type) -> smk_status {
        switch op {
        case .logSumExp: C.lse(x, rows, cols, ldx, t, out)
        case .softArgmax: C.argmax(x, rows, cols, ldx, t, out)
        case .softmax: C.softmax(x, rows, cols, ldx, t, out, ldo)
        case .logSoftmax: C.logSoftmax(x, rows, cols, ldx, t, out, ldo)
        }
    }
}
