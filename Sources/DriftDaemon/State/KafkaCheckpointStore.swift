import DriftKafka
import Foundation
import Logging

/// Checkpoints in a Kafka topic, so state follows partitions instead of disks: whichever
/// instance is assigned a partition restores the newest checkpoints from the topic and resumes
/// there, even on a new machine with an empty volume.
///
/// ## Records
/// Keys are NUL-separated text, scoped by the consumer group:
/// - `<group> m <baseline id> <slot> <chunk>`: a model checkpoint (`ModelCheckpoint` JSON), cut
///   into chunks of at most `chunkBytes` (`CheckpointChunks`). Headers `driftd-checkpoint` (a fresh
///   id per write), `driftd-chunk` (`index/count`) and `driftd-sequence`. The slot is the sequence
///   number modulo 2, so a write never overwrites the newest *complete* checkpoint of the model: on
///   a compacted topic the previous one survives until the next write completes.
/// - `<group> p <topic> <partition>`: a partition frontier, `{"offset": N}`, written only after
///   every model checkpoint of the same save was acknowledged.
///
/// Reading keeps the newest record per key (what compaction keeps) and accepts a model
/// checkpoint only when all of its chunks carry the same checkpoint id. The topic should be
/// compacted (`cleanup.policy=compact`); without compaction it grows by every save until retention
/// removes old records, which is harmless as long as retention is longer than the save interval.
public final class KafkaCheckpointStore: CheckpointStore, @unchecked Sendable {
    // @unchecked Sendable: used from the pipeline's loop thread only; the producer is thread-safe.

    /// Largest value of one record. Kafka's default `max.message.bytes` is about 1 MB.
    public static let defaultChunkBytes = CheckpointChunks.defaultChunkBytes

    /// The state topic.
    public let topic: String
    private let group: String
    private let producer: KafkaProducer
    private let reader: KafkaTopicReader
    private let chunkBytes: Int
    private let timeoutMillis: Int

    /// - Parameters:
    ///   - topic: the state topic.
    ///   - group: the consumer group whose state this is (the key prefix).
    ///   - producer: the daemon's idempotent producer.
    ///   - reader: reads the topic back.
    ///   - chunkBytes: largest record value.
    ///   - timeoutMillis: how long a save may wait for acknowledgements, and a load for the read.
    public init(
        topic: String, group: String, producer: KafkaProducer, reader: KafkaTopicReader,
        chunkBytes: Int = KafkaCheckpointStore.defaultChunkBytes, timeoutMillis: Int = 10_000
    ) {
        self.topic = topic
        self.group = group
        self.producer = producer
        self.reader = reader
        self.chunkBytes = max(1024, chunkBytes)
        self.timeoutMillis = timeoutMillis
    }

    public var location: String { "topic \(topic)" }

    // MARK: - Keys and headers

    private static let separator = "\u{0}"

    private func modelKey(_ baselineID: String, slot: Int, chunk: Int) -> [UInt8] {
        Array([group, "m", baselineID, String(slot), String(chunk)].joined(separator: Self.separator).utf8)
    }

    private func frontierKey(_ position: TopicPartition) -> [UInt8] {
        Array([group, "p", position.topic, String(position.partition)].joined(separator: Self.separator).utf8)
    }

    // MARK: - Save

    public func save(models: [ModelCheckpoint], frontiers: [TopicPartition: Int64]) throws(StateStoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let failedBefore = producer.failedCount
        for model in models {
            let data: [UInt8]
            do {
                data = Array(try encoder.encode(model))
            } catch {
                throw StateStoreError(.encodeFailed, path: location, "model \(model.baselineID): \(error)")
            }
            for chunk in CheckpointChunks.cut(data, chunkBytes: chunkBytes, sequence: model.sequence) {
                try send(
                    key: modelKey(model.baselineID, slot: model.sequence % 2, chunk: chunk.index), value: chunk.value,
                    headers: chunk.headers)
            }
        }
        try acknowledge(since: failedBefore, what: "\(models.count) model checkpoints")
        for (position, offset) in frontiers.sorted(by: { $0.key < $1.key }) {
            try send(key: frontierKey(position), value: Array("{\"offset\":\(offset)}".utf8), headers: [])
        }
        try acknowledge(since: failedBefore, what: "\(frontiers.count) partition frontiers")
    }

    private func send(key: [UInt8], value: [UInt8], headers: [KafkaHeader]) throws(StateStoreError) {
        do {
            try CheckpointChunks.send(
                producer, topic: topic, key: key, value: value, headers: headers, timeoutMillis: timeoutMillis)
        } catch {
            throw StateStoreError(.deliveryFailed, path: location, "\(error)")
        }
    }

    private func acknowledge(since failedBefore: Int, what: String) throws(StateStoreError) {
        do {
            try producer.flush(timeout: .milliseconds(timeoutMillis))
        } catch {
            throw StateStoreError(.deliveryFailed, path: location, "\(what) not acknowledged: \(error)")
        }
        let failed = producer.failedCount - failedBefore
        if failed > 0 {
            throw StateStoreError(.deliveryFailed, path: location, "\(failed) records of \(what) failed")
        }
    }

    // MARK: - Load

    public func load() throws(StateStoreError) -> CheckpointSet {
        let records: [KafkaTopicReader.Record]
        do {
            records = try reader.readAll(topic: topic, timeout: .milliseconds(timeoutMillis))
        } catch {
            throw StateStoreError(.readFailed, path: location, "\(error)")
        }
        // Newest record per key, as compaction would keep (a key always maps to one partition).
        var newest: [[UInt8]: KafkaTopicReader.Record] = [:]
        for record in records {
            guard let key = record.key else { continue }
            newest[key] = record
        }
        var chunks: [String: [Int: [CheckpointChunks.Chunk]]] = [:]  // baseline id -> slot -> chunks
        var set = CheckpointSet()
        for (key, record) in newest {
            let parts = String(decoding: key, as: UTF8.self).components(separatedBy: Self.separator)
            guard parts.count >= 2, parts[0] == group else { continue }
            if parts[1] == "p", parts.count == 4, let partition = Int32(parts[3]),
                let object = try? JSONSerialization.jsonObject(with: Data(record.value)) as? [String: Any],
                let offset = (object["offset"] as? NSNumber)?.int64Value
            {
                set.frontiers[TopicPartition(topic: parts[2], partition: partition)] = offset
            } else if parts[1] == "m", parts.count == 5, let slot = Int(parts[3]),
                let chunk = CheckpointChunks.chunk(of: record)
            {
                chunks[parts[2], default: [:]][slot, default: []].append(chunk)
            }
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        for (baselineID, slots) in chunks {
            var best: ModelCheckpoint?
            for (_, parts) in slots {
                guard let (_, data) = CheckpointChunks.complete(parts),
                    let record = try? decoder.decode(ModelCheckpoint.self, from: data),
                    record.format == ModelCheckpoint.currentFormat, record.baselineID == baselineID
                else { continue }
                if record.sequence > (best?.sequence ?? .min) { best = record }
            }
            if let best { set.models[baselineID] = best }
        }
        return set
    }
}
