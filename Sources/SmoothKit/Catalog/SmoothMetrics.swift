import CSmoothKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Smooth classification metrics from logits (SPEC §2), each with its gradient with respect
// to the logits, so that `1 − metric` serves as a loss. See smoothkit_catalog.h for the math.

/// Checks labels against `classes` (binary F1: 2) and the batch size.
private func checkLabels<L: Collection<Int>>(_ labels: L, count: Int, classes: Int) throws {
    guard labels.count == count else { throw SmoothKitError.elementCount(expected: count, actual: labels.count) }
    if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
        throw SmoothKitError.domain("label \(bad) is outside 0..<\(classes)")
    }
}

/// Which metric a driver call computes.
enum MetricKind { case accuracy, macroF1 }

@_specialize(where S == Float)
@_specialize(where S == Double)
func matrixMetricDriver<S: SmoothScalar>(_ kind: MetricKind, _ z: Matrix<S>, _ labels: UnsafeBufferPointer<Int>,
                                         _ backend: Backend, gradient grad: inout Matrix<S>) throws -> S {
    try checkLabels(labels, count: z.rows, classes: z.cols)
    try checkSameShape(z, grad)
    guard z.rows > 0 else { return .nan }
    return withInt64Labels(labels) { y in metricRun(kind, z, y!, backend, &grad) }
}

/// One checked metric call on either backend; `y` holds the rows' labels.
private func metricRun<S: SmoothScalar>(_ kind: MetricKind, _ z: Matrix<S>, _ y: UnsafePointer<Int64>,
                                        _ backend: Backend, _ grad: inout Matrix<S>) -> S {
    var value: S = 0
    let rows = z.rows, cols = z.cols, ld = z.leadingDimension, ldg = grad.leadingDimension
    z.withBase { zp in
        grad.withMutableBase { gp in
            switch backend.resolved {
            case .swift:
                value = S(kind == .accuracy ? SwiftCatalog.accuracy(zp, rows, cols, ld, y, gp, ldg)
                                            : SwiftCatalog.macroF1(zp, rows, cols, ld, y, gp, ldg))
            default:
                var work = [Double](repeating: 0, count: 3 * cols)
                let st: smk_status = work.withUnsafeMutableBufferPointer { w in
                    switch kind {
                    case .accuracy: S.c.smoothAccuracy(zp, rows, cols, ld, y, &value, gp, ldg)
                    case .macroF1: S.c.smoothMacroF1(zp, rows, cols, ld, y, w.baseAddress, &value, gp, ldg)
                    }
                }
                expectOK(st, "\(kind)")
            }
        }
    }
    return value
}

/// The `Matrix` form of a metric: the value and a fresh gradient.
private func metricWithGradient<S: SmoothScalar>(_ kind: MetricKind, _ z: Matrix<S>, _ labels: [Int],
                                                 _ backend: Backend) throws -> (value: S, gradient: Matrix<S>) {
    var grad = try Matrix<S>(rows: z.rows, cols: z.cols, repeating: 0)
    let value = try labels.withUnsafeBufferPointer { try matrixMetricDriver(kind, z, $0, backend, gradient: &grad) }
    return (value, grad)
}

/// Smooth accuracy: the mean softmax probability of the true class,
/// `A = (1/B) Σ_r p_{r,y_r}` with `p_{r,y} = exp(z_{r,y} − L(z_r))` (fused from logits), and
/// its gradient `∂A/∂z_{r,j} = (1/B)·p_{r,y}·([j = y_r] − p_{r,j})`.
/// Rows with NaN or +∞ logits give NaN; an empty batch gives NaN and an empty gradient.
///
/// ```swift
/// let z = try Matrix<Float>(rows: 2, cols: 2, elements: [2, 0, 0, 2])
/// let (acc, grad) = try smoothAccuracy(logits: z, labels: [0, 0])   // acc = 0.5
/// ```
/// - Throws: ``SmoothKitError/elementCount(expected:actual:)`` when `labels.count != rows`,
///   ``SmoothKitError/domain(_:)`` for a label outside `0..<cols`.
public func smoothAccuracy<S: SmoothScalar>(logits: Matrix<S>, labels: [Int], backend: Backend = .automatic) throws
    -> (value: S, gradient: Matrix<S>) {
    try metricWithGradient(.accuracy, logits, labels, backend)
}

/// Smooth macro-F1 over `cols` classes from per-class soft counts
/// (`TP_c = Σ p_c y_c`, `FP_c = Σ p_c(1 − y_c)`, `FN_c = Σ (1 − p_c) y_c`):
/// `M = (1/C) Σ_c 2TP_c / (2TP_c + FP_c + FN_c)`, with its gradient through the softmax.
///
/// ```swift
/// let z = try Matrix<Double>(rows: 3, cols: 3, elements: [5, 0, 0, 0, 5, 0, 0, 0, 5])
/// let (f1, grad) = try smoothMacroF1(logits: z, labels: [0, 1, 2])   // ≈ 0.987
/// ```
/// - Throws: as ``smoothAccuracy(logits:labels:backend:)``.
public func smoothMacroF1<S: SmoothScalar>(logits: Matrix<S>, labels: [Int], backend: Backend = .automatic) throws
    -> (value: S, gradient: Matrix<S>) {
    try metricWithGradient(.macroF1, logits, labels, backend)
}

/// Smooth binary F1 with `p_i = σ(z_i)` and labels 0/1: `F = 2 Σ p·y / Σ (p + y)`, and
/// `∂F/∂z_i = p_i(1 − p_i)(2y_i − F)/Σ(p + y)`. An empty batch gives F = 0.
///
/// ```swift
/// let (f1, grad) = try smoothF1(logits: [4.0, -4, 4], labels: [1, 0, 0])   // ≈ 0.66
/// ```
/// - Throws: ``SmoothKitError/elementCount(expected:actual:)`` for a length mismatch,
///   ``SmoothKitError/domain(_:)`` for a label other than 0 or 1.
public func smoothF1<S: SmoothScalar>(logits: [S], labels: [Int], backend: Backend = .automatic) throws
    -> (value: S, gradient: [S]) {
    try checkLabels(labels, count: logits.count, classes: 2)
    let y = labels.map { Int64($0) }
    var value: S = 0
    let grad = logits.withUnsafeBufferPointer { zb in
        produce(count: logits.count, withSecond: false) { g, _ in
            let zp = zb.baseAddress!
            switch backend.resolved {
            case .swift: value = S(SwiftCatalog.binaryF1(zp, logits.count, y, g))
            default:
                expectOK(S.c.smoothF1(zp, logits.count, y, &value, g), "f1")
            }
        }.0
    }
    return (logits.isEmpty ? 0 : value, grad)
}

extension SwiftCatalog {
    /// Row softmax: log p_j = (z_j − m) − logS; nil for a NaN / +∞ / all −∞ row.
    static func rowStats<S: SmoothScalar>(_ z: UnsafePointer<S>, _ n: Int) -> (m: Double, logS: Double)? {
        var m = -Double.infinity
        for j in 0..<n {
            let v = Double(z[j])
            if v.isNaN || v == .infinity { return nil }
            m = Swift.max(m, v)
        }
        if m == -.infinity { return nil }
        var s = Sum()
        for j in 0..<n { s.add(exp(Double(z[j]) - m)) }
        return (m, log(s.value))
    }

    static func prob<S: SmoothScalar>(_ st: (m: Double, logS: Double)?, _ z: S) -> Double {
        guard let st else { return .nan }
        return exp((Double(z) - st.m) - st.logS)
    }

    static func accuracy<S: SmoothScalar>(_ z: UnsafePointer<S>, _ rows: Int, _ cols: Int, _ ld: Int, _ y: UnsafePointer<Int64>,
                                          _ g: UnsafeMutablePointer<S>, _ ldg: Int) -> Double {
        var total = Sum()
        let invB = 1 / Double(rows)
        for r in 0..<rows {
            let zr = z + r * ld, yr = Int(y[r]), st = rowStats(zr, cols)
            let py = prob(st, zr[yr])
            total.add(py)
            for j in 0..<cols { g[r * ldg + j] = S(invB * py * ((j == yr ? 1 : 0) - prob(st, zr[j]))) }
        }
        return total.value * invB
    }

    static func binaryF1<S: SmoothScalar>(_ z: UnsafePointer<S>, _ n: Int, _ y: [Int64],
                                          _ g: UnsafeMutablePointer<S>) -> Double {
        var tp = Sum(), den = Sum()
        for i in 0..<n {
            let p = cdf(.logistic, 1, Double(z[i]))
            tp.add(p * Double(y[i]))
            den.add(p + Double(y[i]))
        }
        let d = den.value
        let f = d.isNaN ? .nan : d > 0 ? 2 * tp.value / d : 0
        for i in 0..<n {
            let p = cdf(.logistic, 1, Double(z[i]))
            g[i] = S(d > 0 ? p * (1 - p) * (2 * Double(y[i]) - f) / d : d.isNaN ? .nan : 0)
        }
        return f
    }

    static func macroF1<S: SmoothScalar>(_ z: UnsafePointer<S>, _ rows: Int, _ cols: Int, _ ld: Int, _ y: UnsafePointer<Int64>,
                                         _ g: UnsafeMutablePointer<S>, _ ldg: Int) -> Double {
        var P = [Double](repeating: 0, count: cols), TP = P, Y = P
        for r in 0..<rows {
            let zr = z + r * ld, yr = Int(y[r]), st = rowStats(zr, cols)
            for c in 0..<cols { P[c] += prob(st, zr[c]) }
            TP[yr] += prob(st, zr[yr])
            Y[yr] += 1
        }
        var m = Sum()
        var f1 = [Double](repeating: 0, count: cols), den = f1
        for c in 0..<cols {
            den[c] = P[c] + Y[c]
            f1[c] = den[c] > 0 ? 2 * TP[c] / den[c] : den[c].isNaN ? .nan : 0
            m.add(f1[c])
        }
        let invC = 1 / Double(cols)
        func slope(_ c: Int, _ yr: Int) -> Double { den[c] > 0 ? invC * ((c == yr ? 2 : 0) - f1[c]) / den[c] : 0 }
        for r in 0..<rows {
            let zr = z + r * ld, yr = Int(y[r]), st = rowStats(zr, cols)
            var dot = Sum()
            for c in 0..<cols { dot.add(slope(c, yr) * prob(st, zr[c])) }
            for c in 0..<cols { g[r * ldg + c] = S(prob(st, zr[c]) * (slope(c, yr) - dot.value)) }
        }
        return cols > 0 ? m.value * invC : .nan
    }
}

// MARK: - views: the caller's memory in and out, no copy

/// ``smoothAccuracy(logits:labels:backend:)`` of a view: returns the value and writes the
/// gradient into `gradient` (the logits' rows and cols); labels are read where they are.
///
/// ```swift
/// let z: [Float] = [2, 0,  0, 2], classes = [0, 0]
/// var grad = [Float](repeating: 0, count: 4)
/// var g = try MutableMatrixView(rows: 2, cols: 2, elements: grad.mutableSpan)
/// let acc = try smoothAccuracy(logits: MatrixView(rows: 2, cols: 2, elements: z.span),
///                              labels: classes.span, gradient: &g)          // 0.5
/// ```
/// - Throws: as the `Matrix` form; ``SmoothKitError/shapeMismatch(expected:actual:)`` for a
///   `gradient` of another shape. Nothing is written then.
public func smoothAccuracy<S: SmoothScalar>(logits: MatrixView<S>, labels: Span<Int>, backend: Backend = .automatic,
                                            gradient: inout MutableMatrixView<S>) throws -> S {
    try metricOnViews(.accuracy, logits, labels, backend, &gradient)
}

/// ``smoothMacroF1(logits:labels:backend:)`` of a view: returns the value and writes the
/// gradient into `gradient` (the logits' rows and cols).
///
/// ```swift
/// let f1 = try smoothMacroF1(logits: z, labels: classes.span, gradient: &g)
/// ```
/// - Throws: as ``smoothAccuracy(logits:labels:backend:gradient:)``.
public func smoothMacroF1<S: SmoothScalar>(logits: MatrixView<S>, labels: Span<Int>, backend: Backend = .automatic,
                                           gradient: inout MutableMatrixView<S>) throws -> S {
    try metricOnViews(.macroF1, logits, labels, backend, &gradient)
}

private func metricOnViews<S: SmoothScalar>(_ kind: MetricKind, _ z: MatrixView<S>, _ labels: Span<Int>,
                                            _ backend: Backend, _ gradient: inout MutableMatrixView<S>) throws -> S {
    try z.withBorrowedMatrix { z in
        try labels.withUnsafeBufferPointer { labels in
            try gradient.withBorrowedMatrix { try matrixMetricDriver(kind, z, labels, backend, gradient: &$0) }
        }
    }
}
