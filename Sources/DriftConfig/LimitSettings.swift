/// Bounds on input that protect the daemon from oversized or hostile events.
public struct LimitSettings: Sendable, Equatable {
    /// Default largest accepted event, bytes.
    public static let defaultMaxEventBytes = 65_536
    /// Default tolerance for event times ahead of the wall clock: 5 minutes.
    public static let defaultMaxFutureSkewMillis: Int64 = 300_000

    /// Events larger than this go to the dead-letter topic undecoded.
    public var maxEventBytes: Int
    /// Events stamped further than this ahead of the daemon's clock go to the dead-letter topic
    /// (`timestamp_out_of_range`): one bad clock must not slide every window into the future.
    public var maxFutureSkewMillis: Int64

    /// Creates limits.
    /// - Parameters:
    ///   - maxEventBytes: Largest accepted event in bytes (default 65,536).
    ///   - maxFutureSkewMillis: Largest accepted lead of event time over the clock (default 5 minutes).
    public init(
        maxEventBytes: Int = LimitSettings.defaultMaxEventBytes,
        maxFutureSkewMillis: Int64 = LimitSettings.defaultMaxFutureSkewMillis
    ) {
        self.maxEventBytes = maxEventBytes
        self.maxFutureSkewMillis = maxFutureSkewMillis
    }
}
