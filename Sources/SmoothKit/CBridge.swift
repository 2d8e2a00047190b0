import CSmoothKit

// The one bridge from the façade to the C ABI. `CKernels` lists every `smk_*` entry point
// the façade calls, once; `Float` and `Double` conform, each calling its own typed entry
// points (`_f32`, `_f64`). Generic code reaches them as `S.c`: no per-type switch at call
// sites. Pointers travel untyped (each holds `S` elements, and `S` is the conforming type)
// and scalars as `Double`, which holds every `Float` exactly, so a generic caller needs no
// rebinding or conversion. Arguments reaching here are already checked by the façade.

/// The C entry points of one element type (smoothkit*.h); see the file comment.
protocol CKernels {
    typealias In = UnsafeRawPointer
    typealias Out = UnsafeMutableRawPointer

    // MARK: rows (smoothkit.h)
    static func logSumExp(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ out: Out) -> smk_status
    static func softArgmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ out: Out) -> smk_status
    static func softmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ y: Out,
            _ ldy: Int) -> smk_status
    static func logSoftmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ y: Out,
            _ ldy: Int) -> smk_status
    // MARK: training (smoothkit_train.h)
    static func logSumExpBackward(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ g: In, _ t: Double, _ dx: Out,
            _ lddx: Int) -> smk_status
    static func softArgmaxBackward(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ g: In, _ t: Double, _ dx: Out,
            _ lddx: Int) -> smk_status
    static func softmaxBackward(_ p: In, _ rows: Int, _ cols: Int, _ ldp: Int, _ g: In, _ ldg: Int, _ t: Double,
            _ dx: Out, _ lddx: Int) -> smk_status
    static func logSoftmaxBackward(_ y: In, _ rows: Int, _ cols: Int, _ ldy: Int, _ form: smk_prob_form, _ g: In,
            _ ldg: Int, _ t: Double, _ dx: Out, _ lddx: Int) -> smk_status
    static func crossEntropy(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ labels: UnsafePointer<Int64>,
            _ ignore: Int64, _ smoothing: Double, _ t: Double, _ reduction: smk_reduction, _ loss: Out, _ dx: Out?,
            _ lddx: Int) -> smk_status
    static func crossEntropySoft(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ q: In, _ ldq: Int,
            _ smoothing: Double, _ t: Double, _ reduction: smk_reduction, _ loss: Out, _ dx: Out?,
            _ lddx: Int) -> smk_status
    static func lseState(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ m: Out, _ s: Out) -> smk_status
    static func lseMerge(_ m1: In, _ s1: In, _ m2: In, _ s2: In, _ n: Int, _ t: Double, _ m: Out,
            _ s: Out) -> smk_status
    static func lseFinalize(_ m: In, _ s: In, _ n: Int, _ t: Double, _ out: Out) -> smk_status
    static func weightedLogSumExp(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ b: In, _ ldb: Int, _ t: Double,
            _ out: Out, _ sign: Out) -> smk_status
    static func maskedLogSumExp(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ lengths: UnsafePointer<Int64>?,
            _ mask: UnsafePointer<UInt8>?, _ ldm: Int, _ t: Double, _ out: Out) -> smk_status
    static func maskedSoftArgmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ lengths: UnsafePointer<Int64>?,
            _ mask: UnsafePointer<UInt8>?, _ ldm: Int, _ t: Double, _ out: Out) -> smk_status
    static func maskedSoftmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ lengths: UnsafePointer<Int64>?,
            _ mask: UnsafePointer<UInt8>?, _ ldm: Int, _ t: Double, _ y: Out, _ ldy: Int) -> smk_status
    static func maskedLogSoftmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ lengths: UnsafePointer<Int64>?,
            _ mask: UnsafePointer<UInt8>?, _ ldm: Int, _ t: Double, _ y: Out, _ ldy: Int) -> smk_status
    static func columnLogSumExp(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ out: Out) -> smk_status
    static func columnSoftArgmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ out: Out) -> smk_status
    static func columnSoftmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ y: Out,
            _ ldy: Int) -> smk_status
    static func columnLogSoftmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ y: Out,
            _ ldy: Int) -> smk_status
    // MARK: linalg (smoothkit_linalg.h)
    static func softmaxExpectation(_ x: In, _ rows: Int, _ n: Int, _ ldx: Int, _ t: Double, _ v: In, _ d: Int,
            _ ldv: Int, _ e: Out, _ lde: Int, _ work: UnsafeMutableRawPointer?, _ workBytes: Int) -> smk_status
    static func smoothEigmax(_ a: In, _ batch: Int, _ n: Int, _ lda: Int, _ t: Double, _ symmetry: smk_symmetry,
            _ tol: Double, _ out: Out, _ grad: Out?, _ ldg: Int, _ work: UnsafeMutableRawPointer?,
            _ workBytes: Int) -> smk_status
    static func spatialSoftArgmax(_ heat: In, _ maps: Int, _ h: Int, _ w: Int, _ ldh: Int, _ t: Double,
            _ coords: smk_coords, _ xy: Out, _ work: UnsafeMutableRawPointer?, _ workBytes: Int) -> smk_status
    static func spatialSoftArgmaxGradient(_ heat: In, _ maps: Int, _ h: Int, _ w: Int, _ ldh: Int, _ t: Double,
            _ coords: smk_coords, _ gxy: In, _ dheat: Out, _ ldd: Int) -> smk_status
    // MARK: catalog (smoothkit_catalog.h, smoothkit_catalog_grad.h)
    static func smoothMax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ kind: smk_max_kind, _ p: Double,
            _ ext: smk_extremum, _ out: Out) -> smk_status
    static func smoothMaxGradient(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ kind: smk_max_kind, _ p: Double,
            _ ext: smk_extremum, _ g: Out, _ ldg: Int) -> smk_status
    static func smoothMax2(_ a: In, _ b: In, _ n: Int, _ kind: smk_pair_kind, _ p: Double, _ ext: smk_extremum,
            _ out: Out) -> smk_status
    static func smoothMax2Gradient(_ a: In, _ b: In, _ n: Int, _ kind: smk_pair_kind, _ p: Double,
            _ ext: smk_extremum, _ ga: Out, _ gb: Out) -> smk_status
    static func smoothAbs(_ x: In, _ n: Int, _ kind: smk_abs_kind, _ p: Double, _ y: Out, _ dy: Out?) -> smk_status
    static func mollifier(_ x: In, _ n: Int, _ kernel: smk_kernel, _ p: Double, _ part: smk_kernel_part,
            _ out: Out) -> smk_status
    static func mollifyPiecewise(_ x: In, _ n: Int, _ kernel: smk_kernel, _ p: Double, _ intercept: Double,
            _ slope: Double, _ knots: In?, _ jumps: In?, _ changes: In?, _ m: Int, _ y: Out, _ dy: Out?) -> smk_status
    static func smoothQuantize(_ x: In, _ n: Int, _ q: smk_quantizer, _ kernel: smk_kernel, _ p: Double,
            _ y: Out) -> smk_status
    static func smoothAccuracy(_ z: In, _ rows: Int, _ cols: Int, _ ld: Int, _ labels: UnsafePointer<Int64>,
            _ value: Out, _ grad: Out, _ ldg: Int) -> smk_status
    static func smoothMacroF1(_ z: In, _ rows: Int, _ cols: Int, _ ld: Int, _ labels: UnsafePointer<Int64>,
            _ work: UnsafeMutablePointer<Double>?, _ value: Out, _ grad: Out, _ ldg: Int) -> smk_status
    static func smoothF1(_ z: In, _ n: Int, _ labels: UnsafePointer<Int64>, _ value: Out, _ grad: Out) -> smk_status
}

extension SmoothScalar {
    /// This element type's C entry points and pure-Swift row kernels (the one place a
    /// `SmoothScalar` maps to its concrete type).
    static var c: any (CKernels & SwiftRowKernels).Type {
        switch _smoothKind {
        case .float32: Float.self
        case .float64: Double.self
        }
    }
}

/// The façade checked every argument, so a C status other than OK is a SmoothKit bug.
func expectOK(_ status: smk_status, _ op: @autoclosure () -> String = "") {
    precondition(status == SMK_OK, "smoothkit C kernel rejected checked arguments in \(op()): \(status)")
}

/// `labels` as the C ABI's `int64_t` labels, with no copy: the same memory (`Int` is 64 bits on
/// every supported platform; the rebinding traps otherwise). nil for no labels.
func withInt64Labels<R>(_ labels: UnsafeBufferPointer<Int>, _ body: (UnsafePointer<Int64>?) throws -> R) rethrows -> R {
    guard let base = labels.baseAddress else { return try body(nil) }
    return try base.withMemoryRebound(to: Int64.self, capacity: labels.count) { try body($0) }
}

extension UnsafeRawPointer {
    fileprivate var f32: UnsafePointer<Float> { assumingMemoryBound(to: Float.self) }
    fileprivate var f64: UnsafePointer<Double> { assumingMemoryBound(to: Double.self) }
}
extension UnsafeMutableRawPointer {
    fileprivate var f32: UnsafeMutablePointer<Float> { assumingMemoryBound(to: Float.self) }
    fileprivate var f64: UnsafeMutablePointer<Double> { assumingMemoryBound(to: Double.self) }
}

extension Float: CKernels {
    // MARK: rows (smoothkit.h)
    static func logSumExp(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ out: Out) -> smk_status {
        smk_logsumexp_f32(x.f32, rows, cols, ldx, Float(t), out.f32)
    }
    static func softArgmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ out: Out) -> smk_status {
        smk_softargmax_f32(x.f32, rows, cols, ldx, Float(t), out.f32)
    }
    static func softmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ y: Out,
            _ ldy: Int) -> smk_status {
        smk_softmax_f32(x.f32, rows, cols, ldx, Float(t), y.f32, ldy)
    }
    static func logSoftmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ y: Out,
            _ ldy: Int) -> smk_status {
        smk_log_softmax_f32(x.f32, rows, cols, ldx, Float(t), y.f32, ldy)
    }
    // MARK: training (smoothkit_train.h)
    static func logSumExpBackward(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ g: In, _ t: Double, _ dx: Out,
            _ lddx: Int) -> smk_status {
        smk_logsumexp_backward_f32(x.f32, rows, cols, ldx, g.f32, Float(t), dx.f32, lddx)
    }
    static func softArgmaxBackward(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ g: In, _ t: Double, _ dx: Out,
            _ lddx: Int) -> smk_status {
        smk_softargmax_backward_f32(x.f32, rows, cols, ldx, g.f32, Float(t), dx.f32, lddx)
    }
    static func softmaxBackward(_ p: In, _ rows: Int, _ cols: Int, _ ldp: Int, _ g: In, _ ldg: Int, _ t: Double,
            _ dx: Out, _ lddx: Int) -> smk_status {
        smk_softmax_backward_f32(p.f32, rows, cols, ldp, g.f32, ldg, Float(t), dx.f32, lddx)
    }
    static func logSoftmaxBackward(_ y: In, _ rows: Int, _ cols: Int, _ ldy: Int, _ form: smk_prob_form, _ g: In,
            _ ldg: Int, _ t: Double, _ dx: Out, _ lddx: Int) -> smk_status {
        smk_log_softmax_backward_f32(y.f32, rows, cols, ldy, form, g.f32, ldg, Float(t), dx.f32, lddx)
    }
    static func crossEntropy(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ labels: UnsafePointer<Int64>,
            _ ignore: Int64, _ smoothing: Double, _ t: Double, _ reduction: smk_reduction, _ loss: Out, _ dx: Out?,
            _ lddx: Int) -> smk_status {
        smk_cross_entropy_f32(x.f32, rows, cols, ldx, labels, ignore, Float(smoothing), Float(t), reduction,
            loss.f32, dx?.f32, lddx)
    }
    static func crossEntropySoft(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ q: In, _ ldq: Int,
            _ smoothing: Double, _ t: Double, _ reduction: smk_reduction, _ loss: Out, _ dx: Out?,
            _ lddx: Int) -> smk_status {
        smk_cross_entropy_soft_f32(x.f32, rows, cols, ldx, q.f32, ldq, Float(smoothing), Float(t), reduction,
            loss.f32, dx?.f32, lddx)
    }
    static func lseState(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ m: Out,
            _ s: Out) -> smk_status {
        smk_lse_state_f32(x.f32, rows, cols, ldx, Float(t), m.f32, s.f32)
    }
    static func lseMerge(_ m1: In, _ s1: In, _ m2: In, _ s2: In, _ n: Int, _ t: Double, _ m: Out,
            _ s: Out) -> smk_status {
        smk_lse_merge_f32(m1.f32, s1.f32, m2.f32, s2.f32, n, Float(t), m.f32, s.f32)
    }
    static func lseFinalize(_ m: In, _ s: In, _ n: Int, _ t: Double, _ out: Out) -> smk_status {
        smk_lse_finalize_f32(m.f32, s.f32, n, Float(t), out.f32)
    }
    static func weightedLogSumExp(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ b: In, _ ldb: Int, _ t: Double,
            _ out: Out, _ sign: Out) -> smk_status {
        smk_logsumexp_weighted_f32(x.f32, rows, cols, ldx, b.f32, ldb, Float(t), out.f32, sign.f32)
    }
    static func maskedLogSumExp(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ lengths: UnsafePointer<Int64>?,
            _ mask: UnsafePointer<UInt8>?, _ ldm: Int, _ t: Double, _ out: Out) -> smk_status {
        smk_masked_logsumexp_f32(x.f32, rows, cols, ldx, lengths, mask, ldm, Float(t), out.f32)
    }
    static func maskedSoftArgmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ lengths: UnsafePointer<Int64>?,
            _ mask: UnsafePointer<UInt8>?, _ ldm: Int, _ t: Double, _ out: Out) -> smk_status {
        smk_masked_softargmax_f32(x.f32, rows, cols, ldx, lengths, mask, ldm, Float(t), out.f32)
    }
    static func maskedSoftmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ lengths: UnsafePointer<Int64>?,
            _ mask: UnsafePointer<UInt8>?, _ ldm: Int, _ t: Double, _ y: Out, _ ldy: Int) -> smk_status {
        smk_masked_softmax_f32(x.f32, rows, cols, ldx, lengths, mask, ldm, Float(t), y.f32, ldy)
    }
    static func maskedLogSoftmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ lengths: UnsafePointer<Int64>?,
            _ mask: UnsafePointer<UInt8>?, _ ldm: Int, _ t: Double, _ y: Out, _ ldy: Int) -> smk_status {
        smk_masked_log_softmax_f32(x.f32, rows, cols, ldx, lengths, mask, ldm, Float(t), y.f32, ldy)
    }
    static func columnLogSumExp(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double,
            _ out: Out) -> smk_status {
        smk_col_logsumexp_f32(x.f32, rows, cols, ldx, Float(t), out.f32)
    }
    static func columnSoftArgmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double,
            _ out: Out) -> smk_status {
        smk_col_softargmax_f32(x.f32, rows, cols, ldx, Float(t), out.f32)
    }
    static func columnSoftmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ y: Out,
            _ ldy: Int) -> smk_status {
        smk_col_softmax_f32(x.f32, rows, cols, ldx, Float(t), y.f32, ldy)
    }
    static func columnLogSoftmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ y: Out,
            _ ldy: Int) -> smk_status {
        smk_col_log_softmax_f32(x.f32, rows, cols, ldx, Float(t), y.f32, ldy)
    }
    // MARK: linalg (smoothkit_linalg.h)
    static func softmaxExpectation(_ x: In, _ rows: Int, _ n: Int, _ ldx: Int, _ t: Double, _ v: In, _ d: Int,
            _ ldv: Int, _ e: Out, _ lde: Int, _ work: UnsafeMutableRawPointer?, _ workBytes: Int) -> smk_status {
        smk_softmax_expectation_f32(x.f32, rows, n, ldx, Float(t), v.f32, d, ldv, e.f32, lde, work, workBytes)
    }
    static func smoothEigmax(_ a: In, _ batch: Int, _ n: Int, _ lda: Int, _ t: Double, _ symmetry: smk_symmetry,
            _ tol: Double, _ out: Out, _ grad: Out?, _ ldg: Int, _ work: UnsafeMutableRawPointer?,
            _ workBytes: Int) -> smk_status {
        smk_smooth_eigmax_f32(a.f32, batch, n, lda, Float(t), symmetry, Float(tol), out.f32, grad?.f32, ldg, work,
            workBytes)
    }
    static func spatialSoftArgmax(_ heat: In, _ maps: Int, _ h: Int, _ w: Int, _ ldh: Int, _ t: Double,
            _ coords: smk_coords, _ xy: Out, _ work: UnsafeMutableRawPointer?, _ workBytes: Int) -> smk_status {
        smk_spatial_softargmax_f32(heat.f32, maps, h, w, ldh, Float(t), coords, xy.f32, work, workBytes)
    }
    static func spatialSoftArgmaxGradient(_ heat: In, _ maps: Int, _ h: Int, _ w: Int, _ ldh: Int, _ t: Double,
            _ coords: smk_coords, _ gxy: In, _ dheat: Out, _ ldd: Int) -> smk_status {
        smk_spatial_softargmax_grad_f32(heat.f32, maps, h, w, ldh, Float(t), coords, gxy.f32, dheat.f32, ldd)
    }
    // MARK: catalog (smoothkit_catalog.h, smoothkit_catalog_grad.h)
    static func smoothMax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ kind: smk_max_kind, _ p: Double,
            _ ext: smk_extremum, _ out: Out) -> smk_status {
        smk_smooth_max_f32(x.f32, rows, cols, ldx, kind, Float(p), ext, out.f32)
    }
    static func smoothMaxGradient(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ kind: smk_max_kind, _ p: Double,
            _ ext: smk_extremum, _ g: Out, _ ldg: Int) -> smk_status {
        smk_smooth_max_grad_f32(x.f32, rows, cols, ldx, kind, Float(p), ext, g.f32, ldg)
    }
    static func smoothMax2(_ a: In, _ b: In, _ n: Int, _ kind: smk_pair_kind, _ p: Double, _ ext: smk_extremum,
            _ out: Out) -> smk_status {
        smk_smooth_max2_f32(a.f32, b.f32, n, kind, Float(p), ext, out.f32)
    }
    static func smoothMax2Gradient(_ a: In, _ b: In, _ n: Int, _ kind: smk_pair_kind, _ p: Double,
            _ ext: smk_extremum, _ ga: Out, _ gb: Out) -> smk_status {
        smk_smooth_max2_grad_f32(a.f32, b.f32, n, kind, Float(p), ext, ga.f32, gb.f32)
    }
    static func smoothAbs(_ x: In, _ n: Int, _ kind: smk_abs_kind, _ p: Double, _ y: Out, _ dy: Out?) -> smk_status {
        smk_smooth_abs_f32(x.f32, n, kind, Float(p), y.f32, dy?.f32)
    }
    static func mollifier(_ x: In, _ n: Int, _ kernel: smk_kernel, _ p: Double, _ part: smk_kernel_part,
            _ out: Out) -> smk_status {
        smk_mollifier_f32(x.f32, n, kernel, Float(p), part, out.f32)
    }
    static func mollifyPiecewise(_ x: In, _ n: Int, _ kernel: smk_kernel, _ p: Double, _ intercept: Double,
            _ slope: Double, _ knots: In?, _ jumps: In?, _ changes: In?, _ m: Int, _ y: Out,
            _ dy: Out?) -> smk_status {
        smk_mollify_piecewise_f32(x.f32, n, kernel, Float(p), Float(intercept), Float(slope), knots?.f32, jumps?.f32,
            changes?.f32, m, y.f32, dy?.f32)
    }
    static func smoothQuantize(_ x: In, _ n: Int, _ q: smk_quantizer, _ kernel: smk_kernel, _ p: Double,
            _ y: Out) -> smk_status {
        smk_smooth_quantize_f32(x.f32, n, q, kernel, Float(p), y.f32)
    }
    static func smoothAccuracy(_ z: In, _ rows: Int, _ cols: Int, _ ld: Int, _ labels: UnsafePointer<Int64>,
            _ value: Out, _ grad: Out, _ ldg: Int) -> smk_status {
        smk_smooth_accuracy_f32(z.f32, rows, cols, ld, labels, value.f32, grad.f32, ldg)
    }
    static func smoothMacroF1(_ z: In, _ rows: Int, _ cols: Int, _ ld: Int, _ labels: UnsafePointer<Int64>,
            _ work: UnsafeMutablePointer<Double>?, _ value: Out, _ grad: Out, _ ldg: Int) -> smk_status {
        smk_smooth_macro_f1_f32(z.f32, rows, cols, ld, labels, work, value.f32, grad.f32, ldg)
    }
    static func smoothF1(_ z: In, _ n: Int, _ labels: UnsafePointer<Int64>, _ value: Out, _ grad: Out) -> smk_status {
        smk_smooth_f1_f32(z.f32, n, labels, value.f32, grad.f32)
    }
}

extension Double: CKernels {
    // MARK: rows (smoothkit.h)
    static func logSumExp(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ out: Out) -> smk_status {
        smk_logsumexp_f64(x.f64, rows, cols, ldx, t, out.f64)
    }
    static func softArgmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ out: Out) -> smk_status {
        smk_softargmax_f64(x.f64, rows, cols, ldx, t, out.f64)
    }
    static func softmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ y: Out,
            _ ldy: Int) -> smk_status {
        smk_softmax_f64(x.f64, rows, cols, ldx, t, y.f64, ldy)
    }
    static func logSoftmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ y: Out,
            _ ldy: Int) -> smk_status {
        smk_log_softmax_f64(x.f64, rows, cols, ldx, t, y.f64, ldy)
    }
    // MARK: training (smoothkit_train.h)
    static func logSumExpBackward(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ g: In, _ t: Double, _ dx: Out,
            _ lddx: Int) -> smk_status {
        smk_logsumexp_backward_f64(x.f64, rows, cols, ldx, g.f64, t, dx.f64, lddx)
    }
    static func softArgmaxBackward(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ g: In, _ t: Double, _ dx: Out,
            _ lddx: Int) -> smk_status {
        smk_softargmax_backward_f64(x.f64, rows, cols, ldx, g.f64, t, dx.f64, lddx)
    }
    static func softmaxBackward(_ p: In, _ rows: Int, _ cols: Int, _ ldp: Int, _ g: In, _ ldg: Int, _ t: Double,
            _ dx: Out, _ lddx: Int) -> smk_status {
        smk_softmax_backward_f64(p.f64, rows, cols, ldp, g.f64, ldg, t, dx.f64, lddx)
    }
    static func logSoftmaxBackward(_ y: In, _ rows: Int, _ cols: Int, _ ldy: Int, _ form: smk_prob_form, _ g: In,
            _ ldg: Int, _ t: Double, _ dx: Out, _ lddx: Int) -> smk_status {
        smk_log_softmax_backward_f64(y.f64, rows, cols, ldy, form, g.f64, ldg, t, dx.f64, lddx)
    }
    static func crossEntropy(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ labels: UnsafePointer<Int64>,
            _ ignore: Int64, _ smoothing: Double, _ t: Double, _ reduction: smk_reduction, _ loss: Out, _ dx: Out?,
            _ lddx: Int) -> smk_status {
        smk_cross_entropy_f64(x.f64, rows, cols, ldx, labels, ignore, smoothing, t, reduction, loss.f64, dx?.f64,
            lddx)
    }
    static func crossEntropySoft(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ q: In, _ ldq: Int,
            _ smoothing: Double, _ t: Double, _ reduction: smk_reduction, _ loss: Out, _ dx: Out?,
            _ lddx: Int) -> smk_status {
        smk_cross_entropy_soft_f64(x.f64, rows, cols, ldx, q.f64, ldq, smoothing, t, reduction, loss.f64, dx?.f64,
            lddx)
    }
    static func lseState(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ m: Out,
            _ s: Out) -> smk_status {
        smk_lse_state_f64(x.f64, rows, cols, ldx, t, m.f64, s.f64)
    }
    static func lseMerge(_ m1: In, _ s1: In, _ m2: In, _ s2: In, _ n: Int, _ t: Double, _ m: Out,
            _ s: Out) -> smk_status {
        smk_lse_merge_f64(m1.f64, s1.f64, m2.f64, s2.f64, n, t, m.f64, s.f64)
    }
    static func lseFinalize(_ m: In, _ s: In, _ n: Int, _ t: Double, _ out: Out) -> smk_status {
        smk_lse_finalize_f64(m.f64, s.f64, n, t, out.f64)
    }
    static func weightedLogSumExp(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ b: In, _ ldb: Int, _ t: Double,
            _ out: Out, _ sign: Out) -> smk_status {
        smk_logsumexp_weighted_f64(x.f64, rows, cols, ldx, b.f64, ldb, t, out.f64, sign.f64)
    }
    static func maskedLogSumExp(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ lengths: UnsafePointer<Int64>?,
            _ mask: UnsafePointer<UInt8>?, _ ldm: Int, _ t: Double, _ out: Out) -> smk_status {
        smk_masked_logsumexp_f64(x.f64, rows, cols, ldx, lengths, mask, ldm, t, out.f64)
    }
    static func maskedSoftArgmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ lengths: UnsafePointer<Int64>?,
            _ mask: UnsafePointer<UInt8>?, _ ldm: Int, _ t: Double, _ out: Out) -> smk_status {
        smk_masked_softargmax_f64(x.f64, rows, cols, ldx, lengths, mask, ldm, t, out.f64)
    }
    static func maskedSoftmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ lengths: UnsafePointer<Int64>?,
            _ mask: UnsafePointer<UInt8>?, _ ldm: Int, _ t: Double, _ y: Out, _ ldy: Int) -> smk_status {
        smk_masked_softmax_f64(x.f64, rows, cols, ldx, lengths, mask, ldm, t, y.f64, ldy)
    }
    static func maskedLogSoftmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ lengths: UnsafePointer<Int64>?,
            _ mask: UnsafePointer<UInt8>?, _ ldm: Int, _ t: Double, _ y: Out, _ ldy: Int) -> smk_status {
        smk_masked_log_softmax_f64(x.f64, rows, cols, ldx, lengths, mask, ldm, t, y.f64, ldy)
    }
    static func columnLogSumExp(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double,
            _ out: Out) -> smk_status {
        smk_col_logsumexp_f64(x.f64, rows, cols, ldx, t, out.f64)
    }
    static func columnSoftArgmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double,
            _ out: Out) -> smk_status {
        smk_col_softargmax_f64(x.f64, rows, cols, ldx, t, out.f64)
    }
    static func columnSoftmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ y: Out,
            _ ldy: Int) -> smk_status {
        smk_col_softmax_f64(x.f64, rows, cols, ldx, t, y.f64, ldy)
    }
    static func columnLogSoftmax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ t: Double, _ y: Out,
            _ ldy: Int) -> smk_status {
        smk_col_log_softmax_f64(x.f64, rows, cols, ldx, t, y.f64, ldy)
    }
    // MARK: linalg (smoothkit_linalg.h)
    static func softmaxExpectation(_ x: In, _ rows: Int, _ n: Int, _ ldx: Int, _ t: Double, _ v: In, _ d: Int,
            _ ldv: Int, _ e: Out, _ lde: Int, _ work: UnsafeMutableRawPointer?, _ workBytes: Int) -> smk_status {
        smk_softmax_expectation_f64(x.f64, rows, n, ldx, t, v.f64, d, ldv, e.f64, lde, work, workBytes)
    }
    static func smoothEigmax(_ a: In, _ batch: Int, _ n: Int, _ lda: Int, _ t: Double, _ symmetry: smk_symmetry,
            _ tol: Double, _ out: Out, _ grad: Out?, _ ldg: Int, _ work: UnsafeMutableRawPointer?,
            _ workBytes: Int) -> smk_status {
        smk_smooth_eigmax_f64(a.f64, batch, n, lda, t, symmetry, tol, out.f64, grad?.f64, ldg, work, workBytes)
    }
    static func spatialSoftArgmax(_ heat: In, _ maps: Int, _ h: Int, _ w: Int, _ ldh: Int, _ t: Double,
            _ coords: smk_coords, _ xy: Out, _ work: UnsafeMutableRawPointer?, _ workBytes: Int) -> smk_status {
        smk_spatial_softargmax_f64(heat.f64, maps, h, w, ldh, t, coords, xy.f64, work, workBytes)
    }
    static func spatialSoftArgmaxGradient(_ heat: In, _ maps: Int, _ h: Int, _ w: Int, _ ldh: Int, _ t: Double,
            _ coords: smk_coords, _ gxy: In, _ dheat: Out, _ ldd: Int) -> smk_status {
        smk_spatial_softargmax_grad_f64(heat.f64, maps, h, w, ldh, t, coords, gxy.f64, dheat.f64, ldd)
    }
    // MARK: catalog (smoothkit_catalog.h, smoothkit_catalog_grad.h)
    static func smoothMax(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ kind: smk_max_kind, _ p: Double,
            _ ext: smk_extremum, _ out: Out) -> smk_status {
        smk_smooth_max_f64(x.f64, rows, cols, ldx, kind, p, ext, out.f64)
    }
    static func smoothMaxGradient(_ x: In, _ rows: Int, _ cols: Int, _ ldx: Int, _ kind: smk_max_kind, _ p: Double,
            _ ext: smk_extremum, _ g: Out, _ ldg: Int) -> smk_status {
        smk_smooth_max_grad_f64(x.f64, rows, cols, ldx, kind, p, ext, g.f64, ldg)
    }
    static func smoothMax2(_ a: In, _ b: In, _ n: Int, _ kind: smk_pair_kind, _ p: Double, _ ext: smk_extremum,
            _ out: Out) -> smk_status {
        smk_smooth_max2_f64(a.f64, b.f64, n, kind, p, ext, out.f64)
    }
    static func smoothMax2Gradient(_ a: In, _ b: In, _ n: Int, _ kind: smk_pair_kind, _ p: Double,
            _ ext: smk_extremum, _ ga: Out, _ gb: Out) -> smk_status {
        smk_smooth_max2_grad_f64(a.f64, b.f64, n, kind, p, ext, ga.f64, gb.f64)
    }
    static func smoothAbs(_ x: In, _ n: Int, _ kind: smk_abs_kind, _ p: Double, _ y: Out, _ dy: Out?) -> smk_status {
        smk_smooth_abs_f64(x.f64, n, kind, p, y.f64, dy?.f64)
    }
    static func mollifier(_ x: In, _ n: Int, _ kernel: smk_kernel, _ p: Double, _ part: smk_kernel_part,
            _ out: Out) -> smk_status {
        smk_mollifier_f64(x.f64, n, kernel, p, part, out.f64)
    }
    static func mollifyPiecewise(_ x: In, _ n: Int, _ kernel: smk_kernel, _ p: Double, _ intercept: Double,
            _ slope: Double, _ knots: In?, _ jumps: In?, _ changes: In?, _ m: Int, _ y: Out,
            _ dy: Out?) -> smk_status {
        smk_mollify_piecewise_f64(x.f64, n, kernel, p, intercept, slope, knots?.f64, jumps?.f64, changes?.f64, m,
            y.f64, dy?.f64)
    }
    static func smoothQuantize(_ x: In, _ n: Int, _ q: smk_quantizer, _ kernel: smk_kernel, _ p: Double,
            _ y: Out) -> smk_status {
        smk_smooth_quantize_f64(x.f64, n, q, kernel, p, y.f64)
    }
    static func smoothAccuracy(_ z: In, _ rows: Int, _ cols: Int, _ ld: Int, _ labels: UnsafePointer<Int64>,
            _ value: Out, _ grad: Out, _ ldg: Int) -> smk_status {
        smk_smooth_accuracy_f64(z.f64, rows, cols, ld, labels, value.f64, grad.f64, ldg)
    }
    static func smoothMacroF1(_ z: In, _ rows: Int, _ cols: Int, _ ld: Int, _ labels: UnsafePointer<Int64>,
            _ work: UnsafeMutablePointer<Double>?, _ value: Out, _ grad: Out, _ ldg: Int) -> smk_status {
        smk_smooth_macro_f1_f64(z.f64, rows, cols, ld, labels, work, value.f64, grad.f64, ldg)
    }
    static func smoothF1(_ z: In, _ n: Int, _ labels: UnsafePointer<Int64>, _ value: Out, _ grad: Out) -> smk_status {
        smk_smooth_f1_f64(z.f64, n, labels, value.f64, grad.f64)
    }
}
