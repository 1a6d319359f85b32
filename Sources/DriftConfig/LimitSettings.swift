/// Bounds on input that protect the daemon from oversized or hostile events.
public struct LimitSettings: Sendable, Equatable {
    /// Default largest accepted event, bytes.
    public static let defaultMaxEventBytes = 65_536

    /// Events larger than this go to the dead-letter topic undecoded.
    public var maxEventBytes: Int

    /// Creates limits.
    /// - Parameter maxEventBytes: Largest accepted event in bytes (default 65,536).
    public init(maxEventBytes: Int = LimitSettings.defaultMaxEventBytes) {
        self.maxEventBytes = maxEventBytes
    }
}
