// Command-line options of smoothkit-bench, parsed from CommandLine.arguments (no dependencies).
import SmoothKit

/// The four row ops, named as in the C ABI.
enum BenchOp: String, CaseIterable, Codable {
    case logsumexp, softmax, log_softmax, softargmax

    /// softmax and log_softmax write a matrix; the others read it and write one value per row.
    var writesMatrix: Bool { self == .softmax || self == .log_softmax }
}

enum DType: String, CaseIterable, Codable {
    case f32, f64
}

struct Shape: Hashable, Codable, CustomStringConvertible {
    var rows: Int
    var cols: Int
    var elements: Int { rows * cols }
    var description: String { "\(rows)x\(cols)" }

    /// "4096x1000" → Shape(4096, 1000).
    init?(parsing s: Substring) {
        let parts = s.split(separator: "x")
        guard parts.count == 2, let r = Int(parts[0]), let c = Int(parts[1]), r > 0, c > 0 else { return nil }
        rows = r
        cols = c
    }

    init(_ rows: Int, _ cols: Int) {
        self.rows = rows
        self.cols = cols
    }
}

/// Who computes: a C instruction-set path, the pure-Swift backend, or the naive scalar loop.
enum Path: Hashable, CustomStringConvertible {
    case c(InstructionSet)
    case swift
    case naive

    var description: String {
        switch self {
        case .c(let isa): "c-\(isa.rawValue)"
        case .swift: "swift"
        case .naive: "naive"
        }
    }
}

struct Options {
    /// Five kinds of rows: long, short, out of cache, tiny and very tiny.
    static let fullShapes = [Shape(4096, 1000), Shape(16384, 128), Shape(8192, 8192), Shape(262144, 16),
                             Shape(1048576, 4)]
    /// Same kinds of rows, about 16× less data: the whole run stays under a minute.
    static let quickShapes = [Shape(1024, 1000), Shape(4096, 128), Shape(1024, 8192), Shape(65536, 16),
                              Shape(262144, 4)]

    var quick = false
    var jsonPath: String?
    var svgPath: String?
    var ops = BenchOp.allCases
    var dtypes = DType.allCases
    var shapes: [Shape]?
    var threads: [Int]?
    /// Names of paths to run (c-avx2, c-portable, swift, naive, ...); nil = all available.
    var paths: Set<String>?
    /// Each measurement repeats the op until about this much time has passed (at least minReps).
    var minSeconds = 0.25
    var minReps = 5
    var probeSwift = false
    /// Time the training ops against their compositions (Training.swift).
    var training = true
    var trainShapes: [Shape]?
    /// Time softmax on the caller's arrays through views against copying (Views.swift).
    var views = true
    /// Time the float16 / bfloat16 ops against float on the same values (Half.swift).
    var half = true
    /// Redraw --svg from a --json file of an earlier run instead of measuring.
    var plotFrom: String?

    static let usage = """
    usage: smoothkit-bench [options]

    Times logsumexp, softmax, log_softmax and softargmax (f32, f64) on every C instruction-set
    path this CPU supports, the pure-Swift backend and a naive scalar Swift loop, with 1 thread
    and all cores, and the machine's copy/read bandwidth in the same run. Each figure is the
    median of repeated runs after a warm-up. Then the training ops (backward kernels,
    cross-entropy, masked and column softmax) against the compositions they replace, 1 thread.
    Then softmax of 1000x512 on the caller's arrays: through views (no copy) against copying
    into and out of a Matrix. Last, the four ops on float16 / bfloat16 storage against float on
    the same values (C, 1 thread). Table on stdout, progress on stderr.

    options:
      --quick              smaller shapes, fewer repetitions: the whole run takes under a minute
      --json FILE          write every measurement and the bandwidths as JSON
      --svg FILE           write a self-contained SVG plot (throughput per shape and path)
      --plot-from FILE     with --svg: redraw the plot from an earlier run's --json, measure nothing
      --ops LIST           comma list of logsumexp,softmax,log_softmax,softargmax (default all)
      --dtypes LIST        f32,f64 (default both)
      --shapes LIST        e.g. 4096x1000,262144x16 (default: five shapes, long to very tiny rows)
      --threads LIST       e.g. 1,2 (default: 1 and all cores)
      --paths LIST         e.g. c-avx2,c-portable,swift,naive (default: all available)
      --no-train           leave out the training ops (backward, cross-entropy, masked, column)
      --no-views           leave out views against copying
      --no-half            leave out float16 / bfloat16 against float
      --train-shapes LIST  shapes of the training rows (default 4096x1000,16384x128;
                           --quick 1024x1000,4096x128)
      --min-time SECONDS   time per measurement (default 0.25; --quick 0.05)
      --reps N             at least N timed runs per measurement (default 5; --quick 3)
      --help               this text

    columns: Gelem/s = rows·cols / median wall time; G/cpu-s = the same over the median CPU
    time of the calling thread (1 thread only: on a shared machine it leaves out the waits
    for a core; bandwidths and ratios use wall time); GB/s = bytes read + written / time;
    %bound = GB/s over the machine's copy bandwidth (softmax, log_softmax: read + write) or
    read bandwidth (logsumexp, softargmax: read only) at the same thread count;
    xnaive = over the naive loop (1 thread); swift/C = the Swift backend over the best C path;
    xT1 = over the same path with 1 thread.
    training rows (1 thread): fused = the training call, composed = what it replaces (the
    composition column); x = composed time over fused time, x cpu = the same in thread CPU time.
    """

    static func parse(_ args: [String]) throws(OptionError) -> Options {
        var o = Options()
        var explicitTime = false, explicitReps = false
        var it = args.dropFirst().makeIterator()
        func value(_ flag: String) throws(OptionError) -> String {
            guard let v = it.next() else { throw .message("\(flag) needs a value") }
            return v
        }
        func list(_ flag: String) throws(OptionError) -> [Substring] {
            try value(flag).split(separator: ",")
        }
        func shapes(_ flag: String) throws(OptionError) -> [Shape] {
            try list(flag).map { (s) throws(OptionError) in
                guard let sh = Shape(parsing: s) else { throw .message("bad shape \(s) (want ROWSxCOLS)") }
                return sh
            }
        }
        while let a = it.next() {
            switch a {
            case "--help", "-h": throw .help
            case "--quick": o.quick = true
            case "--json": o.jsonPath = try value(a)
            case "--svg": o.svgPath = try value(a)
            case "--probe-swift": o.probeSwift = true
            case "--plot-from": o.plotFrom = try value(a)
            case "--ops":
                o.ops = try list(a).map { (s) throws(OptionError) in
                    guard let op = BenchOp(rawValue: String(s)) else { throw .message("unknown op \(s)") }
                    return op
                }
            case "--dtypes":
                o.dtypes = try list(a).map { (s) throws(OptionError) in
                    guard let d = DType(rawValue: String(s)) else { throw .message("unknown dtype \(s)") }
                    return d
                }
            case "--shapes":
                o.shapes = try shapes(a)
            case "--threads":
                o.threads = try list(a).map { (s) throws(OptionError) in
                    guard let n = Int(s), n >= 1 else { throw .message("bad thread count \(s)") }
                    return n
                }
            case "--no-train": o.training = false
            case "--no-views": o.views = false
            case "--no-half": o.half = false
            case "--train-shapes":
                o.trainShapes = try shapes(a)
            case "--paths": o.paths = Set(try list(a).map(String.init))
            case "--min-time":
                guard let t = Double(try value(a)), t >= 0 else { throw .message("bad --min-time") }
                o.minSeconds = t
                explicitTime = true
            case "--reps":
                guard let n = Int(try value(a)), n >= 1 else { throw .message("bad --reps") }
                o.minReps = n
                explicitReps = true
            default: throw .message("unknown option \(a)")
            }
        }
        if o.quick {
            if !explicitTime { o.minSeconds = 0.05 }
            if !explicitReps { o.minReps = 3 }
        }
        return o
    }
}

enum OptionError: Error {
    case help
    case message(String)
}
