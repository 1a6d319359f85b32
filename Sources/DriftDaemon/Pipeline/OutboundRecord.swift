import DriftKafka

/// A message the daemon publishes: an alert, a retrain request or a dead letter.
public struct OutboundRecord: Sendable, Equatable {
    /// What the record is.
    public enum Kind: String, Sendable {
        case alert
        case retrain
        case deadLetter = "dead_letter"
        /// A partial pane on the scale-out internal topic.
        case partialPane = "partial_pane"
    }

    public var kind: Kind
    /// Destination topic.
    public var topic: String
    /// Record key (the model id for alerts and retrain requests; the input's key for dead letters).
    public var key: [UInt8]?
    /// Record value: JSON.
    public var value: [UInt8]
    /// Record headers.
    public var headers: [KafkaHeader]
    /// The CloudEvent id of an alert or retrain record (nil for dead letters).
    public var eventID: String?

    public init(
        kind: Kind, topic: String, key: [UInt8]?, value: [UInt8], headers: [KafkaHeader] = [], eventID: String? = nil
    ) {
        self.eventID = eventID
        self.kind = kind
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
    }
}
