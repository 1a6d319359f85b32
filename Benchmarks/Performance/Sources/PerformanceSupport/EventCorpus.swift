import DriftDecode

/// Events held in one contiguous byte buffer, so the decoder and its reference read them
/// from the same memory with no per-message allocation.
public struct EventCorpus: Sendable {
    /// All events, back to back.
    public private(set) var bytes: [UInt8] = []
    /// Start of event `i` in `bytes`; `offsets[count]` is the end.
    public private(set) var offsets: [Int] = [0]

    /// An empty corpus.
    public init() {}

    /// Number of events.
    public var count: Int { offsets.count - 1 }

    /// Total bytes of all events.
    public var totalBytes: Int { bytes.count }

    /// Appends one event.
    public mutating func append(_ event: [UInt8]) {
        bytes += event
        offsets.append(bytes.count)
    }

    /// Event `i` as an array (for producing to Kafka).
    public func event(_ i: Int) -> [UInt8] { Array(bytes[offsets[i]..<offsets[i + 1]]) }

    /// Calls `body` with a payload accessor for events `range` (index 0 = `range.lowerBound`).
    public func withPayloads<R>(_ range: Range<Int>, fallbackMillis: Int64, _ body: ((Int) -> EventPayload) -> R) -> R {
        bytes.withUnsafeBytes { all in
            offsets.withUnsafeBufferPointer { offsets in
                body { j in
                    let i = range.lowerBound + j
                    return EventPayload(
                        bytes: UnsafeRawBufferPointer(rebasing: all[offsets[i]..<offsets[i + 1]]),
                        fallbackTimestampMs: fallbackMillis)
                }
            }
        }
    }
}
