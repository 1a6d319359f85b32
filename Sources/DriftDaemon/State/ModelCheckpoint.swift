import DriftCore
import DriftKafka

/// One model's checkpoint: its window, policy and accuracy state, and exactly which input events
/// that state holds.
///
/// `coverage` maps each input partition to the offset below which *every* event of this model in
/// that partition is applied to `monitor` (and none at or above it). A partition that is not
/// listed contributed no event. So a daemon that restores this record and admits only this
/// model's events at or above `coverage` applies each event exactly once, wherever the partition
/// was consumed before (docs/kafka.md, "Delivery and state contract").
public struct ModelCheckpoint: Sendable, Codable, Equatable {
    /// Format tag of the record.
    public static let currentFormat = "driftd.checkpoint/v1"

    public var format: String
    /// The baseline (model version) the state belongs to.
    public var baselineID: String
    /// The model name.
    public var model: String
    /// Incremented at every write of this model's checkpoint.
    public var sequence: Int
    /// Wall-clock time of the write, RFC 3339 (information only; never used in decisions).
    public var savedAt: String
    /// Next offset not yet applied, per topic and partition (partition as a string key).
    public var coverage: [String: [String: Int64]]
    /// Partitions from which events of this model were applied, as `topic[partition]`.
    public var eventPartitions: [String]
    /// Events applied to this model's windows since its first event, across all restarts.
    public var eventsApplied: Int64
    /// Window, alert and retrain state.
    public var monitor: ModelMonitor.State
    /// Accuracy tracking state; nil when the model does not track accuracy.
    public var accuracy: AccuracyMonitor.State?

    /// Creates a checkpoint record.
    public init(
        baselineID: String, model: String, sequence: Int, savedAt: String, coverage: [TopicPartition: Int64],
        eventPartitions: Set<TopicPartition>, eventsApplied: Int64, monitor: ModelMonitor.State,
        accuracy: AccuracyMonitor.State?
    ) {
        self.format = Self.currentFormat
        self.baselineID = baselineID
        self.model = model
        self.sequence = sequence
        self.savedAt = savedAt
        self.coverage = OffsetMap.encode(coverage)
        self.eventPartitions = eventPartitions.sorted().map(\.description)
        self.eventsApplied = eventsApplied
        self.monitor = monitor
        self.accuracy = accuracy
    }

    /// `coverage` keyed by partition.
    public var coverageByPartition: [TopicPartition: Int64] { OffsetMap.decode(coverage) }

    /// `eventPartitions` as values.
    public var eventPartitionSet: Set<TopicPartition> {
        Set(eventPartitions.compactMap(OffsetMap.partition(from:)))
    }

    enum CodingKeys: String, CodingKey {
        case format, model, sequence, coverage, monitor, accuracy
        case baselineID = "baseline_id"
        case savedAt = "saved_at"
        case eventPartitions = "event_partitions"
        case eventsApplied = "events_applied"
    }
}

/// Offsets keyed `topic -> partition (string) -> offset` in JSON, `TopicPartition -> offset` in code.
public enum OffsetMap {
    /// The JSON shape of an offset map.
    public static func encode(_ offsets: [TopicPartition: Int64]) -> [String: [String: Int64]] {
        var result: [String: [String: Int64]] = [:]
        for (position, offset) in offsets { result[position.topic, default: [:]][String(position.partition)] = offset }
        return result
    }

    /// An offset map from its JSON shape; entries with a non-numeric partition are dropped.
    public static func decode(_ offsets: [String: [String: Int64]]) -> [TopicPartition: Int64] {
        var result: [TopicPartition: Int64] = [:]
        for (topic, partitions) in offsets {
            for (partition, offset) in partitions {
                guard let number = Int32(partition) else { continue }
                result[TopicPartition(topic: topic, partition: number)] = offset
            }
        }
        return result
    }

    /// A partition from its `topic[partition]` text (`TopicPartition.description`).
    public static func partition(from text: String) -> TopicPartition? {
        guard text.hasSuffix("]"), let open = text.lastIndex(of: "["),
            let number = Int32(text[text.index(after: open)..<text.index(before: text.endIndex)])
        else { return nil }
        return TopicPartition(topic: String(text[..<open]), partition: number)
    }
}
