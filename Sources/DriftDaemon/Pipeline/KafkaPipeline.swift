import DriftConfig
import DriftCore
import DriftDecode
import DriftKafka
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The daemon's main service: consume inference events, apply them to the windows, publish
/// alerts, retrain requests and dead letters, checkpoint state and offsets.
///
/// When a model tracks accuracy, the label topics are consumed by the same consumer: each
/// batch's messages are routed by topic, inference events first (their predictions are held
/// by id), then label events (joined to the held predictions; accuracy alerts published).
///
/// The consume loop runs on one dedicated thread (librdkafka's consumer and the simdjson
/// parser are used from that thread only) and works in batches: poll up to `batch_size`
/// messages, decode them into columnar batches, update the windows, publish, store offsets.
/// Back-pressure: nothing is buffered between librdkafka and the windows; when the producer's
/// queue is full, `send` blocks the loop, so consumption slows instead of memory growing.
///
/// Offsets: stored after a batch's effect on the windows is applied and its outputs queued;
/// committed at each checkpoint after the producer has flushed (outputs acknowledged) and the
/// state file is written. Checkpoints happen every `state.checkpoint_interval`, on partition
/// revoke and on shutdown.
public final class KafkaPipeline: Service, @unchecked Sendable {
    private let configuration: DaemonConfiguration
    private let processor: EventProcessor
    private let metrics: DaemonMetrics
    private let health: HealthState
    private let logger: Logger
    private let store: StateStore<DaemonState>?
    private let factory: RecordFactory
    private let onEvaluation: @Sendable (EvaluationReport) -> Void
    private let stopRequested = Atomic<Bool>(false)

    // Loop-thread state.
    private var consumer: KafkaConsumer?
    private var producer: KafkaProducer?
    /// Next offset to apply per partition: what the state file covers.
    private var processedOffsets: [TopicPartition: Int64] = [:]
    /// After a restore: messages below these offsets were already applied (redelivered after a
    /// crash between the state write and the commit) and are skipped. Emptied as partitions pass them.
    private var skipBelow: [TopicPartition: Int64] = [:]
    private var lastCheckpointMillis: Int64 = 0
    private var lastAdvanceMillis: Int64 = 0
    private var rejectLog = RateLimitedLog()
    private var errorLog = RateLimitedLog()
    /// Topics whose messages are label events (empty when no model tracks accuracy).
    private let labelTopics: Set<String>

    /// - Parameters:
    ///   - onEvaluation: called on the loop thread after each window evaluation (displays, tests).
    public init(
        configuration: DaemonConfiguration, metrics: DaemonMetrics, health: HealthState, logger: Logger,
        source: String, onEvaluation: @escaping @Sendable (EvaluationReport) -> Void = { _ in }
    ) throws(DaemonError) {
        self.configuration = configuration
        self.metrics = metrics
        self.health = health
        self.logger = logger
        self.onEvaluation = onEvaluation
        self.processor = try EventProcessor(
            models: configuration.models, maxEventBytes: configuration.limits.maxEventBytes,
            maxFutureSkewMillis: configuration.limits.maxFutureSkewMillis,
            decodeWorkers: configuration.limits.effectiveDecodeThreads)
        let kafka = configuration.kafka
        self.labelTopics = processor.tracksAccuracy ? Set(kafka.labelTopics) : []
        self.factory = RecordFactory(
            source: source, alertTopic: kafka.alertTopic, retrainTopic: kafka.retrainTopic,
            deadLetterTopic: kafka.deadLetterTopic)
        if let directory = configuration.state.directory {
            do {
                self.store = try StateStore<DaemonState>(directory: directory)
            } catch {
                throw DaemonError(.state, "\(error)")
            }
        } else {
            self.store = nil
        }
    }

    /// Asks the loop to finish its batch, checkpoint and return.
    public func requestStop() { stopRequested.store(true, ordering: .relaxed) }

    /// Runs the consume loop until graceful shutdown or cancellation; rethrows fatal Kafka errors.
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

    /// Starts the consume loop on a thread of its own and returns at once; `onExit` gets its
    /// outcome once `requestStop()` was honoured or a fatal error ended it. `run()` is this plus
    /// the lifecycle hooks; call one or the other, once.
    /// - Parameter onExit: Called on the consume thread when the loop has returned.
    public func start(onExit: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        let thread = Thread { [self] in
            do {
                try self.loop()
                onExit(.success(()))
            } catch {
                onExit(.failure(error))
            }
        }
        thread.name = "driftd-consume"
        thread.start()
    }

    // MARK: - The loop

    private func loop() throws {
        let kafka = configuration.kafka
        restoreState()
        let metrics = self.metrics
        let logger = self.logger
        do {
            producer = try KafkaProducer(
                bootstrapServers: kafka.brokers, properties: try EnvironmentExpansion.expand(kafka.effectiveProducerProperties),
                logger: logger,
                onDeliveryFailure: { failure in
                    metrics.deliveryFailed(topic: failure.topic)
                    logger.error("delivery failed", metadata: ["topic": "\(failure.topic)", "error": "\(failure.error)"])
                })
            consumer = try KafkaConsumer(
                bootstrapServers: kafka.brokers, groupID: kafka.groupID,
                topics: kafka.inputTopics + kafka.labelTopics.filter(labelTopics.contains),
                properties: try EnvironmentExpansion.expand(kafka.effectiveConsumerProperties), logger: logger,
                onAssign: { [unowned self] partitions in
                    self.health.setReady(true, detail: "consuming; \(partitions.count) partitions newly assigned")
                },
                onRevoke: { [unowned self] partitions in
                    self.logger.info("partitions revoked; checkpointing", metadata: ["partitions": "\(partitions.count)"])
                    // The consumer commits the revoked partitions itself, and only if the outputs
                    // were acknowledged and the state saved.
                    return self.checkpoint(reason: "revoke", commit: false)
                })
        } catch let error as KafkaError {
            throw DaemonError(.kafka, "\(error)")
        }
        lastCheckpointMillis = WallClock.nowMillis()
        let checkpointEvery = configuration.state.checkpointIntervalMillis
        let advanceEvery = max(1000, configuration.models.map(\.evaluationIntervalMillis).min() ?? 10_000)
        logger.info("pipeline started", metadata: [
            "topics": "\(kafka.inputTopics.joined(separator: ","))", "models": "\(configuration.models.count)",
            "label_topics": "\(kafka.labelTopics.filter(labelTopics.contains).joined(separator: ","))",
        ])
        if labelTopics.isEmpty && !kafka.labelTopics.isEmpty {
            logger.warning("label topics are not consumed: no model tracks accuracy (accuracy.enabled, and a prediction profile)")
        }
        defer {
            consumer?.close()
            do { try producer?.close(timeoutMillis: 30_000) } catch { logger.error("producer close: \(error)") }
        }
        while !stopRequested.load(ordering: .relaxed) {
            let now = WallClock.nowMillis()
            health.heartbeat(nowMillis: now)
            guard let consumer else { break }
            let batch: KafkaMessageBatch
            do {
                batch = try consumer.poll(maxMessages: kafka.batchSize, timeoutMillis: 100)
            } catch {
                if error.isFatal { throw DaemonError(.kafka, "fatal consumer error: \(error)") }
                errorLog.log(logger, level: .warning, "consume error: \(error)", nowMillis: now)
                continue
            }
            for error in batch.errors {
                errorLog.log(logger, level: .warning, "consume error: \(error)", nowMillis: now)
            }
            if !batch.isEmpty { try handle(batch, nowMillis: now) }
            if now - lastAdvanceMillis >= advanceEvery {
                lastAdvanceMillis = now
                try publish(processor.advance(clockMillis: now))
            }
            _ = producer?.poll(timeoutMillis: 0)
            if now - lastCheckpointMillis >= checkpointEvery { checkpoint(reason: "interval") }
        }
        health.setStopping()
        checkpoint(reason: "shutdown")
        logger.info("pipeline stopped")
    }

    private func handle(_ batch: KafkaMessageBatch, nowMillis now: Int64) throws {
        var indexes: [Int] = []
        indexes.reserveCapacity(batch.count)
        if skipBelow.isEmpty {
            indexes.append(contentsOf: 0 ..< batch.count)
        } else {
            for i in 0 ..< batch.count {
                let position = TopicPartition(topic: batch.topic(at: i), partition: batch.partition(at: i))
                if let skip = skipBelow[position] {
                    if batch.offset(at: i) < skip { continue }
                    skipBelow[position] = nil
                }
                indexes.append(i)
            }
        }
        let topicCounts = batch.messageCountsByTopic()
        for (topic, count) in topicCounts { metrics.consumed(topic: topic, count: count) }
        // Topic names are resolved per message only for batches that hold label events.
        var labelIndexes: [Int] = []
        if !labelTopics.isEmpty && topicCounts.keys.contains(where: labelTopics.contains) {
            var inputIndexes: [Int] = []
            inputIndexes.reserveCapacity(indexes.count)
            for i in indexes {
                if labelTopics.contains(batch.topic(at: i)) { labelIndexes.append(i) } else { inputIndexes.append(i) }
            }
            indexes = inputIndexes
        }
        let result = processor.process(count: indexes.count, nowMillis: now) { j in
            let i = indexes[j]
            return EventPayload(bytes: batch.payload(at: i), fallbackTimestampMs: batch.timestampMillis(at: i) ?? now)
        }
        try deadLetter(result.rejects, of: batch, indexes: indexes, nowMillis: now)
        for (model, count) in result.appliedPerModel { metrics.processed(model: model, count: count) }
        if result.unknownFeatureValues > 0 { metrics.unknownFeatures(count: result.unknownFeatureValues) }
        try publish(result.outputs)
        record(accuracyOf: result)
        if !labelIndexes.isEmpty {
            let labels = processor.processLabels(count: labelIndexes.count, nowMillis: now) { j in
                let i = labelIndexes[j]
                return EventPayload(bytes: batch.payload(at: i), fallbackTimestampMs: batch.timestampMillis(at: i) ?? now)
            }
            try deadLetter(labels.rejects, of: batch, indexes: labelIndexes, nowMillis: now)
            try publish(labels.outputs)
            record(accuracyOf: labels)
        }
        let next = batch.nextOffsets()
        do {
            try consumer?.storeOffsets(next)
        } catch {
            errorLog.log(logger, level: .warning, "offset store failed: \(error)", nowMillis: now)
        }
        for position in next { processedOffsets[position.topicPartition] = position.offset }
    }

    /// Publishes rejected messages of `batch` (indexes into `indexes`) to the dead-letter topic.
    private func deadLetter(_ rejects: [RejectedEvent], of batch: KafkaMessageBatch, indexes: [Int], nowMillis now: Int64) throws {
        for reject in rejects {
            let i = indexes[reject.messageIndex]
            metrics.rejected(reason: reject.code)
            rejectLog.log(logger, level: .warning, "event rejected: \(reject.code): \(reject.message)", metadata: [
                "topic": "\(batch.topic(at: i))", "partition": "\(batch.partition(at: i))", "offset": "\(batch.offset(at: i))",
            ], nowMillis: now)
            try send(factory.deadLetter(
                for: reject, payload: batch.payload(at: i), key: batch.keyBytes(at: i), topic: batch.topic(at: i),
                partition: batch.partition(at: i), offset: batch.offset(at: i), rejectedAtMillis: now))
        }
    }

    /// Label outcomes, accuracy and the prediction store in metrics.
    private func record(accuracyOf result: ProcessingResult) {
        for (model, counts) in result.labels {
            for (outcome, count) in counts.byOutcome { metrics.labels(model: model, outcome: outcome.rawValue, count: count) }
        }
        for update in result.accuracy {
            if update.evaluation.performance?.task != .regression { metrics.accuracy(model: update.model, value: update.evaluation.accuracy) }
            metrics.accuracyFiring(model: update.model, update.evaluation.firing)
            for (metric, value) in update.evaluation.performance?.values ?? [:] {
                metrics.performance(model: update.model, version: update.version, metric: metric.rawValue, value: value)
            }
        }
        for update in result.estimates {
            for (metric, v) in update.estimate.values {
                for (suffix, value) in [("", v.value), ("_lower", v.lower), ("_upper", v.upper)] {
                    metrics.performance(model: update.model, version: update.version, metric: "estimated_\(metric.rawValue)\(suffix)", value: value)
                }
            }
        }
        for (model, pending) in result.pendingPredictions { metrics.pendingPredictions(model: model, count: pending) }
        for (model, drops) in result.droppedPredictions {
            for (reason, count) in [("evicted", drops.evicted), ("expired", drops.expired), ("replaced", drops.replaced)] where count > 0 {
                metrics.predictionsDropped(model: model, reason: reason, count: count)
            }
        }
    }

    private func publish(_ outputs: [MonitorOutput]) throws {
        for output in outputs {
            if case .evaluation(let report) = output {
                record(report)
                continue
            }
            guard let record = factory.record(for: output) else { continue }
            try send(record)
            switch output {
            case .alert(let alert):
                metrics.alertPublished(model: alert.model, status: alert.status.rawValue)
                logger.notice("alert \(alert.status.rawValue)", metadata: [
                    "model": "\(alert.model)", "feature": "\(alert.feature ?? alert.target)", "method": "\(alert.method)",
                    "score": "\(alert.score)", "threshold": "\(alert.threshold)",
                ])
            case .retrain(let request):
                metrics.retrainPublished(model: request.model)
                logger.notice("retrain requested", metadata: ["model": "\(request.model)", "reason": "\(request.reason)"])
            case .evaluation:
                break
            }
        }
    }

    private func record(_ report: EvaluationReport) {
        metrics.evaluated(model: report.model)
        metrics.windowEvents(model: report.model, events: report.window.events)
        for column in report.columns {
            let name = column.target == "prediction" ? "prediction" : column.evaluation.feature
            metrics.score(model: report.model, feature: name, method: column.evaluation.method, value: column.evaluation.score)
            metrics.firing(model: report.model, feature: name, column.firing)
        }
        onEvaluation(report)
    }

    /// Sends with back-pressure: a full local queue blocks (and retries) rather than dropping.
    private func send(_ record: OutboundRecord) throws {
        guard let producer else { return }
        while true {
            do {
                try producer.send(topic: record.topic, key: record.key, value: record.value, headers: record.headers)
                return
            } catch {
                if error.code == .queueFull && !stopRequested.load(ordering: .relaxed) {
                    errorLog.log(logger, level: .warning, "producer queue full; waiting", nowMillis: WallClock.nowMillis())
                    continue
                }
                if error.isFatal { throw DaemonError(.kafka, "fatal producer error: \(error)") }
                metrics.deliveryFailed(topic: record.topic)
                logger.error("could not publish \(record.kind.rawValue)", metadata: ["topic": "\(record.topic)", "error": "\(error)"])
                return
            }
        }
    }

    // MARK: - Checkpoints

    private func restoreState() {
        guard let store else { return }
        let (state, problem) = store.load()
        if let problem { logger.error("state file unreadable; starting empty", metadata: ["error": "\(problem)"]) }
        guard let state else { return }
        guard state.format == DaemonState.currentFormat else {
            logger.warning("state file has format \(state.format); starting empty")
            return
        }
        let restored = processor.restore(state.monitors)
        let restoredAccuracy = processor.restoreAccuracy(state.accuracy ?? [:])
        for (topic, partitions) in state.offsets {
            for (partition, offset) in partitions {
                guard let number = Int32(partition) else { continue }
                skipBelow[TopicPartition(topic: topic, partition: number)] = offset
            }
        }
        processedOffsets = skipBelow
        logger.info("state restored", metadata: [
            "baselines": "\(restored.joined(separator: ","))", "accuracy": "\(restoredAccuracy.joined(separator: ","))",
            "saved_at": "\(state.savedAt)",
        ])
    }

    /// Flushes the producer, saves the state file and (when `commit`) commits the stored offsets.
    ///
    /// - Returns: whether the outputs were acknowledged and the state saved, so that offsets may
    ///   move past the records that produced them.
    @discardableResult
    private func checkpoint(reason: String, commit: Bool = true) -> Bool {
        lastCheckpointMillis = WallClock.nowMillis()
        do {
            // Outputs must be acknowledged before the offsets that produced them move on.
            try producer?.flush(timeoutMillis: 30_000)
        } catch {
            metrics.checkpoint(ok: false)
            logger.error("checkpoint (\(reason)): producer flush failed; offsets not committed", metadata: ["error": "\(error)"])
            return false
        }
        if let store {
            do {
                var offsets: [String: [String: Int64]] = [:]
                for (position, offset) in processedOffsets { offsets[position.topic, default: [:]][String(position.partition)] = offset }
                try store.save(DaemonState(
                    savedAt: RFC3339.format(millis: lastCheckpointMillis), monitors: processor.state, offsets: offsets,
                    accuracy: processor.tracksAccuracy
                        ? processor.accuracyState(maxPredictions: DaemonState.maxSavedPredictions) : nil))
            } catch {
                metrics.checkpoint(ok: false)
                logger.error("checkpoint (\(reason)): state not saved; offsets not committed", metadata: ["error": "\(error)"])
                return false
            }
        }
        guard commit else {
            metrics.checkpoint(ok: true)
            logger.debug("checkpoint (\(reason)) done; the consumer commits")
            return true
        }
        do {
            try consumer?.commit()
            metrics.checkpoint(ok: true)
            logger.debug("checkpoint (\(reason)) done")
        } catch {
            metrics.checkpoint(ok: false)
            logger.warning("checkpoint (\(reason)): commit failed", metadata: ["error": "\(error)"])
        }
        return true
    }
}
