import DriftConfig
import DriftCore
import DriftKafka
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The daemon's service when `scale_out.mode` is not `single`: the ingest stage (group
/// `kafka.group_id`, input topics -> internal topic), the evaluate stage (group
/// `scale_out.evaluator_group`, internal topic -> alerts), or both, each on a thread and a
/// consumer of its own (docs/architecture.md, "Scale-out").
///
/// Readiness is every stage's (`StageReadiness`); a SIGHUP reload that changes only alert policy
/// is applied by the evaluate stage, any other change is rejected with the reason logged.
public final class ScaleOutService: LoopService, ReloadTarget, @unchecked Sendable {
    // @unchecked Sendable: the stages are started once and then only asked to stop or reload;
    // `running` is a mutex.
    private let stages: [ScaleOutStage]
    private let health: HealthState
    private let readiness: StageReadiness
    private let metrics: DaemonMetrics
    private let logger: Logger
    /// The configuration in force (what a reload is compared with).
    private let running: Mutex<DaemonConfiguration>

    /// - Parameters:
    ///   - onEvaluation: called on the evaluate stage's thread after each window evaluation.
    ///   - onAlert: called on the evaluate stage's thread with each alert handed to the producer.
    public init(
        configuration: DaemonConfiguration, metrics: DaemonMetrics, health: HealthState, logger: Logger, source: String,
        onEvaluation: @escaping @Sendable (EvaluationReport) -> Void = { _ in },
        onAlert: @escaping @Sendable (AlertPayload) -> Void = { _ in }
    ) throws(DaemonError) {
        let settings = configuration.scaleOut
        guard settings.mode != .single else {
            throw DaemonError(.state, "scale_out.mode is single: the single path (KafkaPipeline) runs instead")
        }
        guard configuration.state.topic != nil else {
            throw DaemonError(.state, "scale_out needs state.topic (each stage restores from Kafka)")
        }
        let kafka = configuration.kafka
        let factory = RecordFactory(
            source: source, alertTopic: kafka.alertTopic, retrainTopic: kafka.retrainTopic,
            deadLetterTopic: kafka.deadLetterTopic)
        var stages: [ScaleOutStage] = []
        let readiness = StageReadiness(
            health: health, metrics: metrics,
            stages: (settings.runsIngest ? ["ingest"] : []) + (settings.runsEvaluate ? ["evaluate"] : []))
        if settings.runsIngest {
            let logic = try IngestStageLogic(
                configuration: configuration, factory: factory, metrics: metrics, logger: logger)
            stages.append(
                ScaleOutStage(
                    logic: logic, configuration: configuration, groupID: kafka.groupID, topics: kafka.inputTopics,
                    outputTopics: [settings.internalTopic, kafka.deadLetterTopic], metrics: metrics,
                    readiness: readiness, logger: logger))
        }
        if settings.runsEvaluate {
            let counts = try Self.inputPartitionCounts(configuration, logger: logger)
            for (topic, count) in counts { metrics.inputPartitions(topic: topic, count: count) }
            let logic = try EvaluateStageLogic(
                configuration: configuration, inputPartitions: counts, factory: factory, metrics: metrics,
                logger: logger,
                onEvaluation: onEvaluation, onAlert: onAlert)
            stages.append(
                ScaleOutStage(
                    logic: logic, configuration: configuration, groupID: settings.evaluatorGroup,
                    topics: [settings.internalTopic],
                    outputTopics: [kafka.alertTopic, kafka.retrainTopic], metrics: metrics, readiness: readiness,
                    logger: logger))
        }
        self.stages = stages
        self.health = health
        self.readiness = readiness
        self.metrics = metrics
        self.logger = logger
        self.running = Mutex(configuration)
    }

    /// Reloaded configurations applied, summed over the stages (tests).
    public var reloadsApplied: Int { stages.map { $0.reloadsApplied.load(ordering: .relaxed) }.reduce(0, +) }

    /// Whether every stage is ready, and why not (tests; /readyz shows the same through `HealthState`).
    public var stagesReady: (ready: Bool, detail: String) { readiness.verdict }

    /// Checks a reloaded configuration and hands it to the stages, or rejects it (logged, counted
    /// as a failed reload) when a stage could not apply it safely (`reloadRejection`).
    public func requestReload(_ configuration: DaemonConfiguration) {
        let rejection = running.withLock { (current: inout DaemonConfiguration) -> String? in
            if let reason = Self.reloadRejection(running: current, next: configuration) { return reason }
            current = configuration
            return nil
        }
        if let rejection {
            metrics.configReload(ok: false)
            logger.error(
                "configuration reload rejected in scale-out mode; the running configuration is kept",
                metadata: ["reason": "\(rejection)"])
            return
        }
        metrics.configReload(ok: true)
        for stage in stages { stage.requestReload(configuration) }
    }

    /// Why a stage could not apply `next` in place of `running`, or nil when it can: only alert
    /// policy of the same models may change (drift rules and thresholds, retrain rules, the false
    /// alert budget; `logging` and `http` are ignored as on the single path). Models added or
    /// removed, a changed baseline, window or evaluation interval, and any change of `kafka`,
    /// `state`, `scale_out`, `limits` or `versions` change how ingest bins events or how
    /// partitions map to stages: every instance must restart with them.
    public static func reloadRejection(running: DaemonConfiguration, next: DaemonConfiguration) -> String? {
        var changed: [String] = []
        if next.kafka != running.kafka { changed.append("kafka") }
        if next.state != running.state { changed.append("state") }
        if next.scaleOut != running.scaleOut { changed.append("scale_out") }
        if next.limits != running.limits { changed.append("limits") }
        if next.versions != running.versions { changed.append("versions") }
        let before = running.models.map { "\($0.baseline.id)" }
        let after = next.models.map { "\($0.baseline.id)" }
        if before != after {
            changed.append("the models (\(before.joined(separator: ",")) -> \(after.joined(separator: ",")))")
        } else {
            for (old, new) in zip(running.models, next.models) {
                var policyOnly = old
                policyOnly.defaultRule = new.defaultRule
                policyOnly.featureRules = new.featureRules
                policyOnly.predictionRule = new.predictionRule
                policyOnly.retrain = new.retrain
                policyOnly.falseAlerts = new.falseAlerts
                policyOnly.baselinePath = new.baselinePath
                if policyOnly != new {
                    changed.append("model \(old.model) beyond its alert policy (baseline, window or evaluation)")
                }
            }
        }
        guard !changed.isEmpty else { return nil }
        return "scale-out stages apply only alert-policy changes live; changed: \(changed.joined(separator: ", ")); "
            + "restart every instance to apply them"
    }

    /// The partitions of each input topic from the brokers' metadata: every pane waits for the
    /// watermark of each. `scale_out.input_partitions`, when set, must match (a check, not a source).
    static func inputPartitionCounts(_ configuration: DaemonConfiguration, logger: Logger) throws(DaemonError)
        -> [String: Int]
    {
        let kafka = configuration.kafka
        let reader = KafkaTopicReader(
            bootstrapServers: kafka.brokers, properties: kafka.effectiveConsumerProperties, logger: logger)
        var counts: [String: Int] = [:]
        for topic in kafka.inputTopics {
            let count: Int
            do {
                count = try reader.partitionCount(of: topic, timeout: .seconds(15))
            } catch {
                throw DaemonError(
                    .kafka, "scale_out: partitions of input topic \(topic) unknown: \(error)", cause: error)
            }
            if let configured = configuration.scaleOut.inputPartitions, configured != count {
                throw DaemonError(
                    .state,
                    "scale_out.input_partitions is \(configured) but input topic \(topic) has \(count) partitions (broker metadata); remove the key or correct it"
                )
            }
            counts[topic] = count
        }
        logger.info(
            "scale-out input partitions from broker metadata",
            metadata: ["partitions": "\(counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })"])
        return counts
    }

    /// Asks every stage to finish its batch, checkpoint and return.
    public func requestStop() {
        health.setStopping()
        for stage in stages { stage.requestStop() }
    }

    /// Ends every stage without a checkpoint or a commit, as a crash would (tests, drills).
    public func requestAbandon() { for stage in stages { stage.requestAbandon() } }

    /// Records the stages published, by stage (`ingest`: partial panes and dead letters;
    /// `evaluate`: alerts and retrain requests), and their key + value bytes.
    public var publishedRecords: (ingest: Int, ingestBytes: Int, evaluate: Int) {
        var result = (ingest: 0, ingestBytes: 0, evaluate: 0)
        for stage in stages {
            if stage.isIngest {
                result.ingest += stage.published.load(ordering: .relaxed)
                result.ingestBytes += stage.publishedBytes.load(ordering: .relaxed)
            } else {
                result.evaluate += stage.published.load(ordering: .relaxed)
            }
        }
        return result
    }

    /// Starts the stages and returns at once; `onExit` is called once all have ended, with the
    /// first failure if any.
    public func start(onExit: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        let remaining = Mutex<(left: Int, failure: (any Error)?)>((stages.count, nil))
        for stage in stages {
            stage.start { [self] result in
                if case .failure(let error) = result {
                    self.logger.error("scale-out stage failed; stopping the others", metadata: ["error": "\(error)"])
                    self.requestStop()
                }
                let done: (Bool, (any Error)?) = remaining.withLock { state in
                    if case .failure(let error) = result, state.failure == nil { state.failure = error }
                    state.left -= 1
                    return (state.left == 0, state.failure)
                }
                if done.0 { onExit(done.1.map { .failure($0) } ?? .success(())) }
            }
        }
    }

}
