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
    var pad = 2
    var description: String { "\(rows)×\(cols) ld=\(cols + pad) τ=\(tau) x∈\(range)" }
}

let trainColumnCases: [TrainColumnCase] = [
    TrainColumnCase(rows: 1, cols: 1, tau: 1, range: -1...1),
    TrainColumnCase(rows: 9, cols: 13, tau: 0.4, range: -5...5),   // partial packets of columns
    TrainColumnCase(rows: 300, cols: 40, tau: 1, range: -5...5),   // many row blocks
    TrainColumnCase(rows: 17, cols: 3, tau: 2e-3, range: -1...1),  // sharp
    TrainColumnCase(rows: 6, cols: 9, tau: 1, range: -3e37...3e37), // huge values (no overflow)
    // rows ≥ 2 KiB apart and more than 16 prefetch distances: the scan prefetches (col_scan)
    TrainColumnCase(rows: 300, cols: 20, tau: 0.7, range: -5...5, pad: 620),
]

func trainCheckColumns<S: SmoothScalar>(_: S.Type, _ c: TrainColumnCase, _ path: TrainPath) throws {
    var rng = SplitMix64(seed: 0xC01 + UInt64(c.rows))
    let u = trainUnitRoundoff(S.self), t = S(c.tau), tr = TrainRef(t)
    let x = try trainRandomMatrix(S.self, rows: c.rows, cols: c.cols, range: c.range, pad: c.pad, rng: &rng)
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

/// The panels of one call take different loops (kernels/train.inc, col_panel): finite columns
/// with a masked one and some −∞ entries (no edge selects, plain), a +∞ and a NaN column (edge
/// selects), a column spanning more than the type's largest value (sc = ½, not plain), and a
/// partial last panel with a masked column. 133 columns: two or more whole panels and a partial
/// one on every ISA (panels of 8 to 64 columns). Each column against the row op on its
/// transpose (same ISA path), within twice SPEC §1's bounds; edge values exactly.
func trainCheckColumnPanels<S: SmoothScalar>(_: S.Type, _ path: TrainPath) throws {
    let rows = 41, cols = 133, t = S(0.8), u = trainUnitRoundoff(S.self), tr = TrainRef(t)
    var rng = SplitMix64(seed: 0xC02)
    var e = (0..<rows * cols).map { _ in S(Double.random(in: -4...4, using: &rng)) }
    func set(_ c: Int, _ f: (Int) -> S) { for r in 0..<rows { e[r * cols + c] = f(r) } }
    set(1) { _ in -.infinity }
    set(131) { _ in -.infinity }
    for r in stride(from: 0, to: rows, by: 3) { e[r * cols + 2] = -.infinity }
    set(40) { r in (r % 2 == 0 ? 1 : -1) * S.greatestFiniteMagnitude * S(0.9) }
    set(70) { r in r % 5 == 0 ? .infinity : 0 }
    set(72) { r in r == 7 ? .nan : 1 }
    let x = try Matrix<S>(rows: rows, cols: cols, elements: e), xt = try trainTransposed(x)
    let (lse, sam, p, lp) = try path.run {
        (try columnLogSumExp(x, temperature: t, backend: path.backend), try columnSoftArgmax(x, temperature: t, backend: path.backend),
         try columnSoftmax(x, temperature: t, backend: path.backend), try columnLogSoftmax(x, temperature: t, backend: path.backend))
    }
    let (rl, ra, rp, rlp) = try path.run {
        (try logSumExp(xt, temperature: t, backend: .c), try softArgmax(xt, temperature: t, backend: .c),
         try softmax(xt, temperature: t, backend: .c), try logSoftmax(xt, temperature: t, backend: .c))
    }
    for col in 0..<cols {
        let what = "\(S.self) \(path) column \(col)"
        let wl = TrainRef(rl[col]), wa = TrainRef(ra[col])
        #expect(trainClose(TrainRef(lse[col]), wl, 16 * u * max(abs(wl), tr)), "\(what): logsumexp \(lse[col]) vs \(wl)")
        #expect(trainClose(TrainRef(sam[col]), wa, 16 * u * TrainRef(rows)), "\(what): soft-argmax \(sam[col]) vs \(wa)")
        for r in 0..<rows {
            let wp = TrainRef(rp[col, r]), wlp = TrainRef(rlp[col, r])
            #expect(trainClose(TrainRef(p[r, col]), wp, 16 * u * (wp + 0x1p-100)), "\(what) row \(r): softmax \(p[r, col]) vs \(wp)")
            #expect(trainClose(TrainRef(lp[r, col]), wlp, 16 * u * max(1, abs(wlp))), "\(what) row \(r): log_softmax \(lp[r, col]) vs \(wlp)")
        }
    }
}

@Test("column panels: masked, edge and halved columns in panels side by side", arguments: TrainDType.allCases)
func trainColumnPanels(dtype: TrainDType) throws {
    try trainForEachPath(dtype, float: { try trainCheckColumnPanels(Float.self, $0) }, double: { try trainCheckColumnPanels(Double.self, $0) })
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
