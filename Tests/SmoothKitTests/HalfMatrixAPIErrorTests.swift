// The half-precision Swift API's error paths and edge rows: every new entry (threads:, in
// place, into:, the backward ops, both cross-entropy forms) with a bad temperature, a bad
// thread count, a shape or count mismatch, bad labels and bad smoothing throws the
// SmoothKitError that names the argument, on both backends, and writes nothing; ignored and
// empty cross-entropy rows behave as the Float op's.
import SmoothKit
import Testing

/// Which SmoothKitError a bad argument must give (also for the half views' tests).
enum ErrorKind: String {
    case temperature, count, shape, invalidShape, domain

    func matches(_ error: any Error) -> Bool {
        switch error as? SmoothKitError {
        case .invalidTemperature: self == .temperature
        case .elementCount: self == .count
        case .shapeMismatch: self == .shape
        case .invalidShape: self == .invalidShape
        case .domain: self == .domain
        default: false
        }
    }
}

func expectError(_ kind: ErrorKind, _ label: String, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("\(label): no error, expected \(kind)")
    } catch {
        #expect(kind.matches(error), "\(label): \(error), expected \(kind)")
    }
}

private let badTemperatures: [Float] = [0, -1, .nan, .infinity]
private let badSmoothing: [Float] = [-0.1, 1.5, .nan, .infinity]

@Suite
struct HalfMatrixAPIErrorTests {
    @Test(arguments: [Backend.c, .swift], [false, true])
    func badArgumentsThrowAndWriteNothing(_ backend: Backend, _ float16: Bool) throws {
        if float16 { try check(Float16.self, backend) } else { try check(BFloat16.self, backend) }
    }

    private func check<E: HalfPrecisionStorage>(_: E.Type, _ backend: Backend) throws {
        let i = try HalfAPIInputs<E>(rows: 4, cols: 5, pad: 1, t: 1, seed: 8)
        let canary = E(Float(7))
        var y = try HalfMatrix<E>(rows: 4, cols: 5, leadingDimension: 6, repeating: canary), x = i.x
        let yBefore = y, xBefore = x
        let at = "\(E.self) \(backend)"
        // the forward ops: τ and threads, every form
        for (t, threads, kind) in badTemperatures.map({ ($0, 1, ErrorKind.temperature) }) + [(Float(1), 0, .domain), (1, -2, .domain)] {
            let label = "\(at) τ \(t) threads \(threads)"
            expectError(kind, "logSumExp \(label)") { _ = try logSumExp(i.x, temperature: t, backend: backend, threads: threads) }
            expectError(kind, "softArgmax \(label)") { _ = try softArgmax(i.x, temperature: t, backend: backend, threads: threads) }
            expectError(kind, "softmax \(label)") { _ = try softmax(i.x, temperature: t, backend: backend, threads: threads) }
            expectError(kind, "logSoftmax \(label)") { _ = try logSoftmax(i.x, temperature: t, backend: backend, threads: threads) }
            expectError(kind, "softmax into \(label)") { try softmax(i.x, temperature: t, backend: backend, threads: threads, into: &y) }
            expectError(kind, "logSoftmax into \(label)") {
                try logSoftmax(i.x, temperature: t, backend: backend, threads: threads, into: &y)
            }
            expectError(kind, "softmaxInPlace \(label)") { try softmaxInPlace(&x, temperature: t, backend: backend, threads: threads) }
            expectError(kind, "logSoftmaxInPlace \(label)") {
                try logSoftmaxInPlace(&x, temperature: t, backend: backend, threads: threads)
            }
            expectError(kind, "logSumExpBackward \(label)") {
                _ = try logSumExpBackward(i.x, upstream: i.gRow, temperature: t, backend: backend, threads: threads)
            }
            expectError(kind, "softArgmaxBackward \(label)") {
                _ = try softArgmaxBackward(i.x, upstream: i.gRow, temperature: t, backend: backend, threads: threads)
            }
            expectError(kind, "softmaxBackward \(label)") {
                _ = try softmaxBackward(probabilities: i.p, upstream: i.g, temperature: t, backend: backend, threads: threads)
            }
            for form in ProbabilityForm.allCases {
                expectError(kind, "logSoftmaxBackward \(form) \(label)") {
                    _ = try logSoftmaxBackward(output: i.lp, form: form, upstream: i.g, temperature: t, backend: backend,
                                               threads: threads)
                }
            }
            guard threads == 1 else { continue } // the cross-entropy takes no thread count
            expectError(kind, "crossEntropy labels \(label)") {
                _ = try crossEntropy(logits: i.x, labels: i.labels, temperature: t, backend: backend)
            }
            expectError(kind, "crossEntropy targets \(label)") {
                _ = try crossEntropy(logits: i.x, targets: i.q, temperature: t, backend: backend)
            }
        }
        // shapes and counts
        let short = try HalfMatrix<E>(rows: 3, cols: 5, repeating: canary), narrow = try HalfMatrix<E>(rows: 4, cols: 4, repeating: canary)
        for var wrong in [short, narrow] {
            let before = wrong, label = "\(at) \(wrong.rows)x\(wrong.cols)"
            expectError(.shape, "softmax into \(label)") { try softmax(i.x, backend: backend, into: &wrong) }
            expectError(.shape, "logSoftmax into \(label)") { try logSoftmax(i.x, backend: backend, into: &wrong) }
            #expect(wrong.storage.map(E._widen) == before.storage.map(E._widen), "\(label): written")
            expectError(.shape, "softmaxBackward \(label)") { _ = try softmaxBackward(probabilities: i.p, upstream: wrong, backend: backend) }
            expectError(.shape, "logSoftmaxBackward \(label)") { _ = try logSoftmaxBackward(output: wrong, upstream: i.g, backend: backend) }
            expectError(.shape, "crossEntropy targets \(label)") { _ = try crossEntropy(logits: i.x, targets: wrong, backend: backend) }
        }
        for upstream in [Array(i.gRow.dropLast()), i.gRow + [1]] {
            expectError(.count, "logSumExpBackward \(at) \(upstream.count) upstream") {
                _ = try logSumExpBackward(i.x, upstream: upstream, backend: backend)
            }
            expectError(.count, "softArgmaxBackward \(at) \(upstream.count) upstream") {
                _ = try softArgmaxBackward(i.x, upstream: upstream, backend: backend)
            }
        }
        // labels: the count, a label past the classes or negative but not the ignore label
        for (labels, ignore, kind) in [([0, 1, 2], -100, ErrorKind.count), ([0, 1, 2, 3, 4], -100, .count),
                                       ([0, 1, 2, 5], -100, .domain), ([0, -1, 2, 3], -100, .domain),
                                       ([0, 1, -100, 3], -1, .domain)] {
            expectError(kind, "crossEntropy \(at) labels \(labels) ignore \(ignore)") {
                _ = try crossEntropy(logits: i.x, labels: labels, ignoreLabel: ignore, backend: backend)
            }
        }
        for eps in badSmoothing {
            expectError(.domain, "crossEntropy labels \(at) ε \(eps)") {
                _ = try crossEntropy(logits: i.x, labels: i.labels, labelSmoothing: eps, backend: backend)
            }
            expectError(.domain, "crossEntropy targets \(at) ε \(eps)") {
                _ = try crossEntropy(logits: i.x, targets: i.q, labelSmoothing: eps, backend: backend)
            }
        }
        #expect(y.storage.map(E._widen) == yBefore.storage.map(E._widen), "\(at): an into: output was written")
        #expect(x.storage.map { E._widen($0).bitPattern } == xBefore.storage.map { E._widen($0).bitPattern },
                "\(at): an in-place input was written")
    }

    /// Cross-entropy edge rows as the Float op: an ignored row has loss 0 and gradient 0;
    /// every row ignored gives a NaN mean and a zero gradient; no rows give an empty or NaN
    /// loss; `withGradient: false` gives the same loss and no gradient.
    @Test(arguments: [Backend.c, .swift])
    func crossEntropyEdgeRows(_ backend: Backend) throws {
        let x = try HalfMatrix<BFloat16>(rows: 3, cols: 4, elements: (0..<12).map { BFloat16(Float($0 % 5) - 2) })
        let r = try crossEntropy(logits: x, labels: [1, -100, 3], reduction: .none, backend: backend)
        let dx = try #require(r.gradient)
        #expect(r.loss[1] == 0 && (0..<4).allSatisfy { dx[1, $0] == BFloat16(0) } && r.loss[0] > 0 && r.loss[2] > 0)
        let all = try crossEntropy(logits: x, labels: [-100, -100, -100], backend: backend)
        #expect(all.loss.count == 1 && all.loss[0].isNaN && all.gradient!.elements.allSatisfy { $0 == BFloat16(0) })
        let none = try crossEntropy(logits: x, labels: [1, -100, 3], reduction: .none, withGradient: false, backend: backend)
        #expect(none.gradient == nil && none.loss.map(\.bitPattern) == r.loss.map(\.bitPattern))
        let empty = try HalfMatrix<BFloat16>(rows: 0, cols: 4, elements: [])
        #expect(try crossEntropy(logits: empty, labels: [], reduction: .none, backend: backend).loss.isEmpty)
        #expect(try crossEntropy(logits: empty, targets: empty, backend: backend).loss[0].isNaN)
        #expect(try crossEntropy(logits: empty, labels: [], reduction: .sum, backend: backend).loss == [0])
        #expect(try softmaxBackward(probabilities: empty, upstream: empty, backend: backend, threads: 2).rows == 0)
    }
}
