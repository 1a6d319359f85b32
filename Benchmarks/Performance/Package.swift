// swift-tools-version:6.1
// driftd performance benchmarks (ordo-one/package-benchmark), run by `make bench` from the
// repository root. Every figure is measured side by side with its reference in one process;
// see docs/performance.md.
import PackageDescription

/// Release builds of the benchmarks target the same CPU level as `make release` (x86-64-v3,
/// AVX2): default Swift codegen (SSE2) halves SIMD bin-search throughput. Dependencies (the
/// root package) get the same flags from the Makefile's `-Xswiftc -target-cpu` options.
let benchmarkSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility")
]

let benchmarkNames = ["DecodeThroughput", "BinUpdate", "DispatchScaling", "EndToEnd", "MemoryPerFeature"]

let package = Package(
    name: "Performance",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "driftd", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.5.0")
    ],
    targets: [
        .target(name: "PerformanceFigures", swiftSettings: benchmarkSettings),
        .target(
            name: "PerformanceSupport",
            dependencies: [
                "PerformanceFigures",
                .product(name: "DriftCore", package: "driftd"),
                .product(name: "DriftDecode", package: "driftd"),
                .product(name: "Benchmark", package: "benchmark")
            ],
            swiftSettings: benchmarkSettings
        ),
        .executableTarget(
            name: "PerformanceSummary",
            dependencies: ["PerformanceFigures"],
            swiftSettings: benchmarkSettings
        ),
        // The input formats against driftd's own format: decoding only (no Kafka, no daemon).
        .executableTarget(
            name: "FormatDecode",
            dependencies: [
                "PerformanceSupport",
                "PerformanceFigures",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DriftCore", package: "driftd"),
                .product(name: "DriftDecode", package: "driftd")
            ],
            path: "Benchmarks/FormatDecode",
            swiftSettings: benchmarkSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
        + benchmarkNames.map { name in
            .executableTarget(
                name: name,
                dependencies: [
                    "PerformanceSupport",
                    "PerformanceFigures",
                    .product(name: "Benchmark", package: "benchmark"),
                    .product(name: "DriftCore", package: "driftd"),
                    .product(name: "DriftDecode", package: "driftd"),
                    .product(name: "DriftKafka", package: "driftd"),
                    .product(name: "DriftDaemon", package: "driftd"),
                    .product(name: "Logging", package: "swift-log"),
                    .product(name: "MallocInterposerSwift", package: "malloc-interposer")
                ],
                path: "Benchmarks/\(name)",
                swiftSettings: benchmarkSettings,
                plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
            )
        }
)
