// swift-tools-version:6.1
// libFuzzer targets for driftd's input boundaries (docs/operations.md, "Fuzzing"). Not part of
// the main package: the targets are built with `swift build --sanitize=fuzzer --sanitize=address`,
// which instruments every module they link (DriftDecode and its C++ simdjson shim, DriftConfig,
// Yams, DriftCore) and links libFuzzer's `main`. Run them with `make fuzz` (scripts/fuzz.sh).
import PackageDescription

let package = Package(
    name: "driftd-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "driftd", path: "..")
    ],
    targets: [
        // Inference events (InferenceEventDecoder, ParallelEventDecoder) and label events
        // (LabelEventDecoder) against the schema of config/baselines/churn.json.
        .executableTarget(
            name: "FuzzEventDecoders",
            dependencies: [
                .product(name: "DriftDecode", package: "driftd"),
                .product(name: "DriftConfig", package: "driftd"),
                .product(name: "DriftCore", package: "driftd")
            ]
        ),
        // YAML configuration bytes through ConfigurationLoader.load(file:), as `driftd validate` does.
        .executableTarget(
            name: "FuzzConfigLoader",
            dependencies: [
                .product(name: "DriftConfig", package: "driftd"),
                .product(name: "DriftKafka", package: "driftd")
            ]
        )
    ]
)
