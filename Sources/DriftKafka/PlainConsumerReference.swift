import Crdkafka
import Dispatch

/// The benchmark reference for driftd's consume path: a minimal librdkafka consumer loop with
/// no decoding and no Swift layer in between (`rd_kafka_consume_batch_queue`, then one pass over
/// each payload's bytes), used by `Benchmarks/Performance` to measure what the daemon costs on
/// top of librdkafka on the same broker and data.
///
/// It joins `groupID`, subscribes to `topic`, and consumes until `expectedMessages` messages
/// arrived or `timeout` passed. The clock starts when the first batch arrives, so group
/// join and partition assignment are not counted (the daemon's figure is taken the same way).
/// Offsets are neither stored nor committed. Not for production use: it keeps no offsets.
public struct PlainConsumerReference: Sendable {
    /// What one run consumed.
    public struct Result: Sendable, Equatable {
        /// Messages consumed without error.
        public var messages: Int
        /// Payload bytes consumed.
        public var bytes: Int
        /// Seconds from the return of the first non-empty batch to the end of the last one.
        public var seconds: Double
        /// The sum of every payload byte (wrapping), so the bytes are really read; equal for runs over the same data.
        public var checksum: UInt64
        /// Per-message errors seen (`err` set on a consumed message), skipped.
        public var messageErrors: Int

        /// Messages per second between the first and the last message (0 when fewer than 2).
        public var messagesPerSecond: Double { seconds > 0 ? Double(messages) / seconds : 0 }
    }

    /// The largest number of messages taken from librdkafka's queue per call.
    public static let batchSize = 2_000

    /// librdkafka properties: the throughput-relevant defaults of `KafkaConsumer` (so the two are
    /// compared on equal terms), then `properties`, then bootstrap servers and group id.
    public let properties: [String: String]
    /// `host:port[,host:port...]`.
    public let bootstrapServers: String

    /// - Parameters:
    ///   - bootstrapServers: the brokers.
    ///   - properties: extra librdkafka properties, overriding `KafkaConsumer.defaultProperties`.
    public init(bootstrapServers: String, properties: [String: String] = [:]) {
        self.bootstrapServers = bootstrapServers
        self.properties = KafkaConsumer.defaultProperties.merging(properties) { _, passed in passed }
    }

    /// Consumes `topic` from the beginning as a new member of `groupID`.
    ///
    /// - Parameters:
    ///   - topic: the topic to read.
    ///   - groupID: a consumer group without committed offsets (use a fresh one per run).
    ///   - expectedMessages: stop once this many messages were consumed.
    ///   - timeout: stop after this long even when fewer messages arrived.
    /// - Returns: the counts and the time from the first to the last message.
    /// - Throws: `KafkaError` with code `invalidArgument`, `invalidConfiguration`, `clientCreation`,
    ///   `subscription` or `consume`.
    public func consume(topic: String, groupID: String, expectedMessages: Int, timeout: Duration) throws(KafkaError)
        -> Result
    {
        let timeoutMillis = timeout.kafkaMilliseconds
        guard !topic.isEmpty, !groupID.isEmpty else {
            throw KafkaError(code: .invalidArgument, message: "topic and group id must not be empty")
        }
        guard expectedMessages > 0, timeoutMillis > 0 else {
            throw KafkaError(code: .invalidArgument, message: "expectedMessages and timeoutMillis must be positive")
        }
        let merged = RDKafkaConfiguration.merge(
            defaults: properties, passthrough: [:],
            required: [("bootstrap.servers", bootstrapServers), ("group.id", groupID)])
        let conf = try RDKafkaConfiguration.make(merged)
        var errstr = [CChar](repeating: 0, count: 512)
        let created = errstr.withUnsafeMutableBufferPointer {
            rd_kafka_new(RD_KAFKA_CONSUMER, conf, $0.baseAddress, $0.count)
        }
        guard let handle = created else {
            rd_kafka_conf_destroy(conf)
            let text = String(decoding: errstr.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw KafkaError(code: .clientCreation, message: "rd_kafka_new failed: \(text)")
        }
        defer { rd_kafka_destroy(handle) }
        let forwarded = rd_kafka_poll_set_consumer(handle)
        guard forwarded == RD_KAFKA_RESP_ERR_NO_ERROR, let queue = rd_kafka_queue_get_consumer(handle) else {
            throw KafkaError(code: .clientCreation, forwarded, context: "could not set up the consumer queue")
        }
        defer {
            rd_kafka_consumer_close(handle)
            rd_kafka_queue_destroy(queue)
        }
        let list = RDKafkaTopicPartitionList.make(topics: [topic])
        let subscribed = rd_kafka_subscribe(handle, list)
        rd_kafka_topic_partition_list_destroy(list)
        guard subscribed == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(code: .subscription, subscribed, context: "subscribe to \(topic)")
        }
        return try drain(queue: queue, expectedMessages: expectedMessages, timeoutMillis: timeoutMillis)
    }

    private func drain(queue: OpaquePointer, expectedMessages: Int, timeoutMillis: Int) throws(KafkaError) -> Result {
        var result = Result(messages: 0, bytes: 0, seconds: 0, checksum: 0, messageErrors: 0)
        let buffer = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: Self.batchSize)
        defer { buffer.deallocate() }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeoutMillis) * 1_000_000
        var firstNanos: UInt64 = 0
        var lastNanos: UInt64 = 0
        while result.messages < expectedMessages && DispatchTime.now().uptimeNanoseconds < deadline {
            // rd_kafka_consume_batch_queue waits out its timeout unless the batch fills: ask for no
            // more than remain, so the last batch does not add a 100 ms wait to the measurement.
            let wanted = min(Self.batchSize, expectedMessages - result.messages)
            let received = rd_kafka_consume_batch_queue(queue, 100, buffer, wanted)
            guard received >= 0 else {
                throw KafkaError(code: .consume, rd_kafka_last_error(), context: "consume from the consumer queue")
            }
            guard received > 0 else { continue }
            if firstNanos == 0 { firstNanos = DispatchTime.now().uptimeNanoseconds }
            for index in 0..<received {
                guard let message = buffer[index] else { continue }
                defer { rd_kafka_message_destroy(message) }
                guard message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    result.messageErrors += 1
                    continue
                }
                if let payload = message.pointee.payload, message.pointee.len > 0 {
                    result.checksum &+= Self.byteSum(UnsafeRawBufferPointer(start: payload, count: message.pointee.len))
                }
                result.messages += 1
                result.bytes += message.pointee.len
            }
            lastNanos = DispatchTime.now().uptimeNanoseconds
        }
        result.seconds = Double(lastNanos - firstNanos) / 1e9
        return result
    }

    /// The sum of the bytes, eight at a time (each byte is read, nothing is decoded).
    private static func byteSum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var sum: UInt64 = 0
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // Pairs of bytes in four 16-bit lanes (each <= 510), then the lanes added by a multiply.
            let pairs = (word & 0x00FF_00FF_00FF_00FF) &+ ((word >> 8) & 0x00FF_00FF_00FF_00FF)
            sum &+= (pairs &* 0x0001_0001_0001_0001) >> 48
            i += 8
        }
        while i < n {
            sum &+= UInt64(bytes[i])
            i += 1
        }
        return sum
    }
}
