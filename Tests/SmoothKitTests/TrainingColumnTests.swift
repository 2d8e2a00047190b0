import Testing
import SmoothKit
import CSmoothKit

// Column-wise (axis 0) ops: against the row ops on the transposed matrix and against the
// Float80 reference within SPEC §1's bounds, SPEC's edge cases per column, empty columns,
// and in place.

func transposed<S: SmoothScalar>(_ x: Matrix<S>) throws -> Matrix<S> {
    try Matrix<S>(rows: x.cols, cols: x.rows, elements: (0..<x.cols).flatMap { c in (0..<x.rows).map { x[$0, c] } })
}

struct ColumnCase: CustomStringConvertible, Sendable {
    let rows: Int, cols: Int, tau: Double, range: ClosedRange<Double>
    var description: String { "\(rows)×\(cols) τ=\(tau) x∈\(range)" }
}

let columnCases: [ColumnCase] = [
    ColumnCase(rows: 1, cols: 1, tau: 1, range: -1...1),
    ColumnCase(rows: 9, cols: 13, tau: 0.4, range: -5...5),   // partial packets of columns
    ColumnCase(rows: 300, cols: 40, tau: 1, range: -5...5),   // many row blocks
    ColumnCase(rows: 17, cols: 3, tau: 2e-3, range: -1...1),  // sharp
    ColumnCase(rows: 6, cols: 9, tau: 1, range: -3e37...3e37), // huge values (no overflow)
]

func checkColumns<S: SmoothScalar>(_: S.Type, _ c: ColumnCase, _ path: Path) throws {
    var rng = SeededRNG(seed: 0xC01 + UInt64(c.rows))
    let u = unitRoundoff(S.self), t = S(c.tau), tr = Ref(t)
    let x = try randomMatrix(S.self, rows: c.rows, cols: c.cols, range: c.range, pad: 2, rng: &rng)
    let xt = try transposed(x)
    let (lse, sam, p, lp) = try path.run {
        (try columnLogSumExp(x, temperature: t, backend: path.backend), try columnSoftArgmax(x, temperature: t, backend: path.backend),
         try columnSoftmax(x, temperature: t, backend: path.backend), try columnLogSoftmax(x, temperature: t, backend: path.backend))
    }
    // Row ops on the transpose (C kernels).
    let rl = try logSumExp(xt, temperature: t, backend: .c), ra = try softArgmax(xt, temperature: t, backend: .c)
    let rp = try softmax(xt, temperature: t, backend: .c), rlp = try logSoftmax(xt, temperature: t, backend: .c)
    for (col, v) in xt.refRows.enumerated() {
        let what = "\(S.self) \(path) \(c) column \(col)"
        let wantL = Reference.logSumExp(v, tr), wantA = Reference.softArgmax(v, tr)
        let wantP = Reference.softmax(v, tr), wantLP = Reference.logSoftmax(v, tr)
        let lb = 8 * u * max(abs(wantL), tr)
        #expect(close(Ref(lse[col]), wantL, lb) && close(Ref(lse[col]), Ref(rl[col]), 2 * lb), "\(what): logsumexp")
        let ab = 8 * u * Ref(c.rows)
        #expect(close(Ref(sam[col]), wantA, ab) && close(Ref(sam[col]), Ref(ra[col]), 2 * ab), "\(what): soft-argmax")
        for r in 0..<c.rows {
            let pb = 8 * u * wantP[r] + 8 * u * 0x1p-100, lpb = 8 * u * max(1, abs(wantLP[r]))
            #expect(close(Ref(p[r, col]), wantP[r], pb) && close(Ref(p[r, col]), Ref(rp[col, r]), 2 * pb),
                    "\(what) row \(r): softmax \(p[r, col]) vs \(wantP[r])")
            #expect(close(Ref(lp[r, col]), wantLP[r], lpb) && close(Ref(lp[r, col]), Ref(rlp[col, r]), 2 * lpb),
                    "\(what) row \(r): log_softmax")
        }
    }
}

@Test("column-wise vs transposed row-wise and Float80", arguments: columnCases, DType.allCases)
func columnsMatchTransposedRows(c: ColumnCase, dtype: DType) throws {
    try forEachPath(dtype, float: { try checkColumns(Float.self, c, $0) }, double: { try checkColumns(Double.self, c, $0) })
}

/// SPEC §1's edge table, one column per row of it (in one packet, so edge lanes ride along
/// with a finite one): NaN; two +∞ (rows 0 and 2); all −∞; some −∞ with finite rest; ±3e38.
@Test("column edge cases (SPEC §1 table per column)", arguments: [Backend.c, .swift])
func columnEdges(backend: Backend) throws {
    let big = Float(3e38)
    let x = try Matrix<Float>(rows: 3, cols: 5, elements: [.nan, .infinity, -.infinity, 0, big,
                                                           1, 0, -.infinity, -.infinity, -big,
                                                           2, .infinity, -.infinity, 0, big])
    let lse = try columnLogSumExp(x, backend: backend), a = try columnSoftArgmax(x, backend: backend)
    let p = try columnSoftmax(x, backend: backend), lp = try columnLogSoftmax(x, backend: backend)
    #expect(lse[0].isNaN && a[0].isNaN && (0..<3).allSatisfy { p[$0, 0].isNaN && lp[$0, 0].isNaN })
    #expect(lse[1] == .infinity && a[1] == 1 && [p[0, 1], p[1, 1], p[2, 1]] == [0.5, 0, 0.5])
    #expect(close(Ref(lp[0, 1]), -Ref.logW(2), 1e-7) && lp[1, 1] == -.infinity)
    #expect(lse[2] == -.infinity && a[2].isNaN && (0..<3).allSatisfy { p[$0, 2] == 0 && lp[$0, 2] == -.infinity })
    // Column 3 = [0, −∞, 0]: like [0, 0] with index 1 left out.
    #expect(close(Ref(lse[3]), Ref.logW(2), 1e-7) && a[3] == 1 && [p[0, 3], p[1, 3], p[2, 3]] == [0.5, 0, 0.5])
    // Column 4 = [3e38, −3e38, 3e38]: no overflow, no NaN.
    #expect(close(Ref(lse[4]), Ref(big) + Ref.logW(2), 8 * unitRoundoff(Float.self) * Ref(big)) && a[4] == 1)
    #expect([p[0, 4], p[1, 4], p[2, 4]] == [0.5, 0, 0.5] && lp[1, 4] == -.infinity)
    // No rows: empty columns.
    let empty = try Matrix<Float>(rows: 0, cols: 3, repeating: 0)
    #expect(try columnLogSumExp(empty, backend: backend) == [-.infinity, -.infinity, -.infinity])
    #expect(try columnSoftArgmax(empty, backend: backend).allSatisfy(\.isNaN))
}

/// smk_col_softmax / log_softmax in place (y == x, same ld) equal the out-of-place results.
@Test("column maps in place (C)")
func columnInPlace() {
    var rng = SeededRNG(seed: 77)
    let rows = 21, cols = 11, ld = 12
    let x0 = (0..<rows * ld).map { _ in Double.random(in: -4...4, using: &rng) }
    for f in [smk_col_softmax_f64, smk_col_log_softmax_f64] {
        var out = [Double](repeating: 0, count: rows * ld), x = x0
        #expect(f(x0, rows, cols, ld, 0.7, &out, ld) == SMK_OK)
        #expect(x.withUnsafeMutableBufferPointer { f($0.baseAddress, rows, cols, ld, 0.7, $0.baseAddress, ld) } == SMK_OK)
        #expect((0..<rows).allSatisfy { r in (0..<cols).allSatisfy { x[r * ld + $0] == out[r * ld + $0] } })
    }
}
