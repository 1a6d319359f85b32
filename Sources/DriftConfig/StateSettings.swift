/// Where and how often the daemon snapshots its windows, policy state and offsets.
public struct StateSettings: Sendable, Equatable {
    /// Default time between checkpoints, milliseconds.
    public static let defaultCheckpointIntervalMillis: Int64 = 5_000

    /// Snapshot directory (resolved against the config file's directory), used when `topic` is nil.
    public var directory: String?
    /// Kafka topic holding the checkpoints (state follows partitions, not disks); takes precedence
    /// over `directory`. `nil` with `directory` nil keeps no state.
    public var topic: String?
    /// Time between checkpoints, milliseconds.
    public var checkpointIntervalMillis: Int64

    /// Creates state settings.
    /// - Parameters:
    ///   - directory: Snapshot directory, `nil` to keep no state.
    ///   - topic: Checkpoint topic, `nil` to use `directory`.
    ///   - checkpointIntervalMillis: Time between checkpoints (default 5 s).
    public init(
        directory: String? = nil, topic: String? = nil,
        checkpointIntervalMillis: Int64 = StateSettings.defaultCheckpointIntervalMillis
    ) {
        self.directory = directory
        self.topic = topic
        self.checkpointIntervalMillis = checkpointIntervalMillis
    }
}
