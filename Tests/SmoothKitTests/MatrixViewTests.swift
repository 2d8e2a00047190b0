// The view path (MatrixView / MutableMatrixView): every op that takes a view gives the bits of
// its `Matrix` form, written straight into the caller's memory, on both backends; padded rows
// (ld > cols) are neither read (NaN padding in) nor written (sentinel padding out); every
// bad argument throws before anything is written.
import SmoothKit
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Each op reached through a view.
enum ViewOp: String, CaseIterable, Sendable {
    case logSumExp, softArgmax, softmax, logSoftmax, softmaxInPlace, logSoftmaxInPlace
    case logSumExpBackward, softArgmaxBackward, softmaxBackward, logSoftmaxBackward
    case crossEntropyLabels, crossEntropyTargets, weightedLogSumExp, logSumExpState
    case columnLogSumExp, columnSoftArgmax, columnSoftmax, columnLogSoftmax
    case maskedLogSumExp, maskedSoftArgmax, maskedSoftmax, maskedLogSoftmax
    case smoothMax, smoothMin, smoothMaxGradient, smoothMinGradient, smoothAccuracy, smoothMacroF1
}

/// Inputs as a caller holds them: row-major arrays with padded rows (padding NaN, which no op
/// may read), and the same values as owned matrices for the `Matrix` path.
struct ViewFixture<S: SmoothScalar> {
    // 37 rows: two 16-row tiny groups and a remainder; 19 columns: past the tiny-row limit.
    let rows: Int, cols: Int, ldx: Int, ldy: Int
    /// What the op writes before the call, so an unwritten element is seen.
    let sentinel: S = -7.25
    let x: [S], second: [S]
    let xMatrix: Matrix<S>, secondMatrix: Matrix<S>
    let labels: [Int]
    let mask: RowMask

    init(seed: UInt64) throws {
        let (rows, cols, ldx) = (37, 19, 23)
        (self.rows, self.cols, self.ldx, ldy) = (rows, cols, ldx, 21)
        var rng = SplitMix64(seed)
        func padded() -> [S] {
            (0..<rows * ldx).map { $0 % ldx < cols ? S(4 * rng.symmetric()) : .nan }
        }
        x = padded()
        second = padded()
        xMatrix = try Self.owned(x, rows, cols, ldx)
        secondMatrix = try Self.owned(second, rows, cols, ldx)
        labels = (0..<rows).map { $0 % 5 == 4 ? -100 : ($0 * 7) % cols }
        mask = try RowMask(rows: rows, cols: cols, lengths: (0..<rows).map { $0 % (cols + 1) })
    }

    private static func owned(_ a: [S], _ rows: Int, _ cols: Int, _ ld: Int) throws -> Matrix<S> {
        try Matrix(rows: rows, cols: cols, elements: (0..<rows * cols).map { a[$0 / cols * ld + $0 % cols] })
    }

    /// `body` with a view of `a` (the caller's memory).
    func view<R>(_ a: [S], _ body: (MatrixView<S>) throws -> R) throws -> R {
        try body(MatrixView(rows: rows, cols: cols, leadingDimension: ldx, elements: a.span))
    }

    /// The caller's `rows × ldy` output buffer (sentinel-filled) after `body` wrote it through a view.
    func intoMatrix(_ body: (inout MutableMatrixView<S>) throws -> Void) throws -> [S] {
        var out = [S](repeating: sentinel, count: rows * ldy)
        var y = try MutableMatrixView(rows: rows, cols: cols, leadingDimension: ldy, elements: out.mutableSpan)
        try body(&y)
        _ = consume y
        return out
    }

    /// The caller's `count`-value output buffer after `body` wrote it through a span.
    func intoSpan(_ count: Int, _ body: (inout MutableSpan<S>) throws -> Void) throws -> [S] {
        var out = [S](repeating: sentinel, count: count)
        var span = out.mutableSpan
        try body(&span)
        _ = consume span
        return out
    }

    /// The failures of a padded `got` (leading dimension `ld`) against `want`: a value whose
    /// bits differ, or padding not equal to `padding`.
    func differences(_ got: [S], ld: Int, padding: S, from want: Matrix<S>) -> [String] {
        var bad: [String] = []
        for r in 0..<rows {
            for c in 0..<ld {
                let g = got[r * ld + c]
                if c < cols, !sameBits(g, want[r, c]) { bad.append("(\(r), \(c)): \(g) vs \(want[r, c])") }
                if c >= cols, !sameBits(g, padding) { bad.append("padding (\(r), \(c)) became \(g)") }
            }
        }
        return bad
    }

    func differences(_ got: [S], from want: [S]) -> [String] {
        guard got.count == want.count else { return ["\(got.count) values vs \(want.count)"] }
        return got.indices.filter { !sameBits(got[$0], want[$0]) }.map { "[\($0)]: \(got[$0]) vs \(want[$0])" }
    }
}

/// Equal bits (any NaN equals any NaN: the kernels make the same NaN on both paths).
func sameBits<S: SmoothScalar>(_ a: S, _ b: S) -> Bool {
    (a.isNaN && b.isNaN) || (a == b && a.sign == b.sign)
}

/// The view form's result against the `Matrix` form's, for one op, element type and backend.
func viewDifferences<S: SmoothScalar>(_ op: ViewOp, _: S.Type, _ b: Backend) throws -> [String] {
    let f = try ViewFixture<S>(seed: 0x5EED_0000 + UInt64(op.rawValue.count))
    let (x, q, xm, qm) = (f.x, f.second, f.xMatrix, f.secondMatrix)
    func map(_ want: Matrix<S>, _ body: (inout MutableMatrixView<S>) throws -> Void) throws -> [String] {
        f.differences(try f.intoMatrix(body), ld: f.ldy, padding: f.sentinel, from: want)
    }
    func reduce(_ want: [S], _ body: (inout MutableSpan<S>) throws -> Void) throws -> [String] {
        f.differences(try f.intoSpan(want.count, body), from: want)
    }
    func inPlace(_ want: Matrix<S>, _ body: (inout MutableMatrixView<S>) throws -> Void) throws -> [String] {
        var caller = x
        var y = try MutableMatrixView(rows: f.rows, cols: f.cols, leadingDimension: f.ldx, elements: caller.mutableSpan)
        try body(&y)
        _ = consume y
        return f.differences(caller, ld: f.ldx, padding: .nan, from: want)
    }
    let g = Array(q.prefix(f.rows))  // one upstream value per row
    switch op {
    case .logSumExp:
        return try reduce(logSumExp(xm, backend: b)) { out in try f.view(x) { try logSumExp($0, backend: b, into: &out) } }
    case .softArgmax:
        return try reduce(softArgmax(xm, backend: b)) { out in try f.view(x) { try softArgmax($0, backend: b, into: &out) } }
    case .softmax:
        return try map(softmax(xm, temperature: 0.5, backend: b)) { y in
            try f.view(x) { try softmax($0, temperature: 0.5, backend: b, into: &y) }
        }
    case .logSoftmax:
        return try map(logSoftmax(xm, backend: b)) { y in try f.view(x) { try logSoftmax($0, backend: b, into: &y) } }
    case .softmaxInPlace:
        return try inPlace(softmax(xm, backend: b)) { try softmaxInPlace(&$0, backend: b) }
    case .logSoftmaxInPlace:
        return try inPlace(logSoftmax(xm, backend: b)) { try logSoftmaxInPlace(&$0, backend: b) }
    case .logSumExpBackward:
        return try map(logSumExpBackward(xm, upstream: g, backend: b)) { dx in
            try f.view(x) { try logSumExpBackward($0, upstream: g.span, backend: b, into: &dx) }
        }
    case .softArgmaxBackward:
        return try map(softArgmaxBackward(xm, upstream: g, backend: b)) { dx in
            try f.view(x) { try softArgmaxBackward($0, upstream: g.span, backend: b, into: &dx) }
        }
    case .softmaxBackward:
        return try map(softmaxBackward(probabilities: xm, upstream: qm, backend: b)) { dx in
            try f.view(x) { p in try f.view(q) { try softmaxBackward(probabilities: p, upstream: $0, backend: b, into: &dx) } }
        }
    case .logSoftmaxBackward:
        return try map(logSoftmaxBackward(output: xm, form: .probabilities, upstream: qm, backend: b)) { dx in
            try f.view(x) { y in
                try f.view(q) { try logSoftmaxBackward(output: y, form: .probabilities, upstream: $0, backend: b, into: &dx) }
            }
        }
    case .crossEntropyLabels, .crossEntropyTargets:
        let withLabels = op == .crossEntropyLabels
        let want = withLabels ? try crossEntropy(logits: xm, labels: f.labels, labelSmoothing: 0.1, reduction: .none, backend: b)
                              : try crossEntropy(logits: xm, targets: qm, reduction: .sum, backend: b)
        var lossDifferences: [String] = []
        let gradientDifferences = try map(want.gradient!) { dx in
            lossDifferences = try reduce(want.loss) { loss in
                try f.view(x) { x in
                    if withLabels {
                        try crossEntropy(logits: x, labels: f.labels.span, labelSmoothing: 0.1, reduction: .none,
                                         backend: b, loss: &loss, gradient: &dx)
                    } else {
                        try f.view(q) {
                            try crossEntropy(logits: x, targets: $0, reduction: .sum, backend: b, loss: &loss, gradient: &dx)
                        }
                    }
                }
            }
        }
        return lossDifferences + gradientDifferences
    case .weightedLogSumExp:
        let want = try weightedLogSumExp(xm, weights: qm, backend: b)
        var signDifferences: [String] = []
        let valueDifferences = try reduce(want.values) { values in
            signDifferences = try reduce(want.signs) { signs in
                try f.view(x) { x in try f.view(q) { try weightedLogSumExp(x, weights: $0, backend: b, values: &values, signs: &signs) } }
            }
        }
        return valueDifferences + signDifferences
    case .logSumExpState:
        let want = try LogSumExpState(chunk: xm, temperature: 2, backend: b)
        let got = try f.view(x) { try LogSumExpState(chunk: $0, temperature: 2, backend: b) }
        return f.differences(got.maxima, from: want.maxima) + f.differences(got.sums, from: want.sums)
    case .columnLogSumExp:
        return try reduce(columnLogSumExp(xm, backend: b)) { out in try f.view(x) { try columnLogSumExp($0, backend: b, into: &out) } }
    case .columnSoftArgmax:
        return try reduce(columnSoftArgmax(xm, backend: b)) { out in try f.view(x) { try columnSoftArgmax($0, backend: b, into: &out) } }
    case .columnSoftmax:
        return try map(columnSoftmax(xm, backend: b)) { y in try f.view(x) { try columnSoftmax($0, backend: b, into: &y) } }
    case .columnLogSoftmax:
        return try map(columnLogSoftmax(xm, backend: b)) { y in try f.view(x) { try columnLogSoftmax($0, backend: b, into: &y) } }
    case .maskedLogSumExp:
        return try reduce(maskedLogSumExp(xm, mask: f.mask, backend: b)) { out in
            try f.view(x) { try maskedLogSumExp($0, mask: f.mask, backend: b, into: &out) }
        }
    case .maskedSoftArgmax:
        return try reduce(maskedSoftArgmax(xm, mask: f.mask, backend: b)) { out in
            try f.view(x) { try maskedSoftArgmax($0, mask: f.mask, backend: b, into: &out) }
        }
    case .maskedSoftmax:
        return try map(maskedSoftmax(xm, mask: f.mask, backend: b)) { y in
            try f.view(x) { try maskedSoftmax($0, mask: f.mask, backend: b, into: &y) }
        }
    case .maskedLogSoftmax:
        return try map(maskedLogSoftmax(xm, mask: f.mask, backend: b)) { y in
            try f.view(x) { try maskedLogSoftmax($0, mask: f.mask, backend: b, into: &y) }
        }
    case .smoothMax:
        return try reduce(smoothMax(xm, kind: .boltzmann, parameter: 3, backend: b)) { out in
            try f.view(x) { try smoothMax($0, kind: .boltzmann, parameter: 3, backend: b, into: &out) }
        }
    case .smoothMin:
        return try reduce(smoothMin(xm, kind: .logLog, parameter: 2, backend: b)) { out in
            try f.view(x) { try smoothMin($0, kind: .logLog, parameter: 2, backend: b, into: &out) }
        }
    case .smoothMaxGradient:
        return try map(smoothMaxGradient(xm, kind: .logSumExp, parameter: 0.5, backend: b)) { g in
            try f.view(x) { try smoothMaxGradient($0, kind: .logSumExp, parameter: 0.5, backend: b, into: &g) }
        }
    case .smoothMinGradient:
        return try map(smoothMinGradient(xm, kind: .boltzmann, parameter: 2, backend: b)) { g in
            try f.view(x) { try smoothMinGradient($0, kind: .boltzmann, parameter: 2, backend: b, into: &g) }
        }
    case .smoothAccuracy, .smoothMacroF1:
        let classes = (0..<f.rows).map { ($0 * 7) % f.cols }, accuracy = op == .smoothAccuracy
        let want = accuracy ? try smoothAccuracy(logits: xm, labels: classes, backend: b)
                            : try smoothMacroF1(logits: xm, labels: classes, backend: b)
        var value: S = 0
        let gradientDifferences = try map(want.gradient) { g in
            value = try f.view(x) {
                accuracy ? try smoothAccuracy(logits: $0, labels: classes.span, backend: b, gradient: &g)
                         : try smoothMacroF1(logits: $0, labels: classes.span, backend: b, gradient: &g)
            }
        }
        return f.differences([value], from: [want.value]) + gradientDifferences
    }
}

@Suite("Matrix views")
struct MatrixViewTests {
    @Test("view form == Matrix form, bit for bit, into the caller's memory, padding untouched",
          arguments: ViewOp.allCases, [Backend.c, .swift])
    func viewMatchesMatrix(_ op: ViewOp, backend: Backend) throws {
        try withStableISA(for: backend) {
            for (type, bad) in [("Float", try viewDifferences(op, Float.self, backend)),
                                ("Double", try viewDifferences(op, Double.self, backend))] {
                #expect(bad.count == 0, "\(op) \(type) \(backend): first differences \(bad.prefix(3))")
            }
        }
    }

    /// The values themselves (the bit-for-bit test only ties the view to the `Matrix` path):
    /// softmax of a padded view against a Double reference, to SPEC's `8u` relative bound.
    @Test("softmax through views meets the reference", arguments: [Backend.c, .swift])
    func softmaxAgainstReference(backend: Backend) throws {
        let f = try ViewFixture<Float>(seed: 11)
        let got = try f.intoMatrix { y in try f.view(f.x) { try softmax($0, backend: backend, into: &y) } }
        for r in 0..<f.rows {
            let row = (0..<f.cols).map { Double(f.x[r * f.ldx + $0]) }
            let m = row.max()!, s = row.reduce(0) { $0 + exp($1 - m) }
            for c in 0..<f.cols {
                let want = exp(row[c] - m) / s, have = Double(got[r * f.ldy + c])
                #expect(abs(have - want) <= 8 * 0x1p-24 * want, "row \(r) col \(c): \(have) vs \(want)")
            }
        }
    }

    @Test("memory behind pointers: views over buffer.span / buffer.mutableSpan", arguments: [Backend.c, .swift])
    func unsafeBuffers(backend: Backend) throws {
        let f = try ViewFixture<Double>(seed: 12)
        let input = UnsafeMutableBufferPointer<Double>.allocate(capacity: f.x.count)
        let output = UnsafeMutableBufferPointer<Double>.allocate(capacity: f.rows * f.ldy)
        defer { input.deallocate(); output.deallocate() }
        _ = input.initialize(from: f.x)
        output.initialize(repeating: f.sentinel)
        let want = try withStableISA(for: backend) {  // both calls on one ISA path
            var y = try MutableMatrixView(rows: f.rows, cols: f.cols, leadingDimension: f.ldy, elements: output.mutableSpan)
            try logSoftmax(MatrixView(rows: f.rows, cols: f.cols, leadingDimension: f.ldx,
                                      elements: UnsafeBufferPointer(input).span), backend: backend, into: &y)
            return try logSoftmax(f.xMatrix, backend: backend)
        }
        let bad = f.differences(Array(output), ld: f.ldy, padding: f.sentinel, from: want)
        #expect(bad.count == 0, "first differences \(bad.prefix(3))")
    }

    /// Large enough for several row blocks on 4 workers (RowParallel): the view path splits rows
    /// as the Matrix path does, each block writing its own rows of the caller's memory.
    @Test("views on several threads: the Matrix form's bits", arguments: [Backend.c, .swift])
    func severalThreads(backend: Backend) throws {
        let (rows, cols, ld) = (2048, 64, 70)
        var rng = SplitMix64(21)
        let x = (0..<rows * ld).map { $0 % ld < cols ? Float(6 * rng.symmetric()) : .nan }
        let g = (0..<rows).map { _ in Float(rng.symmetric()) }
        let xm = try Matrix(rows: rows, cols: cols, elements: (0..<rows * cols).map { x[$0 / cols * ld + $0 % cols] })
        var p = [Float](repeating: 0, count: rows * cols), dx = p
        let (wantP, wantDx) = try withStableISA(for: backend) {
            var pv = try MutableMatrixView(rows: rows, cols: cols, elements: p.mutableSpan)
            var dv = try MutableMatrixView(rows: rows, cols: cols, elements: dx.mutableSpan)
            let xv = try MatrixView(rows: rows, cols: cols, leadingDimension: ld, elements: x.span)
            try softmax(xv, backend: backend, threads: 4, into: &pv)
            try logSumExpBackward(xv, upstream: g.span, backend: backend, threads: 4, into: &dv)
            return (try softmax(xm, backend: backend, threads: 4),
                    try logSumExpBackward(xm, upstream: g, backend: backend, threads: 4))
        }
        #expect(p.indices.filter { !sameBits(p[$0], wantP[$0 / cols, $0 % cols]) }.count == 0)
        #expect(dx.indices.filter { !sameBits(dx[$0], wantDx[$0 / cols, $0 % cols]) }.count == 0)
    }

    @Test("the same caller memory, twice: the second op reads what the first wrote")
    func chainedInPlace() throws {
        var caller: [Double] = [0, 0, 9, 1, 1, 9]          // 2 × 2, ld 3
        var y = try MutableMatrixView(rows: 2, cols: 2, leadingDimension: 3, elements: caller.mutableSpan)
        try logSoftmaxInPlace(&y)
        try softmaxInPlace(&y)                              // softmax(log p) == p
        _ = consume y
        #expect(caller.enumerated().allSatisfy { i, v in i % 3 == 2 ? v == 9 : abs(v - 0.5) <= 1e-15 },
                "\(caller)")
    }
}

@Suite("Matrix view errors")
struct MatrixViewErrorTests {
    typealias E = SmoothKitError
    static let five: [Float] = [1, 2, 3, 4, 5]

    @Test("bad shapes are rejected as Matrix rejects them")
    func badShapes() {
        let a = Self.five
        #expect(throws: E.invalidShape("rows and cols must be >= 0, got -1 × 2")) {
            _ = try MatrixView(rows: -1, cols: 2, elements: a.span)
        }
        #expect(throws: E.invalidShape("leading dimension 1 is below cols 2")) {
            _ = try MatrixView(rows: 2, cols: 2, leadingDimension: 1, elements: a.span)
        }
        #expect(throws: E.invalidShape("\(Int.max / 2) × 4 elements do not fit in memory")) {
            _ = try MatrixView(rows: Int.max / 2, cols: 4, elements: a.span)
        }
        // 2 rows of ld 3 need (2 − 1)·3 + 3 = 6 elements; the last row's padding is not needed.
        #expect(throws: E.elementCount(expected: 6, actual: 5)) {
            _ = try MatrixView(rows: 2, cols: 3, leadingDimension: 3, elements: a.span)
        }
        #expect(throws: Never.self) { _ = try MatrixView(rows: 2, cols: 2, leadingDimension: 3, elements: a.span) }
        let none: [Float] = []
        #expect(throws: Never.self) { _ = try MatrixView(rows: 0, cols: 7, elements: none.span) }
        var b = Self.five
        #expect(throws: E.elementCount(expected: 6, actual: 5)) {
            _ = try MutableMatrixView(rows: 3, cols: 2, elements: b.mutableSpan)
        }
    }

    /// Runs `body` on a 2 × 2 view of [1, 2, 3, 4] and a 2 × 2 output over a sentinel buffer of
    /// `outCount` values; returns the buffer, which must come back untouched when `body` throws.
    func untouched(outRows: Int = 2, outCols: Int = 2, outCount: Int = 4,
                   _ body: (MatrixView<Float>, inout MutableMatrixView<Float>) throws -> Void) throws -> Bool {
        let x: [Float] = [1, 2, 3, 4]
        var out = [Float](repeating: 99, count: outCount)
        var y = try MutableMatrixView(rows: outRows, cols: outCols, elements: out.mutableSpan)
        #expect(throws: SmoothKitError.self) { try body(MatrixView(rows: 2, cols: 2, elements: x.span), &y) }
        _ = consume y
        return out.allSatisfy { $0 == 99 }
    }

    @Test("bad arguments throw the Matrix form's error and write nothing")
    func nothingWritten() throws {
        // Output of another shape.
        #expect(try untouched(outRows: 1, outCols: 4) { x, y in
            #expect(throws: E.shapeMismatch(expected: "2 × 2", actual: "1 × 4")) { try softmax(x, into: &y) }
            try softmax(x, into: &y)
        })
        #expect(try untouched(outRows: 2, outCols: 1, outCount: 2) { x, y in try logSumExpBackward(x, upstream: [1, 1].span, into: &y) })
        #expect(try untouched(outRows: 1, outCols: 2, outCount: 2) { x, y in try columnSoftmax(x, into: &y) })
        #expect(try untouched(outRows: 4, outCols: 1) { x, y in try smoothMaxGradient(x, kind: .logSumExp, parameter: 1, into: &y) })
        // Bad temperature, parameter, threads, upstream length, label, mask.
        #expect(try untouched { x, y in
            #expect(throws: E.invalidTemperature(0)) { try softmax(x, temperature: 0, into: &y) }
            try softmax(x, temperature: 0, into: &y)
        })
        #expect(try untouched { x, y in try softmaxInPlace(&y, temperature: .infinity) })
        #expect(try untouched { x, y in try logSoftmax(x, threads: 0, into: &y) })
        #expect(try untouched { x, y in
            #expect(throws: E.elementCount(expected: 2, actual: 3)) {
                try softArgmaxBackward(x, upstream: [1, 1, 1].span, into: &y)
            }
            try softArgmaxBackward(x, upstream: [1, 1, 1].span, into: &y)
        })
        #expect(try untouched { x, y in try smoothMinGradient(x, kind: .power, parameter: 2, into: &y) })  // entries > 0
        #expect(try untouched { x, y in
            try maskedSoftmax(x, mask: RowMask(rows: 3, cols: 2), into: &y)
        })
        #expect(try untouched { x, y in
            #expect(throws: E.domain("label 2 is outside 0..<2")) { _ = try smoothAccuracy(logits: x, labels: [0, 2].span, gradient: &y) }
            _ = try smoothAccuracy(logits: x, labels: [0, 2].span, gradient: &y)
        })
        #expect(try untouched(outRows: 1, outCols: 4) { x, y in _ = try smoothMacroF1(logits: x, labels: [0, 1].span, gradient: &y) })
        #expect(try untouched { x, y in
            var loss: [Float] = [0]
            var span = loss.mutableSpan
            try crossEntropy(logits: x, labels: [0, 2].span, loss: &span, gradient: &y)
        })
        #expect(try untouched { x, y in
            var loss: [Float] = [0]                           // .none needs 2 values
            var span = loss.mutableSpan
            #expect(throws: E.elementCount(expected: 2, actual: 1)) {
                try crossEntropy(logits: x, labels: [0, 1].span, reduction: .none, loss: &span, gradient: &y)
            }
            try crossEntropy(logits: x, labels: [0, 1].span, reduction: .none, loss: &span, gradient: &y)
        })
    }

    @Test("a reduction into a span of another length throws and writes nothing")
    func reductionLength() throws {
        let x: [Double] = [1, 2, 3, 4, 5, 6]
        let v = try MatrixView(rows: 2, cols: 3, elements: x.span)
        var out: [Double] = [7, 7, 7]
        var span = out.mutableSpan
        #expect(throws: E.elementCount(expected: 2, actual: 3)) { try logSumExp(v, into: &span) }
        #expect(throws: E.elementCount(expected: 2, actual: 3)) { try smoothMax(v, kind: .boltzmann, parameter: 1, into: &span) }
        #expect(throws: E.elementCount(expected: 2, actual: 3)) {
            try maskedSoftArgmax(v, mask: RowMask(rows: 2, cols: 3), into: &span)
        }
        #expect(throws: E.elementCount(expected: 3, actual: 2)) {
            var two: [Double] = [7, 7]
            var twoSpan = two.mutableSpan
            try columnLogSumExp(v, into: &twoSpan)            // one value per column
        }
        _ = consume span
        #expect(out == [7, 7, 7])
    }
}

@Suite("Matrix buffer access")
struct MatrixBufferTests {
    @Test("init(rows:cols:initializingWith:) writes in place, padding starts at 0")
    func initializingWith() throws {
        let m = try Matrix<Double>(rows: 2, cols: 3, leadingDimension: 4) { elements in
            #expect(elements.count == 8)
            for i in elements.indices where i % 4 < 3 { elements[i] = Double(i) }
        }
        #expect(m.elements == [0, 1, 2, 4, 5, 6])
        #expect(m.withUnsafeBufferPointer { Array($0) } == [0, 1, 2, 0, 4, 5, 6, 0])
        #expect(throws: SmoothKitError.invalidShape("leading dimension 2 is below cols 3")) {
            _ = try Matrix<Float>(rows: 1, cols: 3, leadingDimension: 2) { _ in Issue.record("body ran") }
        }
    }

    @Test("withUnsafeMutableBufferPointer writes the matrix's own storage, copy-on-write")
    func mutableBuffer() throws {
        var a = try Matrix<Float>(rows: 2, cols: 2, elements: [1, 2, 3, 4])
        let before = a.withUnsafeBufferPointer { $0.baseAddress }
        a.withUnsafeMutableBufferPointer { $0[0] = 10 }        // unique: no copy
        #expect(a.withUnsafeBufferPointer { $0.baseAddress } == before)
        let copy = a
        a.withUnsafeMutableBufferPointer { $0[3] = 40 }        // shared: a gets its own storage
        #expect(a.elements == [10, 2, 3, 40])
        #expect(copy.elements == [10, 2, 3, 4])
        #expect(copy.withUnsafeBufferPointer { $0.baseAddress } == before)
    }
}
