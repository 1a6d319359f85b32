import Crdkafka
import Dispatch
import Logging

/// Reads a whole topic once, from its first retained record to its end at the time of the call:
/// the restore side of a state topic (checkpoints) that the daemon writes with `KafkaProducer`.
///
/// It uses a consumer without a group (`rd_kafka_assign` on every partition from the beginning),
/// so it never joins, commits or disturbs a consumer group. Each `readAll` makes its own
/// librdkafka client and destroys it before returning; use it from one thread at a time.
public struct KafkaTopicReader: Sendable {
    /// One record of the topic.
    public struct Record: Sendable {
        /// The partition it was read from.
        public var partition: Int32
        /// Its offset in the partition.
        public var offset: Int64
        /// The key, or nil.
        public var key: [UInt8]?
        /// The value.
        public var value: [UInt8]
        /// The record headers.
        public var headers: [KafkaHeader]
    }

    private let bootstrapServers: String
    private let properties: [String: String]
    private let logger: Logger

    /// - Parameters:
    ///   - bootstrapServers: `host:port[,host:port...]`.
    ///   - properties: librdkafka properties (security settings and the like); group, commit and
    ///     offset-store properties are overridden.
    ///   - logger: receives librdkafka's log lines.
    public init(bootstrapServers: String, properties: [String: String] = [:], logger: Logger) {
        self.bootstrapServers = bootstrapServers
        self.properties = properties
        self.logger = logger
    }

    /// A consumer client of `group` (by default a private one: assign() does not join it) that
    /// never commits, with `extra` properties.
    private func makeClient(group: String = "driftd-reader", extra: [String: String]) throws(KafkaError)
        -> RDKafkaClient
    {
        var merged = Self.withoutGroupAssignor(properties)
        merged["group.id"] = group
        merged["enable.auto.commit"] = "false"
        merged.merge(extra) { _, new in new }
        return try RDKafkaClient.make(
            type: RD_KAFKA_CONSUMER,
            properties: RDKafkaConfiguration.merge(
                defaults: [:], passthrough: merged, required: [("bootstrap.servers", bootstrapServers)]),
            context: RDKafkaClientContext(logger: logger))
    }

    /// The number of partitions of `topic` from the brokers' metadata (scale-out takes its input
    /// topics' partition counts from here).
    ///
    /// - Throws: `KafkaError` with code `topicMetadata` (no such topic, no brokers in time).
    public func partitionCount(of topic: String, timeout: Duration) throws(KafkaError) -> Int {
        let timeoutMillis = timeout.kafkaMilliseconds
        let client = try makeClient(extra: [:])
        return try Self.partitionCount(
            client.handle, topic: topic, timeoutMillis: Int32(clamping: max(1, timeoutMillis)))
    }

    /// Reads every record of `topic` below each partition's high watermark at the time of the call,
    /// partition by partition in offset order.
    ///
    /// - Parameters:
    ///   - topic: the topic to read.
    ///   - timeout: the longest time the whole read may take.
    /// - Returns: the records, or an empty array when the topic has no records.
    /// - Throws: `KafkaError` with code `topicMetadata` (no such topic, no brokers), `offsetLookup`
    ///   (watermarks unavailable), `consume`, or `flushTimeout` when the read did not reach the end in time.
    public func readAll(topic: String, timeout: Duration) throws(KafkaError) -> [Record] {
        let timeoutMillis = timeout.kafkaMilliseconds
        let client = try makeClient(extra: [
            "enable.auto.offset.store": "false", "enable.partition.eof": "false", "auto.offset.reset": "earliest"
        ])
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(1, timeoutMillis)) * 1_000_000
        func remainingMillis() -> Int32 {
            let now = DispatchTime.now().uptimeNanoseconds
            return now >= deadline ? 0 : Int32(clamping: (deadline - now) / 1_000_000)
        }

        let partitionCount = try Self.partitionCount(client.handle, topic: topic, timeoutMillis: remainingMillis())
        var ends: [Int32: Int64] = [:]
        var starts: [TopicPartitionOffset] = []
        for partition in 0..<Int32(partitionCount) {
            var low: Int64 = 0
            var high: Int64 = 0
            let err = rd_kafka_query_watermark_offsets(
                client.handle, topic, partition, &low, &high, max(1, remainingMillis()))
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(
                    code: .offsetLookup, err, context: "watermarks of \(topic)/\(partition)", topic: topic,
                    partition: partition)
            }
            if high > low {
                ends[partition] = high
                starts.append(TopicPartitionOffset(TopicPartition(topic: topic, partition: partition), offset: low))
            }
        }
        guard !starts.isEmpty else { return [] }

        _ = rd_kafka_poll_set_consumer(client.handle)
        let list = RDKafkaTopicPartitionList.make(offsets: starts)
        let assigned = rd_kafka_assign(client.handle, list)
        rd_kafka_topic_partition_list_destroy(list)
        guard assigned == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: .consume, assigned, context: "assign \(topic)", topic: topic)
        }
        defer {
            _ = rd_kafka_assign(client.handle, nil)
            _ = rd_kafka_consumer_close(client.handle)
        }

        var records: [Record] = []
        var pending = ends
        while !pending.isEmpty {
            let wait = remainingMillis()
            guard wait > 0 else {
                throw KafkaError(
                    code: .flushTimeout,
                    message:
                        "reading \(topic): \(pending.count) partitions not read to their end in \(timeoutMillis) ms",
                    isRetriable: true, topic: topic)
            }
            guard let message = rd_kafka_consumer_poll(client.handle, min(wait, 200)) else { continue }
            defer { rd_kafka_message_destroy(message) }
            let err = message.pointee.err
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                if err == RD_KAFKA_RESP_ERR__PARTITION_EOF { continue }
                throw KafkaError(
                    code: .consume, err, context: "read \(topic)", topic: topic, partition: message.pointee.partition)
            }
            let partition = message.pointee.partition
            let offset = message.pointee.offset
            guard let end = pending[partition] else { continue }
            records.append(
                Record(
                    partition: partition, offset: offset, key: Self.bytes(message.pointee.key, message.pointee.key_len),
                    value: Self.bytes(message.pointee.payload, message.pointee.len) ?? [],
                    headers: KafkaMessageBatch.headers(of: message)))
            if offset + 1 >= end { pending[partition] = nil }
        }
        records.sort { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
        return records
    }

    /// The offsets a consumer group committed on `partitions`, looked up without joining the group.
    ///
    /// - Parameters:
    ///   - group: the consumer group.
    ///   - partitions: the partitions to look up.
    ///   - timeout: how long to wait for the coordinator.
    /// - Returns: the committed offset of each partition that has one.
    /// - Throws: `KafkaError` with code `offsetLookup`.
    public func committed(group: String, partitions: [TopicPartition], timeout: Duration) throws(KafkaError)
        -> [TopicPartition: Int64]
    {
        let timeoutMillis = timeout.kafkaMilliseconds
        let client = try makeClient(group: group, extra: [:])
        defer { _ = rd_kafka_consumer_close(client.handle) }
        let list = RDKafkaTopicPartitionList.make(partitions: partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_committed(client.handle, list, Int32(clamping: max(1, timeoutMillis)))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: .offsetLookup, err, context: "committed offsets of group \(group)")
        }
        var result: [TopicPartition: Int64] = [:]
        for element in RDKafkaTopicPartitionList.elements(of: list)
        where element.error == RD_KAFKA_RESP_ERR_NO_ERROR && element.offset >= 0 {
            result[element.topicPartition] = element.offset
        }
        return result
    }

    /// The properties with the range assignor: this client never joins a group, and librdkafka
    /// 2.0.2 aborts when a consumer configured for `cooperative-sticky` that never joined is closed
    /// (`rd_kafka_sticky_assignor_state_destroy: Assertion 'assignor_state' failed`, seen here).
    static func withoutGroupAssignor(_ properties: [String: String]) -> [String: String] {
        var result = properties
        result["partition.assignment.strategy"] = "range"
        return result
    }

    private static func bytes(_ pointer: UnsafeMutableRawPointer?, _ count: Int) -> [UInt8]? {
        guard let pointer else { return nil }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    private static func partitionCount(_ handle: OpaquePointer, topic: String, timeoutMillis: Int32) throws(KafkaError)
        -> Int
    {
        guard let topicHandle = rd_kafka_topic_new(handle, topic, nil) else {
            throw KafkaError(
                code: .topicMetadata, rd_kafka_last_error(), context: "topic handle for \(topic)", topic: topic)
        }
        defer { rd_kafka_topic_destroy(topicHandle) }
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(handle, 0, topicHandle, &metadata, max(1, timeoutMillis))
        defer { metadata.map { rd_kafka_metadata_destroy($0) } }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(code: .topicMetadata, err, context: "metadata for \(topic)", topic: topic)
        }
        for index in 0..<Int(metadata.pointee.topic_cnt) {
            let entry = metadata.pointee.topics[index]
            guard String(cString: entry.topic) == topic else { continue }
            guard entry.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaError(code: .topicMetadata, entry.err, context: "topic \(topic)", topic: topic)
            }
            return Int(entry.partition_cnt)
        }
        throw KafkaError(
            code: .topicMetadata, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART, context: "topic \(topic)", topic: topic)
    }
}
