// swift-tools-version:6.0
// A training loop of your own that logs through GradlogKit; `.ci/run` builds and runs it.
import PackageDescription

// A package found by path is named after its folder, whatever the clone of gradlog is called.
let gradlogFolder = Context.packageDirectory.split(separator: "/").dropLast(2).last.map(String.init) ?? "gradlog"

let package = Package(
    name: "HandWrittenLoop",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(
            name: "HandWrittenLoop",
            dependencies: [.product(name: "GradlogKit", package: gradlogFolder.lowercased())]),
    ],
    swiftLanguageModes: [.v6]
)
