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
/// messages, decode them into columnar batches, update the windows, publish.
///
/// ## The delivery and state contract (docs/kafka.md)
/// - **Epochs.** Everything since the last successful checkpoint is one epoch. A checkpoint
///   succeeds only when every output of the epoch (alerts, retrain requests, dead letters) was
///   acknowledged by the brokers and the model checkpoints and partition frontiers were saved
///   (`CheckpointStore`); only then are offsets committed. Any delivery failure, send error or
///   failed save rolls the pipeline back to the last checkpoint (windows, policy, accuracy,
///   ledgers, positions: the consumer seeks) and the epoch is processed again. Decisions made
///   again carry the same CloudEvent id.
/// - **Exactly-once windows.** Each model's checkpoint records, per partition, the offset below
///   which all of its events are applied (`ModelCheckpoint.coverage`). On assignment the pipeline
///   adopts checkpoints that are ahead of what it holds, starts the partition at its frontier and
///   admits each model's events only at or above that model's coverage.
/// - **Back-pressure.** When the producer's queue is full, the unsent records wait, the assigned
///   partitions are paused and the loop keeps polling (group membership stays alive); it resumes
///   at its positions once the records are queued.
public final class KafkaPipeline: LoopService, @unchecked Sendable {
    private var configuration: DaemonConfiguration
    private var processor: EventProcessor
    private let metrics: DaemonMetrics
    private let health: HealthState
    private let logger: Logger
    private let factory: RecordFactory
    private let onEvaluation: @Sendable (EvaluationReport) -> Void
    private let onAlert: @Sendable (AlertPayload) -> Void
    private let stopRequested = Atomic<Bool>(false)
    /// Topics whose messages are label events (empty when no model tracks accuracy).
    private var labelTopics: Set<String>
    /// Baseline id -> model name, and the states of a model that holds nothing (to release a model).
    private var modelNames: [String: ModelVersion]
    /// Baselines retired for idleness that have received no event since (no metric series).
    private var retiredIDs = Set<String>()
    private var emptyMonitors: [String: ModelMonitor.State]
    private var emptyAccuracy: [String: AccuracyMonitor.State]
    /// A configuration handed over by SIGHUP, applied between batches.
    private let pendingReload = Mutex<DaemonConfiguration?>(nil)

    // Loop-thread state.
    /// Positions, epochs, rollback, back-pressure and the output check (shared with the scale-out stages).
    private let epoch: EpochTracker
    private var consumer: KafkaConsumer? { epoch.consumer }
    private var producer: KafkaProducer? { epoch.producer }
    private var store: (any CheckpointStore)?
    /// Next offset to apply per assigned partition (known once the partition's start is known).
    private var positions: [TopicPartition: Int64] { epoch.positions }
    private var assigned: Set<TopicPartition> { epoch.assigned }
    /// Per baseline id: what its state holds.
    private var ledgers: [String: ModelLedger] = [:]
    /// Baselines with events applied since the last checkpoint.
    private var dirty: Set<String> = []
    /// Per baseline id and partition: events below this offset are already in the restored state.
    private var skipBelow: [String: [TopicPartition: Int64]] = [:]
    /// The last successful checkpoint, to roll back to.
    private var lastGood = Snapshot()
    /// CloudEvent ids sent in the current epoch, and those of rolled-back epochs (to count re-sends).
    private var epochIDs: Set<String> = []
    private var rolledBackIDs: Set<String> = []
    /// Set once the loop has ended: the revoke of `close` checkpoints only if shutdown's did.
    private var stopping = false
    private var shutdownSaved = false
    private var lastCheckpointMillis: Int64 = 0
    private var lastAdvanceMillis: Int64 = 0
    private var rejectLog = RateLimitedLog()
    private var lastLagMillis: Int64 = 0
    /// Transcodes the input topics whose format is not `driftd`; nil when there are none.
    private let formats: InputFormatStage?

    /// `driftd_consumer_lag` per assigned partition whose position is known: the cached high
    /// watermark minus the next offset to apply.
    private func recordLag(_ consumer: KafkaConsumer) {
        let known = assigned.filter { positions[$0] != nil }
        guard !known.isEmpty, let highs = try? consumer.cachedHighWatermarks(Array(known)) else { return }
        for (partition, high) in highs {
            guard let position = positions[partition] else { continue }
            metrics.consumerLag(topic: partition.topic, partition: partition.partition, lag: max(0, high - position))
        }
    }

    /// What a model's state holds, beside the monitor itself.
    struct ModelLedger: Equatable {
        /// Per partition: all of this model's events below the offset are applied.
        var coverage: [TopicPartition: Int64] = [:]
        /// Partitions with at least one applied event of this model.
        var eventPartitions: Set<TopicPartition> = []
        /// Events applied, across restarts.
        var applied: Int64 = 0
        /// Checkpoint sequence number of the last write.
        var sequence = 0
    }

    /// Everything a rollback restores.
    struct Snapshot {
        var monitors: [String: ModelMonitor.State] = [:]
        var accuracy: [String: AccuracyMonitor.State] = [:]
        var ledgers: [String: ModelLedger] = [:]
        var skipBelow: [String: [TopicPartition: Int64]] = [:]
        var millis: Int64 = 0
    }

    /// - Parameters:
    ///   - onEvaluation: called on the loop thread after each window evaluation (displays, tests).
    ///   - onAlert: called on the loop thread with each alert handed to the producer (the live report).
    public init(
        configuration: DaemonConfiguration, metrics: DaemonMetrics, health: HealthState, logger: Logger,
        source: String, onEvaluation: @escaping @Sendable (EvaluationReport) -> Void = { _ in },
        onAlert: @escaping @Sendable (AlertPayload) -> Void = { _ in }
    ) throws(DaemonError) {
        self.configuration = configuration
        self.metrics = metrics
        self.health = health
        self.logger = logger
        self.onEvaluation = onEvaluation
        self.onAlert = onAlert
        self.epoch = EpochTracker(
            metrics: metrics, logger: logger,
            reporting: EpochTracker.Reporting(
                setReady: { health.setReady($0, detail: $1) }, setBlocked: { metrics.outputBlocked($0) }))
        self.processor = try EventProcessor(
            models: configuration.models, maxEventBytes: configuration.limits.maxEventBytes,
            maxFutureSkew: configuration.limits.maxFutureSkew,
            decodeWorkers: configuration.limits.effectiveDecodeThreads, versions: configuration.versions)
        let kafka = configuration.kafka
        self.formats = try InputFormatStage(
            kafka: kafka, models: configuration.models, maxEventBytes: configuration.limits.maxEventBytes,
            metrics: metrics)
        self.labelTopics = processor.tracksAccuracy ? Set(kafka.labelTopics) : []
        self.factory = RecordFactory(
            source: source, alertTopic: kafka.alertTopic, retrainTopic: kafka.retrainTopic,
            deadLetterTopic: kafka.deadLetterTopic)
        self.modelNames = Dictionary(
            configuration.models.map { ($0.baseline.id, ModelVersion(model: $0.model, version: $0.baseline.version)) },
            uniquingKeysWith: { a, _ in a })
        self.emptyMonitors = processor.state
        self.emptyAccuracy = processor.accuracyState(maxPredictions: 0)
        if configuration.state.topic == nil, let directory = configuration.state.directory {
            do {
                self.store = try FileCheckpointStore(directory: directory)
            } catch {
                throw DaemonError(.state, "\(error)")
            }
        }
    }

    /// Hands a new, valid configuration to the loop, which applies it between batches: models,
    /// rules, windows and limits change; Kafka and state settings need a restart (logged).
    public func requestReload(_ configuration: DaemonConfiguration) {
        pendingReload.withLock { $0 = configuration }
    }

    /// Asks the loop to finish its batch, checkpoint and return.
    public func requestStop() { stopRequested.store(true, ordering: .relaxed) }

    /// Starts the consume loop on a thread of its own and returns at once; `onExit` gets its
    /// outcome once `requestStop()` was honoured or a fatal error ended it. `run()` is this plus
    /// the lifecycle hooks; call one or the other, once.
    /// - Parameter onExit: Called on the consume thread when the loop has returned.
    public func start(onExit: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        EpochTracker.startThread(name: "driftd-consume", { [self] in try self.loop() }, onExit: onExit)
    }

    // MARK: - The loop

    private func loop() throws {
        let kafka = configuration.kafka
        let metrics = self.metrics
        let logger = self.logger
        do {
            // Sends never block: a full queue pauses consumption instead (see `send`).
            let producer = try epoch.openProducer(
                brokers: kafka.brokers, properties: kafka.effectiveProducerProperties)
            if let topic = configuration.state.topic {
                store = KafkaCheckpointStore(
                    topic: topic, group: kafka.groupID, producer: producer,
                    reader: KafkaTopicReader(
                        bootstrapServers: kafka.brokers,
                        properties: kafka.effectiveConsumerProperties, logger: logger))
            }
        } catch {
            throw DaemonError(.kafka, "\(error)", cause: error)
        }
        defer {
            consumer?.close()
            do { try producer?.close(timeout: .seconds(10)) } catch {
                logger.error("producer close: \(error)")
            }
        }
        // Outputs that cannot be written are found before anything is consumed.
        guard waitForOutputTopics() else { return }
        do {
            epoch.consumer = try KafkaConsumer(
                bootstrapServers: kafka.brokers, groupID: kafka.groupID,
                topics: kafka.inputTopics + kafka.labelTopics.filter(labelTopics.contains),
                properties: kafka.effectiveConsumerProperties, logger: logger,
                onAssign: { [unowned self] partitions in
                    self.epoch.pauseIfPaused(partitions)
                    if self.epoch.failureStreak == 0 {
                        self.health.setReady(true, detail: "consuming; \(partitions.count) partitions newly assigned")
                    }
                },
                onRevoke: { [unowned self] partitions in self.revoked(partitions) },
                startOffsets: { [unowned self] partitions in self.assigning(partitions) },
                onLost: { [unowned self] partitions in self.lost(partitions) })
        } catch {
            throw DaemonError(.kafka, "\(error)", cause: error)
        }
        lastCheckpointMillis = WallClock.nowMillis()
        let checkpointEvery = configuration.state.checkpointInterval.wholeMilliseconds
        let advanceEvery = max(1000, configuration.models.map(\.evaluationInterval).min()?.wholeMilliseconds ?? 10_000)
        logger.info(
            "pipeline started",
            metadata: [
                "topics": "\(kafka.inputTopics.joined(separator: ","))", "models": "\(configuration.models.count)",
                "label_topics": "\(kafka.labelTopics.filter(labelTopics.contains).joined(separator: ","))",
                "state": "\(store?.location ?? "none")"
            ])
        if labelTopics.isEmpty && !kafka.labelTopics.isEmpty {
            logger.warning(
                "label topics are not consumed: no model tracks accuracy (accuracy.enabled, and a prediction profile)")
        }
        while !stopRequested.load(ordering: .relaxed) {
            let clock = WallClock.now()
            let now = clock.millisecondsSinceEpoch
            health.heartbeat(now: clock)
            metrics.checkpointAge(seconds: Double(now - lastGood.millis) / 1000)
            guard let consumer else { break }
            if let reload = pendingReload.withLock({ $0 }) { applyReload(reload) }
            switch try epoch.poll(batchSize: kafka.batchSize, nowMillis: now) {
            case .batch(let batch): try handle(batch, nowMillis: now)
            case .nothing: break
            case .consumeError: continue
            }
            if !epoch.paused, now - lastAdvanceMillis >= advanceEvery {
                lastAdvanceMillis = now
                try publish(processor.advance(clock: clock))
                retireIdleVersions()
            }
            if epoch.epochFailed { rollback(reason: "delivery", nowMillis: now) }
            if now - lastLagMillis >= 1_000 {
                lastLagMillis = now
                recordLag(consumer)
            }
            if now - lastCheckpointMillis >= checkpointEvery && now >= epoch.retryAtMillis {
                checkpoint(reason: "interval")
            }
        }
        health.setStopping()
        stopping = true
        // During an outage this fails after one bounded flush; the revoke in `close` then does not
        // try again, so shutdown ends within the grace period (docs/operations.md) having committed
        // nothing it cannot stand behind.
        shutdownSaved = checkpoint(reason: "shutdown")
        logger.info("pipeline stopped", metadata: ["checkpointed": "\(shutdownSaved)"])
    }

    /// Checks that every topic driftd writes exists and can be written; waits (not ready, logging
    /// at most every 10 s) until they do or a stop is requested.
    /// - Returns: false when stopped before the topics were usable.
    private func waitForOutputTopics() -> Bool {
        let kafka = configuration.kafka
        let topics =
            [kafka.alertTopic, kafka.retrainTopic, kafka.deadLetterTopic]
            + [configuration.state.topic].compactMap { $0 }
        return epoch.waitForOutputTopics(
            topics, heartbeat: { health.heartbeat(now: WallClockTime(millisecondsSinceEpoch: $0)) },
            stopped: { stopRequested.load(ordering: .relaxed) })
    }

    private func handle(_ batch: KafkaMessageBatch, nowMillis now: Int64) throws {
        let topicCounts = batch.messageCountsByTopic()
        let singleTopic = topicCounts.count == 1 ? topicCounts.keys.first : nil
        func position(_ i: Int) -> TopicPartition {
            TopicPartition(topic: singleTopic ?? batch.topic(at: i), partition: batch.partition(at: i))
        }
        var indexes: [Int] = []
        indexes.reserveCapacity(batch.count)
        for (topic, count) in topicCounts { metrics.consumed(topic: topic, count: count) }
        // Topic names are resolved per message only for batches that hold label events.
        var labelIndexes: [Int] = []
        if !labelTopics.isEmpty && topicCounts.keys.contains(where: labelTopics.contains) {
            for i in 0..<batch.count {
                if labelTopics.contains(batch.topic(at: i)) { labelIndexes.append(i) } else { indexes.append(i) }
            }
        } else {
            indexes.append(contentsOf: 0..<batch.count)
        }
        // Formatted topics: one message may give several events, or none yet (a waiting half).
        let transcoded = formats?.transcode(batch, indexes: indexes, nowMillis: now)
        if let transcoded {
            indexes = transcoded.entries.map(\.message)
            try deadLetter(
                transcoded.rejects.map(RejectedEvent.init), of: batch, indexes: Array(0..<batch.count), nowMillis: now)
        }
        let admit: ((String, Int) -> Bool)?
        if skipBelow.isEmpty {
            admit = nil
        } else {
            let skips = skipBelow
            admit = { baselineID, j in
                let i = indexes[j]
                guard let below = skips[baselineID]?[position(i)] else { return true }
                return batch.offset(at: i) >= below
            }
        }
        var result = (transcoded ?? TranscodedBatch()).withEvents(payload: { batch.payload(at: $0) }) { event in
            processor.process(
                count: indexes.count, now: WallClockTime(millisecondsSinceEpoch: now), admit: admit
            ) { j in
                if transcoded != nil { return event(j) }
                let i = indexes[j]
                return EventPayload(
                    bytes: batch.payload(at: i), fallbackTimestampMs: batch.timestampMillis(at: i) ?? now)
            }
        }
        if transcoded != nil {
            // The rows of one message share its dead letter.
            var seen = Set<Int>()
            result.rejects = result.rejects.filter { seen.insert(indexes[$0.messageIndex]).inserted }
        }
        for (baselineID, messages) in result.appliedMessages {
            var ledger = ledgers[baselineID] ?? ModelLedger()
            ledger.applied += Int64(messages.count)
            var last: TopicPartition?
            for j in messages {
                let p = position(indexes[j])
                if p != last {
                    ledger.eventPartitions.insert(p)
                    last = p
                }
            }
            ledgers[baselineID] = ledger
            dirty.insert(baselineID)
            retiredIDs.remove(baselineID)
        }
        try deadLetter(result.rejects, of: batch, indexes: indexes, nowMillis: now)
        for (owner, count) in result.appliedPerVersion { metrics.processed(owner, count: count) }
        if result.unknownFeatureValues > 0 { metrics.unknownFeatures(count: result.unknownFeatureValues) }
        try publish(result.outputs)
        record(accuracyOf: result)
        metrics.serving(result.serving)
        if !labelIndexes.isEmpty {
            let labels = processor.processLabels(
                count: labelIndexes.count, now: WallClockTime(millisecondsSinceEpoch: now)
            ) { j in
                let i = labelIndexes[j]
                return EventPayload(
                    bytes: batch.payload(at: i), fallbackTimestampMs: batch.timestampMillis(at: i) ?? now)
            }
            try deadLetter(labels.rejects, of: batch, indexes: labelIndexes, nowMillis: now)
            try publish(labels.outputs)
            record(accuracyOf: labels)
            // Label joins change accuracy state: every tracked model is saved at the next checkpoint.
            for monitor in processor.accuracyMonitors { dirty.insert(monitor.baselineID) }
        }
        epoch.advance(past: batch, heldOnly: false)
        pruneSkips()
        publishApplied()
        retireIdleVersions()
        for canary in processor.canaries {
            metrics.canaryVerdict(
                ModelVersion(model: canary.rule.model, version: canary.rule.candidate),
                decision: canary.state.decision?.decision)
        }
    }

    /// Versions idle for `versions.retire_after`: their (now empty) state is saved at the next
    /// checkpoint, their metric series unregistered, and the retirement logged.
    private func retireIdleVersions() {
        for retired in processor.takeRetired() {
            dirty.insert(retired.baselineID)
            retiredIDs.insert(retired.baselineID)
            let series = metrics.retire(retired.modelVersion)
            logger.notice(
                "version retired for idleness",
                metadata: [
                    "model": "\(retired.modelVersion.model)", "version": "\(retired.modelVersion.version)",
                    "last_event": "\(RFC3339.format(retired.lastEvent))",
                    "retired_at": "\(RFC3339.format(retired.retiredAt))", "metric_series": "\(series)"
                ])
        }
    }

    /// Drops skip entries that every position has passed.
    private func pruneSkips() {
        guard !skipBelow.isEmpty else { return }
        for (id, skips) in skipBelow {
            let left = skips.filter { p, below in (positions[p] ?? .min) < below }
            skipBelow[id] = left.isEmpty ? nil : left
        }
    }

    private func publishApplied() {
        var totals: [String: Int64] = [:]
        for (id, ledger) in ledgers where !retiredIDs.contains(id) { totals[id, default: 0] += ledger.applied }
        for (id, total) in totals {
            guard let owner = modelNames[id] else { continue }
            metrics.eventsApplied(owner, total: total)
        }
    }

    /// Publishes rejected messages of `batch` (indexes into `indexes`) to the dead-letter topic.
    private func deadLetter(
        _ rejects: [RejectedEvent], of batch: KafkaMessageBatch, indexes: [Int], nowMillis now: Int64
    ) throws {
        for reject in rejects {
            let i = indexes[reject.messageIndex]
            metrics.rejected(reason: reject.code)
            rejectLog.log(
                logger, level: .warning, "event rejected: \(reject.code): \(reject.message)",
                metadata: [
                    "topic": "\(batch.topic(at: i))", "partition": "\(batch.partition(at: i))",
                    "offset": "\(batch.offset(at: i))"
                ], now: WallClockTime(millisecondsSinceEpoch: now))
            try send(
                factory.deadLetter(
                    for: reject, payload: batch.payload(at: i), key: batch.keyBytes(at: i), topic: batch.topic(at: i),
                    partition: batch.partition(at: i), offset: batch.offset(at: i), rejectedAtMillis: now))
        }
    }

    /// Label outcomes, accuracy and the prediction store in metrics.
    private func record(accuracyOf result: ProcessingResult) {
        for (model, counts) in result.labels {
            for (outcome, count) in counts.byOutcome {
                metrics.labels(model: model, outcome: outcome.rawValue, count: count)
            }
        }
        for update in result.accuracy {
            let owner = ModelVersion(model: update.model, version: update.version)
            if update.evaluation.performance?.task != .regression {
                metrics.accuracy(owner, value: update.evaluation.accuracy)
            }
            metrics.accuracyFiring(owner, update.evaluation.firing)
            for (metric, value) in update.evaluation.performance?.values ?? [:] {
                metrics.performance(model: update.model, version: update.version, metric: metric.rawValue, value: value)
            }
        }
        for update in result.estimates {
            for (metric, v) in update.estimate.values {
                for (suffix, value) in [("", v.value), ("_lower", v.lower), ("_upper", v.upper)] {
                    metrics.performance(
                        model: update.model, version: update.version, metric: "estimated_\(metric.rawValue)\(suffix)",
                        value: value)
                }
            }
        }
        for (owner, pending) in result.pendingPredictions { metrics.pendingPredictions(owner, count: pending) }
        for (owner, drops) in result.droppedPredictions {
            for (reason, count) in [
                ("evicted", drops.evicted), ("expired", drops.expired), ("replaced", drops.replaced)
            ] where count > 0 {
                metrics.predictionsDropped(owner, reason: reason, count: count)
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
                metrics.alertPublished(
                    ModelVersion(model: alert.model, version: alert.version), status: alert.status.rawValue)
                onAlert(alert)
                logger.notice(
                    "alert \(alert.status.rawValue)",
                    metadata: [
                        "model": "\(alert.model)", "version": "\(alert.version)",
                        "feature": "\(alert.feature ?? alert.target)", "method": "\(alert.method)",
                        "score": "\(alert.score)", "threshold": "\(alert.threshold)"
                    ])
            case .canary(let decision):
                metrics.canaryDecision(
                    ModelVersion(model: decision.model, version: decision.candidate), decision: decision.decision)
                logger.notice(
                    "canary \(decision.decision)",
                    metadata: [
                        "model": "\(decision.model)", "incumbent": "\(decision.incumbent)",
                        "candidate": "\(decision.candidate)",
                        "metric": "\(decision.metric ?? "-")",
                        "events": "\(decision.events.incumbent)+\(decision.events.candidate)"
                    ])
            case .retrain(let request):
                metrics.retrainPublished(ModelVersion(model: request.model, version: request.version))
                logger.notice(
                    "retrain requested",
                    metadata: [
                        "model": "\(request.model)", "version": "\(request.version)", "reason": "\(request.reason)"
                    ])
            case .evaluation:
                break
            }
        }
    }

    private func record(_ report: EvaluationReport) {
        let owner = ModelVersion(model: report.model, version: report.version)
        metrics.evaluated(owner)
        metrics.windowEvents(owner, events: report.window.events)
        for column in report.columns {
            let name = column.target == "prediction" ? "prediction" : column.evaluation.feature
            metrics.score(owner, feature: name, method: column.evaluation.method, value: column.evaluation.score)
            metrics.firing(owner, feature: name, column.firing)
        }
        onEvaluation(report)
    }

    /// Queues a record in the producer. A full queue keeps it (and everything after it) in `unsent`,
    /// which pauses consumption; any other error fails the epoch (rolled back and redone).
    private func send(_ record: OutboundRecord) throws {
        if let id = record.eventID {
            if rolledBackIDs.contains(id) { metrics.duplicateOutput(kind: record.kind.rawValue) }
            epochIDs.insert(id)
        }
        try epoch.send(record)
    }

    // MARK: - Rebalances

    /// Before partitions are assigned: adopt checkpoints ahead of what this instance holds and
    /// return where each partition starts (its frontier).
    private func assigning(_ partitions: [TopicPartition]) -> [TopicPartition: Int64] {
        epoch.hold(partitions)
        let starts = restoreFromStore(partitions: partitions)
        epoch.assign(partitions, starts: starts)
        return starts
    }

    /// Before partitions are revoked: checkpoint, then release what belongs to them.
    /// - Returns: whether their offsets may be committed.
    private func revoked(_ partitions: [TopicPartition]) -> Bool {
        logger.info("partitions revoked; checkpointing", metadata: ["partitions": "\(partitions.count)"])
        if stopping && !shutdownSaved {
            // Shutdown's checkpoint could not be made: nothing is committed, the records are
            // re-delivered and the epoch redone by the next owner from the last checkpoint.
            return false
        }
        let saved = checkpoint(reason: "revoke")
        if !saved { rollback(reason: "revoke", nowMillis: WallClock.nowMillis()) }
        release(partitions)
        return saved
    }

    /// The assignment was lost: another member may already own these partitions, so nothing is
    /// saved for them; the pipeline returns to its last checkpoint and lets them go.
    private func lost(_ partitions: [TopicPartition]) {
        logger.warning(
            "partitions lost; rolling back to the last checkpoint", metadata: ["partitions": "\(partitions.count)"])
        rollback(reason: "lost", nowMillis: WallClock.nowMillis())
        release(partitions)
    }

    /// Forgets partitions and, with a checkpoint store, the models whose events all came from
    /// partitions no longer held (the next owner restores them from the store).
    private func release(_ partitions: [TopicPartition]) {
        epoch.release(partitions)
        // Without a store nothing could hand a model's windows to anyone: keep them, so partitions
        // that come back (every rebalance of the eager protocol revokes all) find them intact.
        guard store != nil else { return }
        var released: [String: ModelMonitor.State] = [:]
        var releasedAccuracy: [String: AccuracyMonitor.State] = [:]
        for (id, ledger) in ledgers
        where !ledger.eventPartitions.isEmpty && ledger.eventPartitions.isDisjoint(with: assigned) {
            released[id] = emptyMonitors[id]
            releasedAccuracy[id] = emptyAccuracy[id]
        }
        guard !released.isEmpty else { return }
        processor.restore(released)
        processor.restoreAccuracy(releasedAccuracy)
        for id in released.keys {
            ledgers[id] = nil
            dirty.remove(id)
            skipBelow[id] = nil
            lastGood.monitors[id] = emptyMonitors[id]
            lastGood.accuracy[id] = emptyAccuracy[id]
            lastGood.ledgers[id] = nil
            lastGood.skipBelow[id] = nil
        }
        logger.info(
            "models released with their partitions",
            metadata: ["baselines": "\(released.keys.sorted().joined(separator: ","))"])
        publishApplied()
    }

    // MARK: - Reload

    /// Applies a reloaded configuration after a checkpoint: a new processor for the new models,
    /// with the state of every model whose baseline and window are unchanged carried over (its
    /// windows survive; new thresholds and policy apply at its next evaluation). A model with a
    /// changed baseline or window starts empty; removed models are dropped; added ones start.
    private func applyReload(_ next: DaemonConfiguration) {
        guard checkpoint(reason: "reload") else {
            epoch.errorLog.log(
                logger, level: .warning, "configuration reload waits for a successful checkpoint",
                now: WallClock.now())
            return
        }
        pendingReload.withLock { $0 = nil }
        var applied = next
        if next.kafka != configuration.kafka || next.state != configuration.state {
            logger.warning(
                "kafka and state settings changed; they apply at the next restart (models, rules and limits apply now)")
            applied.kafka = configuration.kafka
            applied.state = configuration.state
        }
        let replacement: EventProcessor
        do {
            replacement = try EventProcessor(
                models: applied.models, maxEventBytes: applied.limits.maxEventBytes,
                maxFutureSkew: applied.limits.maxFutureSkew,
                decodeWorkers: applied.limits.effectiveDecodeThreads,
                versions: applied.versions)
        } catch {
            metrics.configReload(ok: false)
            logger.error(
                "configuration reload rejected; the running configuration is kept", metadata: ["error": "\(error)"])
            return
        }
        let fresh = (monitors: replacement.state, accuracy: replacement.accuracyState(maxPredictions: 0))
        let kept = Set(replacement.restore(processor.state))
        replacement.restoreAccuracy(
            processor.accuracyState(maxPredictions: ModelCheckpointLimits.maxSavedPredictions)
                .filter { kept.contains($0.key) })
        let before = Set(modelNames.keys)
        processor = replacement
        formats?.update(models: applied.models)
        configuration = applied
        labelTopics = processor.tracksAccuracy ? Set(applied.kafka.labelTopics) : []
        modelNames = Dictionary(
            applied.models.map { ($0.baseline.id, ModelVersion(model: $0.model, version: $0.baseline.version)) },
            uniquingKeysWith: { a, _ in a })
        emptyMonitors = fresh.monitors
        emptyAccuracy = fresh.accuracy
        ledgers = ledgers.filter { kept.contains($0.key) }
        skipBelow = skipBelow.filter { kept.contains($0.key) }
        lastGood = snapshot(millis: WallClock.nowMillis())
        epoch.keepPositions()
        metrics.configReload(ok: true)
        let now = Set(modelNames.keys)
        logger.notice(
            "configuration reloaded",
            metadata: [
                "kept": "\(kept.sorted().joined(separator: ","))",
                "started": "\(now.subtracting(kept).sorted().joined(separator: ","))",
                "stopped": "\(before.subtracting(now).sorted().joined(separator: ","))"
            ])
        publishApplied()
    }

    // MARK: - Checkpoints

    /// Reads the store and adopts each model checkpoint that is ahead of the state held here on
    /// one of the newly assigned `partitions`. Fills `skipBelow` from the adopted coverage. A store that cannot be read is retried for a while, then logged; consumption then
    /// starts at the group's committed offsets with the state held.
    /// - Returns: the frontier of each of `partitions` that has one.
    @discardableResult
    private func restoreFromStore(partitions: [TopicPartition]) -> [TopicPartition: Int64] {
        guard let store else { return [:] }
        var set: CheckpointSet?
        for attempt in 1...5 {
            do {
                set = try store.load()
                break
            } catch {
                logger.error("checkpoints unreadable (attempt \(attempt) of 5)", metadata: ["error": "\(error)"])
                if error.code == .unreadable { break }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
        guard let set else {
            metrics.checkpoint(ok: false)
            return [:]
        }
        var adopted: [String] = []
        var monitors: [String: ModelMonitor.State] = [:]
        var accuracy: [String: AccuracyMonitor.State] = [:]
        for (id, record) in set.models where modelNames[id] != nil {
            let coverage = record.coverageByPartition
            let held = ledgers[id]?.coverage ?? [:]
            guard partitions.contains(where: { (coverage[$0] ?? .min) > (held[$0] ?? .min) }) else { continue }
            monitors[id] = record.monitor
            if let a = record.accuracy { accuracy[id] = a }
            ledgers[id] = ModelLedger(
                coverage: coverage, eventPartitions: record.eventPartitionSet, applied: record.eventsApplied,
                sequence: record.sequence)
            dirty.remove(id)
            skipBelow[id] = coverage
            adopted.append(id)
        }
        let restored = processor.restore(monitors)
        processor.restoreAccuracy(accuracy)
        if restored.count < monitors.count {
            logger.warning(
                "some checkpoints do not match their baseline (changed?); those models start empty",
                metadata: ["restored": "\(restored.sorted().joined(separator: ","))"])
        }
        let starts = set.frontiers.filter { partitions.contains($0.key) }
        // Frontiers below a model's coverage are handled by skipBelow; above it nothing is skipped.
        for (id, skips) in skipBelow {
            let left = skips.filter { p, below in starts[p].map { $0 < below } ?? true }
            skipBelow[id] = left.isEmpty ? nil : left
        }
        lastGood = snapshot(millis: lastGood.millis == 0 ? WallClock.nowMillis() : lastGood.millis)
        epoch.keepPositions()
        if !adopted.isEmpty || !starts.isEmpty {
            logger.info(
                "checkpoints restored",
                metadata: [
                    "from": "\(store.location)", "baselines": "\(adopted.sorted().joined(separator: ","))",
                    "starts":
                        "\(starts.sorted { $0.key < $1.key }.map { "\($0.key)@\($0.value)" }.joined(separator: ","))"
                ])
        }
        publishApplied()
        return starts
    }

    private func snapshot(millis: Int64) -> Snapshot {
        Snapshot(
            monitors: processor.state,
            accuracy: processor.accuracyState(maxPredictions: ModelCheckpointLimits.maxSavedPredictions),
            ledgers: ledgers, skipBelow: skipBelow, millis: millis)
    }

    /// Makes the epoch durable: every output acknowledged, model checkpoints and frontiers saved,
    /// offsets committed (advisory). A delivery failure rolls back instead; outputs still in flight
    /// defer the checkpoint.
    /// - Returns: whether the epoch is now durable (revoked partitions may be committed).
    @discardableResult
    private func checkpoint(reason: String) -> Bool {
        let now = WallClock.nowMillis()
        lastCheckpointMillis = now
        switch epoch.prepareCheckpoint(reason: reason) {
        case .ready:
            break
        case .deferred:
            return false
        case .failed:
            rollback(reason: "delivery", nowMillis: now)
            return false
        }
        var records: [ModelCheckpoint] = []
        var ledgersAfter = ledgers
        if store != nil {
            let states = processor.state
            let accuracy = processor.accuracyState(maxPredictions: ModelCheckpointLimits.maxSavedPredictions)
            for id in dirty.sorted() {
                guard let state = states[id] else { continue }
                var ledger = ledgers[id] ?? ModelLedger()
                for p in assigned { if let at = positions[p] { ledger.coverage[p] = at } }
                ledger.sequence += 1
                ledgersAfter[id] = ledger
                records.append(
                    ModelCheckpoint(
                        baselineID: id, model: modelNames[id]?.model ?? id, sequence: ledger.sequence,
                        savedAt: RFC3339.format(millis: now),
                        coverage: ledger.coverage, eventPartitions: ledger.eventPartitions,
                        eventsApplied: ledger.applied,
                        monitor: state, accuracy: accuracy[id]))
            }
        }
        let frontiers = positions.filter { assigned.contains($0.key) }
        if let store, !records.isEmpty || !frontiers.isEmpty {
            do {
                try store.save(models: records, frontiers: frontiers)
            } catch {
                metrics.checkpoint(ok: false)
                logger.error("checkpoint (\(reason)): state not saved; rolling back", metadata: ["error": "\(error)"])
                rollback(reason: "state", nowMillis: now)
                return false
            }
        }
        ledgers = ledgersAfter
        dirty.removeAll()
        if let consumer, reason != "revoke", !frontiers.isEmpty {
            do {
                try consumer.storeOffsets(frontiers.map { TopicPartitionOffset($0.key, offset: $0.value) })
                try consumer.commit()
            } catch {
                logger.warning(
                    "checkpoint (\(reason)): offset commit failed (advisory; the checkpoint holds the positions)",
                    metadata: ["error": "\(error)"])
            }
        } else if let consumer, reason == "revoke" {
            try? consumer.storeOffsets(frontiers.map { TopicPartitionOffset($0.key, offset: $0.value) })
        }
        lastGood = snapshot(millis: now)
        epochIDs.removeAll()
        rolledBackIDs.removeAll()
        epoch.checkpointSucceeded()
        logger.debug(
            "checkpoint (\(reason)) done", metadata: ["models": "\(records.count)", "partitions": "\(frontiers.count)"])
        return true
    }

    /// Returns to the last checkpoint: state, ledgers and positions; the consumer seeks back, and
    /// consumption waits a growing back-off (0.5 s doubling to 30 s) while failures repeat.
    private func rollback(reason: String, nowMillis now: Int64) {
        processor.restore(lastGood.monitors)
        processor.restoreAccuracy(lastGood.accuracy)
        ledgers = lastGood.ledgers
        skipBelow = lastGood.skipBelow
        dirty.removeAll()
        rolledBackIDs.formUnion(epochIDs)
        epochIDs.removeAll()
        epoch.rollback(reason: reason, nowMillis: now)
        publishApplied()
    }
}

/// Bounds on what a model checkpoint carries.
enum ModelCheckpointLimits {
    /// Predictions waiting for labels saved per model at most (the newest ones): about 60 bytes of
    /// JSON each, so at most about 6 MB per model per checkpoint.
    static let maxSavedPredictions = 100_000
}
