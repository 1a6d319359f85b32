// swift-tools-version:6.1
import PackageDescription

// The detection-quality benchmark: a separate package so the root package's build and test
// graph stay untouched. It uses driftd's pure core (`DriftCore`) exactly as the daemon does.
let package = Package(
    name: "DetectionQuality",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "driftd", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "DetectionQuality",
            dependencies: [.product(name: "DriftCore", package: "driftd")],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility")
            ]
        ),
        .executableTarget(
            name: "DetectionBudget",
            dependencies: [.product(name: "DriftCore", package: "driftd")]
        )
    ]
)
