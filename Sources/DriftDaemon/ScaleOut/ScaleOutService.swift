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
public final class ScaleOutService: Service, @unchecked Sendable {
    // @unchecked Sendable: the stages are started once and then only asked to stop.
    private let stages: [ScaleOutStage]
    private let health: HealthState
    private let logger: Logger

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
        if settings.runsIngest {
            let logic = try IngestStageLogic(
                configuration: configuration, factory: factory, metrics: metrics, logger: logger)
            stages.append(
                ScaleOutStage(
                    logic: logic, configuration: configuration, groupID: kafka.groupID, topics: kafka.inputTopics,
                    metrics: metrics, logger: logger))
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
                    metrics: metrics, logger: logger))
        }
        self.stages = stages
        self.health = health
        self.logger = logger
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
                count = try reader.partitionCount(of: topic, timeoutMillis: 15_000)
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
    public func requestStop() { for stage in stages { stage.requestStop() } }

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
        health.setReady(true, detail: "scale-out stages starting")
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

    /// Runs the stages until graceful shutdown or cancellation.
    public func run() async throws {
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    start { continuation.resume(with: $0) }
                }
            } onGracefulShutdown: { [self] in
                self.requestStop()
            }
        } onCancel: { [self] in
            self.requestStop()
        }
    }
}
