import Testing
import CSmoothKit
@testable import SmoothKit

// Every C entry point outside the four core row ops that takes a leading dimension (training,
// catalog, linalg), called on padded operands: each matrix at its own ld > cols (so an ld used
// for the wrong operand reads other elements), inputs with NaN in the gaps (a read of a gap
// turns a result NaN), outputs with a canary in the gaps and after the end. Each padded call
// must return SMK_OK, leave every canary, and give the dense call's results (ld == cols) bit
// for bit, on every instruction-set path this CPU runs (both calls on the same path). The
// dense results themselves are checked against Float80 / exact references by the op's own
// tests; this suite checks that the layout changes nothing.

/// One entry point's call on operands given by shape. `run` receives the element type's C
/// table, the inputs and outputs with their leading dimensions, the per-row vectors (inputs
/// read, outputs written: no leading dimension) and whether this is the padded call (for
/// operands `run` lays out itself, such as byte masks).
struct StridedCall: CustomStringConvertible, Sendable {
    typealias Shape = (rows: Int, cols: Int)
    let name: String
    let inputs: [Shape]
    let outputs: [Shape]
    var vectorsIn: [Int] = []
    var vectorsOut: [Int] = []
    /// Input values are drawn uniformly from this range (some ops have a domain).
    var range: ClosedRange<Double> = -3...3
    let run: @Sendable (_ c: any CKernels.Type, _ x: [(UnsafeRawPointer, Int)], _ y: [(UnsafeMutableRawPointer, Int)],
                        _ vin: [UnsafeRawPointer], _ vout: [UnsafeMutableRawPointer], _ padded: Bool) -> smk_status
    var description: String { name }
}

private let sr = 3, sc = 19  // 19 columns: two AVX-512 float packets' worth with a tail on every path
private let stridedLabels: [Int64] = [0, 18, 7]
private let stridedLengths: [Int64] = [19, 7, 0]

/// A byte mask of sr × sc at ldm = sc (dense) or sc + 5 (padded: gap bytes 0xAA); a third left out.
private func withStridedMask<R>(_ padded: Bool, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
    let ldm = padded ? sc + 5 : sc
    var m = [UInt8](repeating: 0xAA, count: sr * ldm)
    for r in 0..<sr { for i in 0..<sc { m[r * ldm + i] = (r * sc + i) % 3 == 1 ? 0 : 1 } }
    return m.withUnsafeBufferPointer { body($0.baseAddress!, ldm) }
}

/// The lengths, and the byte mask (withMask) or none, of the masked calls.
private func stridedMasking<R>(_ withMask: Bool, _ padded: Bool,
                               _ body: (UnsafePointer<Int64>, UnsafePointer<UInt8>?, Int) -> R) -> R {
    stridedLengths.withUnsafeBufferPointer { len in
        withMask ? withStridedMask(padded) { body(len.baseAddress!, $0, $1) } : body(len.baseAddress!, nil, 0)
    }
}

let stridedCalls: [StridedCall] = {
    var calls: [StridedCall] = []
    let full = (rows: sr, cols: sc)
    // backward kernels
    calls.append(StridedCall(name: "logsumexp_backward", inputs: [full], outputs: [full], vectorsIn: [sr]) { c, x, y, g, _, _ in
        c.logSumExpBackward(x[0].0, sr, sc, x[0].1, g[0], 0.7, y[0].0, y[0].1)
    })
    calls.append(StridedCall(name: "softargmax_backward", inputs: [full], outputs: [full], vectorsIn: [sr]) { c, x, y, g, _, _ in
        c.softArgmaxBackward(x[0].0, sr, sc, x[0].1, g[0], 0.7, y[0].0, y[0].1)
    })
    calls.append(StridedCall(name: "softmax_backward", inputs: [full, full], outputs: [full]) { c, x, y, _, _, _ in
        c.softmaxBackward(x[0].0, sr, sc, x[0].1, x[1].0, x[1].1, 0.7, y[0].0, y[0].1)
    })
    for form in [SMK_FORM_LOG_PROB, SMK_FORM_PROB] {
        calls.append(StridedCall(name: "log_softmax_backward form \(form.rawValue)", inputs: [full, full], outputs: [full]) { c, x, y, _, _, _ in
            c.logSoftmaxBackward(x[0].0, sr, sc, x[0].1, form, x[1].0, x[1].1, 0.7, y[0].0, y[0].1)
        })
    }
    // cross-entropy (labels, soft targets), loss per row and gradient
    calls.append(StridedCall(name: "cross_entropy", inputs: [full], outputs: [full], vectorsOut: [sr]) { c, x, y, _, v, _ in
        stridedLabels.withUnsafeBufferPointer {
            c.crossEntropy(x[0].0, sr, sc, x[0].1, $0.baseAddress!, -100, 0.1, 0.7, SMK_REDUCE_NONE, v[0], y[0].0, y[0].1)
        }
    })
    calls.append(StridedCall(name: "cross_entropy_soft", inputs: [full, full], outputs: [full], vectorsOut: [sr], range: 0...3) { c, x, y, _, v, _ in
        c.crossEntropySoft(x[0].0, sr, sc, x[0].1, x[1].0, x[1].1, 0.1, 0.7, SMK_REDUCE_NONE, v[0], y[0].0, y[0].1)
    })
    // mergeable state, weighted logsumexp
    calls.append(StridedCall(name: "lse_state", inputs: [full], outputs: [], vectorsOut: [sr, sr]) { c, x, _, _, v, _ in
        c.lseState(x[0].0, sr, sc, x[0].1, 0.7, v[0], v[1])
    })
    calls.append(StridedCall(name: "logsumexp_weighted", inputs: [full, full], outputs: [], vectorsOut: [sr, sr]) { c, x, _, _, v, _ in
        c.weightedLogSumExp(x[0].0, sr, sc, x[0].1, x[1].0, x[1].1, 0.7, v[0], v[1])
    })
    // masked rows: lengths with a byte mask (its own ldm), and lengths alone
    for withMask in [true, false] {
        let tag = withMask ? "mask" : "lengths"
        calls.append(StridedCall(name: "masked_logsumexp \(tag)", inputs: [full], outputs: [], vectorsOut: [sr]) { c, x, _, _, v, p in
            stridedMasking(withMask, p) { c.maskedLogSumExp(x[0].0, sr, sc, x[0].1, $0, $1, $2, 0.7, v[0]) }
        })
        calls.append(StridedCall(name: "masked_softargmax \(tag)", inputs: [full], outputs: [], vectorsOut: [sr]) { c, x, _, _, v, p in
            stridedMasking(withMask, p) { c.maskedSoftArgmax(x[0].0, sr, sc, x[0].1, $0, $1, $2, 0.7, v[0]) }
        })
        calls.append(StridedCall(name: "masked_softmax \(tag)", inputs: [full], outputs: [full]) { c, x, y, _, _, p in
            stridedMasking(withMask, p) { c.maskedSoftmax(x[0].0, sr, sc, x[0].1, $0, $1, $2, 0.7, y[0].0, y[0].1) }
        })
        calls.append(StridedCall(name: "masked_log_softmax \(tag)", inputs: [full], outputs: [full]) { c, x, y, _, _, p in
            stridedMasking(withMask, p) { c.maskedLogSoftmax(x[0].0, sr, sc, x[0].1, $0, $1, $2, 0.7, y[0].0, y[0].1) }
        })
    }
    // column-wise ops (5 rows, so the reduction runs down more than a packet's worth of rows)
    let tall = (rows: 5, cols: sc)
    calls.append(StridedCall(name: "col_logsumexp", inputs: [tall], outputs: [], vectorsOut: [sc]) { c, x, _, _, v, _ in
        c.columnLogSumExp(x[0].0, 5, sc, x[0].1, 0.7, v[0])
    })
    calls.append(StridedCall(name: "col_softargmax", inputs: [tall], outputs: [], vectorsOut: [sc]) { c, x, _, _, v, _ in
        c.columnSoftArgmax(x[0].0, 5, sc, x[0].1, 0.7, v[0])
    })
    calls.append(StridedCall(name: "col_softmax", inputs: [tall], outputs: [tall]) { c, x, y, _, _, _ in
        c.columnSoftmax(x[0].0, 5, sc, x[0].1, 0.7, y[0].0, y[0].1)
    })
    calls.append(StridedCall(name: "col_log_softmax", inputs: [tall], outputs: [tall]) { c, x, y, _, _, _ in
        c.columnLogSoftmax(x[0].0, 5, sc, x[0].1, 0.7, y[0].0, y[0].1)
    })
    // catalog: smooth max / min of rows and their gradients (power: entries of the domain's sign)
    let kinds: [(smk_max_kind, smk_extremum, ClosedRange<Double>)] = [
        (SMK_MAX_LOGSUMEXP, SMK_EXTREMUM_MAX, -3...3), (SMK_MAX_BOLTZMANN, SMK_EXTREMUM_MIN, -3...3),
        (SMK_MAX_POWER, SMK_EXTREMUM_MAX, 0.1...3), (SMK_MAX_POWER, SMK_EXTREMUM_MIN, -3 ... -0.1),
        (SMK_MAX_LOGLOG, SMK_EXTREMUM_MAX, -3...3),
    ]
    for (kind, ext, range) in kinds {
        let tag = "kind \(kind.rawValue) \(ext == SMK_EXTREMUM_MAX ? "max" : "min")"
        calls.append(StridedCall(name: "smooth_max \(tag)", inputs: [full], outputs: [], vectorsOut: [sr], range: range) { c, x, _, _, v, _ in
            c.smoothMax(x[0].0, sr, sc, x[0].1, kind, 2, ext, v[0])
        })
        calls.append(StridedCall(name: "smooth_max_grad \(tag)", inputs: [full], outputs: [full], range: range) { c, x, y, _, _, _ in
            c.smoothMaxGradient(x[0].0, sr, sc, x[0].1, kind, 2, ext, y[0].0, y[0].1)
        })
    }
    calls.append(StridedCall(name: "smooth_accuracy", inputs: [full], outputs: [full], vectorsOut: [1]) { c, x, y, _, v, _ in
        stridedLabels.withUnsafeBufferPointer { c.smoothAccuracy(x[0].0, sr, sc, x[0].1, $0.baseAddress!, v[0], y[0].0, y[0].1) }
    })
    calls.append(StridedCall(name: "smooth_macro_f1", inputs: [full], outputs: [full], vectorsOut: [1]) { c, x, y, _, v, _ in
        var work = [Double](repeating: 0, count: 3 * sc)
        return stridedLabels.withUnsafeBufferPointer { l in
            work.withUnsafeMutableBufferPointer {
                c.smoothMacroF1(x[0].0, sr, sc, x[0].1, l.baseAddress!, $0.baseAddress!, v[0], y[0].0, y[0].1)
            }
        }
    })
    // linalg: E = softmax(X)·V (X 3 × 19, V 19 × 4), the largest eigenvalue of 2 stacked 4 × 4
    // matrices (lower triangle) with its gradient, spatial soft-argmax of 3 maps of 4 × 5
    calls.append(StridedCall(name: "softmax_expectation", inputs: [full, (sc, 4)], outputs: [(sr, 4)]) { c, x, y, _, _, _ in
        c.softmaxExpectation(x[0].0, sr, sc, x[0].1, 0.7, x[1].0, 4, x[1].1, y[0].0, y[0].1, nil, 0)
    })
    calls.append(StridedCall(name: "smooth_eigmax", inputs: [(8, 4)], outputs: [(8, 4)], vectorsOut: [2]) { c, x, y, _, v, _ in
        c.smoothEigmax(x[0].0, 2, 4, x[0].1, 0.7, SMK_SYMMETRY_LOWER, 0, v[0], y[0].0, y[0].1, nil, 0)
    })
    calls.append(StridedCall(name: "spatial_softargmax", inputs: [(3, 20)], outputs: [], vectorsOut: [6]) { c, x, _, _, v, _ in
        c.spatialSoftArgmax(x[0].0, 3, 4, 5, x[0].1, 0.7, SMK_COORDS_PIXEL, v[0], nil, 0)
    })
    calls.append(StridedCall(name: "spatial_softargmax_grad", inputs: [(3, 20)], outputs: [(3, 20)], vectorsIn: [6]) { c, x, y, g, _, _ in
        c.spatialSoftArgmaxGradient(x[0].0, 3, 4, 5, x[0].1, 0.7, SMK_COORDS_PIXEL, g[0], y[0].0, y[0].1)
    })
    return calls
}()

/// What one call left: its status, the outputs (dense), and whether every canary held.
private struct StridedResult<S: SmoothScalar> {
    let status: smk_status
    let outputs: [[S]]
    let canariesHeld: Bool
}

/// Slack after each output and vector that must keep the canary.
private let stridedSlack = 4

/// Runs `call` with inputs at ld = cols + inPad(k) (NaN gaps) and outputs at ld = cols +
/// outPad(k) (canary gaps); pads of 0 give the dense layout.
private func runStrided<S: SmoothScalar>(_: S.Type, _ call: StridedCall, padded: Bool) -> StridedResult<S> {
    let canaryValue = S(-12345.6875)
    var rng = SplitMix64(seed: 0x5791DE)
    func value() -> S { S(Double.random(in: call.range, using: &rng)) }
    // distinct pads per operand: an ld taken for another operand's lands elsewhere
    let inLD = call.inputs.enumerated().map { $1.cols + (padded ? 1 + 2 * $0 : 0) }
    let outLD = call.outputs.enumerated().map { $1.cols + (padded ? 2 + 2 * $0 : 0) }
    var ins: [[S]] = call.inputs.enumerated().map { k, s in
        var a = [S](repeating: .nan, count: s.rows * inLD[k])
        for r in 0..<s.rows { for i in 0..<s.cols { a[r * inLD[k] + i] = value() } }
        return a
    }
    var vin: [[S]] = call.vectorsIn.map { n in (0..<n).map { _ in value() } }
    var outs: [[S]] = call.outputs.enumerated().map { [S](repeating: canaryValue, count: $1.rows * outLD[$0] + stridedSlack) }
    var vout: [[S]] = call.vectorsOut.map { [S](repeating: canaryValue, count: $0 + stridedSlack) }

    // Nested buffer access for a variable number of operands.
    func withAll<A, P, R>(_ arrays: inout [[A]], _ map: (UnsafeMutableBufferPointer<A>) -> P,
                          _ acc: [P], _ body: ([P]) -> R) -> R {
        guard acc.count < arrays.count else { return body(acc) }
        let k = acc.count
        var a = arrays[k]
        defer { arrays[k] = a }
        return a.withUnsafeMutableBufferPointer { b in withAll(&arrays, map, acc + [map(b)], body) }
    }
    let status = withAll(&ins, { UnsafeRawPointer($0.baseAddress!) }, []) { x in
        withAll(&vin, { UnsafeRawPointer($0.baseAddress!) }, []) { g in
            withAll(&outs, { UnsafeMutableRawPointer($0.baseAddress!) }, []) { y in
                withAll(&vout, { UnsafeMutableRawPointer($0.baseAddress!) }, []) { v in
                    call.run(S.c, Array(zip(x, inLD)), Array(zip(y, outLD)), g, v, padded)
                }
            }
        }
    }
    var held = true, dense: [[S]] = []
    for (k, s) in call.outputs.enumerated() {
        for r in 0..<s.rows { held = held && outs[k][(r * outLD[k] + s.cols)..<((r + 1) * outLD[k])].allSatisfy { $0 == canaryValue } }
        held = held && outs[k].suffix(stridedSlack).allSatisfy { $0 == canaryValue }
        dense.append((0..<s.rows).flatMap { r in outs[k][(r * outLD[k])..<(r * outLD[k] + s.cols)] })
    }
    for (k, n) in call.vectorsOut.enumerated() {
        held = held && vout[k].suffix(stridedSlack).allSatisfy { $0 == canaryValue }
        dense.append(Array(vout[k].prefix(n)))
    }
    return StridedResult(status: status, outputs: dense, canariesHeld: held)
}

private func checkStrided<S: SmoothScalar>(_: S.Type, _ call: StridedCall) {
    for isa in ISAPath.supported {
        let ((dense, padded), _) = withForcedISA(isa) {
            (runStrided(S.self, call, padded: false), runStrided(S.self, call, padded: true))
        }
        let what = "\(call) \(S.self) \(isa)"
        #expect(dense.status == SMK_OK && padded.status == SMK_OK, "\(what): status \(dense.status) / \(padded.status)")
        #expect(dense.canariesHeld, "\(what): dense call wrote past an output")
        #expect(padded.canariesHeld, "\(what): padded call wrote into a gap or past an output")
        for (k, (a, b)) in zip(dense.outputs, padded.outputs).enumerated() {
            let differ = zip(a, b).enumerated().filter { !($0.element.0 == $0.element.1 || ($0.element.0.isNaN && $0.element.1.isNaN)) }
            #expect(differ.isEmpty, "\(what) output \(k): padded differs from dense at \(differ.prefix(4).map { "\($0.offset): \($0.element.1) vs \($0.element.0)" })")
        }
        // a result that is NaN throughout would hide a read of the NaN gaps: most ops' inputs are NaN-free
        if !call.name.hasPrefix("masked") {
            #expect(dense.outputs.allSatisfy { $0.allSatisfy { !$0.isNaN } }, "\(what): NaN in the dense results")
        }
    }
}

@Suite struct StridedEntryTests {
    @Test("padded operands give the dense results, gaps untouched", arguments: stridedCalls)
    func padded(call: StridedCall) {
        checkStrided(Float.self, call)
        checkStrided(Double.self, call)
    }
}
