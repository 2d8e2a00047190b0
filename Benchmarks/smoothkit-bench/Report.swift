// Ratios, the text table, the summary of this run, JSON and the SVG plot.
import Foundation

struct RunReport: Codable {
    var machine: String
    var date: String
    var command: String
    var bestC: String
    var notes: [String]
    var bandwidth: [Bandwidth]
    var records: [Record]
    /// The training ops against their compositions (Training.swift); nil in older reports.
    var training: [TrainRecord]?
    /// softmax on the caller's arrays through views against copying (Views.swift); nil in older reports.
    var views: [ViewRecord]?
    /// float16 / bfloat16 against float (Half.swift); nil in older reports.
    var half: [HalfRecord]?
}

/// Fills each record's bound fraction and ratios from the other records of the same run.
func addRatios(_ records: inout [Record], bandwidth: [Bandwidth], bestC: String) {
    func key(_ r: Record) -> String { "\(r.op)|\(r.dtype)|\(r.shape)" }
    var byKey = [String: [Record]]()
    for r in records { byKey[key(r), default: []].append(r) }
    for i in records.indices {
        let r = records[i], peers = byKey[key(r)] ?? []
        if let bw = bandwidth.first(where: { $0.threads == r.threads }) {
            let bound = r.op.writesMatrix ? bw.copyBytesPerSecond : bw.readBytesPerSecond
            records[i].boundFraction = r.gbPerSecond * 1e9 / bound
        }
        if let naive = peers.first(where: { $0.path == "naive" }), r.path != "naive" {
            records[i].overNaive = r.gelemPerSecond / naive.gelemPerSecond
        }
        if r.path == "swift" {
            let c = peers.filter { $0.path.hasPrefix("c-") && $0.threads == r.threads }.map(\.gelemPerSecond).max()
            if let c { records[i].swiftOverBestC = r.gelemPerSecond / c }
        }
        if r.threads > 1, let one = peers.first(where: { $0.path == r.path && $0.threads == 1 }) {
            records[i].overOneThread = r.gelemPerSecond / one.gelemPerSecond
        }
    }
}

private func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, n - s.count))
    return left ? s + fill : fill + s
}

private func opt(_ v: Double?, _ digits: Int, percent: Bool = false) -> String {
    guard let v else { return "" }
    return fixed(percent ? 100 * v : v, digits) + (percent ? "%" : "")
}

func bandwidthTable(_ bw: [Bandwidth]) -> String {
    var s = "memory bandwidth (best of several, buffers of \(bw.first.map { $0.bufferBytes >> 20 } ?? 0) MiB):\n"
    for b in bw {
        s += "  \(b.threads) thread(s): copy \(fixed(b.copyBytesPerSecond / 1e9, 1)) GB/s (read + write), "
            + "read \(fixed(b.readBytesPerSecond / 1e9, 1)) GB/s\n"
    }
    return s
}

func resultTable(_ records: [Record]) -> String {
    let head = [("op", 12, true), ("dtype", 5, true), ("shape", 12, true), ("path", 11, true), ("thr", 3, false),
                ("ms", 9, false), ("Gelem/s", 8, false), ("G/cpu-s", 8, false), ("GB/s", 7, false), ("%bound", 7, false),
                ("xnaive", 7, false), ("swift/C", 7, false), ("xT1", 5, false)]
    var s = head.map { pad($0.0, $0.1, left: $0.2) }.joined(separator: " ") + "\n"
    var last = ""
    for r in records {
        let group = "\(r.dtype) \(r.shape)"
        if group != last, !last.isEmpty { s += "\n" }
        last = group
        let cells = [r.op.rawValue, r.dtype.rawValue, r.shape.description, r.path, String(r.threads),
                     fixed(r.seconds * 1e3, 3), fixed(r.gelemPerSecond, 3),
                     r.gelemPerCPUSecond.map { fixed($0, 3) } ?? "", fixed(r.gbPerSecond, 2),
                     opt(r.boundFraction, 0, percent: true), opt(r.overNaive, 1), opt(r.swiftOverBestC, 2),
                     opt(r.overOneThread, 2)]
        s += zip(cells, head).map { pad($0, $1.1, left: $1.2) }.joined(separator: " ") + "\n"
    }
    return s
}

/// The training rows: fused and composed throughput, fused over composed (wall, CPU time).
func trainTable(_ records: [TrainRecord]) -> String {
    let head = [("training op", 20, true), ("dtype", 5, true), ("shape", 12, true), ("fused", 8, false),
                ("composed", 8, false), ("x", 6, false), ("x cpu", 6, false), ("composition", 0, true)]
    var s = "training ops, 1 thread: G elements/s of the fused call and of the composition it replaces\n"
        + head.map { pad($0.0, $0.1, left: $0.2) }.joined(separator: " ") + "\n"
    for r in records {
        let cells = [r.op.rawValue, r.dtype.rawValue, r.shape.description, fixed(r.fusedGelemPerSecond, 3),
                     fixed(r.baselineGelemPerSecond, 3), fixed(r.fusedOverBaseline, 2),
                     fixed(r.fusedOverBaselineCPU, 2), r.baseline]
        s += zip(cells, head).map { pad($0, $1.1, left: $1.2) }.joined(separator: " ") + "\n"
    }
    return s
}

func viewTable(_ records: [ViewRecord]) -> String {
    let head = [("dtype", 5, true), ("shape", 10, true), ("threads", 7, false), ("view ms", 8, false),
                ("op ms", 8, false), ("copy-in ms", 10, false), ("copy ms", 8, false), ("copy/view", 9, false)]
    var s = "softmax on the caller's arrays: views (no copy) against copying into and out of a Matrix\n"
        + "  view = MatrixView in, MutableMatrixView out; op = softmax(Matrix, into: Matrix) alone;\n"
        + "  copy-in = Matrix(elements:) + op; copy = Matrix(elements:) + softmax(x) + .elements\n"
        + head.map { pad($0.0, $0.1, left: $0.2) }.joined(separator: " ") + "\n"
    for r in records {
        let cells = [r.dtype.rawValue, r.shape.description, "\(r.threads)", fixed(1e3 * r.view, 3),
                     fixed(1e3 * r.opOnly, 3), fixed(1e3 * r.copyIn, 3), fixed(1e3 * r.copyInOut, 3),
                     fixed(r.copyOverView, 2)]
        s += zip(cells, head).map { pad($0, $1.1, left: $1.2) }.joined(separator: " ") + "\n"
    }
    return s
}

/// float16 / bfloat16 against float (Half.swift).
func halfTable(_ records: [HalfRecord]) -> String {
    let head = [("op", 12, true), ("shape", 10, true), ("f32 ms", 8, false), ("bf16 ms", 8, false),
                ("f32/bf16", 8, false), ("f16 ms", 8, false), ("f32/f16", 8, false)]
    var s = "float16 / bfloat16 storage against float, same values, C backend, 1 thread, CPU time\n"
        + head.map { pad($0.0, $0.1, left: $0.2) }.joined(separator: " ") + "\n"
    for r in records {
        let cells = [r.op, r.shape.description, fixed(1e3 * r.f32, 3), fixed(1e3 * r.bf16, 3), fixed(r.f32OverBF16, 2),
                     r.f16.map { fixed(1e3 * $0, 3) } ?? "-", r.f32OverF16.map { fixed($0, 2) } ?? "-"]
        s += zip(cells, head).map { pad($0, $1.1, left: $1.2) }.joined(separator: " ") + "\n"
    }
    return s
}

/// The headline ratios of this run: the share of the memory bound out of cache, the scaling
/// over threads and the pure-Swift backend over C (peers: scripts/compare-peers).
func runSummary(_ records: [Record], bestC: String) -> String {
    var s = "summary of this run (best C path = \(bestC)):\n"
    let best = records.filter { $0.path == bestC }
    if let big = best.map(\.shape).max(by: { $0.elements < $1.elements }) {
        s += "  out of cache (\(big), 1 thread), share of the copy/read bound:\n"
        for r in best where r.shape == big && r.threads == 1 {
            s += "    \(pad(r.op.rawValue, 12, left: true)) \(r.dtype)  \(opt(r.boundFraction, 0, percent: true))"
                + "  (\(fixed(r.gbPerSecond, 1)) GB/s)\n"
        }
    }
    let multi = best.filter { $0.overOneThread != nil }
    if !multi.isEmpty {
        s += "  all threads over 1 thread, per shape, min..max over ops and dtypes:\n"
        for shape in uniqueShapes(multi) {
            let v = multi.filter { $0.shape == shape }.compactMap(\.overOneThread)
            s += "    \(pad(shape.description, 12, left: true)) \(fixed(v.min()!, 2))..\(fixed(v.max()!, 2))\n"
        }
    }
    let swift = records.filter { $0.swiftOverBestC != nil }
    if swift.isEmpty {
        s += "  pure Swift over C: not measured in this run\n"
    } else {
        s += "  pure Swift over best C, 1 thread, per shape, min..max over ops and dtypes:\n"
        for shape in uniqueShapes(swift) {
            let v = swift.filter { $0.shape == shape && $0.threads == 1 }.compactMap(\.swiftOverBestC)
            if let lo = v.min(), let hi = v.max() {
                s += "    \(pad(shape.description, 12, left: true)) \(fixed(lo, 2))..\(fixed(hi, 2))\n"
            }
        }
    }
    s += "  peers (ONNX Runtime, JAX, PyTorch, numpy/scipy): run scripts/compare-peers\n"
    return s
}

private func uniqueShapes(_ rs: [Record]) -> [Shape] {
    var seen = Set<Shape>(), out = [Shape]()
    for r in rs where seen.insert(r.shape).inserted { out.append(r.shape) }
    return out
}

func writeJSON(_ report: RunReport, to path: String) throws {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys]
    try enc.encode(report).write(to: URL(fileURLWithPath: path))
}

// MARK: - SVG

private func esc(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
}

/// A "nice" axis step (1, 2 or 5 × 10^k) giving about four ticks up to `top`.
private func niceStep(_ top: Double) -> Double {
    let raw = max(top, 1e-9) / 4
    let mag = pow(10, floor(log10(raw)))
    for m in [1.0, 2, 5, 10] where m * mag >= raw { return m * mag }
    return 10 * mag
}

/// One panel per (op, dtype): groups of bars per shape, one bar per path and thread count.
func svgPlot(_ report: RunReport) -> String {
    let records = report.records
    let series: [String] = {
        var seen = Set<String>(), out = [String]()
        for r in records where seen.insert("\(r.path) t\(r.threads)").inserted { out.append("\(r.path) t\(r.threads)") }
        return out
    }()
    let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                   "#bcbd22", "#17becf"]
    var colorOf = [String: String]()
    var paths = [String]()
    for r in records where !paths.contains(r.path) { paths.append(r.path) }
    for (i, p) in paths.enumerated() { colorOf[p] = palette[i % palette.count] }

    var panels = [(BenchOp, DType)]()
    for r in records where !panels.contains(where: { $0 == (r.op, r.dtype) }) { panels.append((r.op, r.dtype)) }
    let shapes = uniqueShapes(records)
    let pw = 600.0, ph = 280.0, cols = 2, top = 110.0
    let width = pw * Double(cols) + 20, height = top + ph * Double((panels.count + cols - 1) / cols) + 20
    var s = """
    <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
    viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="11">
    <rect width="100%" height="100%" fill="white"/>
    <text x="10" y="20" font-size="15" font-weight="bold">smoothkit-bench: G elements/s per shape and path (higher is better)</text>
    <text x="10" y="38">\(esc(report.machine)) · \(esc(report.date)) · \(esc(report.command))</text>

    """
    // Legend: one swatch per series; lighter = all threads.
    var lx = 10.0, ly = 58.0
    for name in series {
        let path = String(name.split(separator: " ")[0]), multi = !name.hasSuffix(" t1")
        s += "<rect x=\"\(lx)\" y=\"\(ly - 9)\" width=\"12\" height=\"10\" fill=\"\(colorOf[path] ?? "#000")\""
            + (multi ? " fill-opacity=\"0.45\"" : "") + "/>"
        s += "<text x=\"\(lx + 16)\" y=\"\(ly)\">\(esc(name))</text>\n"
        lx += 130
        if lx > width - 130 {
            lx = 10
            ly += 16
        }
    }
    for (pi, panel) in panels.enumerated() {
        let ox = 10 + Double(pi % cols) * pw, oy = top + Double(pi / cols) * ph
        let plotX = ox + 45, plotY = oy + 20, plotW = pw - 65, plotH = ph - 60
        let rs = records.filter { $0.op == panel.0 && $0.dtype == panel.1 }
        let ymax = max(rs.map(\.gelemPerSecond).max() ?? 1, 1e-6)
        let step = niceStep(ymax), axisTop = ceil(ymax / step) * step
        s += "<text x=\"\(ox + 45)\" y=\"\(oy + 12)\" font-weight=\"bold\">\(panel.0.rawValue) \(panel.1.rawValue)</text>\n"
        var t = 0.0
        while t <= axisTop + step / 2 {
            let y = plotY + plotH - plotH * t / axisTop
            s += "<line x1=\"\(plotX)\" x2=\"\(plotX + plotW)\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"#ddd\"/>"
            let digits = step >= 1 ? 0 : Int(ceil(-log10(step) - 1e-9))
            s += "<text x=\"\(plotX - 4)\" y=\"\(y + 4)\" text-anchor=\"end\">\(fixed(t, digits))</text>\n"
            t += step
        }
        let gw = plotW / Double(max(shapes.count, 1)), bw = gw * 0.85 / Double(max(series.count, 1))
        for (si, shape) in shapes.enumerated() {
            let gx = plotX + gw * Double(si) + gw * 0.075
            for (ki, name) in series.enumerated() {
                guard let r = rs.first(where: { $0.shape == shape && "\($0.path) t\($0.threads)" == name }) else { continue }
                let h = plotH * r.gelemPerSecond / axisTop, x = gx + bw * Double(ki)
                s += "<rect x=\"\(x)\" y=\"\(plotY + plotH - h)\" width=\"\(max(bw - 1, 1))\" height=\"\(h)\" "
                    + "fill=\"\(colorOf[r.path] ?? "#000")\"" + (r.threads > 1 ? " fill-opacity=\"0.45\"" : "")
                    + "><title>\(esc(name)) \(shape): \(fixed(r.gelemPerSecond, 3)) Gelem/s, "
                    + "\(fixed(r.gbPerSecond, 2)) GB/s</title></rect>"
            }
            s += "<text x=\"\(plotX + gw * (Double(si) + 0.5))\" y=\"\(plotY + plotH + 14)\" text-anchor=\"middle\">\(shape)</text>\n"
        }
        s += "<line x1=\"\(plotX)\" x2=\"\(plotX + plotW)\" y1=\"\(plotY + plotH)\" y2=\"\(plotY + plotH)\" stroke=\"black\"/>\n"
    }
    return s + "</svg>\n"
}
