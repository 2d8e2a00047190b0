import CSmoothKit

/// The C entry points of the training ops for one element type, over untyped pointers so a
/// generic caller needs no rebinding (the element type is fixed by `TrainingC.entries(for:)`).
/// Scalars travel as `Double`, which holds every `Float` and `Double` exactly.
protocol TrainingCEntries {
    typealias In = UnsafeRawPointer
    typealias Out = UnsafeMutableRawPointer
    static func lseBackward(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ g: In, _ t: Double, _ dx: Out, _ ldd: Int) -> smk_status
    static func argmaxBackward(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ g: In, _ t: Double, _ dx: Out, _ ldd: Int) -> smk_status
    static func softmaxBackward(_ p: In, _ rows: Int, _ cols: Int, _ ldp: Int, _ g: In, _ ldg: Int, _ t: Double, _ dx: Out, _ ldd: Int) -> smk_status
    static func logSoftmaxBackward(_ y: In, _ rows: Int, _ cols: Int, _ ldy: Int, _ form: smk_prob_form, _ g: In, _ ldg: Int,
                                   _ t: Double, _ dx: Out, _ ldd: Int) -> smk_status
    static func crossEntropy(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ labels: UnsafePointer<Int64>, _ ignore: Int64,
                             _ eps: Double, _ t: Double, _ red: smk_reduction, _ loss: Out, _ dx: Out?, _ ldd: Int) -> smk_status
    static func crossEntropySoft(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ q: In, _ ldq: Int,
                                 _ eps: Double, _ t: Double, _ red: smk_reduction, _ loss: Out, _ dx: Out?, _ ldd: Int) -> smk_status
    static func lseState(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ m: Out, _ s: Out) -> smk_status
    static func lseMerge(_ m1: In, _ s1: In, _ m2: In, _ s2: In, _ n: Int, _ t: Double, _ m: Out, _ s: Out) -> smk_status
    static func lseFinalize(_ m: In, _ s: In, _ n: Int, _ t: Double, _ out: Out) -> smk_status
    static func masked(_ op: smk_row_op, _ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ lengths: UnsafePointer<Int64>?,
                       _ mask: UnsafePointer<UInt8>?, _ ldm: Int, _ t: Double, _ y: Out, _ ldy: Int) -> smk_status
    static func weighted(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ b: In, _ ldb: Int, _ t: Double,
                         _ out: Out, _ sign: Out) -> smk_status
    static func column(_ op: smk_row_op, _ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ y: Out,
                       _ ldy: Int) -> smk_status
}

extension UnsafeRawPointer {
    fileprivate var f32: UnsafePointer<Float> { assumingMemoryBound(to: Float.self) }
    fileprivate var f64: UnsafePointer<Double> { assumingMemoryBound(to: Double.self) }
}
extension UnsafeMutableRawPointer {
    fileprivate var f32: UnsafeMutablePointer<Float> { assumingMemoryBound(to: Float.self) }
    fileprivate var f64: UnsafeMutablePointer<Double> { assumingMemoryBound(to: Double.self) }
}

enum TrainingC {
    /// The entries serving `S`.
    static func entries<S: SmoothScalar>(for _: S.Type) -> any TrainingCEntries.Type {
        switch S._smoothKind {
        case .float32: F32.self
        case .float64: F64.self
        }
    }

    /// The façade validated every argument, so a C status other than OK is a bug.
    static func check(_ status: smk_status) {
        precondition(status == SMK_OK, "smoothkit C training kernel rejected checked arguments: \(status)")
    }

    enum F32: TrainingCEntries {
        static func lseBackward(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ g: In, _ t: Double, _ dx: Out, _ ldd: Int) -> smk_status {
            smk_logsumexp_backward_f32(x.f32, rows, cols, ldx, g.f32, Float(t), dx.f32, ldd)
        }
        static func argmaxBackward(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ g: In, _ t: Double, _ dx: Out, _ ldd: Int) -> smk_status {
            smk_softargmax_backward_f32(x.f32, rows, cols, ldx, g.f32, Float(t), dx.f32, ldd)
        }
        static func softmaxBackward(_ p: In, _ rows: Int, _ cols: Int, _ ldp: Int, _ g: In, _ ldg: Int, _ t: Double, _ dx: Out, _ ldd: Int) -> smk_status {
            smk_softmax_backward_f32(p.f32, rows, cols, ldp, g.f32, ldg, Float(t), dx.f32, ldd)
        }
        static func logSoftmaxBackward(_ y: In, _ rows: Int, _ cols: Int, _ ldy: Int, _ form: smk_prob_form, _ g: In, _ ldg: Int,
                                       _ t: Double, _ dx: Out, _ ldd: Int) -> smk_status {
            smk_log_softmax_backward_f32(y.f32, rows, cols, ldy, form, g.f32, ldg, Float(t), dx.f32, ldd)
        }
        static func crossEntropy(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ labels: UnsafePointer<Int64>, _ ignore: Int64,
                                 _ eps: Double, _ t: Double, _ red: smk_reduction, _ loss: Out, _ dx: Out?, _ ldd: Int) -> smk_status {
            smk_cross_entropy_f32(x.f32, rows, cols, ldx, labels, ignore, Float(eps), Float(t), red, loss.f32, dx?.f32, ldd)
        }
        static func crossEntropySoft(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ q: In, _ ldq: Int,
                                     _ eps: Double, _ t: Double, _ red: smk_reduction, _ loss: Out, _ dx: Out?, _ ldd: Int) -> smk_status {
            smk_cross_entropy_soft_f32(x.f32, rows, cols, ldx, q.f32, ldq, Float(eps), Float(t), red, loss.f32, dx?.f32, ldd)
        }
        static func lseState(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ m: Out, _ s: Out) -> smk_status {
            smk_lse_state_f32(x.f32, rows, cols, ldx, Float(t), m.f32, s.f32)
        }
        static func lseMerge(_ m1: In, _ s1: In, _ m2: In, _ s2: In, _ n: Int, _ t: Double, _ m: Out, _ s: Out) -> smk_status {
            smk_lse_merge_f32(m1.f32, s1.f32, m2.f32, s2.f32, n, Float(t), m.f32, s.f32)
        }
        static func lseFinalize(_ m: In, _ s: In, _ n: Int, _ t: Double, _ out: Out) -> smk_status {
            smk_lse_finalize_f32(m.f32, s.f32, n, Float(t), out.f32)
        }
        static func masked(_ op: smk_row_op, _ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ lengths: UnsafePointer<Int64>?,
                           _ mask: UnsafePointer<UInt8>?, _ ldm: Int, _ t: Double, _ y: Out, _ ldy: Int) -> smk_status {
            switch op {
            case SMK_OP_LOGSUMEXP: smk_masked_logsumexp_f32(x.f32, rows, cols, ldx, lengths, mask, ldm, Float(t), y.f32)
            case SMK_OP_SOFTARGMAX: smk_masked_softargmax_f32(x.f32, rows, cols, ldx, lengths, mask, ldm, Float(t), y.f32)
            case SMK_OP_SOFTMAX: smk_masked_softmax_f32(x.f32, rows, cols, ldx, lengths, mask, ldm, Float(t), y.f32, ldy)
            default: smk_masked_log_softmax_f32(x.f32, rows, cols, ldx, lengths, mask, ldm, Float(t), y.f32, ldy)
            }
        }
        static func weighted(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ b: In, _ ldb: Int, _ t: Double,
                             _ out: Out, _ sign: Out) -> smk_status {
            smk_logsumexp_weighted_f32(x.f32, rows, cols, ldx, b.f32, ldb, Float(t), out.f32, sign.f32)
        }
        static func column(_ op: smk_row_op, _ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ y: Out,
                           _ ldy: Int) -> smk_status {
            switch op {
            case SMK_OP_LOGSUMEXP: smk_col_logsumexp_f32(x.f32, rows, cols, ldx, Float(t), y.f32)
            case SMK_OP_SOFTARGMAX: smk_col_softargmax_f32(x.f32, rows, cols, ldx, Float(t), y.f32)
            case SMK_OP_SOFTMAX: smk_col_softmax_f32(x.f32, rows, cols, ldx, Float(t), y.f32, ldy)
            default: smk_col_log_softmax_f32(x.f32, rows, cols, ldx, Float(t), y.f32, ldy)
            }
        }
    }

    enum F64: TrainingCEntries {
        static func lseBackward(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ g: In, _ t: Double, _ dx: Out, _ ldd: Int) -> smk_status {
            smk_logsumexp_backward_f64(x.f64, rows, cols, ldx, g.f64, t, dx.f64, ldd)
        }
        static func argmaxBackward(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ g: In, _ t: Double, _ dx: Out, _ ldd: Int) -> smk_status {
            smk_softargmax_backward_f64(x.f64, rows, cols, ldx, g.f64, t, dx.f64, ldd)
        }
        static func softmaxBackward(_ p: In, _ rows: Int, _ cols: Int, _ ldp: Int, _ g: In, _ ldg: Int, _ t: Double, _ dx: Out, _ ldd: Int) -> smk_status {
            smk_softmax_backward_f64(p.f64, rows, cols, ldp, g.f64, ldg, t, dx.f64, ldd)
        }
        static func logSoftmaxBackward(_ y: In, _ rows: Int, _ cols: Int, _ ldy: Int, _ form: smk_prob_form, _ g: In, _ ldg: Int,
                                       _ t: Double, _ dx: Out, _ ldd: Int) -> smk_status {
            smk_log_softmax_backward_f64(y.f64, rows, cols, ldy, form, g.f64, ldg, t, dx.f64, ldd)
        }
        static func crossEntropy(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ labels: UnsafePointer<Int64>, _ ignore: Int64,
                                 _ eps: Double, _ t: Double, _ red: smk_reduction, _ loss: Out, _ dx: Out?, _ ldd: Int) -> smk_status {
            smk_cross_entropy_f64(x.f64, rows, cols, ldx, labels, ignore, eps, t, red, loss.f64, dx?.f64, ldd)
        }
        static func crossEntropySoft(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ q: In, _ ldq: Int,
                                     _ eps: Double, _ t: Double, _ red: smk_reduction, _ loss: Out, _ dx: Out?, _ ldd: Int) -> smk_status {
            smk_cross_entropy_soft_f64(x.f64, rows, cols, ldx, q.f64, ldq, eps, t, red, loss.f64, dx?.f64, ldd)
        }
        static func lseState(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ m: Out, _ s: Out) -> smk_status {
            smk_lse_state_f64(x.f64, rows, cols, ldx, t, m.f64, s.f64)
        }
        static func lseMerge(_ m1: In, _ s1: In, _ m2: In, _ s2: In, _ n: Int, _ t: Double, _ m: Out, _ s: Out) -> smk_status {
            smk_lse_merge_f64(m1.f64, s1.f64, m2.f64, s2.f64, n, t, m.f64, s.f64)
        }
        static func lseFinalize(_ m: In, _ s: In, _ n: Int, _ t: Double, _ out: Out) -> smk_status {
            smk_lse_finalize_f64(m.f64, s.f64, n, t, out.f64)
        }
        static func masked(_ op: smk_row_op, _ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ lengths: UnsafePointer<Int64>?,
                           _ mask: UnsafePointer<UInt8>?, _ ldm: Int, _ t: Double, _ y: Out, _ ldy: Int) -> smk_status {
            switch op {
            case SMK_OP_LOGSUMEXP: smk_masked_logsumexp_f64(x.f64, rows, cols, ldx, lengths, mask, ldm, t, y.f64)
            case SMK_OP_SOFTARGMAX: smk_masked_softargmax_f64(x.f64, rows, cols, ldx, lengths, mask, ldm, t, y.f64)
            case SMK_OP_SOFTMAX: smk_masked_softmax_f64(x.f64, rows, cols, ldx, lengths, mask, ldm, t, y.f64, ldy)
            default: smk_masked_log_softmax_f64(x.f64, rows, cols, ldx, lengths, mask, ldm, t, y.f64, ldy)
            }
        }
        static func weighted(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ b: In, _ ldb: Int, _ t: Double,
                             _ out: Out, _ sign: Out) -> smk_status {
            smk_logsumexp_weighted_f64(x.f64, rows, cols, ldx, b.f64, ldb, t, out.f64, sign.f64)
        }
        static func column(_ op: smk_row_op, _ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ y: Out,
                           _ ldy: Int) -> smk_status {
            switch op {
            case SMK_OP_LOGSUMEXP: smk_col_logsumexp_f64(x.f64, rows, cols, ldx, t, y.f64)
            case SMK_OP_SOFTARGMAX: smk_col_softargmax_f64(x.f64, rows, cols, ldx, t, y.f64)
            case SMK_OP_SOFTMAX: smk_col_softmax_f64(x.f64, rows, cols, ldx, t, y.f64, ldy)
            default: smk_col_log_softmax_f64(x.f64, rows, cols, ldx, t, y.f64, ldy)
            }
        }
    }
}
