import DriftConfig
import DriftCore
import DriftDaemon
import Foundation

/// Two live versions of the demo model `churn` for canary tests: version 3 (incumbent) and
/// version 4 (candidate, `share` of the events), built from the demo's training rows, with the
/// candidate's predictions shifted by `logitShift` and its latency multiplied by `latencyFactor`.
enum CanaryTraffic {
    static let t0: Int64 = 1_795_300_000_000

    /// Baselines of versions 3 and 4 (built once).
    static let baselines: [Baseline] = {
        // The demo's builder is deterministic; a failure here is a test failure at first use.
        (try? ["3", "4"].map { try DemoRunner.baseline(version: $0, createdAt: nil) }) ?? []
    }()

    static let rule = CanaryRule(
        model: "churn", incumbent: "3", candidate: "4", margins: [.prediction: 0.02, .features: 0.2, .latency: 1.2],
        alpha: 0.05, minEvents: 2_000, step: .seconds(10))

    /// Models of both versions: count windows of 4,000 events.
    static func models() -> [ModelConfiguration] {
        baselines.map {
            ModelConfiguration(
                baselinePath: "(memory)", baseline: $0, window: .count(events: 4_000, panes: 4),
                defaultRule: AlertRule(forEvaluations: 2, cooldown: .zero, minSamples: 1_000),
                retrain: RetrainRule(driftShare: 1.0))
        }
    }

    /// A replay configuration (batches of `batchSize` lines).
    static func configuration(batchSize: Int = 500) -> DaemonConfiguration {
        DaemonConfiguration(
            kafka: KafkaSettings(brokers: "localhost:9092", batchSize: batchSize), models: models(),
            versions: VersionPolicy(canaries: [rule]))
    }

    /// `count` events, 100 per second of event time from `t0`.
    static func events(
        _ count: Int, share: Double = 0.3, logitShift: Double = 0, latencyFactor: Double = 1, seed: UInt64 = 42
    ) -> [String] {
        var generator = SyntheticTraffic(seed: seed)
        // The demo's canary stage, with this test's candidate.
        var stage = DriftScenario.standard(stageEvents: count).stages[6]
        stage.canaryShare = share
        stage.canaryLogitShift = logitShift
        stage.canaryLatencyFactor = latencyFactor
        return (0..<count).map { i in
            DemoRunner.event(
                &generator, index: i, at: EventTime(millisecondsSinceEpoch: t0 + Int64(i) * 10), stage: stage)
        }
    }

    /// The canary decisions among published records, as (type, id, data).
    static func decisions(_ records: [OutboundRecord]) -> [(type: String, id: String, data: [String: Any])] {
        records.compactMap { record in
            guard let event = try? JSONSerialization.jsonObject(with: Data(record.value)) as? [String: Any],
                let type = event["type"] as? String, type == DriftEventType.rollback || type == DriftEventType.promote,
                let id = event["id"] as? String, let data = event["data"] as? [String: Any]
            else { return nil }
            return (type, id, data)
        }
    }
}
