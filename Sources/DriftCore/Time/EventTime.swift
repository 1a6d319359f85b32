/// An instant of **event time**: the time stamped on an event (its `timestamp`, or the Kafka
/// message time), in whole milliseconds since the Unix epoch.
///
/// Windows, panes, cooldowns, retirement and every decision run on event time, so replay and
/// the live daemon decide alike. Wall-clock readings are a different type (`WallClockTime`);
/// the one way from the wall clock to event time is `EventTime.estimated(lastEvent:seenAt:now:)`.
///
/// Encodes as a bare `Int64` of milliseconds, so checkpoints and payloads written with plain
/// millisecond integers read back unchanged. Arithmetic with `Duration` truncates the duration
/// to whole milliseconds and saturates at the ends of the range (`.distantPast`, `.distantFuture`
/// stay where they are).
public struct EventTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch (1970-01-01T00:00:00Z).
    public var millisecondsSinceEpoch: Int64

    /// An instant from milliseconds since the Unix epoch.
    /// - Parameter millisecondsSinceEpoch: Milliseconds since 1970-01-01T00:00:00Z.
    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// The Unix epoch.
    public static let epoch = EventTime(millisecondsSinceEpoch: 0)
    /// Earlier than every event (a sentinel: the start of an empty range, "no event yet").
    public static let distantPast = EventTime(millisecondsSinceEpoch: .min)
    /// Later than every event (a sentinel: the end of an empty range).
    public static let distantFuture = EventTime(millisecondsSinceEpoch: .max)

    /// Decodes a bare `Int64` of milliseconds.
    public init(from decoder: any Decoder) throws {
        millisecondsSinceEpoch = try decoder.singleValueContainer().decode(Int64.self)
    }

    /// Encodes as a bare `Int64` of milliseconds.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(millisecondsSinceEpoch)
    }

    /// RFC 3339 in UTC with milliseconds; `distantPast` for instants within two days of the
    /// start of the range (the sentinel, where the calendar arithmetic would overflow).
    public var description: String {
        millisecondsSinceEpoch < Int64.min + 2 * 86_400_000
            ? "distantPast" : RFC3339.format(millis: millisecondsSinceEpoch)
    }

    public static func < (lhs: EventTime, rhs: EventTime) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// The instant `rhs` after `lhs` (saturating).
    public static func + (lhs: EventTime, rhs: Duration) -> EventTime {
        let (sum, overflow) = lhs.millisecondsSinceEpoch.addingReportingOverflow(rhs.wholeMilliseconds)
        if overflow { return rhs > .zero ? .distantFuture : .distantPast }
        return EventTime(millisecondsSinceEpoch: sum)
    }

    /// The instant `rhs` before `lhs` (saturating).
    public static func - (lhs: EventTime, rhs: Duration) -> EventTime {
        let (difference, overflow) = lhs.millisecondsSinceEpoch.subtractingReportingOverflow(rhs.wholeMilliseconds)
        if overflow { return rhs > .zero ? .distantPast : .distantFuture }
        return EventTime(millisecondsSinceEpoch: difference)
    }

    /// Moves the instant `rhs` later.
    public static func += (lhs: inout EventTime, rhs: Duration) { lhs = lhs + rhs }

    /// Moves the instant `rhs` earlier.
    public static func -= (lhs: inout EventTime, rhs: Duration) { lhs = lhs - rhs }

    /// The span from `rhs` to `lhs` (negative when `lhs` is earlier), saturating at the
    /// ends of `Int64` milliseconds.
    public static func - (lhs: EventTime, rhs: EventTime) -> Duration {
        let (difference, overflow) = lhs.millisecondsSinceEpoch.subtractingReportingOverflow(
            rhs.millisecondsSinceEpoch)
        if overflow { return .milliseconds(lhs > rhs ? Int64.max : Int64.min) }
        return .milliseconds(difference)
    }

    /// Estimated event time: the event time a stream whose events stopped would have reached
    /// by the wall-clock instant `now`, i.e. the last event's time plus the wall-clock time
    /// elapsed since it was seen (never less than the last event's time).
    ///
    /// This is the only conversion from the wall clock to event time. It slides windows of
    /// idle models; a stream catching up on old events keeps delivering them, so its windows
    /// are not pushed to the present.
    /// - Parameters:
    ///   - lastEvent: Event time of the last event applied.
    ///   - seenAt: Wall-clock time when it was applied.
    ///   - now: The wall-clock time now.
    /// - Returns: `lastEvent` plus `max(0, now - seenAt)`.
    public static func estimated(lastEvent: EventTime, seenAt: WallClockTime, now: WallClockTime) -> EventTime {
        lastEvent + max(.zero, now - seenAt)
    }
}

extension RFC3339 {
    /// An event-time instant in RFC 3339, UTC, with milliseconds.
    /// - Parameter time: The instant.
    public static func format(_ time: EventTime) -> String { format(millis: time.millisecondsSinceEpoch) }
}
