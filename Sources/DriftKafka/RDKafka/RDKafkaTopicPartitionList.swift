import Crdkafka

/// Conversions between Swift topic/partition values and `rd_kafka_topic_partition_list_t`.
/// Lists returned by `make` are owned by the caller and must be released with
/// `rd_kafka_topic_partition_list_destroy`.
enum RDKafkaTopicPartitionList {
    /// A librdkafka partition list.
    typealias Pointer = UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    /// `RD_KAFKA_PARTITION_UA`: partition not assigned (used for subscriptions).
    static let unassignedPartition: Int32 = -1
    /// `RD_KAFKA_OFFSET_INVALID`: no offset.
    static let invalidOffset: Int64 = -1001

    /// One element of a list.
    struct Element {
        /// The topic and partition.
        var topicPartition: TopicPartition
        /// The element's offset (`invalidOffset` when none).
        var offset: Int64
        /// The per-element error.
        var error: rd_kafka_resp_err_t
    }

    /// A list of whole topics, for `rd_kafka_subscribe`.
    static func make(topics: [String]) -> Pointer {
        let list = rd_kafka_topic_partition_list_new(Int32(clamping: topics.count))!
        for topic in topics {
            rd_kafka_topic_partition_list_add(list, topic, unassignedPartition)
        }
        return list
    }

    /// A list of partitions without offsets.
    static func make(partitions: [TopicPartition]) -> Pointer {
        let list = rd_kafka_topic_partition_list_new(Int32(clamping: partitions.count))!
        for item in partitions {
            if let element = rd_kafka_topic_partition_list_add(list, item.topic, item.partition) {
                element.pointee.offset = invalidOffset
            }
        }
        return list
    }

    /// A list of partitions with offsets.
    static func make(offsets: [TopicPartitionOffset]) -> Pointer {
        let list = rd_kafka_topic_partition_list_new(Int32(clamping: offsets.count))!
        for item in offsets {
            if let element = rd_kafka_topic_partition_list_add(list, item.topic, item.partition) {
                element.pointee.offset = item.offset
            }
        }
        return list
    }

    /// The elements of a list, in order.
    static func elements(of list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [Element] {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elems = list.pointee.elems else { return [] }
        var result: [Element] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            let element = elems[index]
            let topic = element.topic.map { String(cString: $0) } ?? ""
            result.append(
                Element(
                    topicPartition: TopicPartition(topic: topic, partition: element.partition),
                    offset: element.offset,
                    error: element.err
                ))
        }
        return result
    }

    /// The topic/partitions of a list, in order.
    static func partitions(of list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [TopicPartition] {
        elements(of: list).map(\.topicPartition)
    }
}
