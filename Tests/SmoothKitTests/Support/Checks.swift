// Table-row checks shared by the suites: an edge row or an accuracy case on a list of paths.
import SmoothKit
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SPEC §1's edge table, one row on every path: the matrix [A, edge row, B] (A, B finite,
/// ld = cols + 2 with NaN padding) at τ = 1, a subnormal τ and a huge τ. Values and edge
/// semantics against the reference; and A, B exactly as when computed without the edge row
/// between them (rows are independent).
func checkEdgeRow<S: TestScalar>(_ edge: EdgeRow, _: S.Type, on paths: [CorePath], columns: Int = EdgeRow.n,
                                 temperatures: [TemperatureSpec] = [.value(1), .subnormal, .ofHuge(1)],
                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
    var rng = SplitMix64(seed: 0xED6E)
    let n = edge == .empty ? 0 : columns
    func filler() -> [S] { (0..<n).map { _ in S(fromDouble: 3 * rng.symmetric()) } }
    // In rows longer than the table's, the edge entries go last (the row reversed): they
    // reach the exp pass after it has summed blocks.
    let a = filler(), b = filler(), edgeRow = edge.values(S.self, filler: filler())
    let row = columns > EdgeRow.n ? Array(edgeRow.reversed()) : edgeRow
    let x = InputMatrix(rowsOf: [a, row, b], ldPad: 2)
    let pair = InputMatrix(rowsOf: [a, b], ldPad: 2)
    for t in temperatures.map({ $0.resolve(S.self) }) {
        let ref = CaseReference(x, temperature: t)
        for path in paths {
            let context = "edge row \(edge) \(row) τ=\(t), \(path)"
            let (out, alone) = try onPath(path) {
                (try runOps(x, temperature: t, on: path, context: context),
                 try runOps(pair, temperature: t, on: path, context: context + " (without the edge row)"))
            }
            checkOutputs(out, ref, context: context, sourceLocation: sourceLocation)
            let same = (0..<2).allSatisfy { k in
                let r = 2 * k, rows = r * n..<(r + 1) * n, rowsAlone = k * n..<(k + 1) * n
                return sameBits(out.logSumExp[r], alone.logSumExp[k]) && sameBits(out.softArgmax[r], alone.softArgmax[k])
                    && zip(out.softmax[rows], alone.softmax[rowsAlone]).allSatisfy(sameBits)
                    && zip(out.logSoftmax[rows], alone.logSoftmax[rowsAlone]).allSatisfy(sameBits)
            }
            #expect(same, "\(context), \(S.label): the edge row changed its neighbours' results",
                    sourceLocation: sourceLocation)
        }
    }
}

/// One accuracy case on every path: the reference once, then SPEC §1's bounds per path.
///
/// With SMOOTHKIT_REPORT_ERRORS=1 in the environment, prints the worst error per op and path
/// in units of u (bound 8), for tuning kernels against the bounds.
func checkAccuracy(_ c: AccuracyCase, on paths: [CorePath], sourceLocation: SourceLocation = #_sourceLocation) throws {
    try c.dtype.with { try checkAccuracy(c, $0, on: paths, sourceLocation: sourceLocation) }
}

private func checkAccuracy<S: TestScalar>(_ c: AccuracyCase, _: S.Type, on paths: [CorePath],
                                          sourceLocation: SourceLocation) throws {
    guard S.hasWiderReference else { return }
    let (x, t) = c.input(S.self)
    let ref = CaseReference(x, temperature: t)
    let report = getenv("SMOOTHKIT_REPORT_ERRORS") != nil
    for path in paths {
        let context = "\(c.testDescription), \(path)"
        let out = try onPath(path) { try runOps(x, temperature: t, on: path, context: context) }
        let worst = checkOutputs(out, ref, context: context, sourceLocation: sourceLocation)
        if report {
            print("worst error (u): \(context): " + CoreOp.allCases.map { "\($0.rawValue) \(worst[$0] ?? 0)" }.joined(separator: ", "))
        }
    }
}

/// The outputs where `b` differs from `a` bit for bit, one line per op ("" entries left out).
func bitDifferences<S: TestScalar>(_ a: CoreOutputs<S>, _ b: CoreOutputs<S>, label: String) -> [String] {
    [("logsumexp", a.logSumExp, b.logSumExp), ("softmax", a.softmax, b.softmax),
     ("log_softmax", a.logSoftmax, b.logSoftmax), ("softargmax", a.softArgmax, b.softArgmax)]
        .compactMap { name, x, y in
            let differing = x.indices.filter { !sameBits(x[$0], y[$0]) }
            return differing.isEmpty ? nil : "\(name): \(label) differ at \(differing.prefix(5))"
        }
}
