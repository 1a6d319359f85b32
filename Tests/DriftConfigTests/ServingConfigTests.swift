import DriftConfig
import DriftCore
import Testing

@Suite("Configuration: latency and cost")
struct ServingConfigTests {
    /// Loads a config whose defaults and model carry the given sections (already indented).
    private func load(defaults: String, model: String = "") throws(InvalidConfiguration) -> DaemonConfiguration {
        let file = (try? RepositoryPaths.fixture("configs/minimal.yaml")) ?? "configs/minimal.yaml"
        let yaml = """
            kafka:
              brokers: localhost:9092
            defaults:
            \(defaults)
            models:
              - baseline: ../baselines/churn.json
            \(model)
            """
        return try ConfigurationLoader.load(yaml: yaml, file: file)
    }

    @Test("absent: no objectives, 1% sketch, no price")
    func absent() throws {
        let model = try #require(try load(defaults: "  window: { type: count, size: 1000, panes: 10 }").models.first)
        #expect(model.serving == ServingRule())
    }

    @Test("latency and cost objectives are read with their alert keys; a model's section replaces the default")
    func keys() throws {
        let config = try load(
            defaults: """
                  latency: { p99_below: 200ms, max_below: 2s, for: 3, cooldown: 1m, min_samples: 50, resolve_ratio: 0.8, severity: critical }
                  cost: { unit: tokens, per_1000_predictions: 120, per_hour_below: 5000 }
                """,
            model: "    latency: { p95_below: 12.5, relative_accuracy: 0.02 }")
        let rule = try #require(config.models.first).serving
        #expect(rule.relativeAccuracy == 0.02)
        #expect(rule.costUnit == "tokens")
        #expect(rule.costPer1000Predictions == 120)
        #expect(rule.objectives.map(\.kind) == [.latency(.p95), .costPerHour])
        let p95 = rule.objectives[0]
        #expect(p95.threshold == 12.5)
        #expect(p95.rule.forEvaluations == 2)  // the model's section replaced the default's for: 3
        let budget = rule.objectives[1]
        #expect(budget.threshold == 5000)
        #expect(budget.effectiveResolve == 4500)

        let defaultsOnly = try #require(
            try load(
                defaults: """
                      latency: { p99_below: 200ms, max_below: 2s, for: 3, cooldown: 1m, min_samples: 50, resolve_ratio: 0.8, severity: critical }
                    """
            ).models.first
        ).serving
        #expect(defaultsOnly.objectives.map(\.kind) == [.latency(.p99), .latency(.max)])
        let p99 = defaultsOnly.objectives[0]
        #expect(p99.threshold == 200)
        #expect(p99.effectiveResolve == 160)
        #expect(p99.rule.forEvaluations == 3)
        #expect(p99.rule.cooldown == .seconds(60))
        #expect(p99.rule.minSamples == 50)
        #expect(p99.rule.severity == .critical)
        #expect(defaultsOnly.objectives[1].threshold == 2000)
    }

    @Test("bad values are reported with the key")
    func errors() throws {
        let thrown = try #require(throws: InvalidConfiguration.self) {
            try load(
                defaults:
                    "  latency: { p99_below: -3, p98_below: 10ms, resolve_ratio: 2 }\n  cost: { per_hour_below: cheap }"
            )
        }
        let byKey = Dictionary(thrown.errors.map { ($0.keyPath, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byKey["defaults.latency.p99_below"]?.code == .outOfRange)
        #expect(byKey["defaults.latency.p98_below"]?.code == .unknownKey)
        #expect(byKey["defaults.latency.resolve_ratio"]?.code == .outOfRange)
        #expect(byKey["defaults.cost.per_hour_below"]?.code == .typeMismatch)
    }
}
