import DriftKafka
import Foundation

/// Checkpoints of the scale-out stages in the state topic: per (stage, consumer group, assigned
/// partition), the partition's next offset and the stage's state for it (docs/architecture.md,
/// "Scale-out").
///
/// Keys are NUL-separated text, `<group> s <stage> <topic> <partition> <slot> <chunk>`, apart from
/// the single path's keys (`KafkaCheckpointStore`). A partition's record (`Record` JSON) is cut
/// into chunks of at most `chunkBytes` with the single path's chunk headers and two slots
/// (`CheckpointChunks`): a write never overwrites the newest complete one, and reading keeps, per
/// partition, the complete write with the highest sequence. A save returns once every chunk was
/// acknowledged by the brokers. Records of the first format (one record, key without slot and
/// chunk) are still read, below any chunked one.
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
    private let chunkBytes: Int
    private let timeoutMillis: Int
    /// Per partition, the sequence of the newest write known (loaded or saved here).
    private var sequences: [TopicPartition: Int] = [:]

    /// - Parameters:
    ///   - stage: `ingest` or `evaluate`.
    ///   - chunkBytes: largest record value (at least 1 KiB).
    public init(
        topic: String, group: String, stage: String, producer: KafkaProducer, reader: KafkaTopicReader,
        chunkBytes: Int = KafkaCheckpointStore.defaultChunkBytes, timeoutMillis: Int = 10_000
    ) {
        self.topic = topic
        self.group = group
        self.stage = stage
        self.producer = producer
        self.reader = reader
        self.chunkBytes = max(1024, chunkBytes)
        self.timeoutMillis = timeoutMillis
    }

    private static let separator = "\u{0}"

    private var prefix: String { [group, "s", stage].joined(separator: Self.separator) + Self.separator }

    private func key(_ p: TopicPartition, slot: Int, chunk: Int) -> [UInt8] {
        Array(
            (prefix + [p.topic, String(p.partition), String(slot), String(chunk)].joined(separator: Self.separator))
                .utf8)
    }

    /// Writes records; durable when it returns.
    public func save(_ records: [TopicPartition: Record]) throws(StateStoreError) {
        guard !records.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let failedBefore = producer.failedCount
        var written: [TopicPartition: Int] = [:]
        do {
            for (p, record) in records.sorted(by: { $0.key < $1.key }) {
                let sequence = (sequences[p] ?? 0) + 1
                let data = Array(try encoder.encode(record))
                for chunk in CheckpointChunks.cut(data, chunkBytes: chunkBytes, sequence: sequence) {
                    try CheckpointChunks.send(
                        producer, topic: topic, key: key(p, slot: sequence % 2, chunk: chunk.index), value: chunk.value,
                        headers: chunk.headers, timeoutMillis: timeoutMillis)
                }
                written[p] = sequence
            }
            try producer.flush(timeout: .milliseconds(timeoutMillis))
        } catch let error as KafkaError {
            throw StateStoreError(.deliveryFailed, path: topic, "stage \(stage): \(error)")
        } catch {
            throw StateStoreError(.encodeFailed, path: topic, "stage \(stage): \(error)")
        }
        guard producer.failedCount == failedBefore else {
            throw StateStoreError(
                .deliveryFailed, path: topic, "stage \(stage): a checkpoint record was not delivered to \(topic)")
        }
        sequences.merge(written) { _, new in new }
    }

    /// The newest complete record of each partition of this stage and group.
    public func load() throws(StateStoreError) -> [TopicPartition: Record] {
        let records: [KafkaTopicReader.Record]
        do {
            records = try reader.readAll(topic: topic, timeout: .milliseconds(timeoutMillis))
        } catch {
            throw StateStoreError(.readFailed, path: topic, "stage \(stage): \(error)")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        // Newest record per key, as compaction would keep (a key always maps to one partition).
        var newest: [[UInt8]: KafkaTopicReader.Record] = [:]
        for record in records {
            guard let key = record.key else { continue }
            newest[key] = record
        }
        var chunks: [TopicPartition: [Int: [CheckpointChunks.Chunk]]] = [:]  // partition -> slot -> chunks
        var best: [TopicPartition: (sequence: Int, record: Record)] = [:]
        let prefix = self.prefix
        for (keyBytes, record) in newest {
            guard let text = String(validating: keyBytes, as: UTF8.self), text.hasPrefix(prefix) else { continue }
            let rest = text.dropFirst(prefix.count).split(
                separator: Character(Self.separator), omittingEmptySubsequences: false)
            guard rest.count == 2 || rest.count == 4, let partition = Int32(rest[1]) else { continue }
            let p = TopicPartition(topic: String(rest[0]), partition: partition)
            if rest.count == 2 {
                // The first format: one record per partition, below any chunked write.
                if best[p] == nil, let value = try? decoder.decode(Record.self, from: Data(record.value)) {
                    best[p] = (0, value)
                }
            } else if let slot = Int(rest[2]), let chunk = CheckpointChunks.chunk(of: record) {
                chunks[p, default: [:]][slot, default: []].append(chunk)
            }
        }
        for (p, slots) in chunks {
            for parts in slots.values {
                guard let (sequence, data) = CheckpointChunks.complete(parts),
                    sequence > (best[p]?.sequence ?? .min),
                    let value = try? decoder.decode(Record.self, from: data)
                else { continue }
                best[p] = (sequence, value)
            }
        }
        for (p, found) in best { sequences[p] = max(sequences[p] ?? 0, found.sequence) }
        return best.mapValues(\.record)
    }
}
