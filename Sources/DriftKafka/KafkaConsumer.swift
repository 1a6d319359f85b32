import Crdkafka
import Dispatch
import Logging

/// A Kafka consumer-group member over librdkafka's high-level consumer, consuming in batches.
///
/// ## Threading
/// A `KafkaConsumer` must be used from **one dedicated thread**: create it, then call `poll`,
/// `storeOffsets`, `commit`, `committed`, `assignment` and `close` from that thread only. The
/// rebalance handlers (`onAssign`, `onRevoke`) run on that same thread, from inside `poll` or
/// `close`. The type is `@unchecked Sendable` only so it can be handed to that thread; it holds
/// no lock of its own. librdkafka's log and error callbacks run on internal threads and only
/// touch thread-safe state.
///
/// ## Offsets
/// Defaults disable automatic offset storing and committing. The application stores offsets
/// (`storeOffsets`, usually `batch.nextOffsets()`) once a batch is applied, and commits them at its
/// checkpoints (`commit`). When partitions are revoked, `onRevoke` runs first (checkpoint and
/// store there); when it returns `true` the stored offsets of the revoked partitions are then
/// committed synchronously (retried for a moment while the group finishes a rebalance), then the
/// partitions are unassigned. `close()` revokes everything the same way.
///
/// ## Configuration
/// Properties are layered: `defaultProperties`, then the `properties` passthrough (any librdkafka
/// property, including `security.protocol`, `sasl.*`, `ssl.*`), then the explicit
/// `bootstrap.servers` and `group.id` parameters.
public final class KafkaConsumer: @unchecked Sendable {
    /// The defaults applied before the passthrough properties.
    ///
    /// - `partition.assignment.strategy=roundrobin` (the eager protocol): librdkafka 2.0.2 aborts
    ///   (`rd_kafka_sticky_assignor_state_destroy: Assertion 'assignor_state' failed`) when a
    ///   `cooperative-sticky` consumer is destroyed before its first assignment, which happens
    ///   after a session time-out followed by a shutdown (librdkafka #4312, fixed in 2.3.0; seen
    ///   here under load). `cooperative-sticky` works through the passthrough on newer librdkafka.
    /// - `enable.auto.offset.store=false`, `enable.auto.commit=false`: offsets are stored after a
    ///   batch is applied and committed at checkpoints, revoke and close.
    /// - `auto.offset.reset=earliest`: a new group starts at the beginning.
    /// - `enable.partition.eof=false`: no end-of-partition events.
    /// - `fetch.wait.max.ms=100`: shorter broker-side fetch waits (default 500).
    /// - `queued.min.messages=1000000`: keep prefetching for a fast consumer (default 100000).
    /// - `queued.max.messages.kbytes=524288`: the prefetch bound, 512 MiB for the whole consumer
    ///   queue (default 64 MiB). Once the queue reaches either threshold, librdkafka 2.0.2 stops
    ///   fetching and looks again only when its broker thread next wakes, up to 1 s later (it has
    ///   no `fetch.queue.backoff.ms`, added in 2.1). A consumer that is behind and drains the
    ///   queue faster than that idles until the refill. With the default, the benchmark's
    ///   daemon path idled about half of each catch-up run (docs/kafka.md, "Prefetch").
    public static let defaultProperties: [String: String] = [
        "partition.assignment.strategy": "roundrobin",
        "enable.auto.offset.store": "false",
        "enable.auto.commit": "false",
        "auto.offset.reset": "earliest",
        "enable.partition.eof": "false",
        "fetch.wait.max.ms": "100",
        "queued.min.messages": "1000000",
        "queued.max.messages.kbytes": "524288"
    ]

    /// The consumer group id.
    public let groupID: String
    /// The subscribed topics.
    public let topics: [String]

    private var client: RDKafkaClient?
    private var queue: OpaquePointer?
    private let context: RDKafkaConsumerContext
    private var scratch: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>?
    private var scratchCapacity = 0

    /// Creates the consumer, joins `groupID` and subscribes to `topics`.
    ///
    /// - Parameters:
    ///   - bootstrapServers: `host:port[,host:port...]`.
    ///   - groupID: the consumer group id.
    ///   - topics: the topics to subscribe to (at least one).
    ///   - properties: librdkafka properties overriding `defaultProperties`.
    ///   - logger: receives librdkafka's log lines, errors and rebalance events.
    ///   - onAssign: called on the polling thread after partitions were assigned.
    ///   - onRevoke: called on the polling thread before partitions are unassigned, while their
    ///     offsets can still be stored. Return `true` to have the stored offsets of the revoked
    ///     partitions committed right after it returns, `false` when their effects are not safe
    ///     yet (for example, outputs not acknowledged): they are then re-delivered to the next owner.
    ///   - startOffsets: called on the polling thread *before* newly assigned partitions are
    ///     assigned; returns where to start each (for example a checkpoint's offsets). Partitions it
    ///     leaves out start at the group's committed offset (or `auto.offset.reset`).
    ///   - onLost: called instead of `onRevoke` when the assignment was lost (session timeout):
    ///     nothing is committed, and another member may already own the partitions. Nil: `onRevoke`
    ///     is called as for a revoke (its answer is ignored).
    /// - Throws: `KafkaError` with code `invalidArgument` for an empty group id or topic list,
    ///   `invalidConfiguration` naming a refused property, `clientCreation`, or `subscription`.
    public init(
        bootstrapServers: String,
        groupID: String,
        topics: [String],
        properties: [String: String] = [:],
        logger: Logger,
        onAssign: @escaping ([TopicPartition]) -> Void = { _ in },
        onRevoke: @escaping ([TopicPartition]) -> Bool = { _ in true },
        startOffsets: @escaping ([TopicPartition]) -> [TopicPartition: Int64] = { _ in [:] },
        onLost: (([TopicPartition]) -> Void)? = nil
    ) throws(KafkaError) {
        guard !groupID.isEmpty else {
            throw KafkaError(code: .invalidArgument, message: "the consumer group id is empty")
        }
        guard !topics.isEmpty, !topics.contains(where: \.isEmpty) else {
            throw KafkaError(code: .invalidArgument, message: "the topic list is empty or contains an empty name")
        }
        self.groupID = groupID
        self.topics = topics
        let context = RDKafkaConsumerContext(
            logger: logger, onAssign: onAssign, onRevoke: onRevoke, startOffsets: startOffsets, onLost: onLost)
        self.context = context
        let merged = RDKafkaConfiguration.merge(
            defaults: Self.defaultProperties,
            passthrough: properties,
            required: [("bootstrap.servers", bootstrapServers), ("group.id", groupID)]
        )
        let client = try RDKafkaClient.make(type: RD_KAFKA_CONSUMER, properties: merged, context: context) { conf in
            RDKafkaConsumerContext.registerRebalanceCallback(on: conf)
        }
        // Forward the main queue (errors, logs, rebalances) to the consumer queue so that
        // rd_kafka_consume_batch_queue serves every callback.
        let forwarded = rd_kafka_poll_set_consumer(client.handle)
        guard forwarded == RD_KAFKA_RESP_ERR_NO_ERROR, let queue = rd_kafka_queue_get_consumer(client.handle) else {
            throw KafkaError(code: .clientCreation, forwarded, context: "could not set up the consumer queue")
        }
        let list = RDKafkaTopicPartitionList.make(topics: topics)
        let subscribed = rd_kafka_subscribe(client.handle, list)
        rd_kafka_topic_partition_list_destroy(list)
        guard subscribed == RD_KAFKA_RESP_ERR_NO_ERROR else {
            rd_kafka_queue_destroy(queue)
            throw KafkaError(code: .subscription, subscribed, context: "subscribe to \(topics.joined(separator: ","))")
        }
        self.client = client
        self.queue = queue
        logger.info(
            "consumer started",
            metadata: [
                KafkaLogMetadataKey.client: .string(client.name),
                "kafka.group": .string(groupID),
                KafkaLogMetadataKey.topic: .string(topics.joined(separator: ","))
            ])
    }

    deinit {
        close()
        scratch?.deallocate()
    }

    // MARK: - Consuming

    /// Consumes up to `maxMessages` messages, waiting at most `timeout` for the first one,
    /// and serves librdkafka's callbacks (rebalance, errors) on the calling thread.
    ///
    /// - Parameters:
    ///   - maxMessages: the largest batch to return (at least 1).
    ///   - timeout: how long to wait when no message is ready (0 = do not wait).
    /// - Returns: the batch; empty when the timeout expired. Per-message errors are in `errors`.
    /// - Throws: `KafkaError` with code `closed`, `invalidArgument`, `consume`, `rebalance` (an
    ///   assignment failed inside the rebalance callback) or `fatal`.
    public func poll(maxMessages: Int, timeout: Duration) throws(KafkaError) -> KafkaMessageBatch {
        let timeoutMillis = timeout.kafkaMilliseconds
        guard let client, let queue else {
            throw KafkaError(code: .closed, message: "poll on a closed consumer")
        }
        guard maxMessages > 0 else {
            throw KafkaError(code: .invalidArgument, message: "maxMessages must be positive, got \(maxMessages)")
        }
        if let pending = context.takePendingError() { throw pending }
        if let fatal = client.fatalError { throw fatal }

        let buffer = scratchBuffer(capacity: maxMessages)
        let received = rd_kafka_consume_batch_queue(queue, Int32(clamping: max(0, timeoutMillis)), buffer, maxMessages)
        guard received >= 0 else {
            throw KafkaError(code: .consume, rd_kafka_last_error(), context: "consume from the consumer queue")
        }

        var messages: [UnsafeMutablePointer<rd_kafka_message_t>] = []
        messages.reserveCapacity(received)
        var errors: [KafkaError] = []
        var sawFatal = false
        for index in 0..<received {
            guard let message = buffer[index] else { continue }
            let err = message.pointee.err
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                messages.append(message)
            } else {
                sawFatal = sawFatal || err == RD_KAFKA_RESP_ERR__FATAL
                errors.append(Self.messageError(message))
                rd_kafka_message_destroy(message)
            }
        }
        let batch = KafkaMessageBatch(messages: messages, errors: errors, client: client)
        for error in errors {
            context.logger.warning(
                "consumer error: \(error)", metadata: [KafkaLogMetadataKey.client: .string(client.name)])
        }
        if sawFatal {
            throw client.fatalError ?? KafkaError(code: .fatal, message: "fatal consumer error", isFatal: true)
        }
        if let pending = context.takePendingError() { throw pending }
        return batch
    }

    // MARK: - Offsets

    /// Stores offsets to be committed by the next `commit()`, by a revoke, or by `close()`.
    /// Pass the next offset to consume per partition (`KafkaMessageBatch.nextOffsets()`).
    ///
    /// - Parameter offsets: the offsets to store.
    /// - Throws: `KafkaError` with code `offsetStore` (naming the partition) when a partition is
    ///   not assigned to this consumer, or `closed`. Offsets of the other partitions are stored.
    public func storeOffsets(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        guard let client else {
            throw KafkaError(code: .closed, message: "storeOffsets on a closed consumer")
        }
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList.make(offsets: offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let result = rd_kafka_offsets_store(client.handle, list)
        var firstFailure: RDKafkaTopicPartitionList.Element?
        for element in RDKafkaTopicPartitionList.elements(of: list) {
            if element.error == RD_KAFKA_RESP_ERR_NO_ERROR {
                context.storedOffsets[element.topicPartition] = element.offset
            } else if firstFailure == nil {
                firstFailure = element
            }
        }
        if let failure = firstFailure {
            throw KafkaError(
                code: .offsetStore,
                failure.error,
                context: "store offset \(failure.offset) for \(failure.topicPartition)",
                topic: failure.topicPartition.topic,
                partition: failure.topicPartition.partition
            )
        }
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: .offsetStore, result, context: "store offsets")
        }
    }

    /// Synchronously commits the stored offsets of the current assignment. Having nothing to
    /// commit is not an error.
    ///
    /// - Throws: `KafkaError` with code `commit` (for example during a rebalance or while the
    ///   coordinator is unreachable; retry at the next checkpoint), or `closed`.
    public func commit() throws(KafkaError) {
        guard let client else {
            throw KafkaError(code: .closed, message: "commit on a closed consumer")
        }
        let err = rd_kafka_commit(client.handle, nil, 0)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw KafkaError(code: .commit, err, context: "commit stored offsets")
        }
    }

    /// The offsets committed for the group on `partitions`, as known by the group coordinator.
    ///
    /// - Parameters:
    ///   - partitions: the partitions to look up.
    ///   - timeout: how long to wait for the coordinator.
    /// - Returns: the committed offset (next offset to consume) of each partition that has one.
    /// - Throws: `KafkaError` with code `offsetLookup` or `closed`.
    public func committed(_ partitions: [TopicPartition], timeout: Duration) throws(KafkaError) -> [TopicPartition:
        Int64]
    {
        let timeoutMillis = timeout.kafkaMilliseconds
        guard let client else {
            throw KafkaError(code: .closed, message: "committed on a closed consumer")
        }
        guard !partitions.isEmpty else { return [:] }
        let list = RDKafkaTopicPartitionList.make(partitions: partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_committed(client.handle, list, Int32(clamping: max(0, timeoutMillis)))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: .offsetLookup, err, context: "look up committed offsets")
        }
        var result: [TopicPartition: Int64] = [:]
        for element in RDKafkaTopicPartitionList.elements(of: list)
        where element.error == RD_KAFKA_RESP_ERR_NO_ERROR && element.offset >= 0 {
            result[element.topicPartition] = element.offset
        }
        return result
    }

    /// The partitions currently assigned to this consumer, sorted.
    ///
    /// - Throws: `KafkaError` with code `offsetLookup` or `closed`.
    public func assignment() throws(KafkaError) -> [TopicPartition] {
        guard let client else {
            throw KafkaError(code: .closed, message: "assignment on a closed consumer")
        }
        var list: RDKafkaTopicPartitionList.Pointer?
        let err = rd_kafka_assignment(client.handle, &list)
        defer { list.map { rd_kafka_topic_partition_list_destroy($0) } }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: .offsetLookup, err, context: "read the assignment")
        }
        return list.map { RDKafkaTopicPartitionList.partitions(of: $0).sorted() } ?? []
    }

    /// The high watermark (offset of the next message to be written) of each partition as last
    /// reported by the brokers' fetch responses, from librdkafka's cache: no request is made, so
    /// this is cheap enough to call after every poll. Partitions without a cached value (not yet
    /// fetched from) are left out.
    ///
    /// - Throws: `KafkaError` with code `closed`.
    public func cachedHighWatermarks(_ partitions: [TopicPartition]) throws(KafkaError) -> [TopicPartition: Int64] {
        guard let client else {
            throw KafkaError(code: .closed, message: "watermarks on a closed consumer")
        }
        var result: [TopicPartition: Int64] = [:]
        for partition in partitions {
            var low: Int64 = -1
            var high: Int64 = -1
            let err = rd_kafka_get_watermark_offsets(client.handle, partition.topic, partition.partition, &low, &high)
            if err == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 { result[partition] = high }
        }
        return result
    }

    // MARK: - Positioning and flow control

    /// Moves the consume position of assigned partitions (a rollback to a checkpoint). Messages
    /// prefetched for the old position are purged: after this returns, `poll` yields nothing from
    /// before `offsets`.
    ///
    /// - Parameters:
    ///   - offsets: the next offset to consume per partition; each must be assigned.
    ///   - timeout: how long to wait for the fetchers to take the new positions.
    /// - Throws: `KafkaError` with code `seek` naming the first partition that failed, or `closed`.
    public func seek(_ offsets: [TopicPartitionOffset], timeout: Duration = .seconds(5)) throws(KafkaError) {
        let timeoutMillis = timeout.kafkaMilliseconds
        guard let client else {
            throw KafkaError(code: .closed, message: "seek on a closed consumer")
        }
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList.make(offsets: offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        if let error = rd_kafka_seek_partitions(client.handle, list, Int32(clamping: max(1, timeoutMillis))) {
            throw KafkaError(
                code: .seek, consuming: error, context: "seek \(offsets.map(\.description).joined(separator: ","))")
        }
        for element in RDKafkaTopicPartitionList.elements(of: list) where element.error != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(
                code: .seek, element.error, context: "seek \(element.topicPartition) to \(element.offset)",
                topic: element.topicPartition.topic, partition: element.topicPartition.partition)
        }
    }

    /// Stops fetching `partitions` (back-pressure) while `poll` keeps serving the group, so the
    /// membership and its rebalances stay alive. Messages already prefetched may still be
    /// returned by `poll`; a caller that does not apply them seeks back before resuming.
    ///
    /// - Parameter partitions: assigned partitions to pause.
    /// - Throws: `KafkaError` with code `flowControl`, or `closed`.
    public func pause(_ partitions: [TopicPartition]) throws(KafkaError) {
        try flowControl(partitions, pause: true)
    }

    /// Resumes fetching paused partitions.
    ///
    /// - Parameter partitions: partitions to resume.
    /// - Throws: `KafkaError` with code `flowControl`, or `closed`.
    public func resume(_ partitions: [TopicPartition]) throws(KafkaError) {
        try flowControl(partitions, pause: false)
    }

    private func flowControl(_ partitions: [TopicPartition], pause: Bool) throws(KafkaError) {
        guard let client else {
            throw KafkaError(code: .closed, message: "pause/resume on a closed consumer")
        }
        guard !partitions.isEmpty else { return }
        let list = RDKafkaTopicPartitionList.make(partitions: partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err =
            pause ? rd_kafka_pause_partitions(client.handle, list) : rd_kafka_resume_partitions(client.handle, list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: .flowControl, err, context: pause ? "pause partitions" : "resume partitions")
        }
    }

    // MARK: - State

    /// The rebalance protocol in use: `COOPERATIVE`, `EAGER`, or `NONE` before the first join
    /// (and after close).
    public var rebalanceProtocol: String {
        guard let client else { return "NONE" }
        return rd_kafka_rebalance_protocol(client.handle).map { String(cString: $0) } ?? "NONE"
    }

    /// The number of errors librdkafka reported through its error callback (broker down, ...).
    /// Safe to read from any thread.
    public var errorCount: Int {
        context.errorCount
    }

    /// The last error librdkafka reported through its error callback. Safe to read from any thread.
    public var lastError: KafkaError? {
        context.lastError
    }

    /// The number of synchronous commits on partition revoke that failed (logged as errors).
    public var revokeCommitFailures: Int {
        context.revokeCommitFailures
    }

    /// Whether `close()` was called.
    public var isClosed: Bool {
        client == nil
    }

    /// Leaves the group: revokes the assignment (calling `onRevoke`, then, if it allows, committing
    /// the stored offsets of the revoked partitions), then releases the handle. Idempotent. The librdkafka
    /// handle itself is destroyed when the last `KafkaMessageBatch` of this consumer is released.
    ///
    /// Messages still prefetched are dropped (their offsets were not stored, so the group
    /// re-delivers them). To avoid a librdkafka 2.0.2 hang when a cooperative assignment arrives
    /// during `rd_kafka_consumer_close` (librdkafka issue #4527, fixed in 2.4), the consumer first
    /// unsubscribes and keeps serving the queue until its assignment is empty, for at most
    /// `timeout`, and only then closes.
    ///
    /// - Parameter timeout: the longest time to wait for the assignment to be revoked.
    public func close(timeout: Duration = .seconds(10)) {
        let timeoutMillis = timeout.kafkaMilliseconds
        guard let client, let queue else { return }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, timeoutMillis)) * 1_000_000
        let unsubscribed = rd_kafka_unsubscribe(client.handle)
        if unsubscribed == RD_KAFKA_RESP_ERR_NO_ERROR {
            repeat {
                drain(queue, timeoutMillis: 50)
            } while hasAssignment(client.handle) && DispatchTime.now().uptimeNanoseconds < deadline
        }
        context.isInConsumerClose = true
        let err = rd_kafka_consumer_close(client.handle)
        context.isInConsumerClose = false
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            context.logger.warning(
                "consumer close reported an error",
                metadata: [
                    KafkaLogMetadataKey.client: .string(client.name),
                    KafkaLogMetadataKey.error: .string(KafkaResponseCode(err).name)
                ])
        }
        rd_kafka_queue_destroy(queue)
        self.queue = nil
        self.client = nil
        if let pending = context.takePendingError() {
            context.logger.warning(
                "rebalance error while closing: \(pending)",
                metadata: [KafkaLogMetadataKey.client: .string(client.name)])
        }
        context.logger.info("consumer closed", metadata: [KafkaLogMetadataKey.client: .string(client.name)])
    }

    // MARK: - Helpers

    /// Serves the consumer queue once (callbacks included) and drops the messages returned.
    private func drain(_ queue: OpaquePointer, timeoutMillis: Int32) {
        let capacity = max(scratchCapacity, 256)
        let buffer = scratchBuffer(capacity: capacity)
        let received = rd_kafka_consume_batch_queue(queue, timeoutMillis, buffer, capacity)
        guard received > 0 else { return }
        for index in 0..<received {
            if let message = buffer[index] { rd_kafka_message_destroy(message) }
        }
    }

    /// Whether the consumer still has partitions assigned.
    private func hasAssignment(_ handle: OpaquePointer) -> Bool {
        var list: RDKafkaTopicPartitionList.Pointer?
        let err = rd_kafka_assignment(handle, &list)
        defer { list.map { rd_kafka_topic_partition_list_destroy($0) } }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return false }
        return list.pointee.cnt > 0
    }

    private func scratchBuffer(capacity: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?> {
        if let scratch, scratchCapacity >= capacity { return scratch }
        scratch?.deallocate()
        let buffer = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: capacity)
        scratch = buffer
        scratchCapacity = capacity
        return buffer
    }

    private static func messageError(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaError {
        let err = message.pointee.err
        let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) }
        var text = KafkaResponseCode(err).explanation
        if let payload = message.pointee.payload, message.pointee.len > 0 {
            // For error messages librdkafka puts a human readable string in the payload.
            text = String(decoding: UnsafeRawBufferPointer(start: payload, count: message.pointee.len), as: UTF8.self)
        }
        return KafkaError(
            code: .message,
            message: text,
            responseCode: KafkaResponseCode(err),
            isFatal: err == RD_KAFKA_RESP_ERR__FATAL,
            topic: topic,
            partition: topic == nil ? nil : message.pointee.partition
        )
    }
}
