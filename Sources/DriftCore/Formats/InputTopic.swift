/// One input topic and how its messages are read (`kafka.input_topics`).
public struct InputTopic: Sendable, Equatable {
    /// Default time a request or response half waits for its other half (`kafka.join_ttl`).
    public static let defaultJoinTTL: Duration = .seconds(30)
    /// Default bound on halves waiting for their other half (`kafka.join_max_pending`).
    public static let defaultJoinMaxPending = 100_000

    /// The topic name.
    public var topic: String
    /// The message format.
    public var format: InputFormat
    /// The model every message of the topic belongs to, when the messages do not say
    /// (OIP v2 requests carry no model name); `nil` reads it from the message.
    public var model: String?
    /// How long a request or response waits for its other half before it is dropped (counted).
    public var joinTTL: Duration
    /// At most this many halves wait; beyond it the oldest is dropped (counted).
    public var joinMaxPending: Int

    /// Creates an input topic.
    /// - Parameters:
    ///   - topic: The topic name.
    ///   - format: The message format (default `driftd`).
    ///   - model: The model of every message, or `nil` to read it from each message.
    ///   - joinTTL: Wait for the other half of a request/response pair.
    ///   - joinMaxPending: Bound on waiting halves.
    public init(
        topic: String, format: InputFormat = .driftd, model: String? = nil,
        joinTTL: Duration = InputTopic.defaultJoinTTL, joinMaxPending: Int = InputTopic.defaultJoinMaxPending
    ) {
        self.topic = topic
        self.format = format
        self.model = model
        self.joinTTL = joinTTL
        self.joinMaxPending = joinMaxPending
    }
}

extension InputTopic {
    /// Whether `topic` is a Seldon Core 2 model topic, `seldon.<namespace>.model.<name>.inputs`
    /// or `.outputs`.
    public static func isSeldonModelTopic(_ topic: String) -> Bool {
        let parts = topic.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 5 && parts[0] == "seldon" && !parts[1].isEmpty && parts[2] == "model"
            && parts[3..<parts.count - 1].allSatisfy { !$0.isEmpty }
            && (parts.last == "inputs" || parts.last == "outputs")
    }
}
