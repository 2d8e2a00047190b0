// Runs every (op, path, threads) on one shape and dtype and records the timings.
import SmoothKit

/// One measurement; the ratios are filled in once the whole run is known (Report.swift).
struct Record: Codable {
    var op: BenchOp
    var dtype: DType
    var shape: Shape
    var path: String
    var threads: Int
    var seconds: Double
    var gelemPerSecond: Double
    /// With 1 thread: elements per second of the calling thread's CPU time (leaves out waits
    /// for a core on a shared machine). Not set for more threads.
    var gelemPerCPUSecond: Double?
    var gbPerSecond: Double
    /// gbPerSecond over the bandwidth bound at the same thread count (copy or read, see Options.usage).
    var boundFraction: Double?
    var overNaive: Double?
    var swiftOverBestC: Double?
    var overOneThread: Double?
}

/// Uniform in [−10, 10): logits of the usual size; the value distribution does not change
/// the kernels' work. SplitMix64, so a run is reproducible and 67M values take no time.
func makeInput<S: BenchScalar>(_: S.Type, count: Int, seed: UInt64) -> [S] {
    var state = seed
    return (0..<count).map { _ in
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return S(Double(z >> 11) * 0x1p-53 * 20 - 10)
    }
}

struct ShapeRun {
    let opts: Options
    let paths: [Path]
    let threadCounts: [Int]
    var progress: (String) -> Void

    /// Runs every op × path × thread count on `shape` in `S`.
    func run<S: BenchScalar>(_: S.Type, _ shape: Shape) throws -> [Record] {
        let xs = makeInput(S.self, count: shape.elements, seed: UInt64(shape.rows * 31 + shape.cols))
        let x = try Matrix<S>(rows: shape.rows, cols: shape.cols, elements: xs)
        var y = try Matrix<S>(rows: shape.rows, cols: shape.cols, repeating: 0)
        var out = [S](repeating: 0, count: shape.rows)
        var records = [Record]()
        let tau: S = 1
        for op in opts.ops {
            for path in paths {
                for threads in (path == .naive ? [1] : threadCounts) {
                    let timing: Timing
                    switch path {
                    case .naive:
                        let dst = UnsafeMutablePointer<S>.allocate(capacity: op.writesMatrix ? shape.elements : shape.rows)
                        defer { dst.deallocate() }
                        timing = xs.withUnsafeBufferPointer { xb in
                            medianTiming(minSeconds: opts.minSeconds, minReps: opts.minReps) {
                                Naive.run(op, xb.baseAddress!, rows: shape.rows, cols: shape.cols, tau: tau, dst)
                            }
                        }
                    case .c(let isa):
                        try InstructionSet.force(isa)
                        timing = try time(op, x, &y, &out, tau, .c, threads)
                    case .swift:
                        timing = try time(op, x, &y, &out, tau, .swift, threads)
                    }
                    let seconds = timing.wall, elements = Double(shape.elements)
                    let bytes = Double(MemoryLayout<S>.size)
                        * (elements + (op.writesMatrix ? elements : Double(shape.rows)))
                    let r = Record(op: op, dtype: S.dtype, shape: shape, path: path.description, threads: threads,
                                   seconds: seconds, gelemPerSecond: elements / seconds / 1e9,
                                   gelemPerCPUSecond: threads == 1 ? elements / timing.cpu / 1e9 : nil,
                                   gbPerSecond: bytes / seconds / 1e9)
                    records.append(r)
                    progress(progressLine(r))
                }
            }
        }
        try InstructionSet.force(.automatic)
        return records
    }

    /// Median seconds of one façade call (into-variants: no allocation in the timed loop).
    private func time<S: BenchScalar>(_ op: BenchOp, _ x: Matrix<S>, _ y: inout Matrix<S>, _ out: inout [S],
                                      _ tau: S, _ backend: Backend, _ threads: Int) throws -> Timing {
        try medianTiming(minSeconds: opts.minSeconds, minReps: opts.minReps) {
            switch op {
            case .logsumexp:
                var span = out.mutableSpan
                try logSumExp(x, temperature: tau, backend: backend, threads: threads, into: &span)
            case .softargmax:
                var span = out.mutableSpan
                try softArgmax(x, temperature: tau, backend: backend, threads: threads, into: &span)
            case .softmax:
                try softmax(x, temperature: tau, backend: backend, threads: threads, into: &y)
            case .log_softmax:
                try logSoftmax(x, temperature: tau, backend: backend, threads: threads, into: &y)
            }
        }
    }
}

/// A progress line: "softmax f32 4096x1000 c-avx2 t1: 2.31 Gelem/s".
func progressLine(_ r: Record) -> String {
    "\(r.op.rawValue) \(r.dtype.rawValue) \(r.shape) \(r.path) t\(r.threads): "
        + fixed(r.gelemPerSecond, 3) + " Gelem/s"
}

/// `v` with `digits` decimals (no Foundation formatting needed).
func fixed(_ v: Double, _ digits: Int) -> String {
    guard v.isFinite else { return "-" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (abs(v) * scale).rounded()
    let whole = Int(r / scale), frac = Int(r.truncatingRemainder(dividingBy: scale))
    let sign = v < 0 && r > 0 ? "-" : ""
    guard digits > 0 else { return sign + String(whole) }
    let f = String(frac)
    return sign + String(whole) + "." + String(repeating: "0", count: digits - f.count) + f
}
