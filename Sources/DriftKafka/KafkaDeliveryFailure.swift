/// A message the producer could not deliver, as reported by its delivery report callback.
public struct KafkaDeliveryFailure: Sendable, CustomStringConvertible {
    /// The topic the message was sent to.
    public let topic: String
    /// The partition, when one had been chosen before the failure.
    public let partition: Int32?
    /// The message key, if it had one.
    public let key: [UInt8]?
    /// Why delivery failed (code `delivery`, with librdkafka's error code).
    public let error: KafkaError

    /// Creates a delivery failure report.
    /// - Parameters:
    ///   - topic: the topic the message was sent to.
    ///   - partition: the partition, if known.
    ///   - key: the message key, if any.
    ///   - error: the delivery error.
    public init(topic: String, partition: Int32?, key: [UInt8]?, error: KafkaError) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.error = error
    }

    /// The topic, partition and error.
    public var description: String {
        "delivery to \(topic)[\(partition.map(String.init) ?? "?")] failed: \(error)"
    }
}
