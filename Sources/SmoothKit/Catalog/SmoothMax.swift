import CSmoothKit

/// The row-wise smooth maxima of SPEC §2 (`m` = max of the row, `n` = its length).
///
/// | case | parameter | formula | bound |
/// |---|---|---|---|
/// | `logSumExp` | temperature τ | `τ log Σ e^{x_i/τ}` | `m ≤ · ≤ m + τ ln n` |
/// | `boltzmann` | sharpness β | `Σ x_i e^{βx_i} / Σ e^{βx_i}` | `m − (n−1)/(eβ) ≤ · ≤ m` (n = 2: `m − 0.27846/β`) |
/// | `power` | exponent p | `(Σ x_i^p)^{1/p}`, entries ≥ 0 | `m ≤ · ≤ n^{1/p}·m` |
/// | `logLog` | sharpness k | `(1/k) ln ln Σ e^{e^{k x_i}}` (stable form) | `m ≤ · ≤ m + log1p(ln(n) e^{−km})/k` |
///
/// The smooth minimum is `−max(−x)` (``smoothMin(_:kind:parameter:backend:)``); for `power`
/// its domain is therefore entries ≤ 0.
///
/// ```swift
/// let x = try Matrix<Double>(rows: 1, cols: 3, elements: [1, 2, 3])
/// let b = try smoothMax(x, kind: .boltzmann, parameter: 5)   // [≈ 2.9933]
/// ```
public enum SmoothMaxKind: Sendable, Hashable, CaseIterable {
    case logSumExp, boltzmann, power, logLog

    var c: smk_max_kind {
        switch self {
        case .logSumExp: SMK_MAX_LOGSUMEXP
        case .boltzmann: SMK_MAX_BOLTZMANN
        case .power: SMK_MAX_POWER
        case .logLog: SMK_MAX_LOGLOG
        }
    }
}

/// The pairwise smooth maxima of SPEC §2, elementwise over two arrays (`d = a − b`).
///
/// | case | parameter | formula | bound |
/// |---|---|---|---|
/// | `erf` | sharpness μ | `(a + b + d·erf(μd))/2` | `m − 0.24038/(2μ) ≤ · ≤ m` |
/// | `sqrt` | width μ | `(a + b + √(d² + μ²))/2` | `m ≤ · ≤ m + μ/2` |
///
/// ```swift
/// let m = try smoothMax([1.0], [1.0], kind: .sqrt, parameter: 2)   // [2]
/// ```
public enum PairwiseMaxKind: Sendable, Hashable, CaseIterable {
    case erf, sqrt

    var c: smk_pair_kind { self == .erf ? SMK_PAIR_ERF : SMK_PAIR_SQRT }
}

/// Power max's domain: every entry ≥ 0 (the min: ≤ 0), else ``SmoothKitError/domain(_:)``.
func checkPowerDomain<S: SmoothScalar>(_ x: Matrix<S>, min: Bool) throws {
    let sign: S = min ? -1 : 1
    for r in 0..<x.rows {
        let bad = x.withRow(r) { row -> S? in
            for i in row.indices where sign * row[i] < 0 { return row[i] }
            return nil
        }
        if let bad {
            throw SmoothKitError.domain("power \(min ? "min" : "max") needs entries \(min ? "≤" : "≥") 0, got \(bad)")
        }
    }
}

@_specialize(where S == Float)
@_specialize(where S == Double)
func smoothMaxDriver<S: SmoothScalar>(_ x: Matrix<S>, _ kind: SmoothMaxKind, _ p: S, _ backend: Backend,
                                      min: Bool, into outSpan: inout MutableSpan<S>) throws {
    try checkParameter(p)
    let sign: S = min ? -1 : 1
    if kind == .power { try checkPowerDomain(x, min: min) }
    try checkOutputCount(outSpan, x.rows)
    guard x.rows > 0 else { return }
    let ext = min ? SMK_EXTREMUM_MIN : SMK_EXTREMUM_MAX
    let rows = x.rows, cols = x.cols, ld = x.leadingDimension
    x.withBase { xp in
        outSpan.withUnsafeMutableBufferPointer { outBuffer in
            let out = outBuffer.baseAddress!
            switch backend.resolved {
            case .swift:
                for r in 0..<rows {
                    out[r] = S(SwiftCatalog.rowMax(xp + r * ld, cols, kind, Double(p), Double(sign)))
                }
            default:
                expectOK(S.c.smoothMax(xp, rows, cols, ld, kind.c, Double(p), ext, out), "smooth_max")
            }
        }
    }
}

/// The smooth maximum of each row of `x` (see ``SmoothMaxKind``). Edge rows: NaN → NaN,
/// an entry +∞ → +∞, all −∞ → −∞ (`logLog`: `(1/k) ln ln n`), empty → −∞ (`power`: 0).
///
/// ```swift
/// let x = try Matrix<Float>(rows: 2, cols: 2, elements: [0, 4, 1, 1])
/// let p = try smoothMax(x, kind: .power, parameter: 8)   // [4, 1.0905]
/// ```
/// - Throws: ``SmoothKitError/invalidParameter(name:value:)`` for a parameter not finite and > 0,
///   ``SmoothKitError/domain(_:)`` for a negative entry with `.power`.
public func smoothMax<S: SmoothScalar>(_ x: Matrix<S>, kind: SmoothMaxKind, parameter: S,
                                       backend: Backend = .automatic) throws -> [S] {
    try collecting(count: x.rows) { try smoothMaxDriver(x, kind, parameter, backend, min: false, into: &$0) }
}

/// The smooth minimum of each row: `−smoothMax(−x)`, computed without negating a copy.
/// Bounds mirror the max: e.g. `min − τ ln n ≤ logSumExp-min ≤ min`.
///
/// ```swift
/// let x = try Matrix<Double>(rows: 1, cols: 3, elements: [1, 2, 3])
/// let soft = try smoothMin(x, kind: .logSumExp, parameter: 0.1)   // [≈ 0.9999955]
/// ```
/// - Throws: as ``smoothMax(_:kind:parameter:backend:)``; `.power` needs entries ≤ 0.
public func smoothMin<S: SmoothScalar>(_ x: Matrix<S>, kind: SmoothMaxKind, parameter: S,
                                       backend: Backend = .automatic) throws -> [S] {
    try collecting(count: x.rows) { try smoothMaxDriver(x, kind, parameter, backend, min: true, into: &$0) }
}

@_specialize(where S == Float)
@_specialize(where S == Double)
func pairwiseDriver<S: SmoothScalar>(_ a: [S], _ b: [S], _ kind: PairwiseMaxKind, _ p: S, _ backend: Backend,
                                     min: Bool) throws -> [S] {
    try checkParameter(p)
    guard a.count == b.count else { throw SmoothKitError.elementCount(expected: a.count, actual: b.count) }
    let ext = min ? SMK_EXTREMUM_MIN : SMK_EXTREMUM_MAX, s: Double = min ? -1 : 1
    return a.withUnsafeBufferPointer { ab in
        b.withUnsafeBufferPointer { bb in
            produce(count: a.count, withSecond: false) { out, _ in
                let ap = ab.baseAddress!, bp = bb.baseAddress!
                switch backend.resolved {
                case .swift:
                    for i in 0..<a.count {
                        out[i] = S(s * SwiftCatalog.max2(kind, Double(p), s * Double(ap[i]), s * Double(bp[i])))
                    }
                default:
                    expectOK(S.c.smoothMax2(ap, bp, a.count, kind.c, Double(p), ext, out), "max2")
                }
            }.0
        }
    }
}

/// The pairwise smooth maximum `max_μ(a[i], b[i])` (see ``PairwiseMaxKind``); evaluated as
/// `m − |d|·erfc(μ|d|)/2` and `m + μ²/(2(√(d²+μ²) + |d|))`, so `a + b` never overflows.
///
/// ```swift
/// let m = try smoothMax([0.0, 5], [1.0, -5], kind: .erf, parameter: 10)   // ≈ [1, 5]
/// ```
/// - Throws: ``SmoothKitError/elementCount(expected:actual:)`` when the lengths differ,
///   ``SmoothKitError/invalidParameter(name:value:)`` for a bad parameter.
public func smoothMax<S: SmoothScalar>(_ a: [S], _ b: [S], kind: PairwiseMaxKind, parameter: S,
                                       backend: Backend = .automatic) throws -> [S] {
    try pairwiseDriver(a, b, kind, parameter, backend, min: false)
}

/// The pairwise smooth minimum `−max_μ(−a[i], −b[i])`.
///
/// ```swift
/// let m = try smoothMin([0.0], [1.0], kind: .sqrt, parameter: 0.1)   // [≈ −0.0025]
/// ```
/// - Throws: as ``smoothMax(_:_:kind:parameter:backend:)``.
public func smoothMin<S: SmoothScalar>(_ a: [S], _ b: [S], kind: PairwiseMaxKind, parameter: S,
                                       backend: Backend = .automatic) throws -> [S] {
    try pairwiseDriver(a, b, kind, parameter, backend, min: true)
}

// MARK: - views: the caller's memory in and out, no copy

/// ``smoothMax(_:kind:parameter:backend:)`` of each row of a view, into `out` (`x.rows` values).
///
/// ```swift
/// var maxima = [Float](repeating: 0, count: 1000)
/// var out = maxima.mutableSpan
/// try smoothMax(MatrixView(rows: 1000, cols: 512, elements: scores.span), kind: .boltzmann,
///               parameter: 5, into: &out)
/// ```
/// - Throws: as the `Matrix` form; ``SmoothKitError/elementCount(expected:actual:)`` when
///   `out.count != x.rows`. Nothing is written then.
public func smoothMax<S: SmoothScalar>(_ x: MatrixView<S>, kind: SmoothMaxKind, parameter: S,
                                       backend: Backend = .automatic, into out: inout MutableSpan<S>) throws {
    try x.withBorrowedMatrix { try smoothMaxDriver($0, kind, parameter, backend, min: false, into: &out) }
}

/// ``smoothMin(_:kind:parameter:backend:)`` of each row of a view, into `out` (`x.rows` values).
///
/// ```swift
/// try smoothMin(x, kind: .logSumExp, parameter: 0.1, into: &out)
/// ```
/// - Throws: as ``smoothMax(_:kind:parameter:backend:into:)``; `.power` needs entries ≤ 0.
public func smoothMin<S: SmoothScalar>(_ x: MatrixView<S>, kind: SmoothMaxKind, parameter: S,
                                       backend: Backend = .automatic, into out: inout MutableSpan<S>) throws {
    try x.withBorrowedMatrix { try smoothMaxDriver($0, kind, parameter, backend, min: true, into: &out) }
}
