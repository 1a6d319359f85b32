import DriftConfig
import DriftCore
import DriftDecode
import DriftKafka

/// The step before decoding for input topics whose format is not `driftd` (`kafka.input_topics`
/// with `format:`): turns a consumed batch's messages into driftd events with an
/// `InputTranscoder` and counts the join outcomes in metrics.
final class InputFormatStage {
    private let transcoder: InputTranscoder
    private let metrics: DaemonMetrics

    /// A stage for `kafka`'s formatted topics, or `nil` when every input topic is `driftd`.
    init?(kafka: KafkaSettings, models: [ModelConfiguration], maxEventBytes: Int, metrics: DaemonMetrics)
        throws(DaemonError)
    {
        guard !kafka.inputFormats.isEmpty else { return nil }
        do {
            transcoder = try InputTranscoder(
                topics: kafka.inputFormats, mappings: Self.mappings(models), maxBytes: maxEventBytes,
                joinTTL: kafka.joinTTL, joinMaxPending: kafka.joinMaxPending)
        } catch {
            throw DaemonError(.decoderSetup, "cannot set up the input formats: \(error)", cause: error)
        }
        self.metrics = metrics
    }

    /// Takes the tensor mappings of reloaded models.
    func update(models: [ModelConfiguration]) {
        transcoder.setMappings(Self.mappings(models))
    }

    /// The driftd events of `batch`'s messages at `indexes`; `TranscodedBatch.Entry.message` is
    /// an index into `batch`, and so are the rejects' `messageIndex`.
    func transcode(_ batch: KafkaMessageBatch, indexes: [Int], nowMillis now: Int64) -> TranscodedBatch {
        var out = TranscodedBatch()
        out.entries.reserveCapacity(indexes.count)
        for i in indexes {
            let topic = batch.topic(at: i)
            let format = transcoder.format(of: topic)
            let usesHeaders = format == .cloudevents || format == .kserveLogger
            transcoder.add(
                message: i, topic: topic, payload: batch.payload(at: i), key: batch.key(at: i),
                header: { name in usesHeaders ? batch.lastHeader(named: name, at: i) : nil },
                timestampMs: batch.timestampMillis(at: i) ?? now, now: WallClockTime(millisecondsSinceEpoch: now),
                into: &out)
        }
        transcoder.expire(now: WallClockTime(millisecondsSinceEpoch: now), into: &out)
        for (key, count) in out.unmatched {
            metrics.joinUnmatched(topic: key.topic, half: key.half, reason: key.reason, count: count)
        }
        metrics.joinPending(out.pendingHalves)
        return out
    }

    private static func mappings(_ models: [ModelConfiguration]) -> [String: TensorMapping] {
        var result: [String: TensorMapping] = [:]
        for model in models {
            if let tensors = model.tensors, result[model.model] == nil { result[model.model] = tensors }
        }
        return result
    }
}
