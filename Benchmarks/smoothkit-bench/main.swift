// smoothkit-bench: throughput of SmoothKit's row ops on every path, against the machine's
// memory bandwidth and a naive loop. `smoothkit-bench --help` lists the options.
import Foundation
import SmoothKit

func note(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

let opts: Options
do {
    opts = try Options.parse(CommandLine.arguments)
} catch .help {
    print(Options.usage)
    exit(0)
} catch .message(let m) {
    note("smoothkit-bench: \(m)\n\n\(Options.usage)")
    exit(2)
}

// Hidden: the child process that checks whether the pure-Swift backend runs (it traps until
// the fallback is in the build), so the parent can skip it instead of crashing.
if opts.probeSwift {
    let x = try Matrix<Float>(rows: 2, cols: 3, elements: [1, 2, 3, 0, 0, 0])
    let p = try softmax(x, backend: .swift)
    exit(abs(p[1, 0] - 1.0 / 3) < 1e-6 ? 0 : 1)
}

if let json = opts.plotFrom {
    guard let svg = opts.svgPath else {
        note("smoothkit-bench: --plot-from needs --svg FILE")
        exit(2)
    }
    let report = try JSONDecoder().decode(RunReport.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
    try svgPlot(report).write(toFile: svg, atomically: true, encoding: .utf8)
    note("wrote \(svg)")
    exit(0)
}

func swiftBackendRuns() -> Bool {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
    child.arguments = ["--probe-swift"]
    child.standardOutput = FileHandle.nullDevice
    child.standardError = FileHandle.nullDevice
    guard (try? child.run()) != nil else { return false }
    child.waitUntilExit()
    return child.terminationReason == .exit && child.terminationStatus == 0
}

func cpuModel() -> String {
    let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    let model = info.split(separator: "\n").first { $0.hasPrefix("model name") }?
        .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
    return "\(model), \(ProcessInfo.processInfo.activeProcessorCount) cores"
}

/// The 1-minute load average: on a shared machine it says how much the other core was free.
func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").first.map(String.init) ?? "?"
}
let loadAtStart = loadAverage()

let cores = ProcessInfo.processInfo.activeProcessorCount
let threadCounts = opts.threads ?? (cores > 1 ? [1, cores] : [1])
var notes = [String]()
var paths: [Path] = InstructionSet.supported.map { .c($0) }
for isa in InstructionSet.allCases where isa != .automatic && !InstructionSet.supported.contains(isa) {
    notes.append("c-\(isa.rawValue) not run: this CPU or build does not support it")
}
if swiftBackendRuns() {
    paths.append(.swift)
} else {
    notes.append("swift backend not run: the pure-Swift fallback is not in this build (it traps)")
}
paths.append(.naive)
if let wanted = opts.paths { paths = paths.filter { wanted.contains($0.description) } }
let bestC = "c-\(InstructionSet.supported.first?.rawValue ?? "portable")"
let shapes = opts.shapes ?? (opts.quick ? Options.quickShapes : Options.fullShapes)

for n in notes { note("note: \(n)") }
note("measuring memory bandwidth…")
let bwBytes = opts.quick ? 128 << 20 : 512 << 20
let bandwidth = threadCounts.map { measureBandwidth(bytes: bwBytes, threads: $0, runs: opts.quick ? 3 : 5) }
note(bandwidthTable(bandwidth))

var records = [Record]()
let runner = ShapeRun(opts: opts, paths: paths, threadCounts: threadCounts, progress: { note("  " + $0) })
for dtype in opts.dtypes {
    for shape in shapes {
        note("\(dtype) \(shape):")
        switch dtype {
        case .f32: records += try runner.run(Float.self, shape)
        case .f64: records += try runner.run(Double.self, shape)
        }
    }
}
var training = [TrainRecord]()
if opts.training {
    for dtype in opts.dtypes {
        for shape in opts.trainShapes ?? (opts.quick ? Options.quickTrainShapes : Options.trainShapes) {
            note("training ops \(dtype) \(shape):")
            switch dtype {
            case .f32: training += try runTraining(Float.self, shape, opts, progress: { note("  " + $0) })
            case .f64: training += try runTraining(Double.self, shape, opts, progress: { note("  " + $0) })
            }
        }
    }
}
var views = [ViewRecord]()
if opts.views {
    for dtype in opts.dtypes {
        for shape in Options.viewShapes {
            note("views against copies \(dtype) \(shape)")
            switch dtype {
            case .f32: views += try runViews(Float.self, shape, threads: threadCounts, opts)
            case .f64: views += try runViews(Double.self, shape, threads: threadCounts, opts)
            }
        }
    }
}
var half = [HalfRecord]()
if opts.half {
    for shape in opts.quick ? Options.quickHalfShapes : Options.halfShapes {
        note("float16 / bfloat16 against float \(shape)")
        half += try runHalf(shape, opts)
    }
}
notes.append("1-minute load average \(loadAtStart) at start, \(loadAverage()) at end (\(cores) cores)")
addRatios(&records, bandwidth: bandwidth, bestC: bestC)

let report = RunReport(machine: cpuModel(),
                       date: ISO8601DateFormatter().string(from: Date()),
                       command: (["smoothkit-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
                       bestC: bestC, notes: notes, bandwidth: bandwidth, records: records,
                       training: opts.training ? training : nil, views: opts.views ? views : nil,
                       half: opts.half ? half : nil)
print("smoothkit-bench · \(report.machine) · \(report.date)")
print("command: \(report.command)")
for n in notes { print("note: \(n)") }
print(bandwidthTable(bandwidth))
print(resultTable(records))
print(runSummary(records, bestC: bestC))
if !training.isEmpty { print(trainTable(training)) }
if !views.isEmpty { print(viewTable(views)) }
if !half.isEmpty { print(halfTable(half)) }
if let path = opts.jsonPath {
    try writeJSON(report, to: path)
    note("wrote \(path)")
}
if let path = opts.svgPath {
    try svgPlot(report).write(toFile: path, atomically: true, encoding: .utf8)
    note("wrote \(path)")
}
