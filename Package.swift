// swift-tools-version:6.0
import PackageDescription

/// Engine and metrics code runs ~100x slower unoptimised; release builds use -Ounchecked there.
/// `-target-cpu` is not set: hot kernels live in CKernels with runtime CPU dispatch, so the binary
/// runs on any x86-64 (see docs/swift-notes in the shared design notes).
let fastSwift: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release)),
]
let fastC: [CSetting] = [
    .unsafeFlags(["-O3", "-fno-math-errno"]),
]

let package = Package(
    name: "align",
    products: [
        .executable(name: "align", targets: ["align"]),
        .library(name: "AlignSyntax", targets: ["AlignSyntax"]),
        .library(name: "AlignRuntime", targets: ["AlignRuntime"]),
        .library(name: "AlignEngine", targets: ["AlignEngine"]),
        .library(name: "AlignMetrics", targets: ["AlignMetrics"]),
        .library(name: "AlignNotebook", targets: ["AlignNotebook"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // MARK: - System libraries and C code
        .systemLibrary(name: "CReadline", path: "Sources/CReadline", providers: [.apt(["libreadline-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "CSentencePiece", linkerSettings: [.linkedLibrary("sentencepiece")]),
        .target(name: "CKernels", cSettings: fastC),

        // MARK: - Libraries
        .target(name: "AlignSyntax"),
        .target(name: "AlignEngine",
                dependencies: ["CKernels", "CSentencePiece",
                               .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: fastSwift),
        .target(name: "AlignMetrics", swiftSettings: fastSwift),
        .target(name: "AlignRuntime", dependencies: ["AlignSyntax", "AlignEngine", "AlignMetrics", "CSQLite"]),
        .target(name: "AlignNotebook", dependencies: ["AlignRuntime", "CReadline"]),
        .target(name: "AlignServe", dependencies: ["AlignEngine"]),
        .target(name: "AlignReports", dependencies: ["AlignRuntime", "AlignMetrics"]),

        // MARK: - Command line
        .executableTarget(name: "align",
                          dependencies: ["AlignNotebook", "AlignReports", "AlignRuntime", "AlignEngine", "AlignServe",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        // MARK: - Tests
        // What several test targets share: locating the built `align`, running `align serve`.
        .target(name: "AlignTestSupport", path: "Tests/AlignTestSupport"),
        .testTarget(name: "AlignSyntaxTests", dependencies: ["AlignSyntax"]),
        .testTarget(name: "AlignRuntimeTests", dependencies: ["AlignRuntime", "AlignTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "LanguageTests", dependencies: ["AlignRuntime"], exclude: ["cases", "README.md"]),
        .testTarget(name: "AlignEngineTests", dependencies: ["AlignEngine"], exclude: ["Fixtures"]),
        .testTarget(name: "AlignMetricsTests", dependencies: ["AlignMetrics"], exclude: ["Fixtures"]),
        .testTarget(name: "AlignNotebookTests", dependencies: ["AlignNotebook", "AlignTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "AlignServeTests", dependencies: ["AlignServe", "AlignEngine", "AlignTestSupport"]),
        .testTarget(name: "AlignReportsTests", dependencies: ["AlignReports", "AlignRuntime"]),
    ],
    cxxLanguageStandard: .cxx17
)
