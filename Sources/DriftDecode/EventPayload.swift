/// One message handed to a decoder: its bytes (borrowed, not copied beyond the decoder's
/// padded buffer) and the time to use when the event has no `timestamp`.
///
/// The bytes only need to stay valid until the decoder has read them, that is during the
/// call of the closure-based `decode` that returned this payload; librdkafka message
/// payloads can be passed directly.
public struct EventPayload {
    /// The message bytes (one JSON object).
    public var bytes: UnsafeRawBufferPointer
    /// Fallback event time in epoch milliseconds, usually the Kafka message timestamp.
    public var fallbackTimestampMs: Int64

    /// Creates a payload.
    /// - Parameters:
    ///   - bytes: The message bytes, valid while the decoder reads them.
    ///   - fallbackTimestampMs: Event time used when the event has no `timestamp`.
    public init(bytes: UnsafeRawBufferPointer, fallbackTimestampMs: Int64) {
        self.bytes = bytes
        self.fallbackTimestampMs = fallbackTimestampMs
    }
}
