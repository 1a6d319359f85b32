/// Where and how often the daemon snapshots its windows, policy state and offsets.
public struct StateSettings: Sendable, Equatable {
    /// Default time between checkpoints, milliseconds.
    public static let defaultCheckpointIntervalMillis: Int64 = 5_000

    /// Snapshot directory (resolved against the config file's directory); `nil` disables snapshots.
    public var directory: String?
    /// Time between checkpoints, milliseconds.
    public var checkpointIntervalMillis: Int64

    /// Creates state settings.
    /// - Parameters:
    ///   - directory: Snapshot directory, `nil` to keep no state.
    ///   - checkpointIntervalMillis: Time between checkpoints (default 5 s).
    public init(directory: String? = nil, checkpointIntervalMillis: Int64 = StateSettings.defaultCheckpointIntervalMillis) {
        self.directory = directory
        self.checkpointIntervalMillis = checkpointIntervalMillis
    }
}
