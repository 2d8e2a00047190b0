import Testing
import SmoothKit
import CSmoothKit

// Every argument error of the training ops: the C status, and every output still holding its
// canary (nothing written); the Swift façade's thrown errors; and C vs pure-Swift agreement.

/// Inputs (rows 2 × cols 3, valid values) and canary-filled outputs for one C call.
final class TrainCArgs: @unchecked Sendable {
    static let canary: Float = 777
    let x = UnsafeMutablePointer<Float>.allocate(capacity: 6)
    let g = UnsafeMutablePointer<Float>.allocate(capacity: 6)
    let labels = UnsafeMutablePointer<Int64>.allocate(capacity: 2)
    let maskBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 6)
    let m = UnsafeMutablePointer<Float>.allocate(capacity: 2), s = UnsafeMutablePointer<Float>.allocate(capacity: 2)
    let dx = UnsafeMutablePointer<Float>.allocate(capacity: 6), loss = UnsafeMutablePointer<Float>.allocate(capacity: 2)
    let om = UnsafeMutablePointer<Float>.allocate(capacity: 2), os = UnsafeMutablePointer<Float>.allocate(capacity: 2)

    init(labels l: [Int64] = [0, 2]) {
        for i in 0..<6 { x[i] = Float(i) * 0.5; g[i] = 1 - Float(i) * 0.25 }
        for i in 0..<2 { labels[i] = l[i]; m[i] = Float(i); s[i] = 1 }
        maskBytes.initialize(repeating: 1, count: 6)
        for p in [dx] { p.initialize(repeating: Self.canary, count: 6) }
        for p in [loss, om, os] { p.initialize(repeating: Self.canary, count: 2) }
    }

    /// Every output still holds the canary.
    var untouched: Bool {
        (0..<6).allSatisfy { dx[$0] == Self.canary } && [loss, om, os].allSatisfy { p in (0..<2).allSatisfy { p[$0] == Self.canary } }
    }

    deinit { for p in [x, g, m, s, dx, loss, om, os] { p.deallocate() }; labels.deallocate(); maskBytes.deallocate() }
}

struct TrainCErrorCase: CustomStringConvertible, Sendable {
    let name: String
    let expected: smk_status
    var labels: [Int64] = [0, 2]
    let call: @Sendable (TrainCArgs) -> smk_status
    var description: String { name }
}

private let huge = Int.max / 2  // rows or n whose extent overflows PTRDIFF_MAX
/// The first status that is not OK (OK if none).
func trainFirstError(_ s: smk_status...) -> smk_status { s.first { $0 != SMK_OK } ?? SMK_OK }

private let badForm = smk_prob_form(rawValue: 7), badReduction = smk_reduction(rawValue: 5)

let trainCErrorCases: [TrainCErrorCase] = [
    // logsumexp / softargmax backward
    TrainCErrorCase(name: "lse_bwd τ=0", expected: SMK_ERR_TEMPERATURE) { smk_logsumexp_backward_f32($0.x, 2, 3, 3, $0.g, 0, $0.dx, 3) },
    TrainCErrorCase(name: "lse_bwd τ=NaN", expected: SMK_ERR_TEMPERATURE) { smk_logsumexp_backward_f32($0.x, 2, 3, 3, $0.g, .nan, $0.dx, 3) },
    TrainCErrorCase(name: "lse_bwd ldx<cols", expected: SMK_ERR_SHAPE) { smk_logsumexp_backward_f32($0.x, 2, 3, 2, $0.g, 1, $0.dx, 3) },
    TrainCErrorCase(name: "lse_bwd lddx<cols", expected: SMK_ERR_SHAPE) { smk_logsumexp_backward_f32($0.x, 2, 3, 3, $0.g, 1, $0.dx, 2) },
    TrainCErrorCase(name: "lse_bwd extent", expected: SMK_ERR_SHAPE) { smk_logsumexp_backward_f32($0.x, huge, 3, 3, $0.g, 1, $0.dx, 3) },
    TrainCErrorCase(name: "lse_bwd x NULL", expected: SMK_ERR_NULL) { smk_logsumexp_backward_f32(nil, 2, 3, 3, $0.g, 1, $0.dx, 3) },
    TrainCErrorCase(name: "lse_bwd g NULL", expected: SMK_ERR_NULL) { smk_logsumexp_backward_f32($0.x, 2, 3, 3, nil, 1, $0.dx, 3) },
    TrainCErrorCase(name: "lse_bwd dx NULL", expected: SMK_ERR_NULL) { smk_logsumexp_backward_f32($0.x, 2, 3, 3, $0.g, 1, nil, 3) },
    TrainCErrorCase(name: "argmax_bwd τ=∞", expected: SMK_ERR_TEMPERATURE) { smk_softargmax_backward_f32($0.x, 2, 3, 3, $0.g, .infinity, $0.dx, 3) },
    TrainCErrorCase(name: "argmax_bwd g NULL", expected: SMK_ERR_NULL) { smk_softargmax_backward_f32($0.x, 2, 3, 3, nil, 1, $0.dx, 3) },
    TrainCErrorCase(name: "argmax_bwd ldx<cols", expected: SMK_ERR_SHAPE) { smk_softargmax_backward_f32($0.x, 2, 3, 1, $0.g, 1, $0.dx, 3) },
    // softmax / log_softmax backward
    TrainCErrorCase(name: "softmax_bwd τ=−1", expected: SMK_ERR_TEMPERATURE) { smk_softmax_backward_f32($0.x, 2, 3, 3, $0.g, 3, -1, $0.dx, 3) },
    TrainCErrorCase(name: "softmax_bwd ldg<cols", expected: SMK_ERR_SHAPE) { smk_softmax_backward_f32($0.x, 2, 3, 3, $0.g, 2, 1, $0.dx, 3) },
    TrainCErrorCase(name: "softmax_bwd p NULL", expected: SMK_ERR_NULL) { smk_softmax_backward_f32(nil, 2, 3, 3, $0.g, 3, 1, $0.dx, 3) },
    TrainCErrorCase(name: "softmax_bwd g NULL", expected: SMK_ERR_NULL) { smk_softmax_backward_f32($0.x, 2, 3, 3, nil, 3, 1, $0.dx, 3) },
    TrainCErrorCase(name: "softmax_bwd dx NULL", expected: SMK_ERR_NULL) { smk_softmax_backward_f32($0.x, 2, 3, 3, $0.g, 3, 1, nil, 3) },
    TrainCErrorCase(name: "log_softmax_bwd bad form", expected: SMK_ERR_DOMAIN) {
        smk_log_softmax_backward_f32($0.x, 2, 3, 3, badForm, $0.g, 3, 1, $0.dx, 3)
    },
    TrainCErrorCase(name: "log_softmax_bwd τ=0", expected: SMK_ERR_TEMPERATURE) {
        smk_log_softmax_backward_f32($0.x, 2, 3, 3, SMK_FORM_PROB, $0.g, 3, 0, $0.dx, 3)
    },
    TrainCErrorCase(name: "log_softmax_bwd y NULL", expected: SMK_ERR_NULL) {
        smk_log_softmax_backward_f32(nil, 2, 3, 3, SMK_FORM_LOG_PROB, $0.g, 3, 1, $0.dx, 3)
    },
    // cross-entropy
    TrainCErrorCase(name: "ce label == cols", expected: SMK_ERR_DOMAIN, labels: [0, 3]) {
        smk_cross_entropy_f32($0.x, 2, 3, 3, $0.labels, -100, 0, 1, SMK_REDUCE_NONE, $0.loss, $0.dx, 3)
    },
    TrainCErrorCase(name: "ce label −1 (ignore −100)", expected: SMK_ERR_DOMAIN, labels: [-1, 0]) {
        smk_cross_entropy_f32($0.x, 2, 3, 3, $0.labels, -100, 0, 1, SMK_REDUCE_MEAN, $0.loss, $0.dx, 3)
    },
    TrainCErrorCase(name: "ce label −100 (ignore −1)", expected: SMK_ERR_DOMAIN, labels: [1, -100]) {
        smk_cross_entropy_f32($0.x, 2, 3, 3, $0.labels, -1, 0, 1, SMK_REDUCE_NONE, $0.loss, $0.dx, 3)
    },
    TrainCErrorCase(name: "ce ε=−0.1", expected: SMK_ERR_DOMAIN) {
        smk_cross_entropy_f32($0.x, 2, 3, 3, $0.labels, -100, -0.1, 1, SMK_REDUCE_NONE, $0.loss, $0.dx, 3)
    },
    TrainCErrorCase(name: "ce ε=1.5", expected: SMK_ERR_DOMAIN) {
        smk_cross_entropy_f32($0.x, 2, 3, 3, $0.labels, -100, 1.5, 1, SMK_REDUCE_NONE, $0.loss, $0.dx, 3)
    },
    TrainCErrorCase(name: "ce ε=NaN", expected: SMK_ERR_DOMAIN) {
        smk_cross_entropy_f32($0.x, 2, 3, 3, $0.labels, -100, .nan, 1, SMK_REDUCE_NONE, $0.loss, $0.dx, 3)
    },
    TrainCErrorCase(name: "ce bad reduction", expected: SMK_ERR_DOMAIN) {
        smk_cross_entropy_f32($0.x, 2, 3, 3, $0.labels, -100, 0, 1, badReduction, $0.loss, $0.dx, 3)
    },
    TrainCErrorCase(name: "ce τ=0", expected: SMK_ERR_TEMPERATURE) {
        smk_cross_entropy_f32($0.x, 2, 3, 3, $0.labels, -100, 0, 0, SMK_REDUCE_NONE, $0.loss, $0.dx, 3)
    },
    TrainCErrorCase(name: "ce labels NULL", expected: SMK_ERR_NULL) {
        smk_cross_entropy_f32($0.x, 2, 3, 3, nil, -100, 0, 1, SMK_REDUCE_NONE, $0.loss, $0.dx, 3)
    },
    TrainCErrorCase(name: "ce loss NULL", expected: SMK_ERR_NULL) {
        smk_cross_entropy_f32($0.x, 2, 3, 3, $0.labels, -100, 0, 1, SMK_REDUCE_NONE, nil, $0.dx, 3)
    },
    TrainCErrorCase(name: "ce x NULL", expected: SMK_ERR_NULL) {
        smk_cross_entropy_f32(nil, 2, 3, 3, $0.labels, -100, 0, 1, SMK_REDUCE_NONE, $0.loss, $0.dx, 3)
    },
    TrainCErrorCase(name: "ce lddx<cols", expected: SMK_ERR_SHAPE) {
        smk_cross_entropy_f32($0.x, 2, 3, 3, $0.labels, -100, 0, 1, SMK_REDUCE_NONE, $0.loss, $0.dx, 1)
    },
    TrainCErrorCase(name: "ce soft target NULL", expected: SMK_ERR_NULL) {
        smk_cross_entropy_soft_f32($0.x, 2, 3, 3, nil, 3, 0, 1, SMK_REDUCE_NONE, $0.loss, $0.dx, 3)
    },
    TrainCErrorCase(name: "ce soft ldq<cols", expected: SMK_ERR_SHAPE) {
        smk_cross_entropy_soft_f32($0.x, 2, 3, 3, $0.g, 2, 0, 1, SMK_REDUCE_NONE, $0.loss, $0.dx, 3)
    },
    TrainCErrorCase(name: "ce soft ε=2", expected: SMK_ERR_DOMAIN) {
        smk_cross_entropy_soft_f32($0.x, 2, 3, 3, $0.g, 3, 2, 1, SMK_REDUCE_SUM, $0.loss, $0.dx, 3)
    },
    // mergeable state
    TrainCErrorCase(name: "state τ=0", expected: SMK_ERR_TEMPERATURE) { smk_lse_state_f32($0.x, 2, 3, 3, 0, $0.om, $0.os) },
    TrainCErrorCase(name: "state ldx<cols", expected: SMK_ERR_SHAPE) { smk_lse_state_f32($0.x, 2, 3, 2, 1, $0.om, $0.os) },
    TrainCErrorCase(name: "state m NULL", expected: SMK_ERR_NULL) { smk_lse_state_f32($0.x, 2, 3, 3, 1, nil, $0.os) },
    TrainCErrorCase(name: "state s NULL", expected: SMK_ERR_NULL) { smk_lse_state_f32($0.x, 2, 3, 3, 1, $0.om, nil) },
    TrainCErrorCase(name: "merge τ=NaN", expected: SMK_ERR_TEMPERATURE) { smk_lse_merge_f32($0.m, $0.s, $0.m, $0.s, 2, .nan, $0.om, $0.os) },
    TrainCErrorCase(name: "merge n huge", expected: SMK_ERR_SHAPE) { smk_lse_merge_f32($0.m, $0.s, $0.m, $0.s, huge, 1, $0.om, $0.os) },
    TrainCErrorCase(name: "merge m2 NULL", expected: SMK_ERR_NULL) { smk_lse_merge_f32($0.m, $0.s, nil, $0.s, 2, 1, $0.om, $0.os) },
    TrainCErrorCase(name: "merge out NULL", expected: SMK_ERR_NULL) { smk_lse_merge_f32($0.m, $0.s, $0.m, $0.s, 2, 1, $0.om, nil) },
    TrainCErrorCase(name: "finalize τ=0", expected: SMK_ERR_TEMPERATURE) { smk_lse_finalize_f32($0.m, $0.s, 2, 0, $0.loss) },
    TrainCErrorCase(name: "finalize out NULL", expected: SMK_ERR_NULL) { smk_lse_finalize_f32($0.m, $0.s, 2, 1, nil) },
    TrainCErrorCase(name: "finalize s NULL", expected: SMK_ERR_NULL) { smk_lse_finalize_f32($0.m, nil, 2, 1, $0.loss) },
    // masked forward ops (lengths from `labels`, the mask bytes from `maskBytes`)
    TrainCErrorCase(name: "masked length > cols", expected: SMK_ERR_DOMAIN, labels: [3, 4]) {
        smk_masked_softmax_f32($0.x, 2, 3, 3, $0.labels, nil, 0, 1, $0.dx, 3)
    },
    TrainCErrorCase(name: "masked length < 0", expected: SMK_ERR_DOMAIN, labels: [-1, 0]) {
        smk_masked_logsumexp_f32($0.x, 2, 3, 3, $0.labels, nil, 0, 1, $0.loss)
    },
    TrainCErrorCase(name: "masked ldm<cols", expected: SMK_ERR_SHAPE) {
        smk_masked_log_softmax_f32($0.x, 2, 3, 3, nil, $0.maskBytes, 2, 1, $0.dx, 3)
    },
    TrainCErrorCase(name: "masked τ=0", expected: SMK_ERR_TEMPERATURE) {
        smk_masked_softargmax_f32($0.x, 2, 3, 3, nil, $0.maskBytes, 3, 0, $0.loss)
    },
    TrainCErrorCase(name: "masked ldy<cols", expected: SMK_ERR_SHAPE) {
        smk_masked_softmax_f32($0.x, 2, 3, 3, nil, nil, 0, 1, $0.dx, 2)
    },
    TrainCErrorCase(name: "masked out NULL", expected: SMK_ERR_NULL) {
        smk_masked_logsumexp_f32($0.x, 2, 3, 3, nil, nil, 0, 1, nil)
    },
    TrainCErrorCase(name: "masked x NULL", expected: SMK_ERR_NULL) {
        smk_masked_softmax_f32(nil, 2, 3, 3, nil, nil, 0, 1, $0.dx, 3)
    },
    // weighted logsumexp (weights from g)
    TrainCErrorCase(name: "weighted τ=0", expected: SMK_ERR_TEMPERATURE) { smk_logsumexp_weighted_f32($0.x, 2, 3, 3, $0.g, 3, 0, $0.loss, $0.om) },
    TrainCErrorCase(name: "weighted ldb<cols", expected: SMK_ERR_SHAPE) { smk_logsumexp_weighted_f32($0.x, 2, 3, 3, $0.g, 2, 1, $0.loss, $0.om) },
    TrainCErrorCase(name: "weighted b NULL", expected: SMK_ERR_NULL) { smk_logsumexp_weighted_f32($0.x, 2, 3, 3, nil, 3, 1, $0.loss, $0.om) },
    TrainCErrorCase(name: "weighted out NULL", expected: SMK_ERR_NULL) { smk_logsumexp_weighted_f32($0.x, 2, 3, 3, $0.g, 3, 1, nil, $0.om) },
    // column-wise ops
    TrainCErrorCase(name: "col τ=0", expected: SMK_ERR_TEMPERATURE) { smk_col_logsumexp_f32($0.x, 2, 3, 3, 0, $0.dx) },
    TrainCErrorCase(name: "col ldx<cols", expected: SMK_ERR_SHAPE) { smk_col_softmax_f32($0.x, 2, 3, 2, 1, $0.dx, 3) },
    TrainCErrorCase(name: "col ldy<cols", expected: SMK_ERR_SHAPE) { smk_col_log_softmax_f32($0.x, 2, 3, 3, 1, $0.dx, 1) },
    TrainCErrorCase(name: "col out NULL", expected: SMK_ERR_NULL) { smk_col_softargmax_f32($0.x, 2, 3, 3, 1, nil) },
    TrainCErrorCase(name: "col x NULL", expected: SMK_ERR_NULL) { smk_col_softmax_f32(nil, 2, 3, 3, 1, $0.dx, 3) },
    TrainCErrorCase(name: "col cols 0 / map rows 0", expected: SMK_OK) { _ in
        trainFirstError(smk_col_logsumexp_f32(nil, 2, 0, 0, 1, nil), smk_col_softmax_f32(nil, 0, 3, 3, 1, nil, 3))
    },
    // valid calls that write nothing: rows == 0 (any pointers), cols == 0 (no element per row)
    TrainCErrorCase(name: "rows 0, all NULL", expected: SMK_OK) { _ in
        trainFirstError(smk_logsumexp_backward_f32(nil, 0, 3, 3, nil, 1, nil, 3), smk_softmax_backward_f32(nil, 0, 3, 3, nil, 3, 1, nil, 3),
                   smk_cross_entropy_f32(nil, 0, 3, 3, nil, -100, 0, 1, SMK_REDUCE_MEAN, nil, nil, 0),
                   smk_lse_state_f32(nil, 0, 3, 3, 1, nil, nil), smk_lse_merge_f32(nil, nil, nil, nil, 0, 1, nil, nil))
    },
    TrainCErrorCase(name: "cols 0 backward", expected: SMK_OK) {
        trainFirstError(smk_softargmax_backward_f32(nil, 2, 0, 0, $0.g, 1, $0.dx, 0),
                   smk_softmax_backward_f32(nil, 2, 0, 0, nil, 0, 1, $0.dx, 0))
    },
]

@Test("C argument errors: status and nothing written", arguments: trainCErrorCases)
func trainCArgumentErrors(c: TrainCErrorCase) {
    let a = TrainCArgs(labels: c.labels)
    #expect(c.call(a) == c.expected, "\(c.name)")
    #expect(a.untouched, "\(c.name): an output was written")
}

/// The f64 entry points share the f32 checks through one macro; a few probes confirm it.
@Test("C argument errors, f64 entry points")
func trainCArgumentErrorsF64() {
    let x: [Double] = [0, 1, 2, 3, 4, 5]
    var dx = [Double](repeating: 777, count: 6), loss: [Double] = [777, 777]
    let labels: [Int64] = [0, 5]
    #expect(smk_cross_entropy_f64(x, 2, 3, 3, labels, -100, 0, 1, SMK_REDUCE_NONE, &loss, &dx, 3) == SMK_ERR_DOMAIN)
    #expect(smk_logsumexp_backward_f64(x, 2, 3, 3, x, 0, &dx, 3) == SMK_ERR_TEMPERATURE)
    #expect(smk_log_softmax_backward_f64(x, 2, 3, 3, badForm, x, 3, 1, &dx, 3) == SMK_ERR_DOMAIN)
    #expect(smk_lse_state_f64(x, 2, 3, 2, 1, &loss, &dx) == SMK_ERR_SHAPE)
    #expect(dx.allSatisfy { $0 == 777 } && loss.allSatisfy { $0 == 777 })
}

// MARK: - Swift façade errors

struct TrainSwiftErrorCase: CustomStringConvertible, Sendable {
    let name: String
    let expected: SmoothKitError
    let call: @Sendable (Backend) throws -> Void
    var description: String { name }
}

private let x23 = try! Matrix<Float>(rows: 2, cols: 3, elements: [0, 1, 2, 3, 4, 5])
private let x33 = try! Matrix<Float>(rows: 3, cols: 3, repeating: 0)

let trainSwiftErrorCases: [TrainSwiftErrorCase] = [
    TrainSwiftErrorCase(name: "lse backward τ", expected: .invalidTemperature(0)) { _ = try logSumExpBackward(x23, upstream: [1, 1], temperature: 0, backend: $0) },
    TrainSwiftErrorCase(name: "lse backward g count", expected: .elementCount(expected: 2, actual: 3)) {
        _ = try logSumExpBackward(x23, upstream: [1, 1, 1], backend: $0)
    },
    TrainSwiftErrorCase(name: "backward threads", expected: .domain("threads must be >= 1, got 0")) {
        _ = try softmaxBackward(probabilities: x23, upstream: x23, backend: $0, threads: 0)
    },
    TrainSwiftErrorCase(name: "argmax backward g count", expected: .elementCount(expected: 2, actual: 1)) {
        _ = try softArgmaxBackward(x23, upstream: [1], backend: $0)
    },
    TrainSwiftErrorCase(name: "softmax backward shape", expected: .shapeMismatch(expected: "2 × 3", actual: "3 × 3")) {
        _ = try softmaxBackward(probabilities: x23, upstream: x33, backend: $0)
    },
    TrainSwiftErrorCase(name: "log_softmax backward τ", expected: .invalidTemperature(-1)) {
        _ = try logSoftmaxBackward(output: x23, upstream: x23, temperature: -1, backend: $0)
    },
    TrainSwiftErrorCase(name: "ce label count", expected: .elementCount(expected: 2, actual: 1)) {
        _ = try crossEntropy(logits: x23, labels: [0], backend: $0)
    },
    TrainSwiftErrorCase(name: "ce label range", expected: .domain("label 3 of row 1 is outside 0..<3 and not the ignore label")) {
        _ = try crossEntropy(logits: x23, labels: [0, 3], backend: $0)
    },
    TrainSwiftErrorCase(name: "ce smoothing", expected: .domain("label smoothing must be in [0, 1], got 1.5")) {
        _ = try crossEntropy(logits: x23, labels: [0, 1], labelSmoothing: 1.5, backend: $0)
    },
    TrainSwiftErrorCase(name: "ce soft shape", expected: .shapeMismatch(expected: "2 × 3", actual: "3 × 3")) {
        _ = try crossEntropy(logits: x23, targets: x33, backend: $0)
    },
    TrainSwiftErrorCase(name: "ce τ", expected: .invalidTemperature(Double.infinity)) {
        _ = try crossEntropy(logits: x23, labels: [0, 1], temperature: .infinity, backend: $0)
    },
    TrainSwiftErrorCase(name: "state τ", expected: .invalidTemperature(0)) { _ = try LogSumExpState(chunk: x23, temperature: 0, backend: $0) },
    TrainSwiftErrorCase(name: "mask lengths count", expected: .elementCount(expected: 2, actual: 1)) { _ in
        _ = try RowMask(rows: 2, cols: 3, lengths: [1])
    },
    TrainSwiftErrorCase(name: "mask length range", expected: .domain("length 4 of row 1 is outside 0...3")) { _ in
        _ = try RowMask(rows: 2, cols: 3, lengths: [1, 4])
    },
    TrainSwiftErrorCase(name: "mask bytes count", expected: .elementCount(expected: 6, actual: 5)) { _ in
        _ = try RowMask(rows: 2, cols: 3, mask: [1, 1, 1, 1, 1])
    },
    TrainSwiftErrorCase(name: "mask shape", expected: .shapeMismatch(expected: "2 × 3", actual: "mask 3 × 3")) {
        _ = try maskedSoftmax(x23, mask: RowMask(rows: 3, cols: 3), backend: $0)
    },
    TrainSwiftErrorCase(name: "masked τ", expected: .invalidTemperature(0)) {
        _ = try maskedLogSumExp(x23, mask: RowMask(rows: 2, cols: 3), temperature: 0, backend: $0)
    },
    TrainSwiftErrorCase(name: "weighted shape", expected: .shapeMismatch(expected: "2 × 3", actual: "3 × 3")) {
        _ = try weightedLogSumExp(x23, weights: x33, backend: $0)
    },
    TrainSwiftErrorCase(name: "weighted τ", expected: .invalidTemperature(-2)) {
        _ = try weightedLogSumExp(x23, weights: x23, temperature: -2, backend: $0)
    },
    TrainSwiftErrorCase(name: "column τ", expected: .invalidTemperature(0)) { _ = try columnSoftmax(x23, temperature: 0, backend: $0) },
    TrainSwiftErrorCase(name: "state rows", expected: .invalidShape("rows must be >= 0, got -1")) { _ in _ = try LogSumExpState<Float>(rows: -1) },
]

@Test("Swift façade errors", arguments: trainSwiftErrorCases, [Backend.c, .swift])
func trainSwiftErrors(c: TrainSwiftErrorCase, backend: Backend) {
    #expect(throws: c.expected, "\(c.name)") { try c.call(backend) }
}

/// A failed merge leaves the state as it was.
@Test("merge errors leave the state unchanged")
func trainMergeErrors() throws {
    var a = try LogSumExpState(chunk: x23, temperature: 1)
    let before = a
    #expect(throws: SmoothKitError.domain("cannot merge states of temperatures 1.0 and 2.0")) {
        try a.merge(LogSumExpState(chunk: x23, temperature: 2))
    }
    #expect(throws: SmoothKitError.elementCount(expected: 2, actual: 3)) {
        try a.merge(LogSumExpState(chunk: x33, temperature: 1))
    }
    #expect(a == before)
}

// MARK: - C vs pure Swift

/// Every training op on the same random input through both backends, within 32u of the row's
/// largest magnitude (each backend is within its bound of the Float80 reference elsewhere);
/// NaN and ±∞ (masked rows) must match exactly.
@Test("C and pure-Swift backends agree", arguments: TrainDType.allCases)
func trainCAndSwiftAgree(dtype: TrainDType) throws {
    func check<S: SmoothScalar>(_: S.Type) throws {
        var rng = SplitMix64(seed: 0xC5)
        let x = try trainRandomMatrix(S.self, rows: 5, cols: 29, range: -6...6, pad: 3, rng: &rng)
        let g = try trainRandomMatrix(S.self, rows: 5, cols: 29, range: -1...1, rng: &rng)
        let q = try trainRandomMatrix(S.self, rows: 5, cols: 29, range: 0...0.1, rng: &rng)
        let gv = (0..<5).map { S($0) - 2 }, labels = [3, -100, 28, 0, 11], t: S = 0.8
        let p = try softmax(x, temperature: t, backend: .c), lp = try logSoftmax(x, temperature: t, backend: .c)
        func outputs(_ b: Backend) throws -> [Matrix<S>] {
            let ce = try crossEntropy(logits: x, labels: labels, labelSmoothing: 0.05, temperature: t, reduction: .none, backend: b)
            let soft = try crossEntropy(logits: x, targets: q, temperature: t, reduction: .sum, backend: b)
            let st = try LogSumExpState(chunk: x, temperature: t, backend: b)
            let mask = try RowMask(rows: 5, cols: 29, lengths: [29, 3, 0, 17, 28], mask: (0..<145).map { UInt8($0 % 5 == 0 ? 0 : 1) })
            let w = try weightedLogSumExp(x, weights: g, temperature: t, backend: b)
            return [try maskedSoftmax(x, mask: mask, temperature: t, backend: b),
                    try maskedLogSoftmax(x, mask: mask, temperature: t, backend: b),
                    try Matrix(rows: 1, cols: 5, elements: maskedLogSumExp(x, mask: mask, temperature: t, backend: b)),
                    try Matrix(rows: 1, cols: 5, elements: maskedSoftArgmax(x, mask: mask, temperature: t, backend: b)),
                    try Matrix(rows: 2, cols: 5, elements: w.values + w.signs),
                    try columnSoftmax(x, temperature: t, backend: b), try columnLogSoftmax(x, temperature: t, backend: b),
                    try Matrix(rows: 1, cols: 29, elements: columnLogSumExp(x, temperature: t, backend: b)),
                    try Matrix(rows: 1, cols: 29, elements: columnSoftArgmax(x, temperature: t, backend: b)),try logSumExpBackward(x, upstream: gv, temperature: t, backend: b),
                    try softArgmaxBackward(x, upstream: gv, temperature: t, backend: b),
                    try softmaxBackward(probabilities: p, upstream: g, temperature: t, backend: b),
                    try logSoftmaxBackward(output: lp, upstream: g, temperature: t, backend: b),
                    ce.gradient!, try Matrix(rows: 1, cols: 5, elements: ce.loss),
                    soft.gradient!, try Matrix(rows: 1, cols: 1, elements: soft.loss),
                    try Matrix(rows: 1, cols: 5, elements: st.logSumExp(backend: b))]
        }
        let (c, s) = (try outputs(.c), try outputs(.swift))
        for (k, (mc, ms)) in zip(c, s).enumerated() {
            for r in 0..<mc.rows {
                let big = mc.row(r).reduce(TrainRef(1)) { max($0, abs(TrainRef($1))) }
                for i in 0..<mc.cols {
                    #expect(trainClose(TrainRef(mc[r, i]), TrainRef(ms[r, i]), 32 * trainUnitRoundoff(S.self) * big),
                            "\(S.self) output \(k) at (\(r), \(i)): C \(mc[r, i]) vs Swift \(ms[r, i])")
                }
            }
        }
    }
    try withStableISA { // the C backend on one path, whatever is forced process-wide
        switch dtype {
        case .float: try check(Float.self)
        case .double: try check(Double.self)
        }
    }
}
