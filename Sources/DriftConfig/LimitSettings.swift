import Foundation

/// Bounds on input that protect the daemon from oversized or hostile events, and on the CPU
/// threads it decodes with.
public struct LimitSettings: Sendable, Equatable {
    /// Default largest accepted event, bytes.
    public static let defaultMaxEventBytes = 65_536
    /// Default tolerance for event times ahead of the wall clock: 5 minutes.
    public static let defaultMaxFutureSkew: Duration = .seconds(300)

    /// Events larger than this go to the dead-letter topic undecoded.
    public var maxEventBytes: Int
    /// Events stamped further than this ahead of the daemon's clock go to the dead-letter topic
    /// (`timestamp_out_of_range`): one bad clock must not slide every window into the future.
    public var maxFutureSkew: Duration
    /// Threads that decode one consumed batch (simdjson, in parallel slices); 0 = one per CPU
    /// the process may use (`ProcessInfo.activeProcessorCount`). See `effectiveDecodeThreads`.
    public var decodeThreads: Int

    /// Creates limits.
    /// - Parameters:
    ///   - maxEventBytes: Largest accepted event in bytes (default 65,536).
    ///   - maxFutureSkew: Largest accepted lead of event time over the clock (default 5 minutes).
    ///   - decodeThreads: Decoding threads per batch; 0 (default) = one per CPU.
    public init(
        maxEventBytes: Int = LimitSettings.defaultMaxEventBytes,
        maxFutureSkew: Duration = LimitSettings.defaultMaxFutureSkew,
        decodeThreads: Int = 0
    ) {
        self.maxEventBytes = maxEventBytes
        self.maxFutureSkew = maxFutureSkew
        self.decodeThreads = decodeThreads
    }

    /// The decoding threads to use: `decodeThreads`, or when it is 0 the active processor count
    /// (under a container CPU quota, set `decode_threads` to the quota).
    public var effectiveDecodeThreads: Int {
        decodeThreads > 0 ? decodeThreads : max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}
