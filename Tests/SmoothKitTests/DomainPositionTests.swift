import Testing
import CSmoothKit
@testable import SmoothKit

// Domain checks that scan an array (piecewise knots, jumps and slope changes; class labels of
// the metrics and of cross-entropy) at every position, not only where a scan starts or ends:
// one bad entry at each position in turn is SMK_ERR_DOMAIN with every output canary intact,
// and the same call with no bad entry succeeds. (The power max's sign domain has its own
// test in CatalogErrorTests.)

private func domainCanary<S: SmoothScalar>(_: S.Type) -> S { S(-7777.25) }

/// Runs `call` on canary-filled outputs (`count` elements each, three of them); returns its
/// status and whether every canary held.
private func withCanaries<S: SmoothScalar>(_: S.Type, count: Int,
                                           _ call: (UnsafeMutableRawPointer, UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> smk_status)
    -> (smk_status, Bool) {
    var a = [S](repeating: domainCanary(S.self), count: count), b = a, c = a
    let st = a.withUnsafeMutableBytes { pa in
        b.withUnsafeMutableBytes { pb in c.withUnsafeMutableBytes { pc in call(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!) } }
    }
    return (st, (a + b + c).allSatisfy { $0 == domainCanary(S.self) })
}

private func checkPiecewise<S: SmoothScalar>(_: S.Type) {
    let x: [S] = [-1, 0, 0.5, 2], m = 4
    let good: [[S]] = [[-1, 0, 1, 2], [0.5, -1, 0, 2], [1, 0, -2, 0.25]]  // knots, jumps, slope changes
    for (which, name) in ["knots", "jumps", "slope changes"].enumerated() {
        for pos in -1..<m {
            for bad in [S.nan, .infinity, -.infinity] where pos >= 0 || bad.isNaN {
                var arrays = good
                if pos >= 0 { arrays[which][pos] = bad }
                let (st, held) = withCanaries(S.self, count: x.count) { y, dy, _ in
                    S.c.mollifyPiecewise(x, x.count, SMK_KERNEL_GAUSSIAN, 0.5, 0, 1, arrays[0], arrays[1], arrays[2], m, y, dy)
                }
                let what = "\(S.self) piecewise \(name) \(pos < 0 ? "all finite" : "\(bad) at \(pos)")"
                if pos < 0 {
                    #expect(st == SMK_OK && !held, "\(what): \(st)")
                } else {
                    #expect(st == SMK_ERR_DOMAIN && held, "\(what): \(st), canaries held \(held)")
                }
            }
        }
    }
    // Cauchy: every slope change must be 0 (its ramp has no finite mean): one non-zero at each position
    for pos in -1..<m {
        let changes = (0..<m).map { S($0 == pos ? 1 : 0) }
        let (st, held) = withCanaries(S.self, count: x.count) { y, dy, _ in
            S.c.mollifyPiecewise(x, x.count, SMK_KERNEL_CAUCHY, 0.5, 0, 0, good[0], good[1], changes, m, y, dy)
        }
        #expect(pos < 0 ? st == SMK_OK : st == SMK_ERR_DOMAIN && held, "\(S.self) Cauchy slope change at \(pos): \(st)")
    }
}

private func checkLabels<S: SmoothScalar>(_: S.Type) {
    let rows = 4, cols = 3
    let z = (0..<rows * cols).map { S(Double($0 % 5) - 2) }
    var work = [Double](repeating: 0, count: 3 * cols)
    for pos in -1..<rows {
        for bad: Int64 in [-1, Int64(cols), .min] where pos >= 0 || bad == -1 {
            let labels = (0..<rows).map { $0 == pos ? bad : Int64($0 % cols) }
            let where_ = pos < 0 ? "all in range" : "\(bad) at row \(pos)"
            func expectDomain(_ name: String, _ r: (smk_status, Bool)) {
                if pos < 0 { #expect(r.0 == SMK_OK && !r.1, "\(S.self) \(name) \(where_): \(r.0)") }
                else { #expect(r.0 == SMK_ERR_DOMAIN && r.1, "\(S.self) \(name) \(where_): \(r.0), canaries held \(r.1)") }
            }
            expectDomain("accuracy", withCanaries(S.self, count: rows * cols) { v, g, _ in
                S.c.smoothAccuracy(z, rows, cols, cols, labels, v, g, cols)
            })
            expectDomain("macro F1", withCanaries(S.self, count: rows * cols) { v, g, _ in
                S.c.smoothMacroF1(z, rows, cols, cols, labels, &work, v, g, cols)
            })
            expectDomain("cross-entropy", withCanaries(S.self, count: rows * cols) { loss, dx, _ in
                S.c.crossEntropy(z, rows, cols, cols, labels, -100, 0, 1, SMK_REDUCE_NONE, loss, dx, cols)
            })
            // binary F1: labels in {0, 1}
            let binary = (0..<rows).map { $0 == pos ? (bad == Int64(cols) ? 2 : bad) : Int64($0 % 2) }
            expectDomain("F1", withCanaries(S.self, count: rows) { v, g, _ in S.c.smoothF1(z, rows, binary, v, g) })
        }
    }
}

@Suite struct DomainPositionTests {
    @Test func piecewiseArraysCheckedAtEveryPosition() {
        checkPiecewise(Float.self)
        checkPiecewise(Double.self)
    }

    @Test func labelsCheckedAtEveryRow() {
        checkLabels(Float.self)
        checkLabels(Double.self)
    }
}
