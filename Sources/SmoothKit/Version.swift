import CSmoothKit

/// A SmoothKit version: the C ABI's `SMK_VERSION_MAJOR.MINOR.PATCH`. The minor number moves
/// with every addition to the C ABI, the major one with any change that breaks it.
///
/// ```swift
/// import SmoothKit
/// print(SmoothKit.version)                       // "1.1.0"
/// precondition(SmoothKit.version >= SmoothKitVersion(major: 1, minor: 1, patch: 0))
/// ```
public struct SmoothKitVersion: Comparable, Sendable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int

    public init(major: Int, minor: Int, patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// From the encoding of `SMK_VERSION` and `smk_version()`: major·10000 + minor·100 + patch.
    init(encoded v: Int) {
        self.init(major: v / 10000, minor: v / 100 % 100, patch: v % 100)
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    public static func < (a: SmoothKitVersion, b: SmoothKitVersion) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }
}

/// The version of the SmoothKit this code was built with, the same as the C library's
/// `smk_version()` (one package builds both, so they cannot differ).
public let version = SmoothKitVersion(encoded: Int(smk_version()))
