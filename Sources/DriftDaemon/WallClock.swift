import DriftCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The wall clock (the one place the daemon reads it). Its readings are `WallClockTime`, never
/// event time: see `EventTime.estimated(lastEvent:seenAt:now:)` for the one conversion.
public enum WallClock {
    /// The wall-clock time now.
    public static func now() -> WallClockTime {
        WallClockTime(millisecondsSinceEpoch: nowMillis())
    }

    /// The wall-clock time now in milliseconds since the Unix epoch, for a loop's own interval
    /// bookkeeping (timeouts, checkpoint and lag intervals, log rate limits); APIs take `now()`.
    public static func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
