import Testing
import SmoothKit
import CSmoothKit

// Column-wise (axis 0) ops: against the row ops on the transposed matrix and against the
// Float80 reference within SPEC §1's bounds, SPEC's edge cases per column, empty columns,
// and in place.

func trainTransposed<S: SmoothScalar>(_ x: Matrix<S>) throws -> Matrix<S> {
    try Matrix<S>(rows: x.cols, cols: x.rows, elements: (0..<x.cols).flatMap { c in (0..<x.rows).map { x[$0, c] } })
}

struct TrainColumnCase: CustomStringConvertible, Sendable {
    let rows: Int, cols: Int, tau: Double, range: ClosedRange<Double>
    var description: String { "\(rows)×\(cols) τ=\(tau) x∈\(range)" }
}

let trainColumnCases: [TrainColumnCase] = [
    TrainColumnCase(rows: 1, cols: 1, tau: 1, range: -1...1),
    TrainColumnCase(rows: 9, cols: 13, tau: 0.4, range: -5...5),   // partial packets of columns
    TrainColumnCase(rows: 300, cols: 40, tau: 1, range: -5...5),   // many row blocks
    TrainColumnCase(rows: 17, cols: 3, tau: 2e-3, range: -1...1),  // sharp
    TrainColumnCase(rows: 6, cols: 9, tau: 1, range: -3e37...3e37), // huge values (no overflow)
]

func trainCheckColumns<S: SmoothScalar>(_: S.Type, _ c: TrainColumnCase, _ path: TrainPath) throws {
    var rng = SplitMix64(seed: 0xC01 + UInt64(c.rows))
    let u = trainUnitRoundoff(S.self), t = S(c.tau), tr = TrainRef(t)
    let x = try trainRandomMatrix(S.self, rows: c.rows, cols: c.cols, range: c.range, pad: 2, rng: &rng)
    let xt = try trainTransposed(x)
    let (lse, sam, p, lp) = try path.run {
        (try columnLogSumExp(x, temperature: t, backend: path.backend), try columnSoftArgmax(x, temperature: t, backend: path.backend),
         try columnSoftmax(x, temperature: t, backend: path.backend), try columnLogSoftmax(x, temperature: t, backend: path.backend))
    }
    // Row ops on the transpose (C kernels).
    let rl = try logSumExp(xt, temperature: t, backend: .c), ra = try softArgmax(xt, temperature: t, backend: .c)
    let rp = try softmax(xt, temperature: t, backend: .c), rlp = try logSoftmax(xt, temperature: t, backend: .c)
    for (col, v) in xt.trainRefRows.enumerated() {
        let what = "\(S.self) \(path) \(c) column \(col)"
        let wantL = TrainReference.logSumExp(v, tr), wantA = TrainReference.softArgmax(v, tr)
        let wantP = TrainReference.softmax(v, tr), wantLP = TrainReference.logSoftmax(v, tr)
        let lb = 8 * u * max(abs(wantL), tr)
        #expect(trainClose(TrainRef(lse[col]), wantL, lb) && trainClose(TrainRef(lse[col]), TrainRef(rl[col]), 2 * lb), "\(what): logsumexp")
        let ab = 8 * u * TrainRef(c.rows)
        #expect(trainClose(TrainRef(sam[col]), wantA, ab) && trainClose(TrainRef(sam[col]), TrainRef(ra[col]), 2 * ab), "\(what): soft-argmax")
        for r in 0..<c.rows {
            let pb = 8 * u * wantP[r] + 8 * u * 0x1p-100, lpb = 8 * u * max(1, abs(wantLP[r]))
            #expect(trainClose(TrainRef(p[r, col]), wantP[r], pb) && trainClose(TrainRef(p[r, col]), TrainRef(rp[col, r]), 2 * pb),
                    "\(what) row \(r): softmax \(p[r, col]) vs \(wantP[r])")
            #expect(trainClose(TrainRef(lp[r, col]), wantLP[r], lpb) && trainClose(TrainRef(lp[r, col]), TrainRef(rlp[col, r]), 2 * lpb),
                    "\(what) row \(r): log_softmax")
        }
    }
}

@Test("column-wise vs transposed row-wise and Float80", arguments: trainColumnCases, TrainDType.allCases)
func trainColumnsMatchTransposedRows(c: TrainColumnCase, dtype: TrainDType) throws {
    try trainForEachPath(dtype, float: { try trainCheckColumns(Float.self, c, $0) }, double: { try trainCheckColumns(Double.self, c, $0) })
}

/// SPEC §1's edge table, one column per row of it (in one packet, so edge lanes ride along
/// with a finite one): NaN; two +∞ (rows 0 and 2); all −∞; some −∞ with finite rest; ±3e38.
@Test("column edge cases (SPEC §1 table per column)", arguments: [Backend.c, .swift])
func trainColumnEdges(backend: Backend) throws {
    let big = Float(3e38)
    let x = try Matrix<Float>(rows: 3, cols: 5, elements: [.nan, .infinity, -.infinity, 0, big,
                                                           1, 0, -.infinity, -.infinity, -big,
                                                           2, .infinity, -.infinity, 0, big])
    let lse = try columnLogSumExp(x, backend: backend), a = try columnSoftArgmax(x, backend: backend)
    let p = try columnSoftmax(x, backend: backend), lp = try columnLogSoftmax(x, backend: backend)
    #expect(lse[0].isNaN && a[0].isNaN && (0..<3).allSatisfy { p[$0, 0].isNaN && lp[$0, 0].isNaN })
    #expect(lse[1] == .infinity && a[1] == 1 && [p[0, 1], p[1, 1], p[2, 1]] == [0.5, 0, 0.5])
    #expect(trainClose(TrainRef(lp[0, 1]), -TrainRef.trainLog(2), 1e-7) && lp[1, 1] == -.infinity)
    #expect(lse[2] == -.infinity && a[2].isNaN && (0..<3).allSatisfy { p[$0, 2] == 0 && lp[$0, 2] == -.infinity })
    // Column 3 = [0, −∞, 0]: like [0, 0] with index 1 left out.
    #expect(trainClose(TrainRef(lse[3]), TrainRef.trainLog(2), 1e-7) && a[3] == 1 && [p[0, 3], p[1, 3], p[2, 3]] == [0.5, 0, 0.5])
    // Column 4 = [3e38, −3e38, 3e38]: no overflow, no NaN.
    #expect(trainClose(TrainRef(lse[4]), TrainRef(big) + TrainRef.trainLog(2), 8 * trainUnitRoundoff(Float.self) * TrainRef(big)) && a[4] == 1)
    #expect([p[0, 4], p[1, 4], p[2, 4]] == [0.5, 0, 0.5] && lp[1, 4] == -.infinity)
    // No rows: empty columns.
    let empty = try Matrix<Float>(rows: 0, cols: 3, repeating: 0)
    #expect(try columnLogSumExp(empty, backend: backend) == [-.infinity, -.infinity, -.infinity])
    #expect(try columnSoftArgmax(empty, backend: backend).allSatisfy(\.isNaN))
}

/// smk_col_softmax / log_softmax in place (y == x, same ld) equal the out-of-place results.
@Test("column maps in place (C)")
func trainColumnInPlace() {
    var rng = SplitMix64(seed: 77)
    let rows = 21, cols = 11, ld = 12
    let x0 = (0..<rows * ld).map { _ in Double.random(in: -4...4, using: &rng) }
    for f in [smk_col_softmax_f64, smk_col_log_softmax_f64] {
        var out = [Double](repeating: 0, count: rows * ld), x = x0
        withStableISA { // bit for bit: one instruction-set path for both calls
            #expect(f(x0, rows, cols, ld, 0.7, &out, ld) == SMK_OK)
            #expect(x.withUnsafeMutableBufferPointer { f($0.baseAddress, rows, cols, ld, 0.7, $0.baseAddress, ld) } == SMK_OK)
        }
        #expect((0..<rows).allSatisfy { r in (0..<cols).allSatisfy { x[r * ld + $0] == out[r * ld + $0] } })
    }
}
