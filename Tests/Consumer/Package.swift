// swift-tools-version:6.2
// A downstream package that depends on SmoothKit by path: proves the package builds as a
// dependency (no unsafe flags, no ISA flags) and that its public API is usable.
import PackageDescription

let package = Package(
    name: "Consumer",
    dependencies: [.package(name: "SmoothKit", path: "../..")],
    targets: [
        .executableTarget(name: "consumer", dependencies: [.product(name: "SmoothKit", package: "SmoothKit")],
                          path: "Sources/Consumer")
    ]
)
