import Testing
import SmoothKit
import CSmoothKit

// Masked and ragged rows: each row against the same row with the left-out entries cut out
// (Float80 reference and the unmasked C kernels on the cut row), SPEC §1's bounds, the exact
// 0 / −∞ at left-out positions, the edge rows, and in place.

struct TrainMaskCase: CustomStringConvertible, Sendable {
    let cols: Int
    let ragged: Bool
    let bytes: Bool
    var description: String { "n=\(cols)\(ragged ? " lengths" : "")\(bytes ? " mask" : "")" }
}

// 1300 columns cross the kernels' 512-element chunks (byte masks); lengths alone take the core
// row code on each prefix; 9000 columns make prefixes past 32 KiB (rows of random length: some
// prefixes below, some above).
let trainMaskCases: [TrainMaskCase] = [
    TrainMaskCase(cols: 1, ragged: true, bytes: false), TrainMaskCase(cols: 7, ragged: false, bytes: true),
    TrainMaskCase(cols: 40, ragged: true, bytes: true), TrainMaskCase(cols: 1300, ragged: true, bytes: true),
    TrainMaskCase(cols: 1300, ragged: false, bytes: true), TrainMaskCase(cols: 40, ragged: true, bytes: false),
    TrainMaskCase(cols: 9000, ragged: true, bytes: false),
]

/// The four masked ops of `x` on one path: logsumexp, soft-argmax, softmax, log_softmax.
func trainMaskedOps<S: SmoothScalar>(_ x: Matrix<S>, _ mask: RowMask, _ t: S, _ path: TrainPath) throws
    -> ([S], [S], Matrix<S>, Matrix<S>) {
    try path.run {
        (try maskedLogSumExp(x, mask: mask, temperature: t, backend: path.backend),
         try maskedSoftArgmax(x, mask: mask, temperature: t, backend: path.backend),
         try maskedSoftmax(x, mask: mask, temperature: t, backend: path.backend),
         try maskedLogSoftmax(x, mask: mask, temperature: t, backend: path.backend))
    }
}

func trainCheckMasked<S: SmoothScalar>(_: S.Type, _ c: TrainMaskCase, _ path: TrainPath) throws {
    var rng = SplitMix64(seed: 0x3A5C + UInt64(c.cols))
    let rows = 5, n = c.cols, u = trainUnitRoundoff(S.self), t = S(0.6)
    let x = try trainRandomMatrix(S.self, rows: rows, cols: n, range: -5...5, pad: 1, rng: &rng)
    // Row 0 keeps nothing when ragged (length 0); the others a random prefix.
    let lengths = c.ragged ? (0..<rows).map { $0 == 0 ? 0 : Int.random(in: 1...n, using: &rng) } : nil
    let bytes = c.bytes ? (0..<rows * n).map { _ in UInt8(Int.random(in: 0..<10, using: &rng) < 3 ? 0 : 1 + Int.random(in: 0..<200, using: &rng)) } : nil
    let mask = try RowMask(rows: rows, cols: n, lengths: lengths, mask: bytes)
    let (lse, sam, p, lp) = try trainMaskedOps(x, mask, t, path)
    for r in 0..<rows {
        let kept = (0..<n).filter { i in i < (lengths?[r] ?? n) && (bytes?[r * n + i] ?? 1) != 0 }
        let cut = kept.map { TrainRef(x[r, $0]) }, tr = TrainRef(t)
        let what = "\(S.self) \(path) \(c) row \(r) (\(kept.count) kept)"
        let wantL = TrainReference.logSumExp(cut, tr)
        #expect(trainClose(TrainRef(lse[r]), wantL, 8 * u * max(abs(wantL), tr)), "\(what): logsumexp \(lse[r]) vs \(wantL)")
        if !cut.isEmpty {
            // The unmasked C kernel on the cut-out row agrees within the bound as well.
            let cutRow = try Matrix<S>(rows: 1, cols: kept.count, elements: kept.map { x[r, $0] })
            #expect(trainClose(TrainRef(lse[r]), TrainRef(try logSumExp(cutRow, temperature: t, backend: .c)[0]), 16 * u * max(abs(wantL), tr)),
                    "\(what): vs unmasked kernel on the cut row")
        }
        let pc = TrainReference.softmax(cut, tr), lpc = TrainReference.logSoftmax(cut, tr)
        let wantA = cut.isEmpty ? TrainRef.nan : zip(kept, pc).reduce(TrainRef(0)) { $0 + TrainRef($1.0) * $1.1 }
        #expect(trainClose(TrainRef(sam[r]), wantA, 8 * u * TrainRef(n)), "\(what): soft-argmax \(sam[r]) vs \(wantA)")
        var k = 0
        for i in 0..<n {
            if k < kept.count && kept[k] == i {
                #expect(trainClose(TrainRef(p[r, i]), pc[k], 8 * u * pc[k]), "\(what): softmax at \(i)")
                #expect(trainClose(TrainRef(lp[r, i]), lpc[k], 8 * u * max(1, abs(lpc[k]))), "\(what): log_softmax at \(i)")
                k += 1
            } else {
                #expect(p[r, i] == 0 && lp[r, i] == -.infinity, "\(what): left-out position \(i) must be 0 / −∞")
            }
        }
    }
}

@Test("masked and ragged rows vs the same rows cut out", arguments: trainMaskCases, TrainDType.allCases)
func trainMaskedMatchesCutRows(c: TrainMaskCase, dtype: TrainDType) throws {
    try trainForEachPath(dtype, float: { try trainCheckMasked(Float.self, c, $0) }, double: { try trainCheckMasked(Double.self, c, $0) })
}

/// SPEC §1's edge rows with masks: a NaN or +∞ at a left-out position is ignored; a NaN at a
/// kept position makes the kept outputs NaN (left-out ones stay 0 / −∞); kept +∞ entries share
/// the mass; a row with nothing kept gives −∞ / 0 / −∞ / NaN.
@Test("masked edge rows", arguments: [Backend.c, .swift])
func trainMaskedEdgeRows(backend: Backend) throws {
    let x = try Matrix<Double>(rows: 4, cols: 3, elements: [.nan, 1, 1,           // NaN left out
                                                             .nan, 1, .infinity,   // NaN kept, +∞ left out
                                                             .infinity, 2, .infinity,
                                                             5, 6, 7])             // nothing kept
    let m = try RowMask(rows: 4, cols: 3, lengths: [3, 2, 3, 3], mask: [0, 1, 1,  1, 1, 1,  1, 1, 1,  0, 0, 0])
    let lse = try maskedLogSumExp(x, mask: m, backend: backend), a = try maskedSoftArgmax(x, mask: m, backend: backend)
    let p = try maskedSoftmax(x, mask: m, backend: backend), lp = try maskedLogSoftmax(x, mask: m, backend: backend)
    // Row 0 = [1, 1] at columns 1, 2: lse = 1 + log 2, a = 1.5, p = ½.
    #expect(trainClose(TrainRef(lse[0]), 1 + TrainRef.trainLog(2), 4e-16) && a[0] == 1.5 && p.row(0) == [0, 0.5, 0.5])
    #expect(lse[1].isNaN && a[1].isNaN && p[1, 0].isNaN && p[1, 1].isNaN && p[1, 2] == 0 && lp[1, 2] == -.infinity)
    #expect(lp[1, 0].isNaN && lp[1, 1].isNaN, "log_softmax at the kept positions of a row with a kept NaN: \(lp.row(1))")
    #expect(lse[2] == .infinity && a[2] == 1 && p.row(2) == [0.5, 0, 0.5] && lp[2, 1] == -.infinity)
    #expect(lse[3] == -.infinity && a[3].isNaN && p.row(3) == [0, 0, 0] && lp.row(3).allSatisfy { $0 == -.infinity })
}

/// The same rules with lengths alone (the C path's prefix route): NaN and +∞ past the length are
/// ignored, a NaN or +∞ inside it counts, a length of 0 keeps nothing, and the left-out tail is
/// exactly 0 / −∞ whatever the row's class.
@Test("ragged edge rows (lengths, no byte mask)", arguments: [Backend.c, .swift])
func trainRaggedEdgeRows(backend: Backend) throws {
    let x = try Matrix<Float>(rows: 5, cols: 3, elements: [1, 1, .nan,            // NaN left out
                                                            1, .nan, 2,           // NaN kept
                                                            .infinity, 2, .infinity, // +∞ kept and left out
                                                            5, 6, 7,              // nothing kept
                                                            -.infinity, 3, 3])    // −∞ kept, 3 left out
    let m = try RowMask(rows: 5, cols: 3, lengths: [2, 2, 2, 0, 2])
    let lse = try maskedLogSumExp(x, mask: m, backend: backend), a = try maskedSoftArgmax(x, mask: m, backend: backend)
    let p = try maskedSoftmax(x, mask: m, backend: backend), lp = try maskedLogSoftmax(x, mask: m, backend: backend)
    #expect(abs(lse[0] - 1.6931472) <= 2e-7 && a[0] == 0.5 && p.row(0) == [0.5, 0.5, 0] && lp[0, 2] == -.infinity)
    #expect(lse[1].isNaN && a[1].isNaN && p[1, 0].isNaN && p[1, 1].isNaN && p[1, 2] == 0 && lp[1, 2] == -.infinity)
    #expect(lp[1, 0].isNaN && lp[1, 1].isNaN, "log_softmax at the kept positions of a row with a kept NaN: \(lp.row(1))")
    #expect(lse[2] == .infinity && a[2] == 0 && p.row(2) == [1, 0, 0] && lp[2, 0] == 0 && lp[2, 2] == -.infinity)
    #expect(lse[3] == -.infinity && a[3].isNaN && p.row(3) == [0, 0, 0] && lp.row(3).allSatisfy { $0 == -.infinity })
    #expect(lse[4] == 3 && a[4] == 1 && p.row(4) == [0, 1, 0] && lp.row(4) == [-.infinity, 0, -.infinity])
}

/// smk_masked_softmax / log_softmax in place (y == x) equal the out-of-place results, with a
/// byte mask and with lengths alone (both calls under the ISA lock: bit-for-bit needs one
/// instruction-set path).
@Test("masked maps in place (C)", arguments: [true, false])
func trainMaskedInPlace(bytes: Bool) {
    var rng = SplitMix64(seed: 12)
    let rows = 4, n = 600
    let x0 = (0..<rows * n).map { _ in Float.random(in: -4...4, using: &rng) }
    let mask = bytes ? (0..<rows * n).map { UInt8($0 % 7 == 0 ? 0 : 1) } : nil
    let lengths: [Int64] = [600, 1, 513, 0]
    for op in [SMK_OP_SOFTMAX, SMK_OP_LOG_SOFTMAX] {
        let f = op == SMK_OP_SOFTMAX ? smk_masked_softmax_f32 : smk_masked_log_softmax_f32
        var out = [Float](repeating: 0, count: rows * n), x = x0
        withStableISA {
            #expect(f(x0, rows, n, n, lengths, mask, n, 0.9, &out, n) == SMK_OK)
            #expect(x.withUnsafeMutableBufferPointer { f($0.baseAddress, rows, n, n, lengths, mask, n, 0.9, $0.baseAddress, n) } == SMK_OK)
        }
        #expect(x == out, "in place \(op), byte mask \(bytes)")
    }
}
