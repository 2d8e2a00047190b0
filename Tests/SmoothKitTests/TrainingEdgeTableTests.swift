import Testing
import SmoothKit

// SPEC §1.1's table of rows with special values through the masked ops (byte mask, and
// lengths alone) and the column ops, every output of every op asserted: the edge classes
// exactly (NaN, ±∞, 0, 1/k, the mean index), finite results within SPEC §1.3 against Float80,
// a true result past the largest finite number as ±∞, a single finite entry exactly.

/// One row of the table (5 entries; `big` stands for 0.9 × the type's largest finite value).
struct EdgeTableRow: CustomStringConvertible, Sendable {
    let name: String
    let x: [Double]
    var description: String { name }
}

private let big = Double.greatestFiniteMagnitude  // placeholder, scaled per type below
let edgeTableRows: [EdgeTableRow] = [
    EdgeTableRow(name: "NaN", x: [1, .nan, 2, 0, -1]),
    EdgeTableRow(name: "NaN and +∞", x: [.infinity, .nan, 0, 0, 0]),
    EdgeTableRow(name: "one +∞", x: [0, .infinity, -.infinity, 2, 1]),
    EdgeTableRow(name: "two +∞", x: [.infinity, 1, .infinity, -.infinity, 3]),
    EdgeTableRow(name: "only −∞", x: [-.infinity, -.infinity, -.infinity, -.infinity, -.infinity]),
    EdgeTableRow(name: "some −∞", x: [-.infinity, 1, -.infinity, 0.5, -2]),
    EdgeTableRow(name: "single finite", x: [-.infinity, -.infinity, 2.5, -.infinity, -.infinity]),
    EdgeTableRow(name: "huge", x: [big, -big, 0, big / 2, 1]),
]

/// The table's answer for one row at indices `idx` (soft-argmax counts those): logsumexp,
/// softmax, log_softmax, soft-argmax in Float80.
func edgeTableExpect(_ x: [TrainRef], _ idx: [Int], _ t: TrainRef) -> (TrainRef, [TrainRef], [TrainRef], TrainRef) {
    let n = x.count
    if x.contains(where: \.isNaN) { return (.nan, Array(repeating: .nan, count: n), Array(repeating: .nan, count: n), .nan) }
    let inf = x.indices.filter { x[$0] == .infinity }
    if !inf.isEmpty {
        let k = TrainRef(inf.count)
        return (.infinity, x.map { $0 == .infinity ? 1 / k : 0 }, x.map { $0 == .infinity ? -TrainRef.trainLog(k) : -.infinity },
                inf.reduce(TrainRef(0)) { $0 + TrainRef(idx[$1]) } / k)
    }
    if x.allSatisfy({ $0 == -.infinity }) {
        return (-.infinity, Array(repeating: 0, count: n), Array(repeating: -.infinity, count: n), .nan)
    }
    let p = TrainReference.softmax(x, t)
    return (TrainReference.logSumExp(x, t), p, TrainReference.logSoftmax(x, t),
            zip(idx, p).reduce(TrainRef(0)) { $0 + TrainRef($1.0) * $1.1 })
}

/// `got` against `want` within `tol`, where a `want` past S's range must be ±∞ (correctly rounded).
func edgeTableClose<S: SmoothScalar>(_: S.Type, _ got: S, _ want: TrainRef, _ tol: TrainRef) -> Bool {
    if want.isFinite && abs(want) > TrainRef(S.greatestFiniteMagnitude) * (1 + TrainRef(S.ulpOfOne)) {
        return got.isInfinite && (got > 0) == (want > 0)
    }
    return trainClose(TrainRef(got), want, tol)
}

/// The row's values in S (huge entries scaled to S's range).
private func edgeValues<S: SmoothScalar>(_: S.Type, _ row: EdgeTableRow) -> [S] {
    row.x.map { $0.isFinite && abs($0) > 1e300 ? S($0 / big * 0.9) * S.greatestFiniteMagnitude : S($0) }
}

private struct EdgeChecker<S: SmoothScalar> {
    let t: S
    let what: String
    let b = TrainBounds<S>()
    let exact: Bool  // a single finite entry: logsumexp, softmax, log_softmax exact

    func check(_ xs: [S], _ idx: [Int], lse: S, p: [S], lp: [S], a: S) {
        let tr = TrainRef(t), (wl, wp, wlp, wa) = edgeTableExpect(xs.map { TrainRef($0) }, idx, tr)
        #expect(edgeTableClose(S.self, lse, wl, exact ? 0 : b.lse(wl, tr)), "\(what): logsumexp \(lse) vs \(wl)")
        #expect(edgeTableClose(S.self, a, wa, b.argmax(idx.count)), "\(what): soft-argmax \(a) vs \(wa)")
        for k in xs.indices {
            #expect(edgeTableClose(S.self, p[k], wp[k], exact ? 0 : b.prob(wp[k])), "\(what) entry \(k): softmax \(p[k]) vs \(wp[k])")
            #expect(edgeTableClose(S.self, lp[k], wlp[k], exact ? 0 : b.logProb(wlp[k])),
                    "\(what) entry \(k): log_softmax \(lp[k]) vs \(wlp[k])")
        }
    }
}

/// Masked: the row at the kept columns of 8, with NaN / +∞ at the left-out ones (byte mask:
/// columns 1, 4, 6 left out; lengths: the last 3). Left-out positions must be 0 / −∞.
func edgeTableMasked<S: SmoothScalar>(_: S.Type, _ row: EdgeTableRow, _ path: TrainPath) throws {
    let v = edgeValues(S.self, row), n = 8, t = S(0.7)
    for bytes in [true, false] {
        let kept = bytes ? [0, 2, 3, 5, 7] : [0, 1, 2, 3, 4]
        var e = [S](repeating: .infinity, count: n)
        for (k, c) in kept.enumerated() { e[c] = v[k] }
        if let out = (0..<n).first(where: { !kept.contains($0) }) { e[out] = .nan }
        // row 0: the edge row; row 1: nothing kept (the empty row of the table)
        let x = try Matrix<S>(rows: 2, cols: n, leadingDimension: n + 1, elements: e + e)
        let mask = try RowMask(rows: 2, cols: n, lengths: bytes ? [n, n] : [kept.count, 0],
                               mask: bytes ? (0..<2 * n).map { $0 < n && kept.contains($0) ? 1 : 0 } : nil)
        let (lse, sam, p, lp) = try trainMaskedOps(x, mask, t, path)
        let what = "\(S.self) \(path) \(row) \(bytes ? "byte mask" : "lengths")"
        let checker = EdgeChecker(t: t, what: what, exact: row.name == "single finite")
        checker.check(v, kept, lse: lse[0], p: kept.map { p[0, $0] }, lp: kept.map { lp[0, $0] }, a: sam[0])
        for c in 0..<n where !kept.contains(c) {
            #expect(p[0, c] == 0 && lp[0, c] == -.infinity, "\(what): left-out column \(c): \(p[0, c]) / \(lp[0, c])")
        }
        #expect(lse[1] == -.infinity && sam[1].isNaN && p.row(1).allSatisfy { $0 == 0 } && lp.row(1).allSatisfy { $0 == -.infinity },
                "\(what): nothing kept: \(lse[1]), \(sam[1]), \(p.row(1)), \(lp.row(1))")
    }
}

/// Column ops: every table row as one column of one call (columns do not affect each other).
func edgeTableColumns<S: SmoothScalar>(_: S.Type, _ path: TrainPath) throws {
    let t = S(0.7), cols = edgeTableRows.count, rows = 5
    let v = edgeTableRows.map { edgeValues(S.self, $0) }
    let x = try Matrix<S>(rows: rows, cols: cols, leadingDimension: cols + 2,
                          elements: (0..<rows).flatMap { r in (0..<cols).map { v[$0][r] } })
    let (lse, sam, p, lp) = try path.run {
        (try columnLogSumExp(x, temperature: t, backend: path.backend), try columnSoftArgmax(x, temperature: t, backend: path.backend),
         try columnSoftmax(x, temperature: t, backend: path.backend), try columnLogSoftmax(x, temperature: t, backend: path.backend))
    }
    for (c, row) in edgeTableRows.enumerated() {
        let checker = EdgeChecker(t: t, what: "\(S.self) \(path) column \(row)", exact: row.name == "single finite")
        checker.check(v[c], Array(0..<rows), lse: lse[c], p: (0..<rows).map { p[$0, c] }, lp: (0..<rows).map { lp[$0, c] }, a: sam[c])
    }
    // no entry (rows == 0): logsumexp −∞ and soft-argmax NaN in every column
    let empty = try Matrix<S>(rows: 0, cols: 3, repeating: 0)
    let (l0, a0) = try path.run {
        (try columnLogSumExp(empty, temperature: t, backend: path.backend), try columnSoftArgmax(empty, temperature: t, backend: path.backend))
    }
    #expect(l0 == [-.infinity, -.infinity, -.infinity] && a0.allSatisfy(\.isNaN), "\(S.self) \(path) empty columns: \(l0), \(a0)")
}

@Suite struct TrainingEdgeTableTests {
    @Test("SPEC §1.1 table through the masked ops (byte mask, lengths)", arguments: edgeTableRows, TrainDType.allCases)
    func masked(row: EdgeTableRow, dtype: TrainDType) throws {
        try trainForEachPath(dtype, float: { try edgeTableMasked(Float.self, row, $0) }, double: { try edgeTableMasked(Double.self, row, $0) })
    }

    @Test("SPEC §1.1 table through the column ops", arguments: TrainDType.allCases)
    func columns(dtype: TrainDType) throws {
        try trainForEachPath(dtype, float: { try edgeTableColumns(Float.self, $0) }, double: { try edgeTableColumns(Double.self, $0) })
    }
}
