/// The slice of the stream an alert or retrain event speaks about.
public struct EventWindow: Sendable, Codable, Equatable {
    /// Earliest event time in the window, RFC 3339.
    public var start: String
    /// Latest event time in the window, RFC 3339.
    public var end: String
    /// Events in the window.
    public var events: Int

    /// Creates a window from RFC 3339 times.
    public init(start: String, end: String, events: Int) {
        self.start = start
        self.end = end
        self.events = events
    }

    /// The window between two event times.
    public init(start: EventTime, end: EventTime, events: Int) {
        self.init(start: RFC3339.format(start), end: RFC3339.format(end), events: events)
    }

    /// The window of a snapshot.
    public init(_ snapshot: WindowSnapshot) {
        self.init(start: snapshot.start, end: snapshot.end, events: snapshot.events)
    }
}
