/// How a model's sliding window is cut: by event count or by event time, in panes.
///
/// A window is made of `panes` sub-windows; it slides one pane at a time: the newest
/// pane is added and the oldest subtracted, so evaluation cost does not grow with length.
public enum WindowSpec: Sendable, Equatable, Codable {
    /// The last `events` events, sliding every `events / panes` events.
    case count(events: Int, panes: Int)
    /// Events whose event time falls in the last `duration` (whole milliseconds count), sliding
    /// every `duration / panes`.
    case time(duration: Duration, panes: Int)

    /// Default: the last 10,000 events in 10 panes.
    public static let `default` = WindowSpec.count(events: 10_000, panes: 10)

    /// Number of panes.
    public var panes: Int {
        switch self {
        case .count(_, let p), .time(_, let p): return p
        }
    }

    // MARK: - Coding (the format of the synthesized coding of `time(durationMillis:panes:)`)

    enum CodingKeys: String, CodingKey {
        case count, time
    }

    enum CountKeys: String, CodingKey {
        case events, panes
    }

    enum TimeKeys: String, CodingKey {
        case durationMillis, panes
    }

    /// Decodes `{"count": {"events", "panes"}}` or `{"time": {"durationMillis", "panes"}}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.time) {
            let t = try c.nestedContainer(keyedBy: TimeKeys.self, forKey: .time)
            self = .time(
                duration: .milliseconds(try t.decode(Int64.self, forKey: .durationMillis)),
                panes: try t.decode(Int.self, forKey: .panes))
        } else {
            let n = try c.nestedContainer(keyedBy: CountKeys.self, forKey: .count)
            self = .count(
                events: try n.decode(Int.self, forKey: .events), panes: try n.decode(Int.self, forKey: .panes))
        }
    }

    /// Encodes as the synthesized coding of the earlier `time(durationMillis:panes:)` did.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .count(let events, let panes):
            var n = c.nestedContainer(keyedBy: CountKeys.self, forKey: .count)
            try n.encode(events, forKey: .events)
            try n.encode(panes, forKey: .panes)
        case .time(let duration, let panes):
            var t = c.nestedContainer(keyedBy: TimeKeys.self, forKey: .time)
            try t.encode(duration.wholeMilliseconds, forKey: .durationMillis)
            try t.encode(panes, forKey: .panes)
        }
    }
}
