import CSmoothKit

// MARK: - smooth largest eigenvalue

/// How the smooth-eigenvalue ops treat the upper triangle of their symmetric inputs.
///
/// ```swift
/// _ = try smoothLargestEigenvalue([a], symmetry: .lowerTriangle)           // trust a's lower half
/// _ = try smoothLargestEigenvalue([a], symmetry: .checked(tolerance: 0))   // demand exact symmetry
/// ```
public enum SymmetryCheck: Sendable, Hashable {
    /// Use the lower triangle (`j ≤ i`); the strict upper triangle is never read and may hold
    /// anything, NaN included.
    case lowerTriangle
    /// Read the whole matrix and require `|a_ij − a_ji| ≤ tolerance·max_kl |a_kl|` for all
    /// `i, j` (`tolerance` finite and ≥ 0), else throw ``SmoothKitError/domain(_:)``; then use
    /// the lower triangle.
    case checked(tolerance: Double)

    /// The default: `.checked(tolerance: 64·ulpOfOne)` of the element type, which accepts the
    /// roundoff of how a symmetric matrix was formed (e.g. `B·Bᵀ` by a GEMM) and rejects a
    /// matrix that is not symmetric.
    public static func roundoff<S: SmoothScalar>(_: S.Type) -> SymmetryCheck {
        .checked(tolerance: 64 * Double(S.ulpOfOne))
    }

    var cValue: smk_symmetry { self == .lowerTriangle ? SMK_SYMMETRY_LOWER : SMK_SYMMETRY_CHECK }
    var tolerance: Double { if case .checked(let tol) = self { tol } else { 0 } }
}

/// The smooth largest eigenvalue of each symmetric matrix:
/// `L_τ(A) = τ·log Σ_i exp(λ_i(A)/τ)`, the logsumexp of the eigenvalues.
///
/// Bounds: `λ_max ≤ L_τ(A) ≤ λ_max + τ·log n` (so `τ → 0` recovers `λ_max`); `L_τ` is convex
/// and smooth even where eigenvalues coincide, with gradient
/// ``smoothLargestEigenvalueWithGradient(_:temperature:symmetry:backend:)``.
/// The C path uses LAPACKE `ssyevd`/`dsyevd` (eigenvalues only) on a copy of each matrix;
/// the Swift path a cyclic Jacobi method. An empty (0 × 0) matrix gives `−∞`.
///
/// ```swift
/// let a = try Matrix<Double>(rows: 2, cols: 2, elements: [2, 1,
///                                                        1, 2])   // λ = 1, 3
/// let l = try smoothLargestEigenvalue([a], temperature: 0.5)      // [3.009075…]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``; ``SmoothKitError/invalidShape(_:)`` for
///   a non-square matrix (or one past LAPACK's 32-bit limits, n ≤ 32 765);
///   ``SmoothKitError/domain(_:)`` for a NaN or ±∞ entry that is read, an asymmetric matrix
///   under `.checked`, or a bad tolerance; ``SmoothKitError/computationFailed(status:)`` if LAPACK fails
///   to converge or memory runs out. Nothing is returned then.
public func smoothLargestEigenvalue<S: SmoothScalar>(_ matrices: [Matrix<S>], temperature: S = 1,
                                                     symmetry: SymmetryCheck = .roundoff(S.self),
                                                     backend: Backend = .automatic) throws -> [S] {
    try LinalgDriver.eigmax(matrices, temperature, symmetry, backend, gradients: false).values
}

/// ``smoothLargestEigenvalue(_:temperature:symmetry:backend:)`` and its gradient for each
/// matrix: `∂L/∂A = U·diag(p)·Uᵀ = Σ_i p_i u_i u_iᵀ`, `p = softmax(λ/τ)`, `u_i` the unit
/// eigenvectors. The gradient is symmetric positive semidefinite with trace 1; it is the
/// derivative for symmetric perturbations (`dL = Σ_ij G_ij·dA_ij`); by an off-diagonal entry of
/// the lower triangle alone the derivative is `2·G_ij`.
///
/// ```swift
/// let (l, g) = try smoothLargestEigenvalueWithGradient([a], temperature: 0.5)
/// // g[0] ≈ [[0.5, 0.482], [0.482, 0.5]]
/// ```
/// - Throws: as ``smoothLargestEigenvalue(_:temperature:symmetry:backend:)``.
public func smoothLargestEigenvalueWithGradient<S: SmoothScalar>(
    _ matrices: [Matrix<S>], temperature: S = 1, symmetry: SymmetryCheck = .roundoff(S.self),
    backend: Backend = .automatic
) throws -> (values: [S], gradients: [Matrix<S>]) {
    try LinalgDriver.eigmax(matrices, temperature, symmetry, backend, gradients: true)
}

extension LinalgDriver {
    /// Validates every matrix (the same rules as the C entry point), then runs the backend.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func eigmax<S: SmoothScalar>(_ matrices: [Matrix<S>], _ t: S, _ symmetry: SymmetryCheck, _ backend: Backend,
                                        gradients: Bool) throws -> (values: [S], gradients: [Matrix<S>]) {
        try checkTemperature(t)
        let tol = symmetry.tolerance
        guard tol.isFinite, tol >= 0 else { throw SmoothKitError.domain("symmetry tolerance must be finite and >= 0, got \(tol)") }
        for (b, a) in matrices.enumerated() {
            guard a.rows == a.cols else { throw SmoothKitError.invalidShape("matrix \(b) is not square: \(a.shapeDescription)") }
            try checkSymmetric(a, symmetry, tol, index: b)
        }
        var values = [S]()
        var grads = [Matrix<S>]()
        for a in matrices {
            let n = a.rows
            var g = try Matrix<S>(rows: gradients ? n : 0, cols: gradients ? n : 0, repeating: 0)
            var value: S = 0
            try a.withBase { ap in
                try g.withMutableBase { gp in
                    let gOut: UnsafeMutablePointer<S>? = gradients ? gp : nil
                    switch backend.resolved {
                    case .swift:
                        value = SwiftLinalg.smoothEigmax(ap, n: n, lda: a.leadingDimension, temperature: t, gradient: gOut, ldg: n)
                    default:
                        try withUnsafeMutablePointer(to: &value) { vp in
                            try LinalgC.check(cEigmax(ap, n, a.leadingDimension, t, symmetry, vp, gOut, max(n, 1)),
                                              "smoothLargestEigenvalue")
                        }
                    }
                }
            }
            values.append(value)
            if gradients { grads.append(g) }
        }
        return (values, grads)
    }

    /// The entries that will be read are finite; under `.checked`, `|a_ij − a_ji| ≤ tol·max|a|`.
    private static func checkSymmetric<S: SmoothScalar>(_ a: Matrix<S>, _ symmetry: SymmetryCheck, _ tol: Double,
                                                        index b: Int) throws {
        let n = a.rows
        var amax: S = 0
        for i in 0..<n {
            for j in 0..<(symmetry == .lowerTriangle ? i + 1 : n) {
                guard a[i, j].isFinite else { throw SmoothKitError.domain("matrix \(b) has a non-finite entry at (\(i), \(j))") }
                amax = max(amax, abs(a[i, j]))
            }
        }
        guard symmetry != .lowerTriangle else { return }
        let bound = S(tol) * amax
        for i in 0..<n {
            for j in 0..<i where !(abs(a[i, j] - a[j, i]) <= bound) {
                throw SmoothKitError.domain("matrix \(b) is not symmetric at (\(i), \(j)) within tolerance \(tol)")
            }
        }
    }

    private static func cEigmax<S: SmoothScalar>(_ a: UnsafePointer<S>, _ n: Int, _ lda: Int, _ t: S,
                                                 _ symmetry: SymmetryCheck, _ out: UnsafeMutablePointer<S>,
                                                 _ g: UnsafeMutablePointer<S>?, _ ldg: Int) -> smk_status {
        // The tolerance is rounded to S, as the C entry point of S takes it.
        S.c.smoothEigmax(a, 1, n, lda, Double(t), symmetry.cValue, Double(S(symmetry.tolerance)), out, g, ldg, nil, 0)
    }
}
