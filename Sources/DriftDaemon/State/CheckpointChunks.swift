import DriftKafka
import Foundation

/// How a checkpoint value larger than one Kafka record is written and read back, shared by
/// `KafkaCheckpointStore` (model checkpoints) and `StageStateStore` (scale-out stage state).
///
/// A value is cut into chunks of at most `chunkBytes`, each a record with headers
/// `driftd-checkpoint` (a fresh id per write), `driftd-chunk` (`index/count`) and
/// `driftd-sequence`. Writers put chunks in one of two slots (the sequence number modulo 2), so
/// a write never overwrites the newest *complete* value. A slot is complete when its chunk 0 names
/// a write and every index below its count is present with that id.
enum CheckpointChunks {
    /// Largest value of one record. Kafka's default `max.message.bytes` is about 1 MB.
    static let defaultChunkBytes = 512 * 1024
    static let idHeader = "driftd-checkpoint"
    static let chunkHeader = "driftd-chunk"
    static let sequenceHeader = "driftd-sequence"

    /// One chunk of a write, as written or as read.
    struct Chunk {
        var id: String
        var index: Int
        var count: Int
        var sequence: Int
        var value: [UInt8]

        /// The chunk's record headers.
        var headers: [KafkaHeader] {
            [
                KafkaHeader(name: CheckpointChunks.idHeader, text: id),
                KafkaHeader(name: CheckpointChunks.chunkHeader, text: "\(index)/\(count)"),
                KafkaHeader(name: CheckpointChunks.sequenceHeader, text: String(sequence))
            ]
        }
    }

    /// `data` cut into chunks of at most `chunkBytes` (at least one, empty for empty data), with a fresh write id.
    static func cut(_ data: [UInt8], chunkBytes: Int, sequence: Int) -> [Chunk] {
        let count = max(1, (data.count + chunkBytes - 1) / chunkBytes)
        let id = UUID().uuidString
        return (0..<count).map { index in
            Chunk(
                id: id, index: index, count: count, sequence: sequence,
                value: Array(data[(index * chunkBytes)..<min(data.count, (index + 1) * chunkBytes)]))
        }
    }

    /// The chunk a record read back holds, or nil when its headers are not a chunk's.
    static func chunk(of record: KafkaTopicReader.Record) -> Chunk? {
        func header(_ name: String) -> String? {
            record.headers.last { $0.name == name }?.value.map { String(decoding: $0, as: UTF8.self) }
        }
        guard let id = header(idHeader), let chunk = header(chunkHeader),
            let sequence = header(sequenceHeader).flatMap(Int.init)
        else { return nil }
        let fraction = chunk.split(separator: "/")
        guard fraction.count == 2, let index = Int(fraction[0]), let count = Int(fraction[1]) else { return nil }
        return Chunk(id: id, index: index, count: count, sequence: sequence, value: record.value)
    }

    /// The value of one slot's chunks when they form a complete write, with its sequence number.
    static func complete(_ parts: [Chunk]) -> (sequence: Int, data: Data)? {
        guard let first = parts.first(where: { $0.index == 0 }) else { return nil }
        let same = parts.filter { $0.id == first.id }.sorted { $0.index < $1.index }
        guard same.count == first.count, same.map(\.index) == Array(0..<first.count) else { return nil }
        return (first.sequence, Data(same.flatMap(\.value)))
    }

    /// Queues one record, waiting up to `timeoutMillis` for room when the producer's queue is full
    /// (the daemon's producers do not wait by themselves: their loops pause consumption instead).
    static func send(
        _ producer: KafkaProducer, topic: String, key: [UInt8], value: [UInt8], headers: [KafkaHeader],
        timeoutMillis: Int
    ) throws(KafkaError) {
        let deadline = Date().addingTimeInterval(Double(timeoutMillis) / 1000)
        while true {
            do {
                try producer.send(topic: topic, key: key, value: value, headers: headers)
                return
            } catch {
                guard error.code == .queueFull, Date() < deadline else { throw error }
                producer.poll(timeout: .milliseconds(10))
            }
        }
    }
}
