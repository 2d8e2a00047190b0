import CSmoothKit

// Half-precision row ops (SPEC §1.6): logsumexp, softmax, log_softmax and soft-argmax on a
// `HalfMatrix`, computed in Float with the Float algorithm and rounded once to the storage
// type. The C backend calls smoothkit_half.h; the pure-Swift backend widens to a
// `Matrix<Float>`, runs the Float op and rounds back.

// MARK: - the four ops (SPEC §1.6)

/// Throws the error of a C status (arguments are checked before, so only what the C alone
/// can report: SMK_ERR_COMPUTE when a long row's scratch cannot be allocated).
private func throwing(_ s: smk_status) throws {
    guard s == SMK_OK else { throw SmoothKitError.computationFailed(status: Int(s.rawValue)) }
}

/// The smooth maximum of each row of a half-precision matrix, in Float:
/// `m + τ·log Σ exp((x_i − m)/τ)` on the exact stored values; SPEC §1.3's Float bound.
///
/// ```swift
/// let x = try HalfMatrix<BFloat16>(rows: 1, cols: 3, elements: [1, 2, 3].map { BFloat16($0) })
/// try logSumExp(x)              // [3.4076]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)`` if τ is not finite and > 0.
public func logSumExp<E: HalfPrecisionStorage>(_ x: HalfMatrix<E>, temperature: Float = 1,
                                               backend: Backend = .automatic) throws -> [Float] {
    try halfReduce(x, temperature, backend, swift: { try logSumExp($0, temperature: temperature, backend: .swift) },
                   f16: smk_logsumexp_f16, bf16: smk_logsumexp_bf16)
}

/// The soft argmax `Σ_i i·p_i` of each row (zero-based, in Float); SPEC §1.3's Float bound.
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``.
public func softArgmax<E: HalfPrecisionStorage>(_ x: HalfMatrix<E>, temperature: Float = 1,
                                                backend: Backend = .automatic) throws -> [Float] {
    try halfReduce(x, temperature, backend, swift: { try softArgmax($0, temperature: temperature, backend: .swift) },
                   f16: smk_softargmax_f16, bf16: smk_softargmax_bf16)
}

/// The softmax of each row, rounded once to the storage type: relative error
/// `8u + 2^-(p+1)` (u = 2^-24; p = 10 fraction bits for Float16, 7 for BFloat16).
///
/// ```swift
/// let x = try HalfMatrix<BFloat16>(rows: 1, cols: 3, elements: [0, 0, -.infinity].map { BFloat16($0) })
/// try softmax(x).elements.map(Float.init)   // [0.5, 0.5, 0]
/// ```
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``.
public func softmax<E: HalfPrecisionStorage>(_ x: HalfMatrix<E>, temperature: Float = 1,
                                             backend: Backend = .automatic) throws -> HalfMatrix<E> {
    try halfMap(x, temperature, backend, swift: { try softmax($0, temperature: temperature, backend: .swift) },
                f16: smk_softmax_f16, bf16: smk_softmax_bf16)
}

/// The log-softmax of each row, rounded once to the storage type (−∞ past its range).
/// - Throws: ``SmoothKitError/invalidTemperature(_:)``.
public func logSoftmax<E: HalfPrecisionStorage>(_ x: HalfMatrix<E>, temperature: Float = 1,
                                                backend: Backend = .automatic) throws -> HalfMatrix<E> {
    try halfMap(x, temperature, backend, swift: { try logSoftmax($0, temperature: temperature, backend: .swift) },
                f16: smk_log_softmax_f16, bf16: smk_log_softmax_bf16)
}

/// ``softmax(_:temperature:backend:)`` writing into `y`, which must have `x`'s rows and cols
/// (its leading dimension may differ; its padding is left alone). `y` may be a copy of `x`.
/// - Throws: also ``SmoothKitError/shapeMismatch(expected:actual:)``; nothing is written then.
public func softmax<E: HalfPrecisionStorage>(_ x: HalfMatrix<E>, temperature: Float = 1, backend: Backend = .automatic,
                                             into y: inout HalfMatrix<E>) throws {
    try halfMap(x, temperature, backend, into: &y, swift: { try softmax($0, temperature: temperature, backend: .swift) },
                f16: smk_softmax_f16, bf16: smk_softmax_bf16)
}

/// ``logSoftmax(_:temperature:backend:)`` writing into `y` (same rules as softmax's `into:`).
public func logSoftmax<E: HalfPrecisionStorage>(_ x: HalfMatrix<E>, temperature: Float = 1,
                                                backend: Backend = .automatic, into y: inout HalfMatrix<E>) throws {
    try halfMap(x, temperature, backend, into: &y, swift: { try logSoftmax($0, temperature: temperature, backend: .swift) },
                f16: smk_log_softmax_f16, bf16: smk_log_softmax_bf16)
}

private typealias HalfReduceC = (UnsafePointer<UInt16>?, Int, Int, Int, Float, UnsafeMutablePointer<Float>?) -> smk_status
private typealias HalfMapC = (UnsafePointer<UInt16>?, Int, Int, Int, Float, UnsafeMutablePointer<UInt16>?, Int)
    -> smk_status

private func halfReduce<E>(_ x: HalfMatrix<E>, _ t: Float, _ backend: Backend,
                           swift: (Matrix<Float>) throws -> [Float], f16: HalfReduceC,
                           bf16: HalfReduceC) throws -> [Float] {
    try checkTemperature(t)
    if backend.resolved == .swift { return try swift(x.floatMatrix) }
    var out = [Float](repeating: 0, count: x.rows)
    let f = E._halfKind == .float16 ? f16 : bf16
    try x.withBits { xp in
        try out.withUnsafeMutableBufferPointer { try throwing(f(xp, x.rows, x.cols, x.leadingDimension, t, $0.baseAddress)) }
    }
    return out
}

private func halfMap<E>(_ x: HalfMatrix<E>, _ t: Float, _ backend: Backend,
                        swift: (Matrix<Float>) throws -> Matrix<Float>, f16: HalfMapC,
                        bf16: HalfMapC) throws -> HalfMatrix<E> {
    var y = x
    try halfMap(x, t, backend, into: &y, swift: swift, f16: f16, bf16: bf16)
    return y
}

private func halfMap<E>(_ x: HalfMatrix<E>, _ t: Float, _ backend: Backend, into y: inout HalfMatrix<E>,
                        swift: (Matrix<Float>) throws -> Matrix<Float>, f16: HalfMapC, bf16: HalfMapC) throws {
    try checkTemperature(t)
    guard x.rows == y.rows, x.cols == y.cols else {
        throw SmoothKitError.shapeMismatch(expected: "\(x.rows)x\(x.cols)", actual: "\(y.rows)x\(y.cols)")
    }
    if backend.resolved == .swift {
        let m = try swift(x.floatMatrix)
        for r in 0..<x.rows { for c in 0..<x.cols { y.storage[r * y.leadingDimension + c] = E(m[r, c]) } }
        return
    }
    let f = E._halfKind == .float16 ? f16 : bf16
    let ldy = y.leadingDimension
    try x.withBits { xp in try y.withMutableBits { try throwing(f(xp, x.rows, x.cols, x.leadingDimension, t, $0, ldy)) } }
}
