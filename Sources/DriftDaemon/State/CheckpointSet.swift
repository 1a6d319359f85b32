import DriftKafka

/// What a checkpoint store holds: the newest complete checkpoint of each model, and per input
/// partition the frontier offset below which every model's checkpoint holds all of its events.
///
/// A frontier is written only after the model checkpoints of the same checkpoint were
/// acknowledged, so consuming a partition from its frontier, and admitting each model's events at
/// or above its own `coverage`, applies every event exactly once.
public struct CheckpointSet: Sendable, Equatable {
    /// Newest complete checkpoint per baseline id.
    public var models: [String: ModelCheckpoint]
    /// Frontier per input partition: where consumption resumes.
    public var frontiers: [TopicPartition: Int64]

    /// Creates a set.
    public init(models: [String: ModelCheckpoint] = [:], frontiers: [TopicPartition: Int64] = [:]) {
        self.models = models
        self.frontiers = frontiers
    }

    /// Adds newer entries: a model checkpoint replaces one with a lower or equal sequence number.
    public mutating func merge(models newer: [ModelCheckpoint], frontiers newerFrontiers: [TopicPartition: Int64]) {
        for record in newer where (models[record.baselineID]?.sequence ?? .min) <= record.sequence {
            models[record.baselineID] = record
        }
        frontiers.merge(newerFrontiers) { _, new in new }
    }
}
