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

/// The column ops' fast exp (kernels/train.inc, col_fast): each column its own reference
/// M = rint(m·c) (one lane each), τ shared; a panel takes it when every column in it is finite
/// or masked and within fast_ctx's reach |m·c| ≤ FEXP_M_MAX (2^17 f32, 2^46 f64). Columns of
/// entries τ·(o + r), r of order 1 (so that every output is far from trivial), by kind c mod 8:
/// o = 0; o just inside +FEXP_M_MAX and −FEXP_M_MAX; every third entry −∞ (an offset of its
/// own); terms down to the normal range's end (no clamp); terms down past the subnormal range
/// (t = (x − m)·log2(e)/τ to 1.06 times its end: the clamp); an offset of its own; one finite
/// entry (an offset of its own). Columns 4 and 131 are masked (the only ones: the other
/// panels' clamp comes from fast_ctx). Column 104 sits just past FEXP_M_MAX and 105 far past
/// it (16×, terms over many binades): their panel (of 8 to 64 columns, by ISA) takes the
/// double word, the panels before them the fast exp; 133 columns end in a partial panel.
/// τ at both ends of the plain context (log2(e)/τ in [2^−60, 2^60]: 2^−59 and 2^61 inside,
/// 2^−60 and 2^62 outside, where every panel takes the double word) and 1, 0.3. Each value
/// against the Float80 definition within SPEC §1's bounds; edge values exactly.
func trainCheckColumnsFastExp<S: SmoothScalar>(_: S.Type, _ path: TrainPath) throws {
    let rows = 41, cols = 133, b = TrainBounds<S>()
    let f32 = S.self == Float.self, log2e = 1.4426950408889634
    let reach = (f32 ? 0x1p17 : 0x1p46) / log2e // FEXP_M_MAX in units of τ
    let normal = (f32 ? 123.0 : 1019.0) / log2e, deep = 1.06 * (f32 ? 150.0 : 1075.0) / log2e
    for t in [S(1), S(0.3), S(0x1p-59), S(0x1p-60), S(0x1p61), S(0x1p62)] {
        var rng = SplitMix64(seed: 0xFA57)
        let tr = TrainRef(t)
        var e = [S](repeating: 0, count: rows * cols)
        for c in 0..<cols {
            let own = Double((c * 37) % 101 - 50) * reach / 60, down = Double.random(in: 0...1, using: &rng)
            for r in 0..<rows {
                let u = Double.random(in: -4...4, using: &rng), f = Double(r) / Double(rows - 1)
                let v: Double
                switch (c, c % 8) {
                case (4, _), (131, _): v = -.infinity
                case (104, _): v = 1.01 * reach + u
                case (105, _): v = -16 * reach - deep * f
                case (_, 1): v = 0.99 * reach + u
                case (_, 2): v = -0.99 * reach + u
                case (_, 3): v = r % 3 == 0 ? -.infinity : own + u
                case (_, 4): v = down - normal * f
                case (_, 5): v = down - deep * f
                case (_, 6): v = own + u
                case (_, 7): v = r == c % rows ? -own + u : -.infinity
                default: v = u
                }
                e[r * cols + c] = S(Double(t) * v)
            }
        }
        let x = try Matrix<S>(rows: rows, cols: cols, leadingDimension: cols + 1, elements: e)
        let (lse, sam, p, lp) = try path.run {
            (try columnLogSumExp(x, temperature: t, backend: path.backend),
             try columnSoftArgmax(x, temperature: t, backend: path.backend),
             try columnSoftmax(x, temperature: t, backend: path.backend),
             try columnLogSoftmax(x, temperature: t, backend: path.backend))
        }
        for c in 0..<cols {
            let v = (0..<rows).map { TrainRef(x[$0, c]) }, what = "\(S.self) \(path) τ=\(t) column \(c)"
            if v.allSatisfy({ $0 == -.infinity }) {
                #expect(lse[c] == -.infinity && sam[c].isNaN && (0..<rows).allSatisfy { p[$0, c] == 0 && lp[$0, c] == -.infinity },
                        "\(what): masked")
                continue
            }
            let wantL = TrainReference.logSumExp(v, tr), wantA = TrainReference.softArgmax(v, tr)
            let wantP = TrainReference.softmax(v, tr), wantLP = TrainReference.logSoftmax(v, tr)
            #expect(trainClose(TrainRef(lse[c]), wantL, b.lse(wantL, tr)), "\(what): logsumexp \(lse[c]) vs \(wantL)")
            #expect(trainClose(TrainRef(sam[c]), wantA, b.argmax(rows)), "\(what): soft-argmax \(sam[c]) vs \(wantA)")
            for r in 0..<rows {
                if v[r] == -.infinity {
                    #expect(p[r, c] == 0 && lp[r, c] == -.infinity, "\(what) row \(r): −∞ entry")
                    continue
                }
                #expect(trainClose(TrainRef(p[r, c]), wantP[r], b.prob(wantP[r]) + b.grid),
                        "\(what) row \(r): softmax \(p[r, c]) vs \(wantP[r])")
                #expect(trainClose(TrainRef(lp[r, c]), wantLP[r], b.logProb(wantLP[r])),
                        "\(what) row \(r): log_softmax \(lp[r, c]) vs \(wantLP[r])")
            }
            if c % 8 == 7 { // one finite entry: SPEC §1.1's exact values
                let r = c % rows
                #expect(lse[c] == x[r, c] && p[r, c] == 1 && lp[r, c] == 0, "\(what): single finite entry \(lse[c]) \(p[r, c])")
            }
        }
    }
}

@Test("column ops on the fast exp: per-column references, its reach, −∞ entries, τ at the plain context's ends",
      arguments: TrainDType.allCases)
func trainColumnsFastExp(dtype: TrainDType) throws {
    try trainForEachPath(dtype, float: { try trainCheckColumnsFastExp(Float.self, $0) },
                         double: { try trainCheckColumnsFastExp(Double.self, $0) })
}
