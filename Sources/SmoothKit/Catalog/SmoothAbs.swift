import CSmoothKit

/// The smooth absolute values of SPEC §2. Each is finite for every finite `x`.
///
/// | case | parameter | f(x) | bound |
/// |---|---|---|---|
/// | `logCosh` | sharpness k | `(1/k) ln(e^{kx} + e^{−kx}) = |x| + log1p(e^{−2k|x|})/k` | `|x| ≤ f ≤ |x| + ln2/k` |
/// | `source6` | sharpness k | `(1/k) ln(2 + e^{kx} + e^{−kx}) = |x| + 2 log1p(e^{−k|x|})/k` | `|x| ≤ f ≤ |x| + 2ln2/k` |
/// | `sqrt` | width μ | `√(x² + μ²)` | `|x| ≤ f ≤ |x| + μ` |
/// | `erf` | sharpness μ | `x·erf(μx)` | `|x| − 0.24038/μ ≤ f ≤ |x|` |
/// | `huber` | width μ | `x²/(2μ)` if `|x| ≤ μ`, else `|x| − μ/2` | `|x| − μ/2 ≤ f ≤ |x|` |
///
/// ```swift
/// let y = try smoothAbs([-2.0, 0, 3], kind: .huber, parameter: 1)   // [1.5, 0, 2.5]
/// ```
public enum SmoothAbsKind: Sendable, Hashable, CaseIterable {
    case logCosh, source6, sqrt, erf, huber

    var c: smk_abs_kind {
        switch self {
        case .logCosh: SMK_ABS_LOGCOSH
        case .source6: SMK_ABS_SOURCE6
        case .sqrt: SMK_ABS_SQRT
        case .erf: SMK_ABS_ERF
        case .huber: SMK_ABS_HUBER
        }
    }
}

@_specialize(where S == Float)
@_specialize(where S == Double)
func smoothAbsDriver<S: SmoothScalar>(_ x: [S], _ kind: SmoothAbsKind, _ p: S, _ backend: Backend,
                                      derivative: Bool) throws -> ([S], [S]) {
    try checkParameter(p)
    return x.withUnsafeBufferPointer { xb in
        produce(count: x.count, withSecond: derivative) { y, dy in
            let xp = xb.baseAddress!
            switch backend.resolved {
            case .swift:
                for i in 0..<xb.count {
                    let r = SwiftCatalog.abs(kind, Double(p), Double(xp[i]))
                    y[i] = S(r.value)
                    dy?[i] = S(r.derivative)
                }
            default:
                expectOK(S.c.smoothAbs(xp, xb.count, kind.c, Double(p), y, dy), "smooth_abs")
            }
        }
    }
}

/// A smooth |x| of every element (see ``SmoothAbsKind`` for formulas and bounds).
///
/// ```swift
/// let y = try smoothAbs([Float(-1), 0, 1], kind: .logCosh, parameter: 10)   // ≈ [1, 0.0693, 1]
/// ```
/// - Throws: ``SmoothKitError/invalidParameter(name:value:)`` if `parameter` is not finite and > 0.
public func smoothAbs<S: SmoothScalar>(_ x: [S], kind: SmoothAbsKind, parameter: S,
                                       backend: Backend = .automatic) throws -> [S] {
    try smoothAbsDriver(x, kind, parameter, backend, derivative: false).0
}

/// A smooth |x| and its first derivative at every element:
/// `tanh(kx)`, `tanh(kx/2)`, `x/√(x²+μ²)`, `erf(μx) + (2/√π)μx·e^{−μ²x²}`, `clamp(x/μ, −1, 1)`.
///
/// ```swift
/// let (y, dy) = try smoothAbsWithDerivative([0.5], kind: .sqrt, parameter: 1.0)  // dy ≈ [0.447]
/// ```
/// - Throws: ``SmoothKitError/invalidParameter(name:value:)`` if `parameter` is not finite and > 0.
public func smoothAbsWithDerivative<S: SmoothScalar>(_ x: [S], kind: SmoothAbsKind, parameter: S,
                                                     backend: Backend = .automatic) throws
    -> (values: [S], derivatives: [S]) {
    let r = try smoothAbsDriver(x, kind, parameter, backend, derivative: true)
    return (r.0, r.1)
}
