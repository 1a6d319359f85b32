import DriftConfig
import DriftCore
import Testing

@Suite("Configuration loading")
struct ConfigurationLoaderTests {
    private func errors(
        _ fixture: String, overrides: ConfigurationOverrides = ConfigurationOverrides()
    ) throws -> (path: String, errors: [ConfigurationError]) {
        let path = try RepositoryPaths.fixture(fixture)
        let thrown = try #require(throws: InvalidConfiguration.self) {
            try ConfigurationLoader.load(file: path, overrides: overrides)
        }
        return (path, thrown.errors)
    }

    @Test("a full configuration resolves every section")
    func fullConfiguration() throws {
        let path = try RepositoryPaths.fixture("configs/full.yaml")
        let config = try ConfigurationLoader.load(file: path)
        #expect(config.sourceFile == path)
        let kafka = config.kafka
        #expect(kafka.brokers == "broker-1:9092,broker-2:9092")
        #expect(kafka.groupID == "driftd-prod")
        #expect(kafka.inputTopics == ["inference.eu", "inference.us"])
        #expect(kafka.labelTopics == ["labels"])
        #expect([kafka.alertTopic, kafka.retrainTopic, kafka.deadLetterTopic] == ["ml.alerts", "ml.retrain", "ml.dead"])
        #expect(
            kafka.properties == [
                "security.protocol": "SASL_SSL", "sasl.mechanism": "PLAIN", "socket.keepalive.enable": "true"
            ])
        #expect(kafka.batchSize == 5_000)
        #expect(kafka.effectiveConsumerProperties["fetch.wait.max.ms"] == "50")
        #expect(kafka.effectiveConsumerProperties["group.id"] == "driftd-prod")
        #expect(kafka.effectiveProducerProperties["linger.ms"] == "5")
        #expect(kafka.effectiveProducerProperties["bootstrap.servers"] == "broker-1:9092,broker-2:9092")
        #expect(kafka.effectiveProducerProperties["fetch.wait.max.ms"] == nil)
        #expect(config.limits.maxEventBytes == 131_072)
        #expect(config.limits.decodeThreads == 3 && config.limits.effectiveDecodeThreads == 3)
        #expect(
            config.state
                == StateSettings(
                    directory: path.replacingOccurrences(of: "full.yaml", with: "state"),
                    checkpointInterval: .seconds(60)))
        #expect(config.http == HTTPSettings(enabled: false, address: "0.0.0.0", port: 0))
        #expect(config.logging == LoggingSettings(level: .debug, format: .json))

        let churn = try #require(config.model(named: "churn"))
        #expect(churn.baselinePath.hasSuffix("configs/../baselines/churn.json"))
        #expect(churn.window == .count(events: 4_000, panes: 8))
        #expect(churn.evaluationInterval == .milliseconds(250))
        #expect(churn.retrain == RetrainRule(driftShare: 0.25, cooldown: .milliseconds(86_400_000), enabled: true))
        // defaults.drift (via the merge key) <- model drift
        let modelRule = AlertRule(
            method: nil, threshold: 0.2, resolveThreshold: 0.1, alpha: 0.05, forEvaluations: 3,
            cooldown: .seconds(900),
            minSamples: 200, severity: .warning, enabled: true)
        #expect(churn.defaultRule == modelRule)
        var tenure = modelRule
        tenure.method = .ks
        tenure.threshold = 0.3
        tenure.resolveThreshold = 0.2
        tenure.severity = .critical
        #expect(churn.rule(forFeature: "tenure") == tenure)
        #expect(churn.rule(forFeature: "plan").method == .chiSquare)
        #expect(churn.rule(forFeature: "autopay").method == .zTest)
        #expect(churn.rule(forFeature: "region").enabled == false)
        #expect(churn.rule(forFeature: "monthly_charges") == modelRule)
        #expect(Set(churn.featureRules.keys) == Set(churn.baseline.features.map(\.name)))
        #expect(churn.predictionRule?.method == .psi)
        #expect(churn.predictionRule?.threshold == 0.15)
    }

    @Test("a minimal configuration gets the documented defaults")
    func defaults() throws {
        let config = try ConfigurationLoader.load(file: RepositoryPaths.fixture("configs/minimal.yaml"))
        #expect(config.kafka == KafkaSettings(brokers: "localhost:9092"))
        #expect(config.kafka.groupID == "driftd" && config.kafka.inputTopics == ["inference"])
        #expect(config.kafka.alertTopic == "driftd.alerts" && config.kafka.deadLetterTopic == "driftd.dead-letter")
        #expect(config.limits.maxEventBytes == 65_536)
        #expect(config.limits.decodeThreads == 0 && config.limits.effectiveDecodeThreads >= 1)
        #expect(config.state == StateSettings(directory: nil, checkpointInterval: .seconds(5)))
        #expect(config.http == HTTPSettings(enabled: true, address: "127.0.0.1", port: 9_464))
        #expect(config.logging == LoggingSettings(level: .info, format: .text))
        let model = try #require(config.models.first)
        #expect(model.window == .count(events: 10_000, panes: 10))
        #expect(model.evaluationInterval == .seconds(10))
        #expect(model.defaultRule == AlertRule())
        #expect(model.retrain == RetrainRule())
        #expect(model.predictionRule == AlertRule())
    }

    @Test("a property check is asked about every entry of the three property maps; its problems carry line and key")
    func propertyCheck() throws {
        let path = try RepositoryPaths.fixture("configs/full.yaml")
        // The loader calls the check synchronously, on this thread.
        nonisolated(unsafe) var asked: [String] = []
        let check: ConfigurationLoader.PropertyCheck = { name, value in
            asked.append("\(name)=\(value)")
            return name == "sasl.mechanism" || name == "linger.ms" ? "refused \(name)" : nil
        }
        let thrown = try #require(throws: InvalidConfiguration.self) {
            try ConfigurationLoader.load(file: path, checkProperty: check)
        }
        #expect(
            thrown.errors.map(\.description) == [
                "\(path):12: kafka.properties.sasl.mechanism: refused sasl.mechanism",
                "\(path):15: kafka.producer_properties.linger.ms: refused linger.ms"
            ])
        #expect(
            asked.sorted() == [
                "fetch.wait.max.ms=50", "linger.ms=5", "sasl.mechanism=PLAIN", "security.protocol=SASL_SSL",
                "socket.keepalive.enable=true"
            ])
        // Without a check, the same file loads.
        _ = try ConfigurationLoader.load(file: path)
    }

    @Test("a broken file reports every error with its line and key path")
    func brokenReportsAll() throws {
        let (path, errors) = try errors("configs/broken.yaml")
        let summary = errors.map { "\($0.line.map(String.init) ?? "-") \($0.keyPath) \($0.code.rawValue)" }
        #expect(
            summary == [
                "3 kafka.input_topics config.inconsistent",
                "5 kafka.properties.group.id config.reserved_property",
                "6 kafka.properties.enable.auto.commit config.reserved_property",
                "8 http.port config.out_of_range",
                "10 defaults.window.panes config.inconsistent",
                "12 defaults.drift.cooldown config.invalid_duration",
                "17 models[0].drift.resolve_threshold config.inconsistent",
                "19 models[0].features.tenure.threshold config.type_mismatch",
                "20 models[0].features.tenur config.unknown_feature",
                "21 models[0].features.plan.method config.method_not_applicable",
                "22 models[1].baseline config.baseline_unreadable",
                "23 models[2].baseline config.duplicate_model",
                "25 logging.level config.invalid_value",
                "27 limits.decode_threads config.out_of_range"
            ])
        let byLine = Dictionary(errors.map { ($0.line ?? 0, $0) }) { first, _ in first }
        #expect(
            byLine[19]?.description
                == "\(path):19: models[0].features.tenure.threshold: expected a number, got \"high\"")
        #expect(byLine[20]?.message.hasSuffix("did you mean \"tenure\"?") == true)
        #expect(byLine[21]?.message.contains("plan") == true)
        #expect(byLine[12]?.message.contains("got 10") == true)
        #expect(byLine[23]?.message.contains("models[0].baseline (line 14)") == true)
        #expect(byLine[6]?.message.contains("driftd commits at checkpoints") == true)
    }

    @Test("unknown keys are errors with a suggestion when close to a real key")
    func unknownKeys() throws {
        let (path, errors) = try errors("configs/typo.yaml")
        #expect(
            errors.map(\.description) == [
                "\(path):3: kafka.grup_id: unknown key \"grup_id\"; did you mean \"group_id\"?",
                "\(path):6: models[0].drfit: unknown key \"drfit\"; did you mean \"drift\"?",
                "\(path):7: loging: unknown key \"loging\"; did you mean \"logging\"?"
            ])
        #expect(errors.allSatisfy { $0.code == .unknownKey })
    }

    @Test("baseline problems are reported at the config line that refers to the baseline")
    func baselineErrors() throws {
        let (_, errors) = try errors("configs/invalid_baseline.yaml")
        let invalid = errors.filter { $0.line == 4 }
        #expect(invalid.count == 3)
        #expect(invalid.allSatisfy { $0.code == .baselineInvalid && $0.keyPath == "models[1].baseline" })
        #expect(invalid.contains { $0.message.contains("baseline.bad_edges [feature tenure]") })
        #expect(invalid.contains { $0.message.contains("baseline.bad_counts [feature plan]") })
        let malformed = try #require(errors.first { $0.line == 5 })
        #expect(malformed.code == .baselineUnreadable)
        #expect(malformed.message.contains("missing key"))
        #expect(errors.count == 4)
    }

    @Test("YAML syntax errors and duplicate keys carry a line")
    func syntax() throws {
        let (_, syntaxErrors) = try errors("configs/syntax.yaml")
        #expect(syntaxErrors.count == 1)
        #expect(syntaxErrors[0].code == .yamlSyntax)
        #expect(syntaxErrors[0].line == 5)
        let (_, duplicate) = try errors("configs/duplicate_key.yaml")
        #expect(duplicate.map(\.code) == [.yamlSyntax])
        #expect(duplicate[0].line == 2)
        #expect(duplicate[0].message.contains("\"brokers\""))
    }

    @Test("missing brokers is an error unless --brokers is given")
    func brokersRequired() throws {
        let (_, errors) = try errors("configs/no_brokers.yaml")
        #expect(errors.map(\.keyPath) == ["kafka.brokers"])
        #expect(errors[0].code == .missingKey)
        let config = try ConfigurationLoader.load(
            file: RepositoryPaths.fixture("configs/no_brokers.yaml"),
            overrides: ConfigurationOverrides(brokers: "k:9092"))
        #expect(config.kafka.brokers == "k:9092")
    }

    @Test("offline commands may leave the brokers out, but a broker list given is still checked")
    func brokersOptional() throws {
        let path = try RepositoryPaths.fixture("configs/no_brokers.yaml")
        let offline = try ConfigurationLoader.load(file: path, requireBrokers: false)
        #expect(offline.kafka.brokers == "")
        #expect(offline.models.count == 1)
        let flagsOnly = try ConfigurationLoader.load(
            file: nil, overrides: ConfigurationOverrides(baselines: [RepositoryPaths.fixture("baselines/churn.json")]),
            requireBrokers: false)
        #expect(flagsOnly.kafka.brokers == "" && flagsOnly.models.map(\.model) == ["churn"])
        let bad = try #require(throws: InvalidConfiguration.self) {
            try ConfigurationLoader.load(
                file: path, overrides: ConfigurationOverrides(brokers: "a b"), requireBrokers: false)
        }
        #expect(bad.errors.map(\.keyPath) == ["--brokers"])
        let required = try #require(throws: InvalidConfiguration.self) { try ConfigurationLoader.load(file: nil) }
        #expect(required.errors.contains { $0.keyPath == "kafka.brokers" && $0.code == .missingKey })
    }

    @Test("command-line overrides win over the file")
    func overridesWin() throws {
        let baseline = try RepositoryPaths.fixture("baselines/churn.json")
        let overrides = ConfigurationOverrides(
            brokers: "override:1", inputTopics: ["a", "b"], alertTopic: "x.alerts", retrainTopic: "x.retrain",
            deadLetterTopic: "x.dead", groupID: "g2", baselines: [baseline], stateDirectory: "/var/lib/driftd",
            httpAddress: "::1", httpPort: 9999, logLevel: .error, logFormat: .text)
        let config = try ConfigurationLoader.load(
            file: RepositoryPaths.fixture("configs/full.yaml"), overrides: overrides)
        #expect(config.kafka.brokers == "override:1")
        #expect(config.kafka.inputTopics == ["a", "b"])
        #expect(
            [config.kafka.alertTopic, config.kafka.retrainTopic, config.kafka.deadLetterTopic] == [
                "x.alerts", "x.retrain", "x.dead"
            ])
        #expect(config.kafka.groupID == "g2")
        #expect(config.kafka.properties["security.protocol"] == "SASL_SSL")
        #expect(config.state.directory == "/var/lib/driftd")
        #expect(config.http == HTTPSettings(enabled: false, address: "::1", port: 9999))
        #expect(config.logging == LoggingSettings(level: .error, format: .text))
        // --baseline replaces the file's models; the file's defaults still apply.
        let model = try #require(config.models.first)
        #expect(config.models.count == 1)
        #expect(model.baselinePath == baseline)
        #expect(model.window == .time(duration: .milliseconds(3_600_000), panes: 12))
        #expect(model.defaultRule.severity == .info)
        #expect(model.rule(forFeature: "tenure").method == nil)
    }

    @Test("flags alone build a configuration without a file")
    func withoutFile() throws {
        let baseline = try RepositoryPaths.fixture("baselines/churn.json")
        let config = try ConfigurationLoader.load(
            file: nil, overrides: ConfigurationOverrides(brokers: "localhost:9092", baselines: [baseline]))
        #expect(config.sourceFile == nil)
        #expect(config.kafka == KafkaSettings(brokers: "localhost:9092"))
        #expect(config.models.map(\.model) == ["churn"])
        #expect(config.models[0].defaultRule == AlertRule())
    }

    @Test("flag errors are reported by flag name, together")
    func flagErrors() throws {
        let thrown = try #require(throws: InvalidConfiguration.self) {
            try ConfigurationLoader.load(
                file: nil,
                overrides: ConfigurationOverrides(
                    brokers: "a b", inputTopics: ["in"], alertTopic: "in", baselines: ["/nonexistent/b.json"],
                    httpPort: 70_000))
        }
        let byKey = Set(thrown.errors.map(\.keyPath))
        #expect(byKey == ["--brokers", "--alert-topic", "--baseline", "--http-port"])
        #expect(thrown.errors.allSatisfy { $0.file == nil && $0.line == nil })
        #expect(
            thrown.errors.first { $0.keyPath == "--http-port" }?.description
                == "--http-port: 70000 is out of range 0...65535")
        let none = try #require(throws: InvalidConfiguration.self) { try ConfigurationLoader.load(file: nil) }
        #expect(Set(none.errors.map(\.code)) == [.missingKey, .noModels])
        #expect(none.description.hasSuffix("2 configuration errors"))
    }

    @Test("a missing file is one clear error")
    func missingFile() throws {
        let thrown = try #require(throws: InvalidConfiguration.self) {
            try ConfigurationLoader.load(file: "/nonexistent/driftd.yaml")
        }
        #expect(thrown.errors.map(\.code) == [.fileUnreadable])
        #expect(thrown.errors[0].file == "/nonexistent/driftd.yaml")
    }

    @Test("value checks: ranges, windows, hysteresis, methods, topics and min_samples")
    func inlineChecks() throws {
        let baseline = try RepositoryPaths.fixture("baselines/churn.json")
        func problems(_ yaml: String) -> [String] {
            do {
                _ = try ConfigurationLoader.load(
                    yaml: yaml, file: baseline.replacingOccurrences(of: "churn.json", with: "t.yaml"))
                return []
            } catch { return error.errors.map { "\($0.line ?? 0) \($0.keyPath): \($0.message)" } }
        }
        let head = "kafka: { brokers: k:1 }\nmodels:\n  - baseline: churn.json\n"
        #expect(problems(head).isEmpty)
        #expect(
            problems(head + "    drift: { alpha: 1 }\n") == [
                "4 models[0].drift.alpha: 1 is out of range: must be between 0 and 1 (exclusive)"
            ])
        #expect(
            problems(head + "    drift: { threshold: -0.1 }\n") == [
                "4 models[0].drift.threshold: -0.1 is out of range: must be >= 0"
            ])
        #expect(
            problems(head + "    drift: { resolve_threshold: 0.1 }\n").first?.contains("needs an explicit threshold")
                == true)
        #expect(problems(head + "    drift: { method: psii }\n").first?.contains("did you mean \"psi\"?") == true)
        #expect(problems(head + "    drift: { for: 0 }\n") == ["4 models[0].drift.for: 0 is out of range 1...1000"])
        #expect(problems(head + "    drift: { method: z_test }\n").first?.contains("needs binary features") == true)
        #expect(
            problems(head + "    drift: { enabled: yes }\n") == [
                "4 models[0].drift.enabled: expected true or false, got \"yes\""
            ])
        #expect(
            problems(head + "    window: { type: time, size: 10 }\n").first?.hasPrefix(
                "4 models[0].window.size: size applies to count windows") == true)
        #expect(
            problems(head + "    window: { type: time, duration: 1s, panes: 7 }\n").first?.contains("equal panes")
                == true)
        #expect(problems(head + "    window: { type: sliding }\n").first?.contains("is not one of count, time") == true)
        #expect(
            problems(head + "    window: { size: 100, panes: 10 }\n") == [
                "4 models[0].window: min_samples 500 exceeds the window size 100 of model churn; no verdict could ever be given"
            ])
        #expect(problems(head + "    window: { size: 100, panes: 10 }\n    drift: { min_samples: 50 }\n").isEmpty)
        #expect(
            problems(head + "    evaluation: { interval: 10ms }\n") == [
                "4 models[0].evaluation.interval: 10ms is out of range 100ms...1d"
            ])
        #expect(
            problems(head + "    features: { plan: { method: wasserstein } }\n").first?.contains(
                "needs numeric features") == true)
        #expect(problems(head + "    features: { plan: { method: ks, enabled: false } }\n").isEmpty)
        #expect(
            problems("kafka: { brokers: k:1, alert_topic: \"bad topic\" }\nmodels:\n  - baseline: churn.json\n").first?
                .contains("not a valid Kafka topic name") == true)
        #expect(
            problems("kafka: { brokers: k:1, batch_size: \"100\" }\nmodels:\n  - baseline: churn.json\n") == [
                "1 kafka.batch_size: expected an integer, got \"100\""
            ])
        #expect(problems("kafka: { brokers: k:1 }\nmodels: []\n").first?.contains("no models") == true)
        #expect(
            problems("kafka: { brokers: k:1 }\nmodels:\n  - features: {}\n").first
                == "3 models[0].baseline: missing required key \"baseline\"")
        #expect(problems("- just\n- a list\n").contains { $0.contains("expected a mapping, got a list") })
    }
}
