import DriftKafka
import Foundation

/// Checkpoints of the scale-out stages in the state topic: one record per (stage, consumer group,
/// assigned partition), holding the partition's next offset and the stage's state for it
/// (docs/architecture.md, "Scale-out").
///
/// Keys are NUL-separated text, `<group> s <stage> <topic> <partition>`, apart from the single
/// path's keys (`KafkaCheckpointStore`); reading keeps the newest record per key. A save returns
/// once every record was acknowledged by the brokers.
public final class StageStateStore: @unchecked Sendable {
    // @unchecked Sendable: used from one stage's loop thread only; the producer is thread-safe.

    /// What one record holds.
    public struct Record: Sendable, Codable, Equatable {
        /// Where consumption of the partition resumes.
        public var offset: Int64
        /// The stage's state for the partition (JSON of the stage's own type).
        public var state: Data
        /// Creates a record.
        public init(offset: Int64, state: Data) {
            self.offset = offset
            self.state = state
        }
    }

    public let topic: String
    private let group: String
    private let stage: String
    private let producer: KafkaProducer
    private let reader: KafkaTopicReader
    private let timeoutMillis: Int

    /// - Parameters:
    ///   - stage: `ingest` or `evaluate`.
    public init(
        topic: String, group: String, stage: String, producer: KafkaProducer, reader: KafkaTopicReader,
        timeoutMillis: Int = 10_000
    ) {
        self.topic = topic
        self.group = group
        self.stage = stage
        self.producer = producer
        self.reader = reader
        self.timeoutMillis = timeoutMillis
    }

    private static let separator = "\u{0}"

    private var prefix: String { [group, "s", stage].joined(separator: Self.separator) + Self.separator }

    private func key(_ p: TopicPartition) -> [UInt8] {
        Array((prefix + p.topic + Self.separator + String(p.partition)).utf8)
    }

    /// Writes records; durable when it returns.
    public func save(_ records: [TopicPartition: Record]) throws(StateStoreError) {
        guard !records.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let failedBefore = producer.failedCount
        do {
            for (p, record) in records.sorted(by: { $0.key < $1.key }) {
                try producer.send(topic: topic, key: key(p), value: Array(try encoder.encode(record)))
            }
            try producer.flush(timeoutMillis: timeoutMillis)
        } catch let error as KafkaError {
            throw StateStoreError(.deliveryFailed, path: topic, "stage \(stage): \(error)")
        } catch {
            throw StateStoreError(.deliveryFailed, path: topic, "stage \(stage): \(error)")
        }
        guard producer.failedCount == failedBefore else {
            throw StateStoreError(
                .deliveryFailed, path: topic, "stage \(stage): a checkpoint record was not delivered to \(topic)")
        }
    }

    /// The newest record of each partition of this stage and group.
    public func load() throws(StateStoreError) -> [TopicPartition: Record] {
        let records: [KafkaTopicReader.Record]
        do {
            records = try reader.readAll(topic: topic, timeoutMillis: timeoutMillis)
        } catch {
            throw StateStoreError(.readFailed, path: topic, "stage \(stage): \(error)")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        var result: [TopicPartition: Record] = [:]
        let prefix = self.prefix
        for record in records {
            guard let keyBytes = record.key, let text = String(validating: keyBytes, as: UTF8.self),
                text.hasPrefix(prefix)
            else { continue }
            let rest = text.dropFirst(prefix.count).split(
                separator: Character(Self.separator), omittingEmptySubsequences: false)
            guard rest.count == 2, let partition = Int32(rest[1]),
                let value = try? decoder.decode(Record.self, from: Data(record.value))
            else { continue }
            result[TopicPartition(topic: String(rest[0]), partition: partition)] = value
        }
        return result
    }
}
