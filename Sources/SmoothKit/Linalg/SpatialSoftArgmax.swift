import CSmoothKit

// MARK: - 2-D spatial soft-argmax

/// The coordinate system of ``spatialSoftArgmax(_:height:width:temperature:coordinates:backend:)``.
///
/// ```swift
/// let px = try spatialSoftArgmax(maps, height: 64, width: 64, coordinates: .pixel)
/// let nc = try spatialSoftArgmax(maps, height: 64, width: 64, coordinates: .normalized)
/// ```
public enum SpatialCoordinates: Sendable, Hashable, CaseIterable {
    /// Zero-based pixel indices: `x = j ∈ [0, width − 1]`, `y = i ∈ [0, height − 1]`
    /// (kornia's `normalized_coordinates=False`).
    case pixel
    /// `[−1, 1]` with pixel centres at the edges: `x_j = −1 + 2j/(width − 1)` (kornia's
    /// `create_meshgrid(normalized_coordinates=True)`, torch's `align_corners=True`). A single
    /// column (row) sits at the centre, 0.
    case normalized

    var cValue: smk_coords { self == .pixel ? SMK_COORDS_PIXEL : SMK_COORDS_NORMALIZED }

    /// Coordinate of index `k` of an axis with `count` pixels: origin + step·k.
    func axis(_ count: Int) -> (origin: Double, step: Double) {
        switch self {
        case .pixel: (0, 1)
        case .normalized: count > 1 ? (-1, 2 / Double(count - 1)) : (0, 0)
        }
    }
}

/// The expected position of each heat map under its softmax: with `p = softmax(X/τ)` over
/// the `height·width` pixels, `x = Σ p_ij·cx_j`, `y = Σ p_ij·cy_i` (x the column, y the row).
///
/// Each row of `heatMaps` is one map, row-major `height × width` (a `B × C × H × W` tensor is
/// `B·C` rows of `H·W`). The result has one row `(x, y)` per map, as kornia's
/// `spatial_soft_argmax2d` (whose `temperature` multiplies: kornia's β is τ = 1/β here).
/// Accuracy `≤ (h + w + 10)·u·R` per coordinate (R = max(w, h) − 1 in pixels, 2 normalised).
/// Edge maps: NaN → NaN; `+∞` entries → the mean position of those pixels; all `−∞` or no
/// pixel → NaN (no position is defined).
///
/// ```swift
/// // one 2 × 3 map: p = (1, 1, 1; 1, 1, 7)/12
/// let map = try Matrix<Float>(rows: 1, cols: 6, elements: [0, 0, 0, 0, 0, log(7)])
/// let px = try spatialSoftArgmax(map, height: 2, width: 3, coordinates: .pixel)       // [[1.5, 0.75]]
/// let nc = try spatialSoftArgmax(map, height: 2, width: 3, coordinates: .normalized)  // [[0.5, 0.5]]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``;
///   ``SmoothKitError/shapeMismatch(expected:actual:)`` if `heatMaps.cols != height·width`;
///   ``SmoothKitError/invalidShape(_:)`` for a negative size;
///   ``SmoothKitError/computationFailed(status:)`` if the C path cannot allocate its workspace.
public func spatialSoftArgmax<S: SmoothScalar>(_ heatMaps: Matrix<S>, height: Int, width: Int, temperature: S = 1,
                                               coordinates: SpatialCoordinates = .normalized,
                                               backend: Backend = .automatic) throws -> Matrix<S> {
    try LinalgDriver.spatial(heatMaps, height, width, temperature, coordinates, backend, upstream: nil)
}

/// The vector–Jacobian product of ``spatialSoftArgmax(_:height:width:temperature:coordinates:backend:)``:
/// given `upstream` (one row `(gx, gy)` per map), returns per map
/// `∂/∂X_ij = p_ij·(gx·(cx_j − x) + gy·(cy_i − y))/τ`, the shape of `heatMaps`.
///
/// Edge maps: `+∞` entries → all 0 (the position does not move under finite changes); NaN or
/// fully masked → all NaN.
///
/// ```swift
/// let up = try Matrix<Float>(rows: 1, cols: 2, elements: [1, 0])      // d x / d map
/// let g = try spatialSoftArgmaxGradient(map, height: 2, width: 3, upstream: up)
/// ```
/// - Throws: as the forward, and ``SmoothKitError/shapeMismatch(expected:actual:)`` if
///   `upstream` is not `heatMaps.rows × 2`.
public func spatialSoftArgmaxGradient<S: SmoothScalar>(_ heatMaps: Matrix<S>, height: Int, width: Int,
                                                       temperature: S = 1,
                                                       coordinates: SpatialCoordinates = .normalized,
                                                       upstream: Matrix<S>, backend: Backend = .automatic) throws -> Matrix<S> {
    try LinalgDriver.spatial(heatMaps, height, width, temperature, coordinates, backend, upstream: upstream)
}

extension LinalgDriver {
    /// Forward (`upstream == nil`, result maps × 2) or gradient (result the shape of `heat`).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func spatial<S: SmoothScalar>(_ heat: Matrix<S>, _ h: Int, _ w: Int, _ t: S, _ coords: SpatialCoordinates,
                                         _ backend: Backend, upstream: Matrix<S>?) throws -> Matrix<S> {
        try checkTemperature(t)
        guard h >= 0, w >= 0 else { throw SmoothKitError.invalidShape("height and width must be >= 0, got \(h) × \(w)") }
        let (hw, overflow) = h.multipliedReportingOverflow(by: w)
        guard !overflow, hw == heat.cols else {
            throw SmoothKitError.shapeMismatch(expected: "\(h)·\(w) columns", actual: heat.shapeDescription)
        }
        if let upstream, upstream.rows != heat.rows || upstream.cols != 2 {
            throw SmoothKitError.shapeMismatch(expected: "\(heat.rows) × 2", actual: upstream.shapeDescription)
        }
        let maps = heat.rows, ldh = heat.leadingDimension
        var out = try Matrix<S>(rows: maps, cols: upstream == nil ? 2 : hw, repeating: 0)
        guard maps > 0 else { return out }
        let g = upstream?.elements
        let ldo = out.leadingDimension
        try heat.withBase { hp in
            try out.withMutableBase { op in
                switch backend.resolved {
                case .swift:
                    if let g { SwiftLinalg.spatialGradient(hp, maps: maps, h: h, w: w, ldh: ldh, temperature: t, coords: coords, gxy: g, d: op, ldd: ldo) }
                    else { SwiftLinalg.spatial(hp, maps: maps, h: h, w: w, ldh: ldh, temperature: t, coords: coords, xy: op) }
                default:
                    try LinalgC.check(cSpatial(hp, maps, h, w, ldh, t, coords, g, op, ldo), "spatialSoftArgmax")
                }
            }
        }
        return out
    }

    private static func cSpatial<S: SmoothScalar>(_ heat: UnsafePointer<S>, _ maps: Int, _ h: Int, _ w: Int, _ ldh: Int,
                                                  _ t: S, _ coords: SpatialCoordinates, _ g: [S]?,
                                                  _ out: UnsafeMutablePointer<S>, _ ldo: Int) -> smk_status {
        guard let g else { return S.c.spatialSoftArgmax(heat, maps, h, w, ldh, Double(t), coords.cValue, out, nil, 0) }
        return g.withUnsafeBufferPointer { gp in
            S.c.spatialSoftArgmaxGradient(heat, maps, h, w, ldh, Double(t), coords.cValue, gp.baseAddress!, out, ldo)
        }
    }
}
