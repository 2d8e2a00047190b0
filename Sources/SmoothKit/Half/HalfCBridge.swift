import CSmoothKit

// The C entry points of smoothkit_half.h, one table per storage type, and the row-parallel
// driver the half ops share. Arguments are checked in Swift before any C call, so a C call can
// only fail with SMK_ERR_COMPUTE (a long row's heap scratch not allocated).

typealias HalfIn = UnsafePointer<UInt16>?
typealias HalfOut = UnsafeMutablePointer<UInt16>?

/// The smoothkit_half.h entry points of one storage type: one table instead of an f16 / bf16
/// pair at every call. Sizes and leading dimensions in elements; τ, ε and row gradients Float.
struct HalfEntryPoints: Sendable {
    typealias Reduce = @Sendable (HalfIn, Int, Int, Int, Float, UnsafeMutablePointer<Float>?) -> smk_status
    typealias Map = @Sendable (HalfIn, Int, Int, Int, Float, HalfOut, Int) -> smk_status
    typealias BackwardFromX = @Sendable (HalfIn, Int, Int, Int, UnsafePointer<Float>?, Float, HalfOut, Int) -> smk_status
    typealias SoftmaxBackward = @Sendable (HalfIn, Int, Int, Int, HalfIn, Int, Float, HalfOut, Int) -> smk_status
    typealias LogSoftmaxBackward = @Sendable (HalfIn, Int, Int, Int, smk_prob_form, HalfIn, Int, Float, HalfOut, Int)
        -> smk_status
    typealias CrossEntropy = @Sendable (HalfIn, Int, Int, Int, UnsafePointer<Int64>?, Int64, Float, Float, smk_reduction,
                                        UnsafeMutablePointer<Float>?, HalfOut, Int) -> smk_status
    typealias CrossEntropySoft = @Sendable (HalfIn, Int, Int, Int, HalfIn, Int, Float, Float, smk_reduction,
                                            UnsafeMutablePointer<Float>?, HalfOut, Int) -> smk_status

    let logSumExp, softArgmax: Reduce
    let softmax, logSoftmax: Map
    let logSumExpBackward, softArgmaxBackward: BackwardFromX
    let softmaxBackward: SoftmaxBackward
    let logSoftmaxBackward: LogSoftmaxBackward
    let crossEntropy: CrossEntropy
    let crossEntropySoft: CrossEntropySoft

    /// The table of one storage type: each line pairs the float16 and the bfloat16 symbol.
    init(_ kind: _HalfKind) {
        let f16 = kind == .float16
        logSumExp = f16 ? smk_logsumexp_f16 : smk_logsumexp_bf16
        softArgmax = f16 ? smk_softargmax_f16 : smk_softargmax_bf16
        softmax = f16 ? smk_softmax_f16 : smk_softmax_bf16
        logSoftmax = f16 ? smk_log_softmax_f16 : smk_log_softmax_bf16
        logSumExpBackward = f16 ? smk_logsumexp_backward_f16 : smk_logsumexp_backward_bf16
        softArgmaxBackward = f16 ? smk_softargmax_backward_f16 : smk_softargmax_backward_bf16
        softmaxBackward = f16 ? smk_softmax_backward_f16 : smk_softmax_backward_bf16
        logSoftmaxBackward = f16 ? smk_log_softmax_backward_f16 : smk_log_softmax_backward_bf16
        crossEntropy = f16 ? smk_cross_entropy_f16 : smk_cross_entropy_bf16
        crossEntropySoft = f16 ? smk_cross_entropy_soft_f16 : smk_cross_entropy_soft_bf16
    }

    static let float16 = HalfEntryPoints(.float16)
    static let bfloat16 = HalfEntryPoints(.bfloat16)

    /// The reduction (logsumexp, soft-argmax) or map (softmax, log_softmax) of `op`.
    func reduce(_ op: RowOp) -> Reduce { op == .logSumExp ? logSumExp : softArgmax }
    func map(_ op: RowOp) -> Map { op == .softmax ? softmax : logSoftmax }
}

extension HalfPrecisionStorage {
    /// The C entry points of this storage type.
    static var entryPoints: HalfEntryPoints { _halfKind == .float16 ? .float16 : .bfloat16 }
}

/// Throws the error of a C status (only SMK_ERR_COMPUTE can reach here: see the top).
func throwing(_ s: smk_status) throws {
    guard s == SMK_OK else { throw SmoothKitError.computationFailed(status: Int(s.rawValue)) }
}

/// Calls `body` on blocks of rows covering `0..<rows`, over `threads` cores as the Float ops
/// split them (RowParallel; the C entry points are reentrant), and throws if any block's call
/// failed. Each block is one C call, which writes nothing when it fails; the other blocks
/// are written.
func halfRowBlocks(rows: Int, cols: Int, threads: Int, _ body: @Sendable (Range<Int>) -> smk_status) throws {
    let failure = Locked(SMK_OK)
    RowParallel.forEachBlock(rows: rows, cols: cols, threads: threads) { r in
        let s = body(r)
        if s != SMK_OK { failure.withLock { $0 = s } }
    }
    try throwing(failure.withLock { $0 })
}
