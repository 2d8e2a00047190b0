import CSmoothKit

// MARK: - softmax expectation

/// The softmax-weighted average of the rows of `values`, for each row of `x`:
/// `E = softmax(X/τ)·V`, i.e. `E[r, j] = Σ_i p_ri·V[i, j]` with `p_r = softmax(X[r]/τ)`.
///
/// Soft-argmax is the case `V = (0, 1, …, n−1)ᵀ`; vector-valued `V` gives weighted centroids
/// and attention-style pooling (`X` the scores, `V` the values). The C path computes the
/// softmax of a block of up to 256 rows with the SIMD row kernel and multiplies it by `V` with
/// one `cblas_sgemm`/`dgemm`, never holding more than that block of probabilities; it runs on
/// OpenBLAS's threads (see smoothkit_linalg.h). The Swift path is a naive product.
///
/// Accuracy: `|E − E_exact|[r, j] ≤ (n + 8)·u·Σ_i p_ri·|V[i, j]|`.
/// Edge rows (SPEC §1 softmax): a NaN in `X[r]` → `E[r]` all NaN; `k` entries `+∞` → the mean
/// of those `k` rows of `V`; a fully masked row (all `−∞`) → `E[r] = 0` (not NaN as
/// ``softArgmax(_:temperature:backend:threads:)->[S]`` gives: a weighted sum with no weight is 0);
/// `n == 0` → all zeros. A non-finite entry of `V` makes the product NaN even where its weight
/// is 0 (`0·∞`), as in any matrix product.
///
/// ```swift
/// let scores = try Matrix<Float>(rows: 1, cols: 3, elements: [0, 0, -.infinity])
/// let points = try Matrix<Float>(rows: 3, cols: 2, elements: [0, 0,
///                                                            2, 4,
///                                                            9, 9])
/// let centroid = try softmaxExpectation(scores, values: points)   // [[1, 2]]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)`` if τ is not finite and > 0;
///   ``SmoothKitError/shapeMismatch(expected:actual:)`` if `values.rows != x.cols`;
///   ``SmoothKitError/invalidShape(_:)`` if a size exceeds BLAS's 32-bit limit (C path);
///   ``SmoothKitError/computationFailed(status:)`` if the workspace cannot be allocated.
public func softmaxExpectation<S: SmoothScalar>(_ x: Matrix<S>, values: Matrix<S>, temperature: S = 1,
                                                backend: Backend = .automatic) throws -> Matrix<S> {
    var e = try Matrix<S>(rows: x.rows, cols: values.cols, repeating: 0)
    try softmaxExpectation(x, values: values, temperature: temperature, backend: backend, into: &e)
    return e
}

/// ``softmaxExpectation(_:values:temperature:backend:)`` writing into `e`, which must be
/// `x.rows × values.cols` (its leading dimension may differ).
///
/// ```swift
/// var e = try Matrix<Double>(rows: x.rows, cols: v.cols, repeating: 0)
/// try softmaxExpectation(x, values: v, into: &e)
/// ```
/// - Throws: as the returning form, and ``SmoothKitError/shapeMismatch(expected:actual:)`` for
///   a wrong `e`; nothing is written then.
public func softmaxExpectation<S: SmoothScalar>(_ x: Matrix<S>, values: Matrix<S>, temperature: S = 1,
                                                backend: Backend = .automatic, into e: inout Matrix<S>) throws {
    try LinalgDriver.expectation(x, values, temperature, backend, &e)
}

/// The internal, specialised drivers behind the public generic linalg functions.
enum LinalgDriver {
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func expectation<S: SmoothScalar>(_ x: Matrix<S>, _ v: Matrix<S>, _ t: S, _ backend: Backend,
                                             _ e: inout Matrix<S>) throws {
        try checkTemperature(t)
        guard v.rows == x.cols else {
            throw SmoothKitError.shapeMismatch(expected: "values with \(x.cols) rows", actual: v.shapeDescription)
        }
        guard e.rows == x.rows, e.cols == v.cols else {
            throw SmoothKitError.shapeMismatch(expected: "\(x.rows) × \(v.cols)", actual: e.shapeDescription)
        }
        guard x.rows > 0, v.cols > 0 else { return }
        let (rows, n, d) = (x.rows, x.cols, v.cols)
        let (ldx, ldv, lde) = (x.leadingDimension, v.leadingDimension, e.leadingDimension)
        try x.withBase { xp in
            try v.withBase { vp in
                try e.withMutableBase { ep in
                    switch backend.resolved {
                    case .swift:
                        SwiftLinalg.expectation(xp, rows: rows, n: n, ldx: ldx, temperature: t, v: vp, d: d, ldv: ldv,
                                                e: ep, lde: lde)
                    default:
                        try LinalgC.check(cExpectation(xp, rows, n, ldx, t, vp, d, ldv, ep, lde), "softmaxExpectation")
                    }
                }
            }
        }
    }

    private static func cExpectation<S: SmoothScalar>(_ x: UnsafePointer<S>, _ rows: Int, _ n: Int, _ ldx: Int, _ t: S,
                                                      _ v: UnsafePointer<S>, _ d: Int, _ ldv: Int,
                                                      _ e: UnsafeMutablePointer<S>, _ lde: Int) -> smk_status {
        S.c.softmaxExpectation(x, rows, n, ldx, Double(t), v, d, ldv, e, lde, nil, 0)
    }
}
