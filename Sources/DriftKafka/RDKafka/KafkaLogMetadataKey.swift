/// The logging metadata keys DriftKafka attaches to its log lines, in one place so that
/// dashboards and tests can rely on them.
enum KafkaLogMetadataKey {
    /// The librdkafka client instance name (`rdkafka#consumer-1`, ...).
    static let client = "kafka.client"
    /// The librdkafka log facility (`FETCH`, `CGRPOP`, ...).
    static let facility = "kafka.facility"
    /// The librdkafka error name (`_TRANSPORT`, `UNKNOWN_TOPIC_OR_PART`, ...).
    static let error = "kafka.error"
    /// A topic name.
    static let topic = "kafka.topic"
    /// A list of topic/partitions, rendered as `topic[partition]`.
    static let partitions = "kafka.partitions"
    /// The group rebalance protocol (`COOPERATIVE`, `EAGER`).
    static let rebalanceProtocol = "kafka.rebalance_protocol"
}
