import DriftConfig
import DriftCore
import Testing

@Suite("Configuration: performance sections")
struct PerformanceConfigurationTests {
    @Test("the seed rule, written as documented, resolves to accuracy below 0.92 with retraining over 10,000 labels")
    func seedRule() throws {
        let config = try ConfigurationLoader.load(file: try RepositoryPaths.fixture("configs/performance.yaml"))
        let churn = try #require(config.model(named: "churn"))
        #expect(churn.accuracy.enabled)
        #expect(churn.accuracy.windowEvents == 10_000 && churn.accuracy.panes == 20)
        #expect(
            churn.accuracy.rules == [PerformanceRule(metric: .accuracy, bound: .below, threshold: 0.92, retrain: true)])
        #expect(churn.accuracy.minAccuracy == nil)
        #expect(churn.accuracy.task == .binary && churn.accuracy.calibrationBins == 15)
        // The example configuration carries the seed rule too.
        let example = try ConfigurationLoader.load(file: RepositoryPaths.path("config/driftd.yaml"))
        #expect(
            example.models.allSatisfy {
                $0.accuracy.rules == [PerformanceRule(metric: .accuracy, bound: .below, threshold: 0.92, retrain: true)]
            })
    }

    @Test("a model's rules replace the default rules; resolve and severity are kept per rule")
    func modelRules() throws {
        let config = try ConfigurationLoader.load(file: try RepositoryPaths.fixture("configs/performance_rules.yaml"))
        let churn = try #require(config.model(named: "churn"))
        #expect(
            churn.accuracy.rules == [
                PerformanceRule(metric: .rocAUC, bound: .below, threshold: 0.8, resolve: 0.85),
                PerformanceRule(metric: .logLoss, bound: .above, threshold: 0.5, severity: .critical)
            ])
    }

    @Test("every broken performance key is reported with file, line and key path")
    func brokenKeys() throws {
        let path = try RepositoryPaths.fixture("configs/performance_broken.yaml")
        let thrown = try #require(throws: InvalidConfiguration.self) { try ConfigurationLoader.load(file: path) }
        let found = thrown.errors.map { "\($0.line ?? 0) \($0.keyPath) \($0.code.rawValue)" }
        let expected = [
            "7 defaults.performance.min_accuracy config.unknown_key",
            "8 defaults.performance.task config.inconsistent",
            "10 defaults.performance.rules[0].metric config.invalid_value",
            "11 defaults.performance.rules[1].above config.inconsistent",
            "12 defaults.performance.rules[2] config.missing_key",
            "14 defaults.performance.rules[4] config.missing_key",
            "15 defaults.performance.rules[5].resolve config.inconsistent",
            "19 models[0].performance config.inconsistent"
        ]
        for line in expected { #expect(found.contains(line), "missing: \(line) in \(found)") }
        #expect(thrown.errors.allSatisfy { $0.file == path })
        let minAccuracy = try #require(thrown.errors.first { $0.line == 7 })
        #expect(minAccuracy.message.contains("rules: [{ metric: accuracy, below: 0.9 }]"))
        let typo = try #require(thrown.errors.first { $0.line == 10 })
        #expect(typo.message.contains("did you mean \"accuracy\""))
        let both = try #require(thrown.errors.first { $0.line == 19 })
        #expect(both.message.contains("performance: replaces accuracy:"))
        // rmse does not exist for the churn model (binary): reported at its metric.
        #expect(found.contains("13 defaults.performance.rules[3].metric config.inconsistent"), "\(found)")
    }

    @Test("estimated_<metric> rules read as rules on the estimate; without a performance reference they are errors")
    func estimatedRules() throws {
        let path = try RepositoryPaths.fixture("configs/performance_estimated.yaml")
        let thrown = try #require(throws: InvalidConfiguration.self) { try ConfigurationLoader.load(file: path) }
        let found = thrown.errors.map { "\($0.line ?? 0) \($0.keyPath) \($0.code.rawValue)" }
        #expect(
            found == [
                "9 models[0].performance.rules[0].metric config.inconsistent",
                "10 models[0].performance.rules[1].metric config.invalid_value"
            ], "\(found)")
        #expect(thrown.errors[0].message.contains("--label-column"))
        #expect(thrown.errors[1].message.contains("estimated_accuracy"))
    }
}
