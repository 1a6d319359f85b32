import DriftConfig
import DriftCore
import Testing

@Suite("Configuration: accuracy sections")
struct AccuracyConfigurationTests {
    @Test("defaults.accuracy and a model's accuracy merge key by key; label topics enable models with a prediction")
    func resolves() throws {
        let config = try ConfigurationLoader.load(file: try RepositoryPaths.fixture("configs/accuracy.yaml"))
        let churn = try #require(config.model(named: "churn"))
        #expect(
            churn.accuracy
                == AccuracyRule(
                    enabled: true, windowEvents: 2_000, panes: 20, minSamples: 400, minAccuracy: 0.85,
                    resolveAccuracy: 0.9,
                    alpha: 0.001, positiveThreshold: 0.3, labelTTL: .milliseconds(6 * 3_600_000), maxPending: 50_000,
                    forEvaluations: 3,
                    cooldown: .milliseconds(1_800_000), severity: .critical))
        let risk = try #require(config.model(named: "risk"))
        // Defaults apply, but without a prediction profile there is nothing to compare labels with.
        #expect(!risk.accuracy.enabled)
        #expect(risk.accuracy.windowEvents == 2_000)
    }

    @Test("without label topics accuracy is off unless enabled; built-in defaults")
    func defaultsOff() throws {
        let config = try ConfigurationLoader.load(file: try RepositoryPaths.fixture("configs/minimal.yaml"))
        let churn = try #require(config.model(named: "churn"))
        #expect(churn.accuracy == AccuracyRule())
        #expect(!churn.accuracy.enabled)
        #expect(churn.accuracy.windowEvents == 1_000 && churn.accuracy.panes == 10)
        #expect(churn.accuracy.minAccuracy == nil)
        #expect(churn.accuracy.positiveThreshold == 0.5)
        #expect(churn.accuracy.labelTTL == .milliseconds(86_400_000))
    }

    @Test("every broken accuracy key is reported with file, line and key path")
    func brokenKeys() throws {
        let path = try RepositoryPaths.fixture("configs/accuracy_broken.yaml")
        let thrown = try #require(throws: InvalidConfiguration.self) { try ConfigurationLoader.load(file: path) }
        let found = thrown.errors.map { "\($0.line ?? 0) \($0.keyPath) \($0.code.rawValue)" }
        let expected = [
            "6 defaults.accuracy.panes config.inconsistent",
            "7 defaults.accuracy.min_accuracy config.out_of_range",
            "8 defaults.accuracy.label_ttl config.invalid_duration",
            "12 models[0].accuracy.enabled config.type_mismatch",
            "13 models[0].accuracy.min_samples config.inconsistent",
            "15 models[0].accuracy.max_pending config.out_of_range",
            "16 models[0].accuracy.severity config.invalid_value",
            "17 models[0].accuracy.windw config.unknown_key",
            "20 models[1].accuracy.enabled config.inconsistent"
        ]
        for line in expected { #expect(found.contains(line), "missing: \(line) in \(found)") }
        // positive_threshold .nan: not a finite number (YAML reads .nan as a float).
        #expect(thrown.errors.contains { $0.line == 14 && $0.keyPath == "models[0].accuracy.positive_threshold" })
        #expect(thrown.errors.count == expected.count + 1)
        #expect(thrown.errors.allSatisfy { $0.file == path })
        let typo = try #require(thrown.errors.first { $0.code == .unknownKey })
        #expect(typo.message.contains("did you mean \"window\""))
        let noPrediction = try #require(thrown.errors.first { $0.line == 20 })
        #expect(noPrediction.message.contains("no prediction profile"))
        #expect(noPrediction.description.hasPrefix("\(path):20: models[1].accuracy.enabled: "))
    }

    @Test("resolve_accuracy below min_accuracy is reported at its line")
    func resolveBelowMinimum() throws {
        let path = try RepositoryPaths.fixture("configs/accuracy_resolve.yaml")
        let thrown = try #require(throws: InvalidConfiguration.self) { try ConfigurationLoader.load(file: path) }
        #expect(thrown.errors.count == 1)
        let error = try #require(thrown.errors.first)
        #expect(error.code == .inconsistent)
        #expect(error.line == 8 && error.keyPath == "models[0].accuracy.resolve_accuracy")
        #expect(error.message.contains("below min_accuracy 0.9"))
        #expect(error.message.contains("set by models[0].accuracy.min_accuracy on line 7"))
    }
}
