import DriftCore
import DriftKafka
import Foundation
import Logging

/// The delivery contract's bookkeeping shared by the single path (`KafkaPipeline`) and the
/// scale-out stages (`ScaleOutStage`) (docs/kafka.md, docs/architecture.md):
///
/// - **Positions.** The next offset to apply per assigned partition, and the one of the last
///   checkpoint to roll back to. A partition assigned without a saved offset learns it from its
///   first message.
/// - **Epochs.** A record that cannot be queued for another reason than a full queue, or a
///   delivery the producer reports as failed, fails the epoch; a checkpoint first flushes the
///   producer and refuses a failed epoch.
/// - **Rollback.** Positions return to the last checkpoint, the consumer seeks there, and
///   consumption waits a back-off (0.5 s doubling to 30 s) while failures repeat; readiness fails
///   until a checkpoint succeeds again.
/// - **Back-pressure.** Records the producer has no room for wait here, in order; the assigned
///   partitions are paused while they wait (or while a rollback's back-off runs), the loop keeps
///   polling (group membership stays alive) and resumes at its positions.
/// - **Output topics.** Before consuming, every output topic is checked; the owner is not ready
///   (and `driftd_output_blocked` is 1) until all of them can be written.
///
/// What an epoch *holds* (windows, ledgers, stage state) stays with the owner, which restores it
/// on rollback. Used from the owner's loop thread only (rebalance callbacks run inside `poll`).
final class EpochTracker {
    /// How readiness and the blocked gauge are reported (the single path: `HealthState` and the
    /// gauge; a stage: its share of the service's readiness).
    struct Reporting {
        /// Ready (or not), with the reason /readyz shows.
        var setReady: (Bool, String) -> Void
        /// `driftd_output_blocked`.
        var setBlocked: (Bool) -> Void
    }

    /// What a checkpoint may do after `prepareCheckpoint`.
    enum CheckpointGate: Equatable {
        /// Every output of the epoch is acknowledged: save the state.
        case ready
        /// Outputs wait for room or acknowledgement: try again later (nothing rolled back).
        case deferred
        /// An output of the epoch failed: the owner rolls back.
        case failed
    }

    private let metrics: DaemonMetrics
    private let logger: Logger
    private let reporting: Reporting
    /// Set once the producer exists.
    var producer: KafkaProducer?
    /// Set once the consumer exists.
    var consumer: KafkaConsumer?

    /// Partitions held.
    private(set) var assigned: Set<TopicPartition> = []
    /// Next offset to apply per assigned partition (known once the partition's start is known).
    var positions: [TopicPartition: Int64] = [:]
    /// The positions of the last checkpoint, to roll back to.
    private(set) var lastGoodPositions: [TopicPartition: Int64] = [:]
    /// Records not yet queued in the producer (its queue was full).
    private(set) var unsent: [OutboundRecord] = []
    /// A send failed (not queue-full) in this epoch.
    private var sendFailed = false
    /// `producer.failedCount` when the epoch started.
    private var failuresAtEpochStart = 0
    /// Set by rebalance callbacks, poll errors and rollbacks: seek every assigned partition to `positions`.
    var needsSeek = false
    /// Incremented by every rollback; a batch polled while it changed is dropped.
    private(set) var generation = 0
    /// Whether the assigned partitions are paused.
    private(set) var paused = false
    /// Rollbacks since the last successful checkpoint.
    private(set) var failureStreak = 0
    /// Consumption waits until then after a rollback.
    private(set) var retryAtMillis: Int64 = 0
    /// Warnings and errors of the loop, rate limited.
    var errorLog = RateLimitedLog()

    init(metrics: DaemonMetrics, logger: Logger, reporting: Reporting) {
        self.metrics = metrics
        self.logger = logger
        self.reporting = reporting
    }

    // MARK: - Set-up

    /// Opens the loop's producer: sends never block (a full queue pauses consumption instead,
    /// `send`); each failed delivery is counted per topic and logged.
    func openProducer(brokers: String, properties: [String: String]) throws -> KafkaProducer {
        let metrics = self.metrics
        let logger = self.logger
        let producer = try KafkaProducer(
            bootstrapServers: brokers, properties: properties, logger: logger, queueFullTimeoutMillis: 0,
            onDeliveryFailure: { failure in
                metrics.deliveryFailed(topic: failure.topic)
                logger.error("delivery failed", metadata: ["topic": "\(failure.topic)", "error": "\(failure.error)"])
            })
        self.producer = producer
        return producer
    }

    /// Runs `loop` on a thread of its own named `name`; `onExit` gets its outcome on that thread.
    static func startThread(
        name: String, _ loop: @escaping @Sendable () throws -> Void,
        onExit: @escaping @Sendable (Result<Void, any Error>) -> Void
    ) {
        let thread = Thread {
            do {
                try loop()
                onExit(.success(()))
            } catch {
                onExit(.failure(error))
            }
        }
        thread.name = name
        thread.start()
    }

    // MARK: - Polling

    /// What one turn's poll gave.
    enum Polled {
        /// Messages to apply.
        case batch(KafkaMessageBatch)
        /// None, or dropped: paused partitions' prefetch, or positions a rollback moved back (those
        /// partitions are sought back before consuming again).
        case nothing
        /// A consume error (logged; the partitions are sought back to the positions).
        case consumeError
    }

    /// One turn's consumption: seeks where needed, serves the producer, queues what waited for
    /// room, pauses or resumes, polls, and learns the start of partitions without a saved offset.
    func poll(batchSize: Int, nowMillis now: Int64) throws -> Polled {
        guard let consumer else { return .nothing }
        if needsSeek { seekToPositions() }
        _ = producer?.poll(timeout: .zero)
        if !unsent.isEmpty { flushUnsent() }
        let blocked = !unsent.isEmpty || now < retryAtMillis
        if blocked != paused { setPaused(blocked) }
        let generationBefore = generation
        let batch: KafkaMessageBatch
        do {
            batch = try consumer.poll(maxMessages: paused ? 1 : batchSize, timeout: .milliseconds(100))
        } catch {
            if error.isFatal { throw DaemonError(.kafka, "fatal consumer error: \(error)", cause: error) }
            // A batch built before the error was dropped by `poll`: go back to what is applied.
            needsSeek = true
            errorLog.log(
                logger, level: .warning, "consume error: \(error)", now: WallClockTime(millisecondsSinceEpoch: now))
            return .consumeError
        }
        for error in batch.errors {
            errorLog.log(
                logger, level: .warning, "consume error: \(error)", now: WallClockTime(millisecondsSinceEpoch: now))
        }
        notePositions(of: batch)
        if paused || generation != generationBefore {
            if !batch.isEmpty { needsSeek = true }
            return .nothing
        }
        return batch.isEmpty ? .nothing : .batch(batch)
    }

    /// A partition assigned without a saved offset starts at the group's committed offset, learnt
    /// from its first message: that offset becomes its position (and the rollback position),
    /// whether the batch is then applied or dropped (paused, rolled back).
    private func notePositions(of batch: KafkaMessageBatch) {
        guard !batch.isEmpty, assigned.contains(where: { positions[$0] == nil }) else { return }
        for i in 0..<batch.count {
            let p = TopicPartition(topic: batch.topic(at: i), partition: batch.partition(at: i))
            guard positions[p] == nil, assigned.contains(p) else { continue }
            positions[p] = batch.offset(at: i)
            if lastGoodPositions[p] == nil { lastGoodPositions[p] = batch.offset(at: i) }
        }
    }

    /// Moves the positions past an applied batch (only partitions still held when `heldOnly`).
    func advance(past batch: KafkaMessageBatch, heldOnly: Bool) {
        for next in batch.nextOffsets() where !heldOnly || assigned.contains(next.topicPartition) {
            positions[next.topicPartition] = next.offset
        }
    }

    private func seekToPositions() {
        guard let consumer else { return }
        let targets = assigned.compactMap { p in positions[p].map { TopicPartitionOffset(p, offset: $0) } }
        do {
            try consumer.seek(targets)
            needsSeek = false
        } catch {
            errorLog.log(logger, level: .warning, "seek failed (retrying): \(error)", now: WallClock.now())
        }
    }

    // MARK: - Sending

    /// Whether a record of the epoch failed (a send error or a failed delivery).
    var epochFailed: Bool {
        sendFailed || (producer.map { $0.failedCount > failuresAtEpochStart } ?? false)
    }

    /// Queues a record in the producer. A full queue keeps it (and everything after it) in
    /// `unsent`, which pauses consumption; any other error fails the epoch (rolled back and redone).
    /// - Returns: whether the record was queued now.
    @discardableResult
    func send(_ record: OutboundRecord) throws -> Bool {
        guard let producer else { return false }
        guard unsent.isEmpty else {
            unsent.append(record)
            return false
        }
        do {
            try producer.send(topic: record.topic, key: record.key, value: record.value, headers: record.headers)
            return true
        } catch {
            if error.isFatal { throw DaemonError(.kafka, "fatal producer error: \(error)", cause: error) }
            if error.code == .queueFull {
                unsent.append(record)
                return false
            }
            sendFailed = true
            metrics.deliveryFailed(topic: record.topic)
            errorLog.log(
                logger, level: .error,
                "could not publish \(record.kind.rawValue) to \(record.topic): \(error); the epoch will be redone",
                now: WallClock.now())
            return false
        }
    }

    /// Queues what waited for room in the producer, in order.
    private func flushUnsent() {
        guard let producer else { return }
        while let record = unsent.first {
            do {
                try producer.send(topic: record.topic, key: record.key, value: record.value, headers: record.headers)
                unsent.removeFirst()
            } catch {
                if error.code == .queueFull { return }
                sendFailed = true
                unsent.removeAll()
                errorLog.log(
                    logger, level: .error,
                    "could not publish \(record.kind.rawValue): \(error); the epoch will be redone",
                    now: WallClock.now())
            }
        }
    }

    private func setPaused(_ pause: Bool) {
        guard let consumer else { return }
        let partitions = assigned.sorted()
        do {
            if pause {
                try consumer.pause(partitions)
            } else {
                try consumer.resume(partitions)
                needsSeek = true
            }
            paused = pause
            reporting.setBlocked(pause)
            if pause { metrics.consumptionPaused() }
            if pause {
                logger.warning(
                    "outputs blocked; consumption paused",
                    metadata: [
                        "unsent": "\(unsent.count)", "partitions": "\(partitions.count)"
                    ])
            } else {
                logger.info("consumption resumed")
            }
        } catch {
            errorLog.log(logger, level: .warning, "pause/resume failed: \(error)", now: WallClock.now())
        }
    }

    /// Partitions newly assigned while paused are paused too.
    func pauseIfPaused(_ partitions: [TopicPartition]) {
        if paused { try? consumer?.pause(partitions) }
    }

    // MARK: - Output topics

    /// Checks that every one of `topics` exists and can be written; waits (not ready, logging at
    /// most every 10 s) until they do or `stopped` says to give up.
    /// - Returns: false when stopped before the topics were usable.
    func waitForOutputTopics(_ topics: [String], heartbeat: (Int64) -> Void, stopped: () -> Bool) -> Bool {
        while !stopped() {
            let now = WallClock.nowMillis()
            heartbeat(now)
            var problems: [String] = []
            for topic in topics {
                do {
                    try producer?.checkTopic(topic, timeout: .seconds(5))
                } catch {
                    problems.append("\(error)")
                }
            }
            if problems.isEmpty {
                reporting.setBlocked(false)
                return true
            }
            reporting.setBlocked(true)
            reporting.setReady(false, "output topics unusable: \(problems.joined(separator: "; "))")
            errorLog.log(
                logger, level: .error,
                "output topics unusable; not consuming until they are: \(problems.joined(separator: "; "))",
                now: WallClockTime(millisecondsSinceEpoch: now))
            Thread.sleep(forTimeInterval: 1)
        }
        return false
    }

    // MARK: - Checkpoints

    /// The first half of a checkpoint: nothing may wait for room, everything queued must be
    /// acknowledged, and nothing of the epoch may have failed (`.failed`: the owner rolls back).
    /// The acknowledgements are awaited 10 s for the checkpoints that cannot simply come later
    /// (`shutdown`, `revoke`, `reload`), 5 s for the others (`interval`, ...).
    func prepareCheckpoint(reason: String) -> CheckpointGate {
        guard let producer else { return .deferred }
        guard unsent.isEmpty else {
            logger.info("checkpoint (\(reason)) deferred: \(unsent.count) outputs wait for room in the producer")
            metrics.checkpoint(ok: false)
            return .deferred
        }
        do {
            try producer.flush(
                timeout: .milliseconds(["shutdown", "revoke", "reload"].contains(reason) ? 10_000 : 5_000))
        } catch {
            metrics.checkpoint(ok: false)
            logger.warning(
                "checkpoint (\(reason)) deferred: outputs not yet acknowledged", metadata: ["error": "\(error)"])
            return .deferred
        }
        if epochFailed {
            metrics.checkpoint(ok: false)
            return .failed
        }
        return .ready
    }

    /// The end of a successful checkpoint: a new epoch starts at the current positions; readiness
    /// returns if failures had taken it away.
    func checkpointSucceeded() {
        lastGoodPositions = positions
        if let producer { failuresAtEpochStart = producer.failedCount }
        sendFailed = false
        metrics.checkpoint(ok: true)
        if failureStreak > 0 {
            failureStreak = 0
            logger.notice("outputs delivered again; checkpoint succeeded after failures")
            if !assigned.isEmpty { reporting.setReady(true, "consuming") }
        }
    }

    /// Makes the current positions the ones a rollback returns to (state adopted outside a checkpoint).
    func keepPositions() {
        lastGoodPositions = positions
    }

    /// Returns the positions to the last checkpoint, forgets what waited for room and the epoch's
    /// failures, and starts the back-off; the owner restores its state.
    /// - Returns: the back-off in milliseconds.
    @discardableResult
    func rollback(reason: String, nowMillis now: Int64) -> Int {
        metrics.rollback(reason: reason)
        for p in assigned { positions[p] = lastGoodPositions[p] }
        unsent.removeAll()
        // Deliveries still in flight belong to the rolled-back epoch; they may still fail.
        if let producer {
            try? producer.flush(timeout: .seconds(1))
            failuresAtEpochStart = producer.failedCount
        }
        sendFailed = false
        generation += 1
        needsSeek = true
        failureStreak += 1
        let backoff = min(30_000, 500 << min(failureStreak - 1, 6))
        retryAtMillis = now + Int64(backoff)
        reporting.setReady(
            false, "outputs failing (\(reason)); rolled back to the last checkpoint, retrying in \(backoff) ms")
        errorLog.log(
            logger, level: .error, "rolled back to the last checkpoint (\(reason)); redoing the epoch in \(backoff) ms",
            metadata: [
                "failures_in_a_row": "\(failureStreak)"
            ], now: WallClockTime(millisecondsSinceEpoch: now))
        return backoff
    }

    // MARK: - Assignment

    /// Holds `partitions` from now on, starting at `starts` (those without a start learn it from
    /// their first message).
    func assign(_ partitions: [TopicPartition], starts: [TopicPartition: Int64]) {
        assigned.formUnion(partitions)
        for p in partitions {
            positions[p] = starts[p]
            lastGoodPositions[p] = starts[p]
        }
    }

    /// Marks `partitions` as held before their starts are known (restoring state may need to
    /// know what is held); `assign` follows.
    func hold(_ partitions: [TopicPartition]) {
        assigned.formUnion(partitions)
    }

    /// Forgets `partitions`.
    func release(_ partitions: [TopicPartition]) {
        for p in partitions {
            assigned.remove(p)
            positions[p] = nil
            lastGoodPositions[p] = nil
        }
    }
}
