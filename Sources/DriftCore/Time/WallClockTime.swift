/// An instant of the **wall clock** (the host's real-time clock), in whole milliseconds since
/// the Unix epoch: for timeouts, heartbeats, checkpoint intervals, log times and the check of
/// event times stamped too far ahead of the clock.
///
/// A separate type from `EventTime` so the compiler keeps the two clocks apart: decisions run
/// on event time, and the only way from one to the other is
/// `EventTime.estimated(lastEvent:seenAt:now:)` (or, to compare an event's stamp with the clock,
/// `EventTime(sameInstantAs:)`). DriftCore never reads the clock; the daemon's `WallClock.now()`
/// does.
public struct WallClockTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch (1970-01-01T00:00:00Z).
    public var millisecondsSinceEpoch: Int64

    /// An instant from milliseconds since the Unix epoch.
    /// - Parameter millisecondsSinceEpoch: Milliseconds since 1970-01-01T00:00:00Z.
    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// Decodes a bare `Int64` of milliseconds.
    public init(from decoder: any Decoder) throws {
        millisecondsSinceEpoch = try decoder.singleValueContainer().decode(Int64.self)
    }

    /// Encodes as a bare `Int64` of milliseconds.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(millisecondsSinceEpoch)
    }

    /// RFC 3339 in UTC with milliseconds.
    public var description: String { RFC3339.format(millis: millisecondsSinceEpoch) }

    public static func < (lhs: WallClockTime, rhs: WallClockTime) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// The instant `rhs` after `lhs` (wrapping is impossible for real clock readings).
    public static func + (lhs: WallClockTime, rhs: Duration) -> WallClockTime {
        WallClockTime(millisecondsSinceEpoch: lhs.millisecondsSinceEpoch &+ rhs.wholeMilliseconds)
    }

    /// The instant `rhs` before `lhs`.
    public static func - (lhs: WallClockTime, rhs: Duration) -> WallClockTime {
        WallClockTime(millisecondsSinceEpoch: lhs.millisecondsSinceEpoch &- rhs.wholeMilliseconds)
    }

    /// The span from `rhs` to `lhs` (negative when `lhs` is earlier).
    public static func - (lhs: WallClockTime, rhs: WallClockTime) -> Duration {
        .milliseconds(lhs.millisecondsSinceEpoch &- rhs.millisecondsSinceEpoch)
    }
}

extension EventTime {
    /// The event time equal to a wall-clock reading, for comparing an event's stamp with the
    /// clock (an event stamped more than `limits.max_future_skew` ahead of the clock is
    /// rejected). Not an estimate of where a stream's event time stands: that is
    /// `estimated(lastEvent:seenAt:now:)`.
    /// - Parameter wallClock: A wall-clock reading.
    public init(sameInstantAs wallClock: WallClockTime) {
        self.init(millisecondsSinceEpoch: wallClock.millisecondsSinceEpoch)
    }
}
