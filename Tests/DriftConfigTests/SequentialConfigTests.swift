import DriftConfig
import DriftCore
import Testing

@Suite("Configuration: drift.sequential")
struct SequentialConfigTests {
    /// Loads `drift` YAML (indented for the defaults section) next to the minimal fixture.
    private func load(_ drift: String, features: String = "") throws(InvalidConfiguration) -> DaemonConfiguration {
        let file = (try? RepositoryPaths.fixture("configs/minimal.yaml")) ?? "configs/minimal.yaml"
        let yaml = """
            kafka:
              brokers: localhost:9092
            defaults:
              drift:
            \(drift)
            models:
              - baseline: ../baselines/churn.json
            \(features)
            """
        return try ConfigurationLoader.load(yaml: yaml, file: file)
    }

    @Test("absent: on, with no run length of its own (the model's false-alert budget sets it)")
    func defaults() throws {
        let model = try #require(try load("    severity: warning").models.first)
        #expect(model.defaultRule.sequential)
        #expect(model.defaultRule.sequentialRunLength == nil)
    }

    @Test("enabled and run_length are read; a feature overrides one key and keeps the other")
    func keys() throws {
        let config = try load(
            "    sequential: { enabled: true, run_length: 5e6 }",
            features:
                "    features:\n      tenure: { sequential: { run_length: 1e7 } }\n      monthly_charges: { sequential: false }"
        )
        let model = try #require(config.models.first)
        #expect(model.defaultRule.sequential)
        #expect(model.defaultRule.sequentialRunLength == 5e6)
        #expect(model.rule(forFeature: "tenure").sequential)
        #expect(model.rule(forFeature: "tenure").sequentialRunLength == 1e7)
        #expect(!model.rule(forFeature: "monthly_charges").sequential)
        #expect(model.rule(forFeature: "monthly_charges").sequentialRunLength == 5e6)
    }

    @Test("bad values are reported with the key and line")
    func errors() throws {
        let thrown = try #require(throws: InvalidConfiguration.self) {
            try load("    sequential: { enabled: maybe, run_length: 10, window: 3 }")
        }
        let byKey = Dictionary(thrown.errors.map { ($0.keyPath, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byKey["defaults.drift.sequential.enabled"]?.code == .typeMismatch)
        #expect(byKey["defaults.drift.sequential.run_length"]?.code == .outOfRange)
        #expect(byKey["defaults.drift.sequential.window"]?.code == .unknownKey)
        #expect(thrown.errors.allSatisfy { $0.line == 5 })
    }
}
