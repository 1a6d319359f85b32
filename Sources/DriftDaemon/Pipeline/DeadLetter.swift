/// The value of a dead-letter record: why an input message was not applied, where it came
/// from, and the message itself. Documented in docs/events.md.
public struct DeadLetter: Sendable, Codable, Equatable {
    /// The reason.
    public struct Reason: Sendable, Codable, Equatable {
        public var code: String
        public var field: String?
        public var message: String
    }

    /// Where the message was read.
    public struct Origin: Sendable, Codable, Equatable {
        public var topic: String
        public var partition: Int32?
        public var offset: Int64?
    }

    public var error: Reason
    public var source: Origin
    /// When driftd rejected it, RFC 3339.
    public var rejectedAt: String
    /// The original message as text (when it is valid UTF-8).
    public var payload: String?
    /// The original message, base64, when it is not valid UTF-8.
    public var payloadBase64: String?
    /// Size of the original message in bytes.
    public var payloadBytes: Int
    /// Whether `payload`/`payloadBase64` hold only the first `DeadLetter.maxPayloadBytes` bytes.
    public var payloadTruncated: Bool

    /// Largest payload copied into a dead letter (Kafka's default message limit is 1 MB).
    public static let maxPayloadBytes = 256 * 1024

    enum CodingKeys: String, CodingKey {
        case error, source, payload
        case rejectedAt = "rejected_at"
        case payloadBase64 = "payload_base64"
        case payloadBytes = "payload_bytes"
        case payloadTruncated = "payload_truncated"
    }
}
