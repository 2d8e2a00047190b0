// Every argument error of SPEC §1, through the C ABI and the Swift façade: the right status
// or thrown error, and not one output element written (outputs are canary-filled and
// compared afterwards, inputs too).
import CSmoothKit
import SmoothKit
import Testing

/// One bad argument of a C call (everything else valid), and the status it must give.
enum CFault: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case temperatureZero, temperatureNegativeZero, temperatureNegative, temperatureNaN
    case temperaturePlusInfinity, temperatureMinusInfinity
    case ldxBelowCols, ldyBelowCols
    /// (rows − 1)·ld overflows: rows = Int.max/2.
    case extentRowsHuge
    /// rows = SIZE_MAX.
    case extentRowsSizeMax
    /// (rows − 1)·ldx + cols overflows with a huge ldx (Int.max/2, and SIZE_MAX).
    case extentLdxHuge, extentLdxSizeMax
    /// The same for ldy (maps only).
    case extentLdyHuge
    /// cols = ld = SIZE_MAX on one row: cols·sizeof overflows.
    case extentColsSizeMax
    /// The byte extent is exactly PTRDIFF_MAX + 1.
    case extentOneBytePastPtrdiffMax
    case nullInput, nullOutput

    var testDescription: String { rawValue }

    var status: smk_status {
        switch self {
        case .temperatureZero, .temperatureNegativeZero, .temperatureNegative, .temperatureNaN,
             .temperaturePlusInfinity, .temperatureMinusInfinity: SMK_ERR_TEMPERATURE
        case .nullInput, .nullOutput: SMK_ERR_NULL
        default: SMK_ERR_SHAPE
        }
    }

    /// Only maps have a `ldy`.
    func applies(to op: CoreOp) -> Bool { self != .ldyBelowCols && self != .extentLdyHuge || op == .softmax || op == .logSoftmax }
}

/// The arguments of one C call; `ld` values and sizes as `size_t` (Int −1 is SIZE_MAX).
struct CCall<S: TestScalar> {
    var rows = 2, cols = 4, ldx = 4, ldy = 5
    var t: S = 1
    var nullX = false, nullOut = false

    init(_ fault: CFault?) {
        guard let fault else { return }
        let sizeMax = -1 // bit pattern of SIZE_MAX
        switch fault {
        case .temperatureZero: t = 0
        case .temperatureNegativeZero: t = -0.0
        case .temperatureNegative: t = -1
        case .temperatureNaN: t = .nan
        case .temperaturePlusInfinity: t = .infinity
        case .temperatureMinusInfinity: t = -.infinity
        case .ldxBelowCols: ldx = 3
        case .ldyBelowCols: ldy = 3
        case .extentRowsHuge: rows = Int.max / 2
        case .extentRowsSizeMax: rows = sizeMax
        case .extentLdxHuge: ldx = Int.max / 2
        case .extentLdxSizeMax: ldx = sizeMax
        case .extentLdyHuge: ldy = Int.max / 2
        case .extentColsSizeMax: rows = 1; cols = sizeMax; ldx = sizeMax; ldy = sizeMax
        case .extentOneBytePastPtrdiffMax:
            // ((rows − 1)·ldx + cols)·sizeof = 2^63 = PTRDIFF_MAX + 1 (rows = 2).
            ldx = (Int.max / MemoryLayout<S>.size + 1) - cols
        case .nullInput: nullX = true
        case .nullOutput: nullOut = true
        }
    }

    /// Calls `op` on small real buffers (2 × 4 input, canary outputs), whatever the sizes
    /// claim: a check that let a bad size through would read or write far outside them.
    /// Returns the status and whether every input and output element is as before.
    func call(_ op: CoreOp) -> (smk_status, untouched: Bool) {
        let fill: S = canary()
        var out = [S](repeating: fill, count: 16)
        let (status, inputUntouched) = call(op, into: &out)
        return (status, inputUntouched && out.allSatisfy { $0 == fill })
    }

    /// Calls `op` with output buffer `out`; returns the status and whether the input is as before.
    func call(_ op: CoreOp, into out: inout [S]) -> (smk_status, inputUntouched: Bool) {
        let x: [S] = [1, 2, 3, 4, -1, 0, 5, 2]
        var xCopy = x
        let status: smk_status = xCopy.withUnsafeMutableBufferPointer { xb in
            out.withUnsafeMutableBufferPointer { ob in
                let xp = nullX ? nil : UnsafePointer(xb.baseAddress), op_ = nullOut ? nil : ob.baseAddress
                switch op {
                case .logSumExp: return S.smkLogSumExp(xp, rows, cols, ldx, t, op_)
                case .softArgmax: return S.smkSoftArgmax(xp, rows, cols, ldx, t, op_)
                case .softmax: return S.smkSoftmax(xp, rows, cols, ldx, t, op_, ldy)
                case .logSoftmax: return S.smkLogSoftmax(xp, rows, cols, ldx, t, op_, ldy)
                }
            }
        }
        return (status, x == xCopy)
    }
}

@Suite struct ArgumentErrorTests {
    /// Each bad argument alone: the status of smoothkit.h, nothing written, nothing read out
    /// of bounds (the buffers are tiny whatever the sizes claim), for every op and dtype.
    @Test(arguments: CFault.allCases, CoreDType.allCases)
    func cRejects(_ fault: CFault, _ dtype: CoreDType) {
        dtype.with { cRejects(fault, $0) }
    }

    private func cRejects<S: TestScalar>(_ fault: CFault, _: S.Type) {
        for op in CoreOp.allCases where fault.applies(to: op) {
            let (status, untouched) = CCall<S>(fault).call(op)
            #expect(status == fault.status, "\(S.label) \(op.rawValue) with \(fault): status \(status.rawValue), want \(fault.status.rawValue)")
            #expect(untouched, "\(S.label) \(op.rawValue) with \(fault): an element was written")
            #expect(String(cString: smk_status_string(status)) != "unknown status")
        }
    }

    /// rows == 0 is valid and does nothing whatever the pointers (NULL, or canary buffers);
    /// cols == 0 with a NULL input is valid: logsumexp −∞, soft-argmax NaN, maps write nothing.
    @Test(arguments: CoreDType.allCases)
    func cEmptyShapes(_ dtype: CoreDType) {
        dtype.with { cEmptyShapes($0) }
    }

    private func cEmptyShapes<S: TestScalar>(_: S.Type) {
        let fill: S = canary()
        for op in CoreOp.allCases {
            let t: S = 1
            // rows == 0, NULL everywhere.
            let nullStatus: smk_status = switch op {
            case .logSumExp: S.smkLogSumExp(nil, 0, 4, 4, t, nil)
            case .softArgmax: S.smkSoftArgmax(nil, 0, 4, 4, t, nil)
            case .softmax: S.smkSoftmax(nil, 0, 4, 4, t, nil, 4)
            case .logSoftmax: S.smkLogSoftmax(nil, 0, 4, 4, t, nil, 4)
            }
            #expect(nullStatus == SMK_OK, "\(S.label) \(op.rawValue): rows == 0 with NULL pointers")
            // rows == 0 with real buffers: nothing written.
            var rows0 = CCall<S>(nil)
            rows0.rows = 0
            let (s0, untouched0) = rows0.call(op)
            #expect(s0 == SMK_OK && untouched0, "\(S.label) \(op.rawValue): rows == 0 must do nothing")

            // cols == 0, rows = 3, x NULL.
            var out = [S](repeating: fill, count: 12)
            let status: smk_status = out.withUnsafeMutableBufferPointer { ob in
                switch op {
                case .logSumExp: S.smkLogSumExp(nil, 3, 0, 0, t, ob.baseAddress)
                case .softArgmax: S.smkSoftArgmax(nil, 3, 0, 0, t, ob.baseAddress)
                case .softmax: S.smkSoftmax(nil, 3, 0, 0, t, ob.baseAddress, 4)
                case .logSoftmax: S.smkLogSoftmax(nil, 3, 0, 0, t, ob.baseAddress, 4)
                }
            }
            #expect(status == SMK_OK, "\(S.label) \(op.rawValue): cols == 0 with NULL x")
            let written: [S] = switch op {
            case .logSumExp: [-.infinity, -.infinity, -.infinity]
            case .softArgmax: [.nan, .nan, .nan]
            case .softmax, .logSoftmax: []
            }
            let expected = written + [S](repeating: fill, count: 12 - written.count)
            #expect(zip(out, expected).allSatisfy { sameBits($0, $1) },
                    "\(S.label) \(op.rawValue) on 3 × 0: got \(out), want \(expected)")

            // The extent limit itself, safely (cols == 0 reads no element): 2 rows with
            // ld = PTRDIFF_MAX / sizeof span (ld + 0)·sizeof ≤ PTRDIFF_MAX bytes: valid;
            // one element more is one byte-extent past it: SMK_ERR_SHAPE, nothing written.
            let limit = Int.max / MemoryLayout<S>.size
            for (ld, want) in [(limit, SMK_OK), (limit + 1, SMK_ERR_SHAPE)] {
                var call = CCall<S>(nil)
                (call.rows, call.cols, call.ldx, call.ldy) = (2, 0, ld, ld)
                var out = [S](repeating: fill, count: 4)
                let (status, inputUntouched) = call.call(op, into: &out)
                #expect(inputUntouched)
                #expect(status == want, "\(S.label) \(op.rawValue) 2 × 0 with ld = \(ld): status \(status.rawValue)")
                let written = want == SMK_OK && (op == .logSumExp || op == .softArgmax) ? 2 : 0 // one per row
                #expect(out[written...].allSatisfy { $0 == fill }, "\(S.label) \(op.rawValue) 2 × 0 with ld = \(ld): wrote \(out)")
            }
        }
    }

    /// Every bad argument of the façade: the typed error, and nothing written to an
    /// into-variant's output or an in-place matrix; both backends, every op.
    @Test(arguments: SwiftFault.allCases, CoreDType.allCases)
    func swiftThrows(_ fault: SwiftFault, _ dtype: CoreDType) throws {
        try dtype.with { try swiftThrows(fault, $0) }
    }

    private func swiftThrows<S: TestScalar>(_ fault: SwiftFault, _: S.Type) throws {
        let x = try Matrix<S>(rows: 2, cols: 3, leadingDimension: 4, elements: [1, 2, 3, 0, -1, 5])
        let fill: S = canary()
        let t: S = fault.temperature.map { S(fromDouble: $0) } ?? 1
        let threads = fault.threads ?? 1
        for backend in facadeBackends {
            let context = "\(S.label) .\(backend) \(fault)"
            // Returning variants (no output shape to get wrong).
            for op in CoreOp.allCases where !fault.isOutputShape {
                let error = #expect(throws: SmoothKitError.self, "\(context) \(op.rawValue)") {
                    switch op {
                    case .logSumExp: _ = try logSumExp(x, temperature: t, backend: backend, threads: threads)
                    case .softmax: _ = try softmax(x, temperature: t, backend: backend, threads: threads)
                    case .logSoftmax: _ = try logSoftmax(x, temperature: t, backend: backend, threads: threads)
                    case .softArgmax: _ = try softArgmax(x, temperature: t, backend: backend, threads: threads)
                    }
                }
                if let error { #expect(fault.matches(error), "\(context) \(op.rawValue): \(error)") }
            }
            // Into variants, with outputs of the right shape unless the fault is the shape
            // (a reduction's output has no columns to get wrong).
            let outRows = fault.outputRows, outCols = fault.outputCols
            for op in [CoreOp.logSumExp, .softArgmax] where fault != .outputColsTooFew {
                var out = [S](repeating: fill, count: outRows)
                let error = #expect(throws: SmoothKitError.self, "\(context) \(op.rawValue) into") {
                    var span = out.mutableSpan
                    if op == .logSumExp {
                        try logSumExp(x, temperature: t, backend: backend, threads: threads, into: &span)
                    } else {
                        try softArgmax(x, temperature: t, backend: backend, threads: threads, into: &span)
                    }
                }
                if let error { #expect(fault.matches(error), "\(context) \(op.rawValue) into: \(error)") }
                #expect(out.allSatisfy { $0 == fill }, "\(context) \(op.rawValue) into: output written")
            }
            for op in [CoreOp.softmax, .logSoftmax] {
                var y = try Matrix<S>(rows: outRows, cols: outCols, repeating: fill)
                let error = #expect(throws: SmoothKitError.self, "\(context) \(op.rawValue) into") {
                    if op == .softmax {
                        try softmax(x, temperature: t, backend: backend, threads: threads, into: &y)
                    } else {
                        try logSoftmax(x, temperature: t, backend: backend, threads: threads, into: &y)
                    }
                }
                if let error { #expect(fault.matches(error), "\(context) \(op.rawValue) into: \(error)") }
                #expect(y.elements.allSatisfy { $0 == fill }, "\(context) \(op.rawValue) into: output written")
            }
            // In place (no output shape to get wrong).
            if !fault.isOutputShape {
                for op in [CoreOp.softmax, .logSoftmax] {
                    var y = x
                    let error = #expect(throws: SmoothKitError.self, "\(context) \(op.rawValue) in place") {
                        if op == .softmax {
                            try softmaxInPlace(&y, temperature: t, backend: backend, threads: threads)
                        } else {
                            try logSoftmaxInPlace(&y, temperature: t, backend: backend, threads: threads)
                        }
                    }
                    if let error { #expect(fault.matches(error), "\(context) \(op.rawValue) in place: \(error)") }
                    #expect(y == x, "\(context) \(op.rawValue) in place: matrix changed")
                }
            }
        }
    }
}

/// One bad argument of a façade call.
enum SwiftFault: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case temperatureZero, temperatureNegativeZero, temperatureNegative, temperatureNaN
    case temperaturePlusInfinity, temperatureMinusInfinity
    case threadsZero, threadsNegative
    /// Into-variants only: one output row too many / too few, one column too few.
    case outputRowsTooMany, outputRowsTooFew, outputColsTooFew

    var testDescription: String { rawValue }

    var temperature: Double? {
        switch self {
        case .temperatureZero: 0
        case .temperatureNegativeZero: -0.0
        case .temperatureNegative: -1
        case .temperatureNaN: .nan
        case .temperaturePlusInfinity: .infinity
        case .temperatureMinusInfinity: -.infinity
        default: nil
        }
    }

    var threads: Int? { self == .threadsZero ? 0 : self == .threadsNegative ? -1 : nil }

    /// A wrong output shape for into-variants (the input is 2 × 3); the other faults use the
    /// right one.
    var isOutputShape: Bool { self == .outputRowsTooMany || self == .outputRowsTooFew || self == .outputColsTooFew }
    var outputRows: Int { self == .outputRowsTooMany ? 3 : self == .outputRowsTooFew ? 1 : 2 }
    var outputCols: Int { self == .outputColsTooFew ? 2 : 3 }

    /// The error this fault must throw.
    func matches(_ error: SmoothKitError) -> Bool {
        switch (self, error) {
        case (.temperatureNaN, .invalidTemperature(let t)): t.isNaN
        case (_, .invalidTemperature(let t)): temperature.map { $0 == t && $0.sign == t.sign } ?? false
        case (.threadsZero, .domain), (.threadsNegative, .domain): true
        // A reduction's output is a span of `rows` elements: a count error. A map's output
        // is a matrix: a shape mismatch.
        case (.outputRowsTooMany, .elementCount(2, 3)), (.outputRowsTooFew, .elementCount(2, 1)): true
        case (.outputRowsTooMany, .shapeMismatch), (.outputRowsTooFew, .shapeMismatch),
             (.outputColsTooFew, .shapeMismatch): true
        default: false
        }
    }
}
