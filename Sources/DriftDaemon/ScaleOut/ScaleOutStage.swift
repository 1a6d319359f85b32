import DriftConfig
import DriftKafka
import Foundation
import Logging
import Synchronization

/// One stage of a scale-out deployment (ingest or evaluate) as a consumer group of its own: the
/// consume loop on a thread of its own, epochs and checkpoints (docs/architecture.md, "Scale-out").
///
/// The contract is the single path's (docs/kafka.md): everything since the last checkpoint is an
/// epoch; a checkpoint flushes the producer and succeeds only when no record of the epoch failed,
/// then saves each assigned partition's state with its next offset (`StageStateStore`), then
/// commits offsets (advisory). A failure rolls every partition back to its last checkpoint and the
/// consumer seeks there. On assignment a partition's state is restored from the state topic and
/// consumption starts at its saved offset; on revoke it is checkpointed first; when lost it is
/// dropped without saving. Positions, epochs, rollback and its back-off, back-pressure (a full
/// producer queue pauses the partitions) and the start-up check of the output topics are the
/// single path's own code (`EpochTracker`); readiness goes to the service's `StageReadiness`.
final class ScaleOutStage: @unchecked Sendable {
    // @unchecked Sendable: the loop state is used on the loop thread only (rebalance callbacks
    // run inside `poll` on that thread); `stopRequested` is atomic, `pendingReload` a mutex.
    private let logic: any ScaleOutStageLogic
    private let brokers: String
    private let groupID: String
    private let topics: [String]
    private let outputTopics: [String]
    private let stateTopic: String
    private let consumerProperties: [String: String]
    private let producerProperties: [String: String]
    private let batchSize: Int
    private let checkpointEveryMillis: Int64
    private let metrics: DaemonMetrics
    private let readiness: StageReadiness
    private let logger: Logger
    private let stopRequested = Atomic<Bool>(false)
    private let abandonRequested = Atomic<Bool>(false)
    /// A configuration handed over by SIGHUP (already checked by the service), applied between batches.
    private let pendingReload = Mutex<DaemonConfiguration?>(nil)

    private let epoch: EpochTracker
    private var store: StageStateStore?
    private var lastGood: [TopicPartition: StageStateStore.Record] = [:]
    private var abandoning = false
    private var lastCheckpointMillis: Int64 = 0
    /// Records published by this stage (tests, benchmarks).
    let published = Atomic<Int>(0)
    /// Bytes of record values published by this stage.
    let publishedBytes = Atomic<Int>(0)
    /// Reloaded configurations this stage has applied (tests).
    let reloadsApplied = Atomic<Int>(0)

    /// - Parameters:
    ///   - outputTopics: every topic the stage writes besides the state topic (checked before consuming).
    init(
        logic: any ScaleOutStageLogic, configuration: DaemonConfiguration, groupID: String, topics: [String],
        outputTopics: [String], metrics: DaemonMetrics, readiness: StageReadiness, logger: Logger
    ) {
        self.logic = logic
        self.brokers = configuration.kafka.brokers
        self.groupID = groupID
        self.topics = topics
        self.stateTopic = configuration.state.topic ?? ""
        self.outputTopics = outputTopics + [stateTopic].filter { !$0.isEmpty }
        self.consumerProperties = configuration.kafka.effectiveConsumerProperties
        self.producerProperties = configuration.kafka.effectiveProducerProperties
        self.batchSize = configuration.kafka.batchSize
        self.checkpointEveryMillis = Int64(configuration.state.checkpointInterval / .milliseconds(1))
        self.metrics = metrics
        self.readiness = readiness
        var logger = logger
        logger[metadataKey: "stage"] = "\(logic.stageName)"
        self.logger = logger
        let name = logic.stageName
        self.epoch = EpochTracker(
            metrics: metrics, logger: logger,
            reporting: EpochTracker.Reporting(
                setReady: { readiness.setReady(name, $0, detail: $1) },
                setBlocked: { readiness.setBlocked(name, $0) }))
    }

    /// Whether this is the ingest stage.
    var isIngest: Bool { logic.stageName == "ingest" }

    /// Asks the loop to finish its batch, checkpoint and return.
    func requestStop() { stopRequested.store(true, ordering: .relaxed) }

    /// Asks the loop to end *without* a checkpoint and without committing (what a crash leaves:
    /// the next owner redoes the epoch from the last checkpoint). For tests and drills.
    func requestAbandon() {
        abandonRequested.store(true, ordering: .relaxed)
        stopRequested.store(true, ordering: .relaxed)
    }

    /// Hands a configuration the service accepted to the loop, which applies it after a checkpoint.
    func requestReload(_ configuration: DaemonConfiguration) {
        pendingReload.withLock { $0 = configuration }
    }

    /// Starts the loop on its own thread; `onExit` gets its outcome.
    func start(onExit: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        EpochTracker.startThread(name: "driftd-\(logic.stageName)", { [self] in try self.loop() }, onExit: onExit)
    }

    private func loop() throws {
        let metrics = self.metrics
        let logger = self.logger
        let name = logic.stageName
        do {
            // Sends never block: a full queue pauses consumption instead (`EpochTracker.send`).
            let producer = try epoch.openProducer(brokers: brokers, properties: producerProperties)
            store = StageStateStore(
                topic: stateTopic, group: groupID, stage: logic.stageName, producer: producer,
                reader: KafkaTopicReader(bootstrapServers: brokers, properties: consumerProperties, logger: logger))
        } catch {
            throw DaemonError(.kafka, "\(error)", cause: error)
        }
        defer {
            epoch.consumer?.close()
            if abandoning {
                try? epoch.producer?.close(timeout: .zero)
            } else {
                do { try epoch.producer?.close(timeout: .seconds(10)) } catch {
                    logger.error("producer close: \(error)")
                }
            }
        }
        // Outputs that cannot be written are found before anything is consumed.
        let readiness = self.readiness
        guard
            epoch.waitForOutputTopics(
                outputTopics, heartbeat: { readiness.heartbeat(name, nowMillis: $0) },
                stopped: { stopRequested.load(ordering: .relaxed) })
        else { return }
        do {
            epoch.consumer = try KafkaConsumer(
                bootstrapServers: brokers, groupID: groupID, topics: topics, properties: consumerProperties,
                logger: logger,
                onAssign: { [unowned self] partitions in self.epoch.pauseIfPaused(partitions) },
                onRevoke: { [unowned self] partitions in self.revoked(partitions) },
                startOffsets: { [unowned self] partitions in self.assigning(partitions) },
                onLost: { [unowned self] partitions in self.lost(partitions) })
        } catch {
            throw DaemonError(.kafka, "\(error)", cause: error)
        }
        readiness.setReady(name, true, detail: "consuming")
        lastCheckpointMillis = WallClock.nowMillis()
        logger.info("stage started", metadata: ["group": "\(groupID)", "topics": "\(topics.joined(separator: ","))"])
        while !stopRequested.load(ordering: .relaxed) {
            let now = WallClock.nowMillis()
            readiness.heartbeat(name, nowMillis: now)
            if let reload = pendingReload.withLock({ $0 }) { applyReload(reload) }
            let polled = try epoch.poll(batchSize: batchSize, nowMillis: now)
            if abandonRequested.load(ordering: .relaxed) { break }
            switch polled {
            case .batch(let batch):
                let records = logic.handle(batch, nowMillis: now)
                for record in records {
                    try epoch.send(record)
                    published.add(1, ordering: .relaxed)
                    publishedBytes.add(record.value.count + (record.key?.count ?? 0), ordering: .relaxed)
                }
                epoch.advance(past: batch, heldOnly: true)
                for (owner, total) in logic.appliedTotals { metrics.eventsApplied(owner, total: total) }
            case .nothing:
                break
            case .consumeError:
                continue
            }
            if epoch.epochFailed { rollback(reason: "delivery", nowMillis: now) }
            if now - lastCheckpointMillis >= checkpointEveryMillis && now >= epoch.retryAtMillis {
                checkpoint(reason: "interval")
            } else if logic.watchesIdle, now >= epoch.retryAtMillis, now - lastCheckpointMillis >= 1_000,
                logic.idleDue(nowMillis: now, caughtUp: caughtUpPartitions())
            {
                checkpoint(reason: "idle")
            }
            for record in logic.takeOutbox() { try epoch.send(record) }
        }
        if abandonRequested.load(ordering: .relaxed) {
            abandoning = true
            logger.warning("stage abandoned without a checkpoint")
            return
        }
        let saved = checkpoint(reason: "shutdown")
        abandoning = !saved
        logger.info("stage stopped", metadata: ["checkpointed": "\(saved)"])
    }

    // MARK: - Reload

    /// Applies a configuration the service accepted, after a checkpoint (so a rollback never
    /// mixes the two): the stage logic adopts what it can change safely.
    private func applyReload(_ next: DaemonConfiguration) {
        guard checkpoint(reason: "reload") else {
            epoch.errorLog.log(
                logger, level: .warning, "configuration reload waits for a successful checkpoint",
                now: WallClock.now())
            return
        }
        pendingReload.withLock { $0 = nil }
        do {
            try logic.reload(next)
            for p in epoch.assigned { lastGood[p]?.state = logic.save(p) }
            reloadsApplied.add(1, ordering: .relaxed)
            logger.notice("configuration reloaded")
        } catch {
            metrics.configReload(ok: false)
            logger.error(
                "configuration reload rejected by the stage; the running configuration is kept",
                metadata: ["error": "\(error)"])
        }
    }

    /// Assigned partitions with nothing left to read: the consume position at the high watermark.
    /// An empty partition whose position is not known yet (no checkpoint, no record read) is caught
    /// up at offset 0, which becomes its position (so its checkpoint can be saved).
    private func caughtUpPartitions() -> Set<TopicPartition> {
        guard let consumer = epoch.consumer, !epoch.assigned.isEmpty, !epoch.needsSeek,
            let highs = try? consumer.cachedHighWatermarks(Array(epoch.assigned))
        else { return [] }
        var result = Set<TopicPartition>()
        for (p, high) in highs {
            if epoch.positions[p] == nil, high == 0 { epoch.positions[p] = 0 }
            if let position = epoch.positions[p], position >= high { result.insert(p) }
        }
        return result
    }

    // MARK: - Rebalances

    private func assigning(_ partitions: [TopicPartition]) -> [TopicPartition: Int64] {
        var saved: [TopicPartition: StageStateStore.Record] = [:]
        for attempt in 1...5 {
            do {
                saved = try store?.load() ?? [:]
                break
            } catch {
                logger.error("stage checkpoints unreadable (attempt \(attempt) of 5)", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
        var starts: [TopicPartition: Int64] = [:]
        for p in partitions {
            let record = saved[p]
            logic.assign(p, saved: record?.state)
            lastGood[p] = record
            if let offset = record?.offset { starts[p] = offset }
        }
        epoch.assign(partitions, starts: starts)
        logger.info(
            "partitions assigned",
            metadata: [
                "partitions": "\(partitions.sorted().map(\.description).joined(separator: ","))",
                "restored": "\(starts.count)"
            ])
        return starts
    }

    private func revoked(_ partitions: [TopicPartition]) -> Bool {
        if abandonRequested.load(ordering: .relaxed) || abandoning {
            release(partitions)
            return false
        }
        let saved = checkpoint(reason: "revoke")
        if !saved { rollback(reason: "revoke", nowMillis: WallClock.nowMillis()) }
        release(partitions)
        return saved
    }

    private func lost(_ partitions: [TopicPartition]) {
        logger.warning("partitions lost; their state is dropped", metadata: ["partitions": "\(partitions.count)"])
        release(partitions)
    }

    private func release(_ partitions: [TopicPartition]) {
        epoch.release(partitions)
        for p in partitions {
            lastGood[p] = nil
            logic.release(p)
        }
    }

    // MARK: - Checkpoints

    @discardableResult
    private func checkpoint(reason: String) -> Bool {
        let now = WallClock.nowMillis()
        lastCheckpointMillis = now
        guard let store else { return false }
        switch epoch.prepareCheckpoint(reason: reason) {
        case .ready:
            break
        case .deferred:
            return false
        case .failed:
            rollback(reason: "delivery", nowMillis: now)
            return false
        }
        if reason == "interval" || reason == "idle" { logic.prepareCheckpoint(nowMillis: now) }
        var records: [TopicPartition: StageStateStore.Record] = [:]
        for p in epoch.assigned {
            guard let offset = epoch.positions[p] else { continue }
            records[p] = StageStateStore.Record(offset: offset, state: logic.save(p))
        }
        do {
            try store.save(records)
        } catch {
            metrics.checkpoint(ok: false)
            logger.error("checkpoint (\(reason)): state not saved; rolling back", metadata: ["error": "\(error)"])
            rollback(reason: "state", nowMillis: now)
            return false
        }
        let offsets = records.map { TopicPartitionOffset($0.key, offset: $0.value.offset) }
        if let consumer = epoch.consumer, !offsets.isEmpty {
            do {
                try consumer.storeOffsets(offsets)
                if reason != "revoke" { try consumer.commit() }
            } catch {
                logger.warning(
                    "checkpoint (\(reason)): offset commit failed (advisory)", metadata: ["error": "\(error)"])
            }
        }
        for (p, record) in records { lastGood[p] = record }
        epoch.checkpointSucceeded()
        return true
    }

    /// Every partition returns to its last checkpoint (state and position); the consumer seeks
    /// there after the back-off, and the stage is not ready until a checkpoint succeeds again.
    private func rollback(reason: String, nowMillis now: Int64) {
        for p in epoch.assigned { logic.assign(p, saved: lastGood[p]?.state) }
        epoch.rollback(reason: reason, nowMillis: now)
    }
}
