/// An offset in a partition of a topic. For stored and committed offsets it is the offset of the
/// next message to consume (last processed offset + 1), as Kafka defines it.
public struct TopicPartitionOffset: Hashable, Sendable, CustomStringConvertible {
    /// The topic name.
    public var topic: String
    /// The partition number.
    public var partition: Int32
    /// The offset.
    public var offset: Int64

    /// Creates an offset for a topic/partition.
    /// - Parameters:
    ///   - topic: the topic name.
    ///   - partition: the partition number.
    ///   - offset: the offset (for stored and committed offsets: the next offset to consume).
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    /// Creates an offset for a topic/partition pair.
    /// - Parameters:
    ///   - topicPartition: the topic and partition.
    ///   - offset: the offset.
    public init(_ topicPartition: TopicPartition, offset: Int64) {
        self.init(topic: topicPartition.topic, partition: topicPartition.partition, offset: offset)
    }

    /// The topic and partition without the offset.
    public var topicPartition: TopicPartition {
        TopicPartition(topic: topic, partition: partition)
    }

    /// `topic[partition]@offset`.
    public var description: String {
        "\(topic)[\(partition)]@\(offset)"
    }
}
