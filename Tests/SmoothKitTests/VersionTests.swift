// The Swift version and the C ABI's version macros and function move together.
import CSmoothKit
import SmoothKit
import Testing

@Test func versionMatchesTheCLibrary() {
    #expect(SmoothKit.version == SmoothKitVersion(major: Int(SMK_VERSION_MAJOR), minor: Int(SMK_VERSION_MINOR),
                                                  patch: Int(SMK_VERSION_PATCH)))
    #expect(Int(smk_version()) == Int(SMK_VERSION_MAJOR) * 10000 + Int(SMK_VERSION_MINOR) * 100 + Int(SMK_VERSION_PATCH))
    #expect(SmoothKit.version.description == "\(SMK_VERSION_MAJOR).\(SMK_VERSION_MINOR).\(SMK_VERSION_PATCH)")
    #expect(SmoothKitVersion(major: 1, minor: 0, patch: 9) < SmoothKitVersion(major: 1, minor: 1, patch: 0))
}
