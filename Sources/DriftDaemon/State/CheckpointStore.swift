import DriftKafka

/// Where checkpoints live: a Kafka topic (`KafkaCheckpointStore`, state follows partitions) or a
/// local file (`FileCheckpointStore`, state tied to one disk).
///
/// `save` returns only once what it wrote is durable (acknowledged by the brokers, or fsynced);
/// the pipeline commits offsets only after that.
public protocol CheckpointStore: Sendable {
    /// Reads the newest complete checkpoints.
    /// - Throws: `StateStoreError` when the store cannot be read; an empty store is not an error.
    func load() throws(StateStoreError) -> CheckpointSet

    /// Writes model checkpoints, then frontiers; durable when it returns.
    /// - Parameters:
    ///   - models: checkpoints of the models whose state changed.
    ///   - frontiers: per assigned input partition, the next offset to apply.
    /// - Throws: `StateStoreError`; then nothing may be assumed written (frontiers are written
    ///   only after every model checkpoint was).
    func save(models: [ModelCheckpoint], frontiers: [TopicPartition: Int64]) throws(StateStoreError)

    /// Human-readable location, for logs.
    var location: String { get }
}
