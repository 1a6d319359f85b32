import DriftCore

/// How driftd connects to Kafka and which topics it reads and writes.
public struct KafkaSettings: Sendable, Equatable {
    /// Default consumer group.
    public static let defaultGroupID = "driftd"
    /// Default inference topics.
    public static let defaultInputTopics = ["inference"]
    /// Default alert topic.
    public static let defaultAlertTopic = "driftd.alerts"
    /// Default retrain topic.
    public static let defaultRetrainTopic = "driftd.retrain"
    /// Default dead-letter topic.
    public static let defaultDeadLetterTopic = "driftd.dead-letter"
    /// Default maximum messages per poll.
    public static let defaultBatchSize = 2_000
    /// librdkafka properties driftd sets itself; they may not appear in the property maps.
    public static let reservedProperties: Set<String> = [
        "bootstrap.servers", "metadata.broker.list", "group.id", "enable.auto.offset.store", "enable.auto.commit"
    ]

    /// Bootstrap brokers, `host:port[,host:port...]` (librdkafka `bootstrap.servers`); empty when
    /// the configuration was loaded for an offline command (`requireBrokers: false`) without any.
    public var brokers: String
    /// Consumer group id.
    public var groupID: String
    /// Topics carrying inference events.
    public var inputTopics: [String]
    /// Topics carrying delayed ground-truth labels; may be empty.
    public var labelTopics: [String]
    /// Topic alerts are published to.
    public var alertTopic: String
    /// Topic retrain requests are published to.
    public var retrainTopic: String
    /// Topic undecodable events are copied to, with the reason.
    public var deadLetterTopic: String
    /// librdkafka properties for both consumer and producer (`sasl.*`, `ssl.*`, ...).
    public var properties: [String: String]
    /// librdkafka properties for the consumer only; they win over `properties`.
    public var consumerProperties: [String: String]
    /// librdkafka properties for the producer only; they win over `properties`.
    public var producerProperties: [String: String]
    /// Maximum messages taken per poll.
    public var batchSize: Int
    /// Input topics whose format is not `driftd`, with their settings (`input_topics` entries
    /// written as `{topic, format, model}`).
    public var inputFormats: [InputTopic]
    /// How long a request or response half waits for its other half (`join_ttl`).
    public var joinTTL: Duration
    /// At most this many halves wait across the joined topics (`join_max_pending`).
    public var joinMaxPending: Int

    /// Creates Kafka settings; every parameter but `brokers` has the documented default.
    public init(
        brokers: String, groupID: String = KafkaSettings.defaultGroupID,
        inputTopics: [String] = KafkaSettings.defaultInputTopics, labelTopics: [String] = [],
        alertTopic: String = KafkaSettings.defaultAlertTopic, retrainTopic: String = KafkaSettings.defaultRetrainTopic,
        deadLetterTopic: String = KafkaSettings.defaultDeadLetterTopic, properties: [String: String] = [:],
        consumerProperties: [String: String] = [:], producerProperties: [String: String] = [:],
        batchSize: Int = KafkaSettings.defaultBatchSize, inputFormats: [InputTopic] = [],
        joinTTL: Duration = InputTopic.defaultJoinTTL, joinMaxPending: Int = InputTopic.defaultJoinMaxPending
    ) {
        self.inputFormats = inputFormats
        self.joinTTL = joinTTL
        self.joinMaxPending = joinMaxPending
        self.brokers = brokers
        self.groupID = groupID
        self.inputTopics = inputTopics
        self.labelTopics = labelTopics
        self.alertTopic = alertTopic
        self.retrainTopic = retrainTopic
        self.deadLetterTopic = deadLetterTopic
        self.properties = properties
        self.consumerProperties = consumerProperties
        self.producerProperties = producerProperties
        self.batchSize = batchSize
    }

    /// The settings of input topic `topic` (format `driftd` when it has none).
    public func inputTopic(_ topic: String) -> InputTopic {
        inputFormats.first { $0.topic == topic } ?? InputTopic(topic: topic)
    }

    /// The librdkafka consumer configuration: `properties`, then `consumerProperties`, then
    /// `bootstrap.servers` and `group.id`.
    public var effectiveConsumerProperties: [String: String] {
        var merged = properties.merging(consumerProperties) { _, specific in specific }
        merged["bootstrap.servers"] = brokers
        merged["group.id"] = groupID
        return merged
    }

    /// The librdkafka producer configuration: `properties`, then `producerProperties`, then
    /// `bootstrap.servers`.
    public var effectiveProducerProperties: [String: String] {
        var merged = properties.merging(producerProperties) { _, specific in specific }
        merged["bootstrap.servers"] = brokers
        return merged
    }
}
