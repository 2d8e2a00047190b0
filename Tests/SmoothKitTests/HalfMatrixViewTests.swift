// HalfMatrixView / MutableHalfMatrixView: every half op on views gives the HalfMatrix form's
// bits, for Float16 and BFloat16, on the pure-Swift backend and the C backend on every ISA
// path; the result lands in the caller's buffer (read back from it, no copy), padding and the
// elements after the last row keep their sentinel, the inputs are not written; every bad
// argument (a short span, a bad leading dimension, a shape or count mismatch, τ, threads,
// labels, ε) throws the SmoothKitError that names it and writes nothing.
import SmoothKit
import Testing

/// Padding of every caller buffer, and the elements after its last row: never written.
private let sentinel = Float(-3.5)
/// Elements after the last row of every caller buffer.
private let tail = 3

/// A caller-owned row-major buffer: `rows × cols` at leading dimension `ld`, the sentinel in
/// the padding and in `tail` elements after the last row.
private struct CallerBuffer<E: HalfPrecisionStorage> {
    let rows, cols, ld: Int
    var elements: [E]

    /// `m`'s values at leading dimension `m.cols + pad`.
    init(_ m: HalfMatrix<E>, pad: Int) {
        self.init(rows: m.rows, cols: m.cols, pad: pad)
        for r in 0..<rows { for c in 0..<cols { elements[r * ld + c] = m[r, c] } }
    }

    /// All sentinel: an output.
    init(rows: Int, cols: Int, pad: Int) {
        (self.rows, self.cols, ld) = (rows, cols, cols + pad)
        elements = [E](repeating: E(sentinel), count: (rows == 0 ? 0 : (rows - 1) * ld + cols) + tail)
    }

    var bits: [UInt32] { elements.map { E._widen($0).bitPattern } }
    /// The `rows × cols` values, as Float bits.
    var values: [UInt32] { (0..<rows).flatMap { r in (0..<cols).map { E._widen(elements[r * ld + $0]).bitPattern } } }
    /// Whether every element outside the `rows × cols` values still holds the sentinel.
    var outsideIntact: Bool {
        elements.indices.allSatisfy { i in
            (i / ld < rows && i % ld < cols) || E._widen(elements[i]).bitPattern == sentinel.bitPattern
        }
    }

    func view<R>(_ body: (HalfMatrixView<E>) throws -> R) throws -> R {
        try body(HalfMatrixView(rows: rows, cols: cols, leadingDimension: ld, elements: elements.span))
    }

    mutating func mutableView<R>(_ body: (inout MutableHalfMatrixView<E>) throws -> R) throws -> R {
        var v = try MutableHalfMatrixView(rows: rows, cols: cols, leadingDimension: ld, elements: elements.mutableSpan)
        return try body(&v)
    }
}

/// `count` sentinel Floats that `body` writes through a span.
private func floats(_ count: Int, _ body: (inout MutableSpan<Float>) throws -> Void) throws -> [Float] {
    var out = [Float](repeating: sentinel, count: count)
    var span = out.mutableSpan
    try body(&span)
    _ = consume span
    return out
}

/// One case's inputs in caller buffers (each with its own padding) and an output buffer.
private struct ViewCase<E: HalfPrecisionStorage> {
    let i: HalfAPIInputs<E>
    /// The temperature the views run at (the inputs' unless a test sets a bad one).
    var t: Float
    var x, g, q, p, lp, y: CallerBuffer<E>

    init(_ i: HalfAPIInputs<E>) {
        (self.i, t) = (i, i.t)
        (x, g, q) = (CallerBuffer(i.x, pad: 2), CallerBuffer(i.g, pad: 1), CallerBuffer(i.q, pad: 3))
        (p, lp) = (CallerBuffer(i.p, pad: 1), CallerBuffer(i.lp, pad: 0))
        y = CallerBuffer(rows: i.rows, cols: i.cols, pad: 3)
    }

    var inputBits: [[UInt32]] { [x.bits, g.bits, q.bits, p.bits, lp.bits] }
}

/// The view form of the entry on `c`: Float outputs returned, storage outputs in `c.y`
/// (in place: `c.y` starts as a copy of x).
private func runView<E>(_ op: HalfAPIOp, _ c: inout ViewCase<E>, backend: Backend, threads: Int?) throws -> [Float] {
    let i = c.i, t = c.t
    switch op {
    case .logSumExp, .softArgmax:
        return try c.x.view { x in
            try floats(i.rows) { out in
                if op == .logSumExp { try logSumExp(x, temperature: t, backend: backend, threads: threads, into: &out) }
                else { try softArgmax(x, temperature: t, backend: backend, threads: threads, into: &out) }
            }
        }
    case .softmax, .softmaxInto, .logSoftmax, .logSoftmaxInto:
        let soft = op == .softmax || op == .softmaxInto
        try c.x.view { x in
            try c.y.mutableView { y in
                if soft { try softmax(x, temperature: t, backend: backend, threads: threads, into: &y) }
                else { try logSoftmax(x, temperature: t, backend: backend, threads: threads, into: &y) }
            }
        }
    case .softmaxInPlace, .logSoftmaxInPlace:
        c.y = CallerBuffer(i.x, pad: 3)
        try c.y.mutableView { y in
            if op == .softmaxInPlace { try softmaxInPlace(&y, temperature: t, backend: backend, threads: threads) }
            else { try logSoftmaxInPlace(&y, temperature: t, backend: backend, threads: threads) }
        }
    case .logSumExpBackward, .softArgmaxBackward:
        try c.x.view { x in
            try c.y.mutableView { dx in
                if op == .logSumExpBackward {
                    try logSumExpBackward(x, upstream: i.gRow.span, temperature: t, backend: backend, threads: threads,
                                          into: &dx)
                } else {
                    try softArgmaxBackward(x, upstream: i.gRow.span, temperature: t, backend: backend, threads: threads,
                                           into: &dx)
                }
            }
        }
    case .softmaxBackward, .logSoftmaxBackwardLog, .logSoftmaxBackwardProb:
        let y = op == .logSoftmaxBackwardLog ? c.lp : c.p
        try y.view { y in
            try c.g.view { g in
                try c.y.mutableView { dx in
                    switch op {
                    case .softmaxBackward:
                        try softmaxBackward(probabilities: y, upstream: g, temperature: t, backend: backend,
                                            threads: threads, into: &dx)
                    case .logSoftmaxBackwardLog:
                        try logSoftmaxBackward(output: y, upstream: g, temperature: t, backend: backend, threads: threads,
                                               into: &dx)
                    default:
                        try logSoftmaxBackward(output: y, form: .probabilities, upstream: g, temperature: t,
                                               backend: backend, threads: threads, into: &dx)
                    }
                }
            }
        }
    default: // cross-entropy
        let q = c.q
        return try c.x.view { x in
            try floats(op.reduction == .none ? i.rows : 1) { loss in
                try c.y.mutableView { dx in
                    if op.isSoft {
                        try q.view { q in
                            try crossEntropy(logits: x, targets: q, labelSmoothing: softSmoothing, temperature: t,
                                             reduction: op.reduction, backend: backend, loss: &loss, gradient: &dx)
                        }
                    } else {
                        try crossEntropy(logits: x, labels: i.labels.span, labelSmoothing: labelsSmoothing,
                                         temperature: t, reduction: op.reduction, backend: backend, loss: &loss,
                                         gradient: &dx)
                    }
                }
            }
        }
    }
    return []
}

/// The shape errors of the ops reading a second matrix: softmax / log_softmax backward from
/// `y` and `g`, cross-entropy of `x` against `q`, each into `dx`; the loss is not written.
private func secondMatrixShapeErrors<E>(_ x: HalfMatrixView<E>, _ y: HalfMatrixView<E>, _ g: HalfMatrixView<E>,
                                        _ q: HalfMatrixView<E>, _ backend: Backend,
                                        into dx: inout MutableHalfMatrixView<E>, _ label: String) throws {
    expectError(.shape, "softmaxBackward \(label)") {
        try softmaxBackward(probabilities: y, upstream: g, backend: backend, into: &dx)
    }
    expectError(.shape, "logSoftmaxBackward \(label)") {
        try logSoftmaxBackward(output: y, upstream: g, backend: backend, into: &dx)
    }
    let loss = try floats(1) { loss in
        expectError(.shape, "crossEntropy targets \(label)") {
            try crossEntropy(logits: x, targets: q, backend: backend, loss: &loss, gradient: &dx)
        }
    }
    #expect(loss[0].bitPattern == sentinel.bitPattern, "\(label): loss written")
}

@Suite
struct HalfMatrixViewTests {
    /// Every view op equals its HalfMatrix op bit for bit (Float outputs and stored values),
    /// reading its inputs past sentinel padding and writing only the values of the caller's
    /// output buffer; the inputs are left as they were. Both types, both backends, every ISA
    /// path; the last shape splits over threads.
    @Test(arguments: HalfAPIOp.allCases, [false, true])
    func viewMatchesHalfMatrix(_ op: HalfAPIOp, _ float16: Bool) throws {
        if float16 { try matches(Float16.self, op) } else { try matches(BFloat16.self, op) }
    }

    private func matches<E: HalfPrecisionStorage>(_: E.Type, _ op: HalfAPIOp) throws {
        let cases = [(try HalfAPIInputs<E>(rows: 40, cols: 7, pad: 1, t: 1, seed: 11), 1),
                     (try HalfAPIInputs<E>(rows: 6, cols: 130, pad: 3, t: 0.3, scale: 8, seed: 12), 2),
                     (try HalfAPIInputs<E>(rows: 3000, cols: 24, pad: 0, t: 0.5, seed: 13, edgeRows: true), 3)]
        func check(_ backend: Backend, _ path: String) throws {
            for (i, threads) in cases {
                let label = "\(op) \(E.self) \(i.rows)x\(i.cols) on \(path)"
                let want = try op.run(i, backend: backend, threads: op.isCrossEntropy ? nil : threads)
                var c = ViewCase(i)
                let before = c.inputBits
                let got = try runView(op, &c, backend: backend, threads: op.isCrossEntropy ? nil : threads)
                #expect(got.map(\.bitPattern) == want.floats.map(\.bitPattern), "\(label): Float outputs differ")
                if let m = want.map {
                    #expect(c.y.values == m.elements.map { E._widen($0).bitPattern }, "\(label): stored values differ")
                }
                #expect(c.y.outsideIntact, "\(label): output padding or tail written")
                #expect(c.inputBits == before, "\(label): an input was written")
            }
        }
        try check(.swift, "swift")
        try forEachISA { try check(.c, "c \($0)") }
    }

    /// Empty views (zero rows, zero cols): nothing to read or write; an empty mean loss is NaN.
    @Test(arguments: [Backend.c, .swift])
    func emptyViews(_ backend: Backend) throws {
        var none = [BFloat16](), out = [BFloat16](), noCols = [BFloat16]()
        let x = try HalfMatrixView(rows: 0, cols: 5, elements: none.span)
        var y = try MutableHalfMatrixView(rows: 0, cols: 5, elements: out.mutableSpan)
        try softmax(x, backend: backend, into: &y)
        #expect(try floats(0) { try logSumExp(x, backend: backend, into: &$0) }.isEmpty)
        let loss = try floats(1) {
            try crossEntropy(logits: x, labels: [Int]().span, backend: backend, loss: &$0, gradient: &y)
        }
        #expect(loss.count == 1 && loss[0].isNaN, "\(backend): empty mean \(loss)")
        var z = try MutableHalfMatrixView(rows: 3, cols: 0, elements: noCols.mutableSpan)
        try logSoftmaxInPlace(&z, backend: backend)
    }

    /// The view initialisers' checks, as MatrixView's: a short span, a leading dimension below
    /// cols and negative sizes throw, with the counts named.
    @Test func initialiserErrors() throws {
        var six = [Float16](repeating: 1, count: 6)
        #expect(throws: SmoothKitError.elementCount(expected: 7, actual: 6)) {
            _ = try HalfMatrixView(rows: 2, cols: 3, leadingDimension: 4, elements: six.span)
        }
        #expect(throws: SmoothKitError.elementCount(expected: 7, actual: 6)) {
            _ = try MutableHalfMatrixView(rows: 2, cols: 3, leadingDimension: 4, elements: six.mutableSpan)
        }
        for (rows, cols, ld) in [(2, 3, 2), (-1, 3, 3), (2, -3, nil)] as [(Int, Int, Int?)] {
            let label = "\(rows)x\(cols) ld \(String(describing: ld))"
            expectError(.invalidShape, "HalfMatrixView \(label)") {
                _ = try HalfMatrixView(rows: rows, cols: cols, leadingDimension: ld, elements: six.span)
            }
            expectError(.invalidShape, "MutableHalfMatrixView \(label)") {
                _ = try MutableHalfMatrixView(rows: rows, cols: cols, leadingDimension: ld, elements: six.mutableSpan)
            }
        }
        // the last row needs no padding: exactly (rows − 1)·ld + cols elements are enough
        let x = try HalfMatrixView(rows: 2, cols: 2, leadingDimension: 4, elements: six.span)
        #expect(x.rows == 2 && x.cols == 2 && x.leadingDimension == 4)
    }

    /// Every bad argument of every view op throws the error that names it, on both backends,
    /// and writes nothing: not the outputs, not the inputs (in place).
    @Test(arguments: [Backend.c, .swift], [false, true])
    func badArgumentsThrowAndWriteNothing(_ backend: Backend, _ float16: Bool) throws {
        if float16 { try errors(Float16.self, backend) } else { try errors(BFloat16.self, backend) }
    }

    private func errors<E: HalfPrecisionStorage>(_: E.Type, _ backend: Backend) throws {
        var c = ViewCase(try HalfAPIInputs<E>(rows: 4, cols: 5, pad: 1, t: 1, seed: 14))
        let i = c.i, at = "\(E.self) \(backend)", before = c.inputBits, yBefore = c.y.bits
        var wrongRows = CallerBuffer<E>(rows: 3, cols: 5, pad: 1), wrongCols = CallerBuffer<E>(rows: 4, cols: 4, pad: 2)
        let wrongBefore = [wrongRows.bits, wrongCols.bits]
        // τ and threads: every op (the cross-entropy takes no thread count)
        for (t, threads, kind) in [0, -1, Float.nan, .infinity].map({ ($0, 1, ErrorKind.temperature) })
                                  + [(Float(1), 0, .domain), (1, -2, .domain)] {
            var bad = ViewCase(i)
            bad.t = t
            for op in HalfAPIOp.allCases where threads == 1 || !op.isCrossEntropy {
                bad.y = CallerBuffer(rows: i.rows, cols: i.cols, pad: 3) // in place replaced it by a copy of x
                expectError(kind, "\(op) \(at) τ \(t) threads \(threads)") {
                    _ = try runView(op, &bad, backend: backend, threads: threads)
                }
                #expect(bad.y.bits == yBefore || op == .softmaxInPlace || op == .logSoftmaxInPlace,
                        "\(op) \(at) τ \(t): output written")
                if op == .softmaxInPlace || op == .logSoftmaxInPlace {
                    #expect(bad.y.bits == CallerBuffer(i.x, pad: 3).bits, "\(op) \(at) τ \(t): in place written")
                }
            }
            #expect(bad.inputBits == before, "\(at) τ \(t): an input was written")
        }
        // shapes: an output (or second input) of other rows or cols
        for k in 0..<2 {
            try c.x.view { x in
                try c.g.view { g in
                    try c.q.view { q in
                        func wrong(_ body: (inout MutableHalfMatrixView<E>) throws -> Void) throws {
                            if k == 0 { try wrongRows.mutableView(body) } else { try wrongCols.mutableView(body) }
                        }
                        let label = "\(at) wrong \(k == 0 ? "rows" : "cols")"
                        try wrong { y in
                            expectError(.shape, "softmax \(label)") { try softmax(x, backend: backend, into: &y) }
                            expectError(.shape, "logSoftmax \(label)") { try logSoftmax(x, backend: backend, into: &y) }
                            expectError(.shape, "logSumExpBackward \(label)") {
                                try logSumExpBackward(x, upstream: i.gRow.span, backend: backend, into: &y)
                            }
                            expectError(.shape, "softArgmaxBackward \(label)") {
                                try softArgmaxBackward(x, upstream: i.gRow.span, backend: backend, into: &y)
                            }
                            try secondMatrixShapeErrors(x, g, g, q, backend, into: &y, "dx \(label)")
                            let loss = try floats(1) { loss in
                                expectError(.shape, "crossEntropy labels gradient \(label)") {
                                    try crossEntropy(logits: x, labels: i.labels.span, backend: backend, loss: &loss,
                                                     gradient: &y)
                                }
                            }
                            #expect(loss[0].bitPattern == sentinel.bitPattern, "\(label): loss written")
                        }
                        let other = k == 0 ? wrongRows : wrongCols
                        try other.view { w in
                            try c.y.mutableView { try secondMatrixShapeErrors(x, g, w, w, backend, into: &$0, "g \(label)") }
                        }
                    }
                }
            }
        }
        #expect([wrongRows.bits, wrongCols.bits] == wrongBefore, "\(at): a mismatched output was written")
        // counts: the Float output, the upstream, the loss, the labels; labels and ε out of range
        try c.x.view { x in
            try c.q.view { q in
                try c.y.mutableView { dx in
                    for n in [i.rows - 1, i.rows + 1] {
                        let out = try floats(n) { out in
                            expectError(.count, "logSumExp \(at) out \(n)") { try logSumExp(x, backend: backend, into: &out) }
                            expectError(.count, "softArgmax \(at) out \(n)") { try softArgmax(x, backend: backend, into: &out) }
                            expectError(.count, "logSumExpBackward \(at) upstream \(n)") {
                                try logSumExpBackward(x, upstream: Array(repeating: 1, count: n).span, backend: backend,
                                                      into: &dx)
                            }
                            expectError(.count, "softArgmaxBackward \(at) upstream \(n)") {
                                try softArgmaxBackward(x, upstream: Array(repeating: 1, count: n).span, backend: backend,
                                                       into: &dx)
                            }
                        }
                        #expect(out.allSatisfy { $0.bitPattern == sentinel.bitPattern }, "\(at) out \(n): written")
                    }
                    for (reduction, n) in [(LossReduction.none, i.rows - 1), (.mean, 2), (.sum, 0)] {
                        let loss = try floats(n) { loss in
                            expectError(.count, "crossEntropy labels \(at) \(reduction) loss \(n)") {
                                try crossEntropy(logits: x, labels: i.labels.span, reduction: reduction, backend: backend,
                                                 loss: &loss, gradient: &dx)
                            }
                            expectError(.count, "crossEntropy targets \(at) \(reduction) loss \(n)") {
                                try crossEntropy(logits: x, targets: q, reduction: reduction, backend: backend,
                                                 loss: &loss, gradient: &dx)
                            }
                        }
                        #expect(loss.allSatisfy { $0.bitPattern == sentinel.bitPattern }, "\(at) loss \(n): written")
                    }
                    let loss = try floats(1) { loss in
                        for (labels, ignore, kind) in [([0, 1, 2], -100, ErrorKind.count), ([0, 1, 2, 3, 4], -100, .count),
                                                       ([0, 1, 2, 5], -100, .domain), ([0, -1, 2, 3], -100, .domain),
                                                       ([0, 1, -100, 3], -1, .domain)] {
                            expectError(kind, "crossEntropy \(at) labels \(labels) ignore \(ignore)") {
                                try crossEntropy(logits: x, labels: labels.span, ignoreLabel: ignore, backend: backend,
                                                 loss: &loss, gradient: &dx)
                            }
                        }
                        for eps in [-0.1, 1.5, Float.nan, .infinity] {
                            expectError(.domain, "crossEntropy labels \(at) ε \(eps)") {
                                try crossEntropy(logits: x, labels: i.labels.span, labelSmoothing: eps, backend: backend,
                                                 loss: &loss, gradient: &dx)
                            }
                            expectError(.domain, "crossEntropy targets \(at) ε \(eps)") {
                                try crossEntropy(logits: x, targets: q, labelSmoothing: eps, backend: backend, loss: &loss,
                                                 gradient: &dx)
                            }
                        }
                    }
                    #expect(loss[0].bitPattern == sentinel.bitPattern, "\(at): loss written")
                }
            }
        }
        #expect(c.y.bits == yBefore, "\(at): an output was written")
        #expect(c.inputBits == before, "\(at): an input was written")
    }
}
