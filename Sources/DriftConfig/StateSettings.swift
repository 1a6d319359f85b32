/// Where and how often the daemon snapshots its windows, policy state and offsets.
public struct StateSettings: Sendable, Equatable {
    /// Default wall-clock time between checkpoints.
    public static let defaultCheckpointInterval: Duration = .seconds(5)

    /// Snapshot directory (resolved against the config file's directory), used when `topic` is nil.
    public var directory: String?
    /// Kafka topic holding the checkpoints (state follows partitions, not disks); takes precedence
    /// over `directory`. `nil` with `directory` nil keeps no state.
    public var topic: String?
    /// Wall-clock time between checkpoints.
    public var checkpointInterval: Duration

    /// Creates state settings.
    /// - Parameters:
    ///   - directory: Snapshot directory, `nil` to keep no state.
    ///   - topic: Checkpoint topic, `nil` to use `directory`.
    ///   - checkpointInterval: Time between checkpoints (default 5 s).
    public init(
        directory: String? = nil, topic: String? = nil,
        checkpointInterval: Duration = StateSettings.defaultCheckpointInterval
    ) {
        self.directory = directory
        self.topic = topic
        self.checkpointInterval = checkpointInterval
    }
}
