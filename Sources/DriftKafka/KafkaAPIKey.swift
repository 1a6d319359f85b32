/// A Kafka protocol request type (ApiKey), used to inject request errors into the
/// embedded mock cluster.
public struct KafkaAPIKey: RawRepresentable, Hashable, Sendable {
    /// The protocol ApiKey number.
    public let rawValue: Int16

    /// Wraps a protocol ApiKey number.
    /// - Parameter rawValue: the ApiKey as defined by the Kafka protocol.
    public init(rawValue: Int16) {
        self.rawValue = rawValue
    }

    /// ProduceRequest (0).
    public static let produce = KafkaAPIKey(rawValue: 0)
    /// FetchRequest (1).
    public static let fetch = KafkaAPIKey(rawValue: 1)
    /// ListOffsetsRequest (2).
    public static let listOffsets = KafkaAPIKey(rawValue: 2)
    /// MetadataRequest (3).
    public static let metadata = KafkaAPIKey(rawValue: 3)
    /// OffsetCommitRequest (8).
    public static let offsetCommit = KafkaAPIKey(rawValue: 8)
    /// OffsetFetchRequest (9).
    public static let offsetFetch = KafkaAPIKey(rawValue: 9)
    /// FindCoordinatorRequest (10).
    public static let findCoordinator = KafkaAPIKey(rawValue: 10)
    /// JoinGroupRequest (11).
    public static let joinGroup = KafkaAPIKey(rawValue: 11)
    /// HeartbeatRequest (12).
    public static let heartbeat = KafkaAPIKey(rawValue: 12)
    /// LeaveGroupRequest (13).
    public static let leaveGroup = KafkaAPIKey(rawValue: 13)
    /// SyncGroupRequest (14).
    public static let syncGroup = KafkaAPIKey(rawValue: 14)
    /// InitProducerIdRequest (22), used by the idempotent producer.
    public static let initProducerID = KafkaAPIKey(rawValue: 22)
}
