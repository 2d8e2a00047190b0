// swift-tools-version:6.2
// SmoothKit: smooth approximations of non-smooth functions.
// Dependency-free: the only outside code is OpenBLAS/LAPACKE from the system (apt).
import PackageDescription

let package = Package(
    name: "SmoothKit",
    // Supported: Linux on x86-64 and arm64 (README). macOS is untested; its floor is the first
    // with the Swift 6.2 runtime, whose Span and MutableSpan the API uses.
    platforms: [.macOS(.v26)],
    products: [
        // The Swift API.
        .library(name: "SmoothKit", targets: ["SmoothKit"]),
        // The C ABI as a shared library (libsmoothkit.so) for C, Python and Rust users.
        .library(name: "smoothkit", type: .dynamic, targets: ["CSmoothKit"]),
        .executable(name: "smoothkit-bench", targets: ["smoothkit-bench"]),
    ],
    // Documentation only (`swift package generate-documentation`): a plugin, which no
    // library target depends on.
    dependencies: [
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        .target(
            name: "CSmoothKit",
            dependencies: ["COpenBLAS"],
            path: "CKernels",
            // generic bodies included once per element type (instance.h): by kernels/instantiate.h and
            // by the entry points' .c files
            exclude: ["kernels/rowops.inc", "kernels/packet.inc", "kernels/dword.inc", "kernels/exp.inc",
                      "kernels/tiny.inc", "kernels/catalog_rows.inc", "kernels/train.inc",
                      "kernels/exp_probe.inc", "kernels/ops.def", "api.inc", "train/train_entries.inc",
                      "catalog/catalog_entries.inc", "catalog/catalog_grad_entries.inc", "linalg/expectation.inc",
                      "linalg/eigmax.inc", "linalg/spatial.inc", "half/convert.inc"],
            publicHeadersPath: "include",
            cSettings: [.headerSearchPath(".")],
            // openblas.pc does not link LAPACKE; the linalg ops (smooth λ_max) call it.
            linkerSettings: [.linkedLibrary("lapacke"), .linkedLibrary("m")]
        ),
        .target(
            name: "SmoothKit",
            dependencies: ["CSmoothKit"],
            path: "Sources/SmoothKit",
            // MatrixView and MutableMatrixView are non-escapable views over a Span; declaring
            // their initialisers' lifetime (`@_lifetime`) needs this. Users of the views do not.
            swiftSettings: [.enableExperimentalFeature("Lifetimes")]
        ),
        // The test-only C entry points (CKernels/testing.h, compiled into CSmoothKit) as a Swift
        // module for the tests; no product exposes it.
        .systemLibrary(name: "CSmoothKitTesting", path: "Tests/CSmoothKitTesting"),
        .executableTarget(
            name: "smoothkit-bench",
            dependencies: ["SmoothKit", "CSmoothKit"],
            path: "Benchmarks/smoothkit-bench"
        ),
        .testTarget(
            name: "SmoothKitTests",
            dependencies: ["SmoothKit", "CSmoothKit", "CSmoothKitTesting"],
            path: "Tests/SmoothKitTests"
        ),
    ]
)
