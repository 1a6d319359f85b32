import Crdkafka

/// A librdkafka error code (`rd_kafka_resp_err_t`): negative values are client-side errors
/// (`_TRANSPORT`, `_QUEUE_FULL`, ...), positive values are Kafka protocol errors returned by a
/// broker (`UNKNOWN_TOPIC_OR_PART`, `NOT_COORDINATOR`, ...).
public struct KafkaResponseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The numeric librdkafka error code.
    public let rawValue: Int32

    /// Wraps a numeric librdkafka error code.
    /// - Parameter rawValue: any `rd_kafka_resp_err_t` value; unknown values are kept as they are.
    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    init(_ code: rd_kafka_resp_err_t) {
        self.rawValue = code.rawValue
    }

    var cValue: rd_kafka_resp_err_t {
        rd_kafka_resp_err_t(rawValue: rawValue)
    }

    /// librdkafka's stable symbolic name without the `RD_KAFKA_RESP_ERR_` prefix,
    /// for example `_TRANSPORT` or `UNKNOWN_TOPIC_OR_PART` (`rd_kafka_err2name`).
    public var name: String {
        String(cString: rd_kafka_err2name(cValue))
    }

    /// librdkafka's human readable explanation (`rd_kafka_err2str`).
    public var explanation: String {
        String(cString: rd_kafka_err2str(cValue))
    }

    /// The symbolic name and number, for example `_TRANSPORT(-195)`.
    public var description: String {
        "\(name)(\(rawValue))"
    }

    // MARK: - Codes DriftKafka and its users test for

    /// No error.
    public static let noError = KafkaResponseCode(RD_KAFKA_RESP_ERR_NO_ERROR)
    /// Broker transport failure; pushed as a fault it makes the mock broker disconnect the client.
    public static let transport = KafkaResponseCode(RD_KAFKA_RESP_ERR__TRANSPORT)
    /// All broker connections are down.
    public static let allBrokersDown = KafkaResponseCode(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
    /// The producer queue is full (`queue.buffering.max.messages` / `.kbytes`).
    public static let queueFull = KafkaResponseCode(RD_KAFKA_RESP_ERR__QUEUE_FULL)
    /// An operation timed out locally.
    public static let timedOut = KafkaResponseCode(RD_KAFKA_RESP_ERR__TIMED_OUT)
    /// A message timed out in the producer queue before delivery (`message.timeout.ms`).
    public static let messageTimedOut = KafkaResponseCode(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)
    /// The consumer reached the end of a partition (only with `enable.partition.eof=true`).
    public static let partitionEOF = KafkaResponseCode(RD_KAFKA_RESP_ERR__PARTITION_EOF)
    /// No stored offset to commit.
    public static let noOffset = KafkaResponseCode(RD_KAFKA_RESP_ERR__NO_OFFSET)
    /// A fatal error was raised; the client instance is unusable.
    public static let fatal = KafkaResponseCode(RD_KAFKA_RESP_ERR__FATAL)
    /// The topic is unknown to the client (local error).
    public static let unknownTopic = KafkaResponseCode(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC)
    /// The topic or partition does not exist on the broker.
    public static let unknownTopicOrPartition = KafkaResponseCode(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
    /// The partition has no leader at the moment.
    public static let leaderNotAvailable = KafkaResponseCode(RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE)
    /// The broker is not the leader of the partition.
    public static let notLeaderForPartition = KafkaResponseCode(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION)
    /// The request timed out on the broker.
    public static let requestTimedOut = KafkaResponseCode(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT)
    /// The group coordinator is loading or unavailable.
    public static let coordinatorNotAvailable = KafkaResponseCode(RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE)
    /// The broker is not the group coordinator.
    public static let notCoordinator = KafkaResponseCode(RD_KAFKA_RESP_ERR_NOT_COORDINATOR)
    /// Fewer in-sync replicas than required for `acks=all`.
    public static let notEnoughReplicas = KafkaResponseCode(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS)
    /// The group is rebalancing.
    public static let rebalanceInProgress = KafkaResponseCode(RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS)
    /// The group generation is stale (commit after a rebalance).
    public static let illegalGeneration = KafkaResponseCode(RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION)
    /// The topic already exists.
    public static let topicAlreadyExists = KafkaResponseCode(RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
}
