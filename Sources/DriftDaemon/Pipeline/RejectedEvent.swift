import DriftDecode

/// An input message that was not applied to any window, with the reason published to the
/// dead-letter topic.
public struct RejectedEvent: Sendable, Equatable {
    /// Index of the message in the batch handed to the processor.
    public var messageIndex: Int
    /// Stable reason code (`invalid_json`, `wrong_type`, `timestamp_out_of_range`, ...).
    public var code: String
    /// The offending field, when there is one.
    public var field: String?
    /// A sentence for humans.
    public var message: String

    /// Reason code of an event stamped further ahead of the clock than `limits.max_future_skew`
    /// (decided by the processor, not the decoder; the decoder's codes are `DecodeError.Code`).
    public static let timestampOutOfRange = "timestamp_out_of_range"

    public init(messageIndex: Int, code: String, field: String?, message: String) {
        self.messageIndex = messageIndex
        self.code = code
        self.field = field
        self.message = message
    }

    /// A decoder reject.
    public init(_ reject: DecodeReject) {
        self.init(
            messageIndex: reject.messageIndex, code: reject.error.code.rawValue, field: reject.error.field,
            message: reject.error.message)
    }
}
