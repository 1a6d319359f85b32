// swift-tools-version:6.1
import PackageDescription

let strictness: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility")
]

let package = Package(
    name: "driftd",
    // Linux (Debian 12, Swift 6.3) is what is built and tested; macOS 15 is the first release with
    // the Synchronization module's Mutex and Atomic that the daemon uses.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "driftd", targets: ["driftd"]),
        .library(name: "DriftCore", targets: ["DriftCore"]),
        .library(name: "DriftDecode", targets: ["DriftDecode"]),
        .library(name: "DriftKafka", targets: ["DriftKafka"]),
        .library(name: "DriftConfig", targets: ["DriftConfig"]),
        .library(name: "DriftData", targets: ["DriftData"]),
        .library(name: "DriftDaemon", targets: ["DriftDaemon"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // Seldon Core 2 topics carry Open Inference Protocol protobuf; the Swift code is generated
        // once by scripts/generate-oip-protobuf.sh and committed (no build plugin).
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0")
    ],
    targets: [
        // MARK: - C libraries (system and shim)
        .systemLibrary(
            name: "Crdkafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .target(
            name: "CSimdjsonShim",
            // C++17 comes from `cxxLanguageStandard`; optimisation from the build configuration
            // (no unsafeFlags, so the library products can be depended on).
            cxxSettings: [.define("NDEBUG")],
            linkerSettings: [.linkedLibrary("simdjson"), .linkedLibrary("stdc++")]
        ),

        // MARK: - Pure domain: statistics, histograms, windows, policy (no I/O)
        .target(name: "DriftCore", swiftSettings: strictness),

        // MARK: - Adapters (each the only importer of its C module)
        .target(
            name: "DriftDecode",
            dependencies: ["DriftCore", "CSimdjsonShim", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strictness
        ),
        .target(
            name: "DriftKafka",
            dependencies: ["Crdkafka", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictness
        ),
        .target(
            name: "DriftConfig",
            dependencies: ["DriftCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictness
        ),
        .target(name: "DriftData", dependencies: ["DriftCore", "DriftDecode"], swiftSettings: strictness),

        // MARK: - The daemon: pipeline, services, metrics, state
        .target(
            name: "DriftDaemon",
            dependencies: [
                "DriftCore", "DriftDecode", "DriftKafka", "DriftConfig",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio")
            ],
            swiftSettings: strictness
        ),
        .executableTarget(
            name: "driftd",
            dependencies: [
                "DriftDaemon", "DriftCore", "DriftConfig", "DriftData", "DriftKafka",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle")
            ],
            swiftSettings: strictness
        ),

        // MARK: - Tests
        // Helpers shared by the test targets: swift-log's in-memory handler as a Logger, and an
        // HTTP client for the status server.
        .target(
            name: "DriftTestSupport",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio")
            ],
            path: "Tests/DriftTestSupport",
            swiftSettings: strictness
        ),
        .testTarget(name: "DriftCoreTests", dependencies: ["DriftCore"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "DriftDecodeTests",
            dependencies: ["DriftDecode", "DriftCore", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "DriftKafkaTests",
            dependencies: [
                "DriftKafka", "DriftTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log")
            ]
        ),
        .testTarget(
            name: "DriftConfigTests", dependencies: ["DriftConfig", "DriftData", "DriftCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "DriftDataTests", dependencies: ["DriftData", "DriftCore"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "DriftDaemonTests",
            dependencies: [
                "DriftDaemon", "DriftCore", "DriftKafka", "DriftConfig", "DriftData", "DriftDecode", "DriftTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
            ]
        )
    ],
    cxxLanguageStandard: .cxx17
)
