/// The element types SmoothKit computes in: `Float` and `Double`.
///
/// Every public function is generic over `SmoothScalar`, so the same call works for both:
/// ```swift
/// let lse32: [Float]  = try logSumExp(Matrix<Float>(rows: 1, cols: 3, elements: [1, 2, 3]))
/// let lse64: [Double] = try logSumExp(Matrix<Double>(rows: 1, cols: 3, elements: [1, 2, 3]))
/// ```
/// Other types cannot conform usefully: the library's kernels exist for these two only.
public protocol SmoothScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable, BitwiseCopyable {
    /// Which kernels serve this type. Implementation detail of SmoothKit.
    static var _smoothKind: _SmoothScalarKind { get }
}

/// Implementation detail of `SmoothScalar`.
public enum _SmoothScalarKind: Sendable { case float32, float64 }

extension Float: SmoothScalar {
    public static var _smoothKind: _SmoothScalarKind { .float32 }
}

extension Double: SmoothScalar {
    public static var _smoothKind: _SmoothScalarKind { .float64 }
}
