import DriftConfig
import DriftCore
import DriftDaemon
import DriftKafka
import Foundation
import Testing

/// Delayed labels on the embedded broker: predictions in, labels on the label topic, accuracy
/// alerts out, read back by a separate consumer.
@Suite("Accuracy on the embedded broker", .serialized)
struct AccuracyPipelineTests {
    static let labelTopic = "labels"

    /// The harness's broker plus a label topic and the "scorer" model with accuracy tracking.
    final class Setup: @unchecked Sendable {
        let harness: PipelineHarness
        let producer: KafkaProducer
        let baseline: Baseline
        private var random = SplitMix64(seed: 99)
        /// Predicted class of each produced event id, in order.
        private(set) var produced: [(id: String, positive: Bool)] = []
        /// Every inference event and label event produced, as JSON lines (for replaying them).
        private(set) var eventLines: [String] = []
        private(set) var labelLines: [String] = []

        init() throws {
            harness = try PipelineHarness()
            // One partition: labels are joined in the order they were produced, so windows are exact.
            try harness.cluster.createTopic(AccuracyPipelineTests.labelTopic, partitions: 1)
            producer = try KafkaProducer(bootstrapServers: harness.cluster.bootstrapServers, logger: harness.logger)
            baseline = try AccuracyFixtures.baseline()
        }

        deinit { try? producer.close(timeout: .seconds(5)) }

        func configuration(stateDirectory: String? = nil, accuracy: AccuracyRule? = nil) -> DaemonConfiguration {
            var configuration = harness.configuration(stateDirectory: stateDirectory)
            configuration.kafka.labelTopics = [AccuracyPipelineTests.labelTopic]
            var model = AccuracyFixtures.modelConfiguration(baseline)
            if let accuracy { model.accuracy = accuracy }
            configuration.models = [model]
            return configuration
        }

        /// Labels for the produced predictions `range`, agreeing with them at `accuracy` (exactly
        /// that share of every 100 consecutive labels).
        func produceLabels(_ range: Range<Int>, accuracy: Double) throws {
            let now = WallClock.nowMillis()
            for i in range {
                let p = produced[i]
                let value = AccuracyFixtures.label(
                    id: p.id, positive: p.positive, agree: Double(i % 100) < accuracy * 100, timestamp: now)
                labelLines.append(value)
                try producer.send(topic: AccuracyPipelineTests.labelTopic, key: p.id, value: value)
            }
            try producer.flush(timeout: .seconds(10))
        }

        private func producePredictions(_ count: Int) throws {
            let now = WallClock.nowMillis()
            for _ in 0..<count {
                let id = "req-\(produced.count)"
                let event = AccuracyFixtures.event(id: id, timestamp: now, random: &random)
                produced.append((id, event.positive))
                eventLines.append(event.json)
                try producer.send(topic: harness.topics.input, key: id, value: event.json)
            }
            try producer.flush(timeout: .seconds(10))
        }

        /// Produces `count` predictions and waits until `running` has applied that many events.
        func producePredictions(_ count: Int, appliedBy running: PipelineHarness.Running) async throws -> Bool {
            try producePredictions(count)
            return await running.wait { running.counter("driftd_events_processed_total") >= Double(count) }
        }

        /// One label per produced prediction, agreeing with it at the given rate.
        func produceLabels(accuracy: Double, extra: [String] = []) throws {
            let now = WallClock.nowMillis()
            for (i, p) in produced.enumerated() {
                let value = AccuracyFixtures.label(
                    id: p.id, positive: p.positive, agree: AccuracyFixtures.agrees(i, accuracy: accuracy),
                    timestamp: now)
                try producer.send(topic: AccuracyPipelineTests.labelTopic, key: p.id, value: value)
            }
            for value in extra { try producer.send(topic: AccuracyPipelineTests.labelTopic, key: nil, value: value) }
            try producer.flush(timeout: .seconds(10))
        }
    }

    static func data(_ record: PipelineHarness.Record) -> [String: Any]? { record.json?["data"] as? [String: Any] }

    /// The seed rule of config/driftd.yaml as it resolves (`performance: { window: 10000, rules:
    /// [{ metric: accuracy, below: 0.92, retrain: true }] }`, every other key at its default).
    static let seedRule = AccuracyRule(
        enabled: true, windowEvents: 10_000,
        rules: [PerformanceRule(metric: .accuracy, bound: .below, threshold: 0.92, retrain: true)])

    @Test(
        "the seed rule end to end: labels take accuracy from 0.95 to 0.88; one alert and one retrain event (trigger performance); replay agrees"
    )
    func seedRuleEndToEnd() async throws {
        let setup = try Setup()
        let harness = setup.harness
        let running = try harness.start(setup.configuration(accuracy: Self.seedRule))
        let applied = try await setup.producePredictions(20_000, appliedBy: running)
        #expect(applied)
        try setup.produceLabels(0..<10_000, accuracy: 0.95)
        let healthy = await running.wait { running.counter("driftd_labels_total", labelContains: "joined") >= 10_000 }
        #expect(healthy)
        #expect(
            abs(running.counter("driftd_performance{model=\"scorer\",version=\"1\",metric=\"accuracy\"}") - 0.95) < 1e-9
        )
        try setup.produceLabels(10_000..<20_000, accuracy: 0.88)
        let joined = await running.wait { running.counter("driftd_labels_total", labelContains: "joined") >= 20_000 }
        #expect(joined)
        // Everything published, read from the beginning: waits for a second record of either kind
        // (there must be none) for 15 s after the first one came.
        async let alertRead = harness.read(harness.topics.alerts, timeoutSeconds: 15) { $0.count >= 2 }
        async let retrainRead = harness.read(harness.topics.retrain, timeoutSeconds: 15) { $0.count >= 2 }
        let (settledAlerts, settledRetrains) = try await (alertRead, retrainRead)
        try await running.stop()

        let performance = settledAlerts.filter { Self.data($0)?["target"] as? String == "performance" }
        #expect(performance.count == 1)
        #expect(settledAlerts.count == 1, "only the performance alert: \(settledAlerts.map(\.value))")
        #expect(settledRetrains.count == 1)
        let alert = try #require(performance.first.flatMap(Self.data))
        #expect(alert["status"] as? String == "firing" && alert["method"] as? String == "accuracy")
        #expect(alert["threshold"] as? Double == 0.92)
        let score = try #require(alert["score"] as? Double)
        #expect(score < 0.92 && score > 0.88)
        let retrainEvent = try #require(settledRetrains.first?.json)
        #expect(retrainEvent["type"] as? String == "io.driftd.retrain")
        let retrain = try #require(retrainEvent["data"] as? [String: Any])
        #expect(retrain["trigger"] as? String == "performance")
        #expect((retrain["reason"] as? String)?.hasPrefix("performance: accuracy") == true)
        #expect(retrain["version"] as? String == "1")
        let evidence = try #require(retrain["performance"] as? [String: Any])
        #expect(evidence["metric"] as? String == "accuracy" && evidence["value"] as? Double == score)
        #expect(evidence["window_events"] as? Int == 10_000)
        let interval = try #require(evidence["interval"] as? [String: Any])
        #expect(try #require(interval["upper"] as? Double) < 0.92)
        #expect((retrain["data_range"] as? [String: Any])?["events"] as? Int == 10_000)
        #expect(running.counter("driftd_retrain_published_total") == 1)
        #expect(running.counter("driftd_accuracy_alert_firing") == 1)
        #expect(
            abs(running.counter("driftd_performance{model=\"scorer\",version=\"1\",metric=\"accuracy\"}") - 0.88) < 1e-9
        )
        #expect(running.counter("driftd_performance{model=\"scorer\",version=\"1\",metric=\"roc_auc\"}") > 0)

        // `driftd replay --labels` on the same events and labels publishes the same data.
        let events = try ReplayRunnerTests.file(setup.eventLines)
        let labels = try ReplayRunnerTests.file(setup.labelLines)
        defer {
            try? FileManager.default.removeItem(atPath: events)
            try? FileManager.default.removeItem(atPath: labels)
        }
        var configuration = setup.configuration(accuracy: Self.seedRule)
        configuration.kafka.brokers = "localhost:9092"
        var replayed: [OutboundRecord] = []
        _ = try ReplayRunner(configuration: configuration).run(path: events, labels: labels) { replayed.append($0) }
        func data(_ value: [UInt8]) -> NSDictionary? {
            ((try? JSONSerialization.jsonObject(with: Data(value))) as? [String: Any])?["data"] as? NSDictionary
        }
        // The attribution reads the inference window at the join, whose content depends on how
        // the daemon's consumer interleaved the input partitions: present in both, not compared.
        func withoutAttribution(_ d: NSDictionary) -> NSDictionary {
            var copy = (d as? [String: Any]) ?? [:]
            #expect(copy["attribution"] is [Any])
            copy["attribution"] = nil
            return copy as NSDictionary
        }
        let replayedAlerts = replayed.filter { $0.kind == .alert }.compactMap { data($0.value) }.map(withoutAttribution)
        let replayedRetrains = replayed.filter { $0.kind == .retrain }.compactMap { data($0.value) }
        #expect(replayedAlerts == settledAlerts.compactMap { Self.data($0) as NSDictionary? }.map(withoutAttribution))
        #expect(replayedRetrains == settledRetrains.compactMap { Self.data($0) as NSDictionary? })
    }

    @Test(
        "labels that mostly disagree raise an accuracy alert that a separate consumer reads; bad labels are dead-lettered"
    )
    func disagreeingLabelsAlert() async throws {
        let setup = try Setup()
        let harness = setup.harness
        let running = try harness.start(setup.configuration())
        // Labels are delayed: they arrive once the predictions have been applied.
        let applied = try await setup.producePredictions(600, appliedBy: running)
        #expect(applied)
        let bad = [#"{"model":"scorer","label":1}"#, #"{"model":"scorer","id":"req-1","label":1"#]
        try setup.produceLabels(accuracy: 0.3, extra: bad)
        let alerts = try await harness.read(harness.topics.alerts) { records in
            records.contains { Self.data($0)?["target"] as? String == "accuracy" }
        }
        let letters = try await harness.read(harness.topics.deadLetter) { $0.count >= bad.count }
        let joinedAll = await running.wait { running.counter("driftd_labels_total", labelContains: "joined") >= 600 }
        try await running.stop()

        let record = try #require(alerts.first { Self.data($0)?["target"] as? String == "accuracy" })
        let event = try #require(record.json)
        let data = try #require(Self.data(record))
        #expect(event["type"] as? String == "io.driftd.alert")
        #expect(event["subject"] as? String == "scorer/accuracy")
        #expect(record.key == "scorer")
        #expect(data["status"] as? String == "firing")
        #expect(data["method"] as? String == "accuracy")
        #expect(data["feature"] is NSNull)
        #expect(data["severity"] as? String == "critical")
        #expect(data["baseline_id"] as? String == setup.baseline.id)
        let score = try #require(data["score"] as? Double)
        #expect(data["threshold"] as? Double == 0.8)
        #expect(abs(score - 0.3) < 1e-9)
        #expect(try #require(data["p_value"] as? Double) < 0.01)
        // Fires at the second significant evaluation: 150 labels in the window.
        #expect((data["window"] as? [String: Any])?["events"] as? Int == 150)
        // Only the accuracy moved: no drift alert.
        #expect(alerts.allSatisfy { Self.data($0)?["target"] as? String == "accuracy" })

        #expect(joinedAll)
        #expect(running.counter("driftd_labels_total", labelContains: "outcome=\"joined\"") == 600)
        #expect(running.counter("driftd_labels_total", labelContains: "outcome=\"unmatched\"") == 0)
        #expect(abs(running.counter("driftd_accuracy{") - 0.3) < 1e-9)
        #expect(running.counter("driftd_accuracy_alert_firing") == 1)
        #expect(running.counter("driftd_predictions_pending") == 0)
        #expect(Set(letters.map(\.value)) == Set(bad))
        #expect(running.counter("driftd_events_rejected_total", labelContains: "missing_id") == 1)
        #expect(running.counter("driftd_events_rejected_total", labelContains: "invalid_json") == 1)
    }

    @Test("labels that agree produce no alert; unknown ids and repeats are counted, not scored")
    func agreeingLabelsAreQuiet() async throws {
        let setup = try Setup()
        let harness = setup.harness
        let running = try harness.start(setup.configuration())
        let applied = try await setup.producePredictions(600, appliedBy: running)
        #expect(applied)
        let now = WallClock.nowMillis()
        let stray = [
            #"{"model":"scorer","id":"never-predicted","label":1,"timestamp":\#(now)}"#,
            #"{"model":"other-model","id":"req-3","label":1,"timestamp":\#(now)}"#
        ]
        try setup.produceLabels(accuracy: 0.9, extra: stray)
        let counted = await running.wait { running.counter("driftd_labels_total") >= 602 }
        // A repeated label for an id already labelled.
        try setup.producer.send(
            topic: Self.labelTopic, key: "req-0",
            value: AccuracyFixtures.label(id: "req-0", positive: true, agree: true, timestamp: now))
        try setup.producer.flush(timeout: .seconds(10))
        let repeated = await running.wait { running.counter("driftd_labels_total", labelContains: "duplicate") >= 1 }
        try await running.stop()
        #expect(counted && repeated)
        #expect(running.counter("driftd_labels_total", labelContains: "outcome=\"joined\"") == 600)
        #expect(running.counter("driftd_labels_total", labelContains: "model=\"scorer\",outcome=\"unmatched\"") == 1)
        #expect(running.counter("driftd_labels_total", labelContains: "model=\"_untracked\"") == 1)
        #expect(abs(running.counter("driftd_accuracy{") - 0.9) < 1e-9)
        #expect(running.counter("driftd_accuracy_alert_firing") == 0)
        let alerts = try await harness.read(harness.topics.alerts, timeoutSeconds: 3) { _ in false }
        #expect(alerts.isEmpty)
    }

    @Test("a restarted daemon still joins labels to predictions made before the restart")
    func restartKeepsPendingPredictions() async throws {
        let setup = try Setup()
        let harness = setup.harness
        let configuration = setup.configuration(stateDirectory: harness.stateDirectory)
        let first = try harness.start(configuration)
        let applied = try await setup.producePredictions(400, appliedBy: first)
        #expect(applied)
        try await first.stop()
        #expect(first.counter("driftd_predictions_pending") == 400)

        try setup.produceLabels(accuracy: 1)
        let second = try harness.start(configuration)
        let joined = await second.wait { second.counter("driftd_labels_total", labelContains: "joined") >= 400 }
        try await second.stop()
        #expect(joined)
        #expect(second.counter("driftd_labels_total", labelContains: "outcome=\"joined\"") == 400)
        #expect(second.counter("driftd_labels_total", labelContains: "unmatched") == 0)
        #expect(second.counter("driftd_events_processed_total") == 0)
        #expect(second.counter("driftd_accuracy{") == 1)
    }
}
