/// How a model's sliding window is cut: by event count or by event time, in panes.
///
/// A window is made of `panes` sub-windows; it slides one pane at a time: the newest
/// pane is added and the oldest subtracted, so evaluation cost does not grow with length.
public enum WindowSpec: Sendable, Equatable, Codable {
    /// The last `events` events, sliding every `events / panes` events.
    case count(events: Int, panes: Int)
    /// Events whose event time falls in the last `durationMillis`, sliding every `durationMillis / panes`.
    case time(durationMillis: Int64, panes: Int)

    /// Default: the last 10,000 events in 10 panes.
    public static let `default` = WindowSpec.count(events: 10_000, panes: 10)

    /// Number of panes.
    public var panes: Int {
        switch self {
        case .count(_, let p), .time(_, let p): return p
        }
    }
}
