import Crdkafka

/// An error from DriftKafka: a stable `code`, a human readable `message`, and the librdkafka
/// context it came from (error code and name, fatal and retriable flags, the configuration
/// property, topic or partition concerned).
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable string code usable in metrics and logs.
    ///
    /// A struct rather than an enum, so a code added later breaks no caller's `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible, CaseIterable {
        /// The stable string code.
        public let rawValue: String
        /// A code from its stable string.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A configuration property is unknown or its value invalid; `property` names it.
        public static let invalidConfiguration = Code(rawValue: "invalid_configuration")
        /// `rd_kafka_new` refused the configuration as a whole.
        public static let clientCreation = Code(rawValue: "client_creation")
        /// An argument given by the caller is out of range or empty.
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// The client was closed before the call.
        public static let closed = Code(rawValue: "closed")
        /// Subscribing to the topics failed.
        public static let subscription = Code(rawValue: "subscription")
        /// Consuming from the consumer queue failed.
        public static let consume = Code(rawValue: "consume")
        /// A consumed message carried an error instead of data (for example an unknown topic).
        public static let message = Code(rawValue: "message")
        /// Storing offsets failed, for example for a partition no longer assigned.
        public static let offsetStore = Code(rawValue: "offset_store")
        /// Committing offsets failed.
        public static let commit = Code(rawValue: "commit")
        /// Looking up committed offsets or the assignment failed.
        public static let offsetLookup = Code(rawValue: "offset_lookup")
        /// Assigning or unassigning partitions during a rebalance failed.
        public static let rebalance = Code(rawValue: "rebalance")
        /// librdkafka raised a fatal error; the client must be closed and recreated.
        public static let fatal = Code(rawValue: "fatal")
        /// Producing a message failed (not counting a full queue).
        public static let produce = Code(rawValue: "produce")
        /// The producer queue stayed full for longer than the back-pressure timeout.
        public static let queueFull = Code(rawValue: "queue_full")
        /// `flush` or `close` returned with messages still undelivered.
        public static let flushTimeout = Code(rawValue: "flush_timeout")
        /// A message was not delivered (reported by the delivery report callback).
        public static let delivery = Code(rawValue: "delivery")
        /// The embedded mock cluster could not be created or driven.
        public static let mockCluster = Code(rawValue: "mock_cluster")
        /// A consumer seek to new positions failed.
        public static let seek = Code(rawValue: "seek")
        /// Pausing or resuming partitions failed.
        public static let flowControl = Code(rawValue: "flow_control")
        /// A topic's metadata could not be read, or the broker reports the topic unusable.
        public static let topicMetadata = Code(rawValue: "topic_metadata")

        /// Every code this version defines.
        public static let allCases: [Code] = [
            .invalidConfiguration, .clientCreation, .invalidArgument, .closed, .subscription, .consume, .message,
            .offsetStore, .commit, .offsetLookup, .rebalance, .fatal, .produce, .queueFull, .flushTimeout, .delivery,
            .mockCluster, .seek, .flowControl, .topicMetadata
        ]
    }

    /// The stable error code.
    public let code: Code
    /// A human readable explanation, usually librdkafka's own text.
    public let message: String
    /// librdkafka's error code, when the error came from librdkafka.
    public let responseCode: KafkaResponseCode?
    /// Whether librdkafka marked the error fatal (the client instance is unusable).
    public let isFatal: Bool
    /// Whether librdkafka marked the operation as retriable.
    public let isRetriable: Bool
    /// The configuration property concerned, for `invalidConfiguration`.
    public let property: String?
    /// The topic concerned, when known.
    public let topic: String?
    /// The partition concerned, when known.
    public let partition: Int32?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the stable error code.
    ///   - message: a human readable explanation.
    ///   - responseCode: librdkafka's error code, if any.
    ///   - isFatal: whether the client instance is unusable after this error.
    ///   - isRetriable: whether retrying the operation may succeed.
    ///   - property: the configuration property concerned.
    ///   - topic: the topic concerned.
    ///   - partition: the partition concerned.
    public init(
        code: Code,
        message: String,
        responseCode: KafkaResponseCode? = nil,
        isFatal: Bool = false,
        isRetriable: Bool = false,
        property: String? = nil,
        topic: String? = nil,
        partition: Int32? = nil
    ) {
        self.code = code
        self.message = message
        self.responseCode = responseCode
        self.isFatal = isFatal
        self.isRetriable = isRetriable
        self.property = property
        self.topic = topic
        self.partition = partition
    }

    /// librdkafka's symbolic error name (`_TRANSPORT`, `UNKNOWN_TOPIC_OR_PART`, ...), if any.
    public var responseName: String? {
        responseCode?.name
    }

    /// `code: message` followed by the context that is set.
    public var description: String {
        var text = "kafka.\(code.rawValue): \(message)"
        var context: [String] = []
        if let responseCode { context.append("librdkafka=\(responseCode)") }
        if let property { context.append("property=\(property)") }
        if let topic { context.append("topic=\(topic)") }
        if let partition { context.append("partition=\(partition)") }
        if isFatal { context.append("fatal") }
        if isRetriable { context.append("retriable") }
        if !context.isEmpty { text += " [" + context.joined(separator: ", ") + "]" }
        return text
    }

    // MARK: - Construction from librdkafka values

    /// An error from a bare `rd_kafka_resp_err_t`.
    init(code: Code, _ err: rd_kafka_resp_err_t, context: String, topic: String? = nil, partition: Int32? = nil) {
        let response = KafkaResponseCode(err)
        self.init(
            code: code,
            message: "\(context): \(response.explanation)",
            responseCode: response,
            isFatal: err == RD_KAFKA_RESP_ERR__FATAL,
            topic: topic,
            partition: partition
        )
    }

    /// An error from an `rd_kafka_error_t` object; the object is destroyed.
    init(code: Code, consuming error: OpaquePointer, context: String) {
        let response = KafkaResponseCode(rd_kafka_error_code(error))
        let text = rd_kafka_error_string(error).map { String(cString: $0) } ?? response.explanation
        self.init(
            code: code,
            message: "\(context): \(text)",
            responseCode: response,
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            isRetriable: rd_kafka_error_is_retriable(error) != 0
        )
        rd_kafka_error_destroy(error)
    }

    /// The fatal error raised on `handle`, if any (`rd_kafka_fatal_error`).
    static func fatalError(of handle: OpaquePointer) -> KafkaError? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buffer -> KafkaError? in
            guard let base = buffer.baseAddress else { return nil }
            base.initialize(to: 0)
            let err = rd_kafka_fatal_error(handle, base, buffer.count)
            guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
            let response = KafkaResponseCode(err)
            return KafkaError(
                code: .fatal,
                message: "fatal librdkafka error: \(String(cString: base))",
                responseCode: response,
                isFatal: true
            )
        }
    }
}
