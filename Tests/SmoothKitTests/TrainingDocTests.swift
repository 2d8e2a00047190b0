import Testing
import SmoothKit

/// The Swift example of docs/training.md, run as written, with its comments checked.
@Test("docs/training.md example")
func trainingDocExample() throws {
    let logits = try Matrix<Float>(rows: 3, cols: 4, elements: [2, 1, 0, -1,  0, 0, 0, 0,  1, 3, 2, 0])
    let ce = try crossEntropy(logits: logits, labels: [0, -100, 1], labelSmoothing: 0.1, reduction: .mean)
    #expect(ce.loss.count == 1 && ce.gradient!.row(1) == [0, 0, 0, 0])
    let p = try softmax(logits, temperature: 0.5)
    let g = try Matrix<Float>(rows: 3, cols: 4, elements: [1, 0, 0, 0,  1, 0, 0, 0,  1, 0, 0, 0])
    let dx = try softmaxBackward(probabilities: p, upstream: g, temperature: 0.5)
    // A non-constant g (with g ≡ 1 the exact answer is 0 whatever ⟨g, p⟩ is): p ⊙ (g − p_0)/τ
    // against Float80 (|dx| ≤ 1/(4τ) = 0.5; p to 8u relative: 1e-6 absolute is ≥ 16u·0.5·2).
    #expect(dx.row(1).enumerated().allSatisfy { abs($0.element - ($0.offset == 0 ? 0.375 : -0.125)) < 1e-6 }, "\(dx.row(1))")
    for (r, row) in logits.trainRefRows.enumerated() {
        let pr = TrainReference.softmax(row, 0.5)
        for i in 0..<4 {
            let want = pr[i] * ((i == 0 ? 1 : 0) - pr[0]) / 0.5
            #expect(abs(TrainRef(dx[r, i]) - want) < 1e-6, "row \(r) column \(i): \(dx[r, i]) vs \(want)")
        }
    }
    let ragged = try maskedSoftmax(logits, mask: RowMask(rows: 3, cols: 4, lengths: [4, 2, 0]))
    #expect(ragged.row(1) == [0.5, 0.5, 0, 0] && ragged.row(2) == [0, 0, 0, 0])
    var state = try LogSumExpState(chunk: logits, temperature: 1)
    try state.merge(LogSumExpState(chunk: logits, temperature: 1))
    let lse = state.logSumExp(), once = try logSumExp(logits)
    for r in 0..<3 { #expect(abs(lse[r] - (once[r] + Float(TrainRef.trainLog(2)))) < 1e-6) }
}
