/// Input messages turned into driftd inference events (`InputTranscoder`): each entry is one
/// event, either a message's own payload (format `driftd`, binary-mode CloudEvents) or bytes
/// written into `buffer`; one message may give several events (a tensor of N rows) or none
/// (a half waiting for its other half).
public struct TranscodedBatch: Sendable {
    /// One driftd event.
    public struct Entry: Sendable, Equatable {
        /// Index of the input message the event comes from (the message that completed a join).
        public var message: Int
        /// Start of the event in `buffer`, or -1: the message's own payload is the event.
        public var start: Int
        /// Length of the event in `buffer` (0 for a payload entry).
        public var count: Int
        /// Event time to use when the event has no `timestamp`.
        public var fallbackTimestampMs: Int64
    }

    /// Halves dropped without their other half, by topic, half and reason.
    public struct Unmatched: Sendable, Hashable {
        /// Topic of the dropped half.
        public var topic: String
        /// `request` or `response`.
        public var half: String
        /// `expired` (TTL), `evicted` (pending bound) or `replaced` (same id and half again).
        public var reason: String

        /// Creates a key.
        public init(topic: String, half: String, reason: String) {
            self.topic = topic
            self.half = half
            self.reason = reason
        }
    }

    /// The events, in input order.
    public var entries: [Entry] = []
    /// Bytes of the written events.
    public var buffer: [UInt8] = []
    /// Messages rejected before decoding (indexes of input messages).
    public var rejects: [DecodeReject] = []
    /// Halves dropped unmatched since the batch was created.
    public var unmatched: [Unmatched: Int] = [:]
    /// Halves waiting for their other half after this batch.
    public var pendingHalves = 0

    /// Creates an empty batch.
    public init() {}

    /// Entry `index`'s bytes: the message's payload (from `payload`) or the written event.
    /// The buffer pointer is valid only inside `withEvents`.
    public func withEvents<R>(
        payload: (Int) -> UnsafeRawBufferPointer, _ body: ((Int) -> EventPayload) -> R
    ) -> R {
        withoutActuallyEscaping(payload) { payload in
            buffer.withUnsafeBytes { written in
                body { index in
                    let entry = entries[index]
                    if entry.start < 0 {
                        return EventPayload(
                            bytes: payload(entry.message), fallbackTimestampMs: entry.fallbackTimestampMs)
                    }
                    return EventPayload(
                        bytes: UnsafeRawBufferPointer(rebasing: written[entry.start..<entry.start + entry.count]),
                        fallbackTimestampMs: entry.fallbackTimestampMs)
                }
            }
        }
    }
}
