// Half-precision storage types (SPEC §1.6): `BFloat16`, and the protocol that `BFloat16` and
// `Float16` (where the platform has it) conform to so that `HalfMatrix` and its ops are generic.

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
public struct BFloat16: Hashable, Sendable, BitwiseCopyable, CustomStringConvertible {
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
public protocol HalfPrecisionStorage: Sendable, Equatable, BitwiseCopyable {
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
