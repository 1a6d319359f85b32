import DriftConfig
import DriftCore
import Testing

@Suite("Configuration: false_alerts")
struct FalseAlertsConfigTests {
    /// Loads a config with `defaults` and model lines (each already indented).
    private func load(defaults: String = "", model: String = "") throws(InvalidConfiguration) -> DaemonConfiguration {
        let file = (try? RepositoryPaths.fixture("configs/minimal.yaml")) ?? "configs/minimal.yaml"
        let yaml = """
            kafka:
              brokers: localhost:9092
            defaults:
            \(defaults.isEmpty ? "  drift: {}" : defaults)
            models:
              - baseline: ../baselines/churn.json
            \(model)
            """
        return try ConfigurationLoader.load(yaml: yaml, file: file)
    }

    @Test("absent: one false alert per model per 30 days")
    func defaults() throws {
        let model = try #require(try load().models.first)
        #expect(model.falseAlerts == FalseAlertBudget(alerts: 1, period: .milliseconds(30 * 86_400_000)))
        #expect(model.falseAlerts.description == "1/30d")
    }

    @Test("defaults and per model: the model's own value wins")
    func layers() throws {
        let config = try load(defaults: "  false_alerts: 2/7d", model: "    false_alerts: 0.5/12h")
        let model = try #require(config.models.first)
        #expect(model.falseAlerts == FalseAlertBudget(alerts: 0.5, period: .milliseconds(12 * 3_600_000)))
        let inherited = try #require(try load(defaults: "  false_alerts: 2/7d").models.first)
        #expect(inherited.falseAlerts == FalseAlertBudget(alerts: 2, period: .milliseconds(7 * 86_400_000)))
        #expect(inherited.falseAlerts.description == "2/7d")
    }

    @Test("bad values are reported with file, line and key")
    func errors() throws {
        let cases: [(String, ConfigurationError.Code)] = [
            ("monthly", .invalidValue), ("1/", .invalidValue), ("one/30d", .invalidValue), ("1/30", .invalidValue),
            ("0/30d", .outOfRange), ("-1/30d", .outOfRange), ("1/10s", .outOfRange), ("1/20000d", .outOfRange)
        ]
        for (text, code) in cases {
            let thrown = try #require(throws: InvalidConfiguration.self) {
                try load(model: "    false_alerts: \(text)")
            }
            let error = try #require(thrown.errors.first)
            #expect(thrown.errors.count == 1, "\(text): \(thrown.errors)")
            #expect(error.code == code, "\(text): \(error)")
            #expect(error.keyPath == "models[0].false_alerts", "\(text): \(error)")
            #expect(error.line == 7, "\(text): \(error)")
            #expect(error.file?.hasSuffix("minimal.yaml") == true)
        }
        let misspelt = try #require(throws: InvalidConfiguration.self) { try load(defaults: "  false_alert: 1/30d") }
        #expect(misspelt.errors.first?.code == .unknownKey)
        #expect(misspelt.errors.first?.message.contains("false_alerts") == true)
    }

    @Test("the monitor splits the budget over its detectors and window tests")
    func monitorShares() throws {
        let model = try #require(try load(model: "    false_alerts: 1/1d").models.first)
        let monitor = try ModelMonitor(
            baseline: model.baseline, window: model.window,
            rule: { name in name.map { model.rule(forFeature: $0) } ?? model.predictionRule ?? model.defaultRule },
            retrain: model.retrain, budget: model.falseAlerts)
        #expect(monitor.budget == model.falseAlerts)
        let lanes = monitor.sequentialDetectors.compactMap { $0 }.filter(\.alarming).reduce(0) { $0 + $1.lanes.count }
        let windows = monitor.rules.filter(\.enabled).count
        #expect(monitor.budgetShares == lanes + windows)
        // Before any rate is observed: 1,000 events/s, i.e. 8.64e7 events a day.
        #expect(abs(monitor.laneRunLength / (Double(monitor.budgetShares) * 86_400_000) - 1) < 1e-12)
    }
}
