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
/// dropped without saving.
final class ScaleOutStage: @unchecked Sendable {
    // @unchecked Sendable: the loop state is used on the loop thread only (rebalance callbacks
    // run inside `poll` on that thread); `stopRequested` is atomic.
    private let logic: any ScaleOutStageLogic
    private let brokers: String
    private let groupID: String
    private let topics: [String]
    private let stateTopic: String
    private let consumerProperties: [String: String]
    private let producerProperties: [String: String]
    private let batchSize: Int
    private let checkpointEveryMillis: Int64
    private let metrics: DaemonMetrics
    private let logger: Logger
    private let stopRequested = Atomic<Bool>(false)
    private let abandonRequested = Atomic<Bool>(false)

    private var consumer: KafkaConsumer?
    private var producer: KafkaProducer?
    private var store: StageStateStore?
    private var assigned: Set<TopicPartition> = []
    private var positions: [TopicPartition: Int64] = [:]
    private var lastGood: [TopicPartition: StageStateStore.Record] = [:]
    private var lastGoodPositions: [TopicPartition: Int64] = [:]
    private var needsSeek = false
    private var generation = 0
    private var sendFailed = false
    private var failuresAtEpochStart = 0
    private var abandoning = false
    private var lastCheckpointMillis: Int64 = 0
    private var retryAtMillis: Int64 = 0
    private var failureStreak = 0
    private var errorLog = RateLimitedLog()
    /// Records published by this stage (tests, benchmarks).
    let published = Atomic<Int>(0)
    /// Bytes of record values published by this stage.
    let publishedBytes = Atomic<Int>(0)

    init(
        logic: any ScaleOutStageLogic, configuration: DaemonConfiguration, groupID: String, topics: [String],
        metrics: DaemonMetrics, logger: Logger
    ) {
        self.logic = logic
        self.brokers = configuration.kafka.brokers
        self.groupID = groupID
        self.topics = topics
        self.stateTopic = configuration.state.topic ?? ""
        self.consumerProperties = configuration.kafka.effectiveConsumerProperties
        self.producerProperties = configuration.kafka.effectiveProducerProperties
        self.batchSize = configuration.kafka.batchSize
        self.checkpointEveryMillis = Int64(configuration.state.checkpointInterval / .milliseconds(1))
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "stage"] = "\(logic.stageName)"
        self.logger = logger
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

    /// Starts the loop on its own thread; `onExit` gets its outcome.
    func start(onExit: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        let thread = Thread { [self] in
            do {
                try self.loop()
                onExit(.success(()))
            } catch {
                onExit(.failure(error))
            }
        }
        thread.name = "driftd-\(logic.stageName)"
        thread.start()
    }

    private func loop() throws {
        let metrics = self.metrics
        let logger = self.logger
        do {
            let producer = try KafkaProducer(
                bootstrapServers: brokers, properties: producerProperties, logger: logger,
                onDeliveryFailure: { failure in
                    metrics.deliveryFailed(topic: failure.topic)
                    logger.error(
                        "delivery failed", metadata: ["topic": "\(failure.topic)", "error": "\(failure.error)"])
                })
            self.producer = producer
            store = StageStateStore(
                topic: stateTopic, group: groupID, stage: logic.stageName, producer: producer,
                reader: KafkaTopicReader(bootstrapServers: brokers, properties: consumerProperties, logger: logger))
            consumer = try KafkaConsumer(
                bootstrapServers: brokers, groupID: groupID, topics: topics, properties: consumerProperties,
                logger: logger,
                onRevoke: { [unowned self] partitions in self.revoked(partitions) },
                startOffsets: { [unowned self] partitions in self.assigning(partitions) },
                onLost: { [unowned self] partitions in self.lost(partitions) })
        } catch {
            throw DaemonError(.kafka, "\(error)", cause: error)
        }
        defer {
            consumer?.close()
            if abandoning {
                try? producer?.close(timeoutMillis: 0)
            } else {
                do { try producer?.close(timeoutMillis: 10_000) } catch { logger.error("producer close: \(error)") }
            }
        }
        lastCheckpointMillis = WallClock.nowMillis()
        logger.info("stage started", metadata: ["group": "\(groupID)", "topics": "\(topics.joined(separator: ","))"])
        while !stopRequested.load(ordering: .relaxed) {
            let now = WallClock.nowMillis()
            guard let consumer else { break }
            if needsSeek { seekToPositions() }
            _ = producer?.poll(timeoutMillis: 0)
            let generationBefore = generation
            let batch: KafkaMessageBatch
            do {
                batch = try consumer.poll(maxMessages: now < retryAtMillis ? 1 : batchSize, timeoutMillis: 100)
            } catch {
                if error.isFatal { throw DaemonError(.kafka, "fatal consumer error: \(error)", cause: error) }
                needsSeek = true
                errorLog.log(logger, level: .warning, "consume error: \(error)", nowMillis: now)
                continue
            }
            if abandonRequested.load(ordering: .relaxed) { break }
            notePositions(of: batch)
            if generation != generationBefore || now < retryAtMillis {
                if !batch.isEmpty { needsSeek = true }
            } else if !batch.isEmpty {
                let records = logic.handle(batch, nowMillis: now)
                for record in records { try send(record) }
                for next in batch.nextOffsets() where assigned.contains(next.topicPartition) {
                    positions[next.topicPartition] = next.offset
                }
                for (owner, total) in logic.appliedTotals { metrics.eventsApplied(owner, total: total) }
            }
            if epochFailed { rollback(reason: "delivery", nowMillis: now) }
            if now - lastCheckpointMillis >= checkpointEveryMillis && now >= retryAtMillis {
                checkpoint(reason: "interval")
            }
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

    private var epochFailed: Bool {
        sendFailed || (producer.map { $0.failedCount > failuresAtEpochStart } ?? false)
    }

    private func send(_ record: OutboundRecord) throws {
        guard let producer else { return }
        do {
            try producer.send(topic: record.topic, key: record.key, value: record.value, headers: record.headers)
            published.add(1, ordering: .relaxed)
            publishedBytes.add(record.value.count + (record.key?.count ?? 0), ordering: .relaxed)
        } catch {
            if error.isFatal { throw DaemonError(.kafka, "fatal producer error: \(error)", cause: error) }
            sendFailed = true
            metrics.deliveryFailed(topic: record.topic)
            errorLog.log(
                logger, level: .error, "could not publish to \(record.topic): \(error); the epoch will be redone",
                nowMillis: WallClock.nowMillis())
        }
    }

    /// A partition without a saved offset starts at the group's committed offset: learnt from its first message.
    private func notePositions(of batch: KafkaMessageBatch) {
        guard !batch.isEmpty, assigned.contains(where: { positions[$0] == nil }) else { return }
        for i in 0..<batch.count {
            let p = TopicPartition(topic: batch.topic(at: i), partition: batch.partition(at: i))
            guard positions[p] == nil, assigned.contains(p) else { continue }
            positions[p] = batch.offset(at: i)
            if lastGoodPositions[p] == nil { lastGoodPositions[p] = batch.offset(at: i) }
        }
    }

    private func seekToPositions() {
        guard let consumer else { return }
        let targets = assigned.compactMap { p in positions[p].map { TopicPartitionOffset(p, offset: $0) } }
        do {
            try consumer.seek(targets)
            needsSeek = false
        } catch {
            errorLog.log(logger, level: .warning, "seek failed (retrying): \(error)", nowMillis: WallClock.nowMillis())
        }
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
            assigned.insert(p)
            let record = saved[p]
            logic.assign(p, saved: record?.state)
            lastGood[p] = record
            positions[p] = record?.offset
            lastGoodPositions[p] = record?.offset
            if let offset = record?.offset { starts[p] = offset }
        }
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
        for p in partitions {
            assigned.remove(p)
            positions[p] = nil
            lastGood[p] = nil
            lastGoodPositions[p] = nil
            logic.release(p)
        }
    }

    // MARK: - Checkpoints

    @discardableResult
    private func checkpoint(reason: String) -> Bool {
        let now = WallClock.nowMillis()
        lastCheckpointMillis = now
        guard let producer, let store else { return false }
        do {
            try producer.flush(timeoutMillis: reason == "interval" ? 5_000 : 10_000)
        } catch {
            metrics.checkpoint(ok: false)
            logger.warning(
                "checkpoint (\(reason)) deferred: outputs not yet acknowledged", metadata: ["error": "\(error)"])
            return false
        }
        if epochFailed {
            metrics.checkpoint(ok: false)
            rollback(reason: "delivery", nowMillis: now)
            return false
        }
        var records: [TopicPartition: StageStateStore.Record] = [:]
        for p in assigned {
            guard let offset = positions[p] else { continue }
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
        if let consumer, !offsets.isEmpty {
            do {
                try consumer.storeOffsets(offsets)
                if reason != "revoke" { try consumer.commit() }
            } catch {
                logger.warning(
                    "checkpoint (\(reason)): offset commit failed (advisory)", metadata: ["error": "\(error)"])
            }
        }
        for (p, record) in records {
            lastGood[p] = record
            lastGoodPositions[p] = record.offset
        }
        failuresAtEpochStart = producer.failedCount
        sendFailed = false
        failureStreak = 0
        metrics.checkpoint(ok: true)
        return true
    }

    private func rollback(reason: String, nowMillis now: Int64) {
        metrics.rollback(reason: reason)
        for p in assigned {
            logic.assign(p, saved: lastGood[p]?.state)
            positions[p] = lastGoodPositions[p]
        }
        if let producer {
            try? producer.flush(timeoutMillis: 1_000)
            failuresAtEpochStart = producer.failedCount
        }
        sendFailed = false
        generation += 1
        needsSeek = true
        failureStreak += 1
        retryAtMillis = now + Int64(min(30_000, 500 << min(failureStreak - 1, 6)))
        errorLog.log(logger, level: .error, "rolled back to the last checkpoint (\(reason))", nowMillis: now)
    }
}
