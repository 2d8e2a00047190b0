import CSmoothKit

// Half-precision storage (SPEC §1.6): the four row ops on matrices of `Float16` (where the
// platform has it) or `BFloat16`, computed in Float with the Float algorithm and rounded once
// to the storage type. The C backend calls smoothkit_half.h; the pure-Swift backend widens to
// a `Matrix<Float>`, runs the Float op and rounds back.

/// bfloat16: the top 16 bits of a `Float` (1 sign, 8 exponent, 7 fraction bits): `Float`'s
/// range with 2–3 significant decimal digits. A storage type: arithmetic goes through `Float`.
///
/// Conversion from `Float` rounds to nearest, ties to even; NaN stays NaN; values past the
/// largest finite one (≈ 3.39e38) by half an ulp become ±∞; subnormals are kept.
///
/// ```swift
/// let b = BFloat16(3.14159)     // 3.140625 (0x4049)
/// Float(b)                      // 3.140625, exact
/// ```
public struct BFloat16: Hashable, Sendable, CustomStringConvertible {
    /// The 16 bits stored.
    public var bitPattern: UInt16

    public init(bitPattern: UInt16) { self.bitPattern = bitPattern }

    /// `value` rounded to the nearest bfloat16, ties to even: add half an output ulp minus one
    /// plus the kept lowest bit, then truncate (a carry moves the exponent, up to ∞).
    public init(_ value: Float) {
        let u = value.bitPattern
        if value.isNaN {
            bitPattern = UInt16(truncatingIfNeeded: u >> 16) | 0x40 // quiet, sign and payload top kept
        } else {
            bitPattern = UInt16(truncatingIfNeeded: (u &+ 0x7fff &+ ((u >> 16) & 1)) >> 16)
        }
    }

    /// The exact value as a `Float`.
    public var floatValue: Float { Float(bitPattern: UInt32(bitPattern) << 16) }

    public var description: String { floatValue.description }

    /// Equality of values (NaN is not equal to itself; +0 == −0), as for Float.
    public static func == (a: BFloat16, b: BFloat16) -> Bool { a.floatValue == b.floatValue }
    public func hash(into h: inout Hasher) { h.combine(floatValue == 0 ? 0 : bitPattern) }
}

extension Float {
    /// The exact value of a bfloat16.
    public init(_ x: BFloat16) { self = x.floatValue }
}

/// A 16-bit storage type the row ops read and write while computing in Float: `BFloat16`,
/// and `Float16` where the platform has it.
public protocol HalfPrecisionStorage: Sendable, Equatable {
    /// `value` rounded to this type: to nearest, ties to even; ±∞ past the largest finite value.
    init(_ value: Float)
    /// Implementation detail of SmoothKit: the exact value as a Float.
    static func _widen(_ x: Self) -> Float
    /// Implementation detail of SmoothKit: which C entry points serve this type.
    static var _halfKind: _HalfKind { get }
}

/// Implementation detail of `HalfPrecisionStorage`.
public enum _HalfKind: Sendable { case float16, bfloat16 }

extension BFloat16: HalfPrecisionStorage {
    public static func _widen(_ x: BFloat16) -> Float { x.floatValue }
    public static var _halfKind: _HalfKind { .bfloat16 }
}

#if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
extension Float16: HalfPrecisionStorage {
    public static func _widen(_ x: Float16) -> Float { Float(x) }
    public static var _halfKind: _HalfKind { .float16 }
}
#endif

/// A row-major `rows × cols` matrix stored in a 16-bit type, with a leading dimension
/// (elements between row starts, ≥ cols): the half-precision counterpart of ``Matrix``.
///
/// ```swift
/// let x = try HalfMatrix<BFloat16>(rows: 1, cols: 3, elements: [1, 2, 3].map { BFloat16($0) })
/// let p = try softmax(x)        // [[0.0898, 0.2451, 0.6641]] in bfloat16
/// ```
public struct HalfMatrix<Element: HalfPrecisionStorage>: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    public let leadingDimension: Int
    /// The storage, `(rows − 1)·leadingDimension + cols` elements (padding included; the maps
    /// copy x's padding into their result).
    public fileprivate(set) var storage: [Element]

    /// A matrix from `rows·cols` elements in row order, padded to `leadingDimension`.
    /// - Throws: ``SmoothKitError/elementCount(expected:actual:)``, ``SmoothKitError/invalidShape(_:)``.
    public init(rows: Int, cols: Int, leadingDimension: Int? = nil, elements: [Element]) throws {
        let ld = leadingDimension ?? cols
        guard rows >= 0, cols >= 0, ld >= cols else {
            throw SmoothKitError.invalidShape("rows \(rows), cols \(cols), leading dimension \(ld)")
        }
        try checkCount(elements.count, rows * cols)
        self.rows = rows
        self.cols = cols
        self.leadingDimension = ld
        var s = [Element](repeating: Element(Float(0)), count: rows == 0 ? 0 : (rows - 1) * ld + cols)
        for r in 0..<rows { for c in 0..<cols { s[r * ld + c] = elements[r * cols + c] } }
        storage = s
    }

    /// Element (row, col).
    public subscript(row: Int, col: Int) -> Element {
        precondition(row >= 0 && row < rows && col >= 0 && col < cols, "index out of range")
        return storage[row * leadingDimension + col]
    }

    /// The elements in row order, without padding.
    public var elements: [Element] { (0..<rows).flatMap { r in (0..<cols).map { self[r, $0] } } }

    /// The values as a `Matrix<Float>` (exact), with the same leading dimension.
    public var floatMatrix: Matrix<Float> {
        get throws {
            try Matrix<Float>(rows: rows, cols: cols, leadingDimension: leadingDimension,
                              elements: elements.map(Element._widen))
        }
    }

    /// A matrix of `m`'s values rounded to `Element`.
    public init(rounding m: Matrix<Float>) throws {
        try self.init(rows: m.rows, cols: m.cols, leadingDimension: m.leadingDimension,
                      elements: m.elements.map { Element($0) })
    }

    fileprivate func withBits<R>(_ body: (UnsafePointer<UInt16>?) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes { try body($0.baseAddress?.assumingMemoryBound(to: UInt16.self)) }
    }
    fileprivate mutating func withMutableBits<R>(_ body: (UnsafeMutablePointer<UInt16>?) throws -> R) rethrows -> R {
        try storage.withUnsafeMutableBytes { try body($0.baseAddress?.assumingMemoryBound(to: UInt16.self)) }
    }
}

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
