import Crdkafka

/// A batch of consumed messages, owning librdkafka's message objects until it is deallocated.
///
/// Accessors take an index in `0..<count` and trap outside it, like `Array`. Keys and payloads
/// are returned as `UnsafeRawBufferPointer`s into librdkafka's buffers, **valid only while the
/// batch is alive**: copy what must outlive it. The batch keeps its consumer's librdkafka handle
/// alive (librdkafka requires messages to be destroyed before their handle), so a batch may
/// outlive `KafkaConsumer.close()`.
///
/// Messages that carried an error instead of data are not counted in `count`; they are reported
/// in `errors`.
///
/// Sendable: the batch is immutable after creation and `rd_kafka_message_destroy` is thread-safe,
/// so a batch may be handed to another thread (for example a decoder) and released there.
public final class KafkaMessageBatch: @unchecked Sendable {
    private let messages: [UnsafeMutablePointer<rd_kafka_message_t>]
    private let client: RDKafkaClient
    /// Per-message errors returned by the consumer in this poll (for example an unknown topic,
    /// or partition EOF when `enable.partition.eof=true`). Code `message`, with librdkafka's code.
    public let errors: [KafkaError]

    init(messages: [UnsafeMutablePointer<rd_kafka_message_t>], errors: [KafkaError], client: RDKafkaClient) {
        self.messages = messages
        self.errors = errors
        self.client = client
    }

    deinit {
        for message in messages {
            rd_kafka_message_destroy(message)
        }
    }

    /// The number of data messages.
    public var count: Int {
        messages.count
    }

    /// Whether the batch holds no data message.
    public var isEmpty: Bool {
        messages.isEmpty
    }

    /// The topic of message `index`.
    public func topic(at index: Int) -> String {
        guard let rkt = messages[index].pointee.rkt else { return "" }
        return String(cString: rd_kafka_topic_name(rkt))
    }

    /// The partition of message `index`.
    public func partition(at index: Int) -> Int32 {
        messages[index].pointee.partition
    }

    /// The offset of message `index`.
    public func offset(at index: Int) -> Int64 {
        messages[index].pointee.offset
    }

    /// The timestamp of message `index` in milliseconds since the epoch (create or log-append
    /// time, as the topic is configured), or `nil` if the message has none.
    public func timestampMillis(at index: Int) -> Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let value = rd_kafka_message_timestamp(messages[index], &type)
        guard type != RD_KAFKA_TIMESTAMP_NOT_AVAILABLE, value >= 0 else { return nil }
        return value
    }

    /// The key of message `index`, or `nil` if it has none. Valid while the batch is alive.
    public func key(at index: Int) -> UnsafeRawBufferPointer? {
        let message = messages[index].pointee
        guard let key = message.key else { return nil }
        return UnsafeRawBufferPointer(start: key, count: message.key_len)
    }

    /// A copy of the key of message `index`, or `nil` if it has none.
    public func keyBytes(at index: Int) -> [UInt8]? {
        key(at: index).map { Array($0) }
    }

    /// The payload of message `index` (empty for a null payload). Valid while the batch is alive.
    public func payload(at index: Int) -> UnsafeRawBufferPointer {
        let message = messages[index].pointee
        guard let payload = message.payload else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: payload, count: message.len)
    }

    /// A copy of the headers of message `index`, in order (empty when it has none).
    public func headers(at index: Int) -> [KafkaHeader] {
        Self.headers(of: messages[index])
    }

    /// A copy of the value of the last header named `name` of message `index`; `nil` when the
    /// message has no such header or its value is null.
    public func lastHeader(named name: String, at index: Int) -> [UInt8]? {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(messages[index], &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
            return nil
        }
        var value: UnsafeRawPointer?
        var size = 0
        guard rd_kafka_header_get_last(list, name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR, let value else {
            return nil
        }
        return Array(UnsafeRawBufferPointer(start: value, count: size))
    }

    /// A copy of a librdkafka message's headers, in order.
    static func headers(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        var headers: [KafkaHeader] = []
        var position = 0
        while true {
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            guard rd_kafka_header_get_all(list, position, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR,
                let name
            else { break }
            headers.append(
                KafkaHeader(
                    name: String(cString: name),
                    value: value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }))
            position += 1
        }
        return headers
    }

    /// Messages per topic, resolving each topic's name once (not once per message).
    public func messageCountsByTopic() -> [String: Int] {
        var counts: [OpaquePointer: Int] = [:]
        var unnamed = 0
        for message in messages {
            if let rkt = message.pointee.rkt { counts[rkt, default: 0] += 1 } else { unnamed += 1 }
        }
        var byName: [String: Int] = [:]
        for (rkt, count) in counts { byName[String(cString: rd_kafka_topic_name(rkt)), default: 0] += count }
        if unnamed > 0 { byName["", default: 0] += unnamed }
        return byName
    }

    /// The offsets to store once this batch has been applied: for each topic/partition in the
    /// batch, its highest offset + 1, sorted by topic and partition.
    ///
    /// librdkafka hands out a partition's messages in runs (one fetched message set at a time),
    /// so a message is compared with the previous message's partition first and the index of
    /// partitions is only consulted where a run changes: one compare per message instead of a
    /// dictionary update.
    public func nextOffsets() -> [TopicPartitionOffset] {
        struct Key: Hashable {
            let topic: OpaquePointer
            let partition: Int32
        }
        var keys: [Key] = []
        var highest: [Int64] = []
        var slots: [Key: Int] = [:]
        var current = -1
        for message in messages {
            guard let rkt = message.pointee.rkt else { continue }
            let partition = message.pointee.partition
            if current < 0 || keys[current].partition != partition || keys[current].topic != rkt {
                let key = Key(topic: rkt, partition: partition)
                if let slot = slots[key] {
                    current = slot
                } else {
                    current = keys.count
                    slots[key] = current
                    keys.append(key)
                    highest.append(Int64.min)
                }
            }
            highest[current] = max(highest[current], message.pointee.offset)
        }
        return keys.indices
            .map { i in
                TopicPartitionOffset(
                    topic: String(cString: rd_kafka_topic_name(keys[i].topic)),
                    partition: keys[i].partition,
                    offset: highest[i] + 1
                )
            }
            .sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }
}
