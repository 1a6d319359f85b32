import DriftConfig
import DriftCore
import DriftKafka
import Foundation
import Logging

/// The evaluate stage of scale-out: per partition of the internal topic, the models whose key
/// lands there, each a `MergedModelMonitor` that merges the partial panes of every input
/// partition, slides the window, decides and publishes alerts and retrain requests with the
/// single path's decision ids (docs/architecture.md, "Scale-out").
final class EvaluateStageLogic: ScaleOutStageLogic {
    let stageName = "evaluate"
    private var templates: [String: MergedModelMonitor]
    private var modelNames: [String: ModelVersion]
    private let factory: RecordFactory
    private let metrics: DaemonMetrics
    private let logger: Logger
    private let onEvaluation: @Sendable (EvaluationReport) -> Void
    private let onAlert: @Sendable (AlertPayload) -> Void
    /// Per internal partition, per baseline id.
    private var held: [TopicPartition: [String: MergedModelMonitor]] = [:]
    private var errorLog = RateLimitedLog()
    /// Partials ignored per outcome (repeats, gaps, too late, unknown model, unreadable), all time.
    private(set) var ignored: [String: Int] = [:]
    /// Events merged per model name over the partitions held (`driftd_events_applied_total`).
    private(set) var appliedTotals: [ModelVersion: Int64] = [:]
    /// Input partition counts the panes wait for, and when the brokers' metadata was last compared.
    private let inputPartitions: [String: Int]
    private let metadataReader: KafkaTopicReader
    private var partitionsCheckedMillis: Int64 = 0
    /// How often the input topics' partition counts are compared with the metadata, ms.
    static let partitionCheckMillis: Int64 = 60_000

    /// The persisted state of one internal partition.
    struct PartitionState: Codable {
        var models: [String: MergedModelMonitor.State]
    }

    /// - Parameter inputPartitions: partitions per input topic (broker metadata at start).
    init(
        configuration: DaemonConfiguration, inputPartitions: [String: Int], factory: RecordFactory,
        metrics: DaemonMetrics, logger: Logger,
        onEvaluation: @escaping @Sendable (EvaluationReport) -> Void,
        onAlert: @escaping @Sendable (AlertPayload) -> Void
    ) throws(DaemonError) {
        let sources = configuration.kafka.inputTopics.flatMap { topic in
            (0..<(inputPartitions[topic] ?? 1)).map { "\(topic)[\($0)]" }
        }
        var templates: [String: MergedModelMonitor] = [:]
        var names: [String: ModelVersion] = [:]
        do {
            for model in configuration.models {
                let monitor = try ModelMonitor(
                    baseline: model.baseline, window: model.window,
                    rule: { feature in
                        feature.map { model.rule(forFeature: $0) } ?? model.predictionRule ?? model.defaultRule
                    },
                    retrain: model.retrain, budget: model.falseAlerts)
                templates[monitor.baseline.id] = MergedModelMonitor(monitor: monitor, sources: sources)
                names[monitor.baseline.id] = ModelVersion(
                    model: monitor.baseline.model, version: monitor.baseline.version)
            }
        } catch {
            throw DaemonError(.baselineRejected, "\(error)")
        }
        self.templates = templates
        self.modelNames = names
        self.inputPartitions = inputPartitions
        self.metadataReader = KafkaTopicReader(
            bootstrapServers: configuration.kafka.brokers, properties: configuration.kafka.effectiveConsumerProperties,
            logger: logger)
        self.factory = factory
        self.metrics = metrics
        self.logger = logger
        self.onEvaluation = onEvaluation
        self.onAlert = onAlert
    }

    /// New alert policy for the models held: each partition's state moves into monitors built
    /// from `configuration` (what `restore` does not accept starts empty, logged).
    func reload(_ configuration: DaemonConfiguration) throws(DaemonError) {
        let fresh = try EvaluateStageLogic(
            configuration: configuration, inputPartitions: inputPartitions, factory: factory, metrics: metrics,
            logger: logger,
            onEvaluation: onEvaluation, onAlert: onAlert)
        let saved = held.keys.map { ($0, save($0)) }
        templates = fresh.templates
        modelNames = fresh.modelNames
        for (p, state) in saved { assign(p, saved: state) }
    }

    func assign(_ p: TopicPartition, saved: Data?) {
        var models: [String: MergedModelMonitor] = [:]
        if let saved {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(
                positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
            if let state = try? decoder.decode(PartitionState.self, from: saved) {
                for (id, s) in state.models {
                    guard var model = templates[id] else { continue }
                    if model.restore(s) {
                        models[id] = model
                    } else {
                        logger.warning(
                            "evaluator state does not fit the model (baseline or sources changed); it starts empty",
                            metadata: ["baseline": "\(id)"])
                    }
                }
            } else {
                logger.error(
                    "evaluator checkpoint unreadable; the partition starts empty", metadata: ["partition": "\(p)"])
            }
        }
        held[p] = models
        refreshTotals()
    }

    func release(_ p: TopicPartition) {
        held[p] = nil
        refreshTotals()
    }

    func save(_ p: TopicPartition) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let state = PartitionState(models: (held[p] ?? [:]).mapValues(\.state))
        return (try? encoder.encode(state)) ?? Data()
    }

    /// Compares the input topics' partition counts with the brokers' metadata (every
    /// `partitionCheckMillis`): a partition added after start is not waited for until the evaluators
    /// restart (its partials join only panes still open when they arrive; docs/operations.md); the
    /// change is logged and the `driftd_input_partitions` gauge follows the metadata.
    private func checkInputPartitions(nowMillis now: Int64) {
        guard now - partitionsCheckedMillis >= Self.partitionCheckMillis else { return }
        partitionsCheckedMillis = now
        for (topic, expected) in inputPartitions.sorted(by: { $0.key < $1.key }) {
            guard let count = try? metadataReader.partitionCount(of: topic, timeout: .seconds(5)) else {
                continue
            }
            metrics.inputPartitions(topic: topic, count: count)
            if count != expected {
                errorLog.log(
                    logger, level: .error,
                    "input topic \(topic) has \(count) partitions, the evaluator waits for \(expected); restart the evaluators to follow the change",
                    now: WallClockTime(millisecondsSinceEpoch: now))
            }
        }
    }

    func handle(_ batch: KafkaMessageBatch, nowMillis now: Int64) -> [OutboundRecord] {
        checkInputPartitions(nowMillis: now)
        var out: [OutboundRecord] = []
        for i in 0..<batch.count {
            let p = TopicPartition(topic: batch.topic(at: i), partition: batch.partition(at: i))
            guard held[p] != nil else { continue }
            let bytes = Array(batch.payload(at: i))
            guard let partial = PartialPane(decoding: bytes) else {
                ignored["unreadable", default: 0] += 1
                metrics.partialPanes(outcome: "unreadable")
                errorLog.log(
                    logger, level: .warning, "internal record is not a partial pane; ignored",
                    now: WallClockTime(millisecondsSinceEpoch: now))
                continue
            }
            guard var model = held[p]?[partial.baselineID] ?? templates[partial.baselineID] else {
                ignored["unknown_model", default: 0] += 1
                metrics.partialPanes(outcome: "unknown_model")
                continue
            }
            let (outcome, outputs) = model.accept(partial)
            held[p]?[partial.baselineID] = model
            if outcome != .merged { ignored[outcome.rawValue, default: 0] += 1 }
            metrics.partialPanes(outcome: outcome == .tooLate ? "too_late" : outcome.rawValue)
            for output in outputs {
                switch output {
                case .evaluation(let report):
                    metrics.evaluated(ModelVersion(model: report.model, version: report.version))
                    metrics.windowEvents(
                        ModelVersion(model: report.model, version: report.version), events: report.window.events)
                    onEvaluation(report)
                case .alert(let alert):
                    if let record = factory.record(for: output) { out.append(record) }
                    metrics.alertPublished(
                        ModelVersion(model: alert.model, version: alert.version), status: alert.status.rawValue)
                    onAlert(alert)
                    logger.notice(
                        "alert \(alert.status.rawValue)",
                        metadata: [
                            "model": "\(alert.model)", "feature": "\(alert.feature ?? alert.target)",
                            "method": "\(alert.method)"
                        ])
                case .retrain(let request):
                    if let record = factory.record(for: output) { out.append(record) }
                    metrics.retrainPublished(ModelVersion(model: request.model, version: request.version))
                case .canary:
                    break  // canary comparisons run on the single-process path only
                }
            }
        }
        refreshTotals()
        return out
    }

    private func refreshTotals() {
        var totals: [ModelVersion: Int64] = [:]
        for models in held.values {
            for (id, model) in models {
                guard let owner = modelNames[id] else { continue }
                totals[owner, default: 0] += model.merger.eventsMerged
            }
        }
        appliedTotals = totals
    }
}
