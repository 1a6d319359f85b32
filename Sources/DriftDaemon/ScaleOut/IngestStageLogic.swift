import DriftConfig
import DriftCore
import DriftDecode
import DriftKafka
import Foundation
import Logging

/// The ingest stage of scale-out: decodes input events, bins them per (model, input partition)
/// into partial panes (`PartitionIngest`) and publishes them to the internal topic keyed by the
/// model's baseline id; rejects go to the dead-letter topic (docs/architecture.md, "Scale-out").
final class IngestStageLogic: ScaleOutStageLogic {
    let stageName = "ingest"
    private let models: [PartitionIngest.Model]
    private let modelIndex: [String: Int]
    private let modelNames: [ModelVersion]
    private let schemas: [ModelSchema]
    private let decoder: ParallelEventDecoder
    private let settings: ScaleOutSettings
    private let internalTopic: String
    private let maxFutureSkewMillis: Int64?
    private let factory: RecordFactory
    private let metrics: DaemonMetrics
    private let logger: Logger
    private var partitions: [TopicPartition: PartitionIngest] = [:]
    /// Idle handling (`scale_out.idle_timeout`): since when each partition has had nothing to read,
    /// when its watermark was last moved, and the partials of such moves saved but not yet published.
    private var caughtUpSince: [TopicPartition: Int64] = [:]
    private var lastIdleAdvance: [TopicPartition: Int64] = [:]
    private var outbox: [TopicPartition: [[UInt8]]] = [:]
    private var rejectLog = RateLimitedLog()
    /// Applied totals are the evaluator's (events merged into windows); ingest reports none.
    let appliedTotals: [ModelVersion: Int64] = [:]

    init(configuration: DaemonConfiguration, factory: RecordFactory, metrics: DaemonMetrics, logger: Logger)
        throws(DaemonError)
    {
        var monitors: [ModelMonitor] = []
        do {
            for model in configuration.models {
                monitors.append(
                    try ModelMonitor(
                        baseline: model.baseline, window: model.window,
                        rule: { feature in
                            feature.map { model.rule(forFeature: $0) } ?? model.predictionRule ?? model.defaultRule
                        },
                        retrain: model.retrain, budget: model.falseAlerts))
            }
        } catch {
            throw DaemonError(.baselineRejected, "\(error)")
        }
        var models: [PartitionIngest.Model] = []
        for monitor in monitors {
            guard let model = PartitionIngest.Model(monitor: monitor) else {
                throw DaemonError(
                    .baselineRejected,
                    "model \(monitor.baseline.model): scale-out needs an event-time window (window.duration)")
            }
            models.append(model)
        }
        self.models = models
        self.modelNames = monitors.map { ModelVersion(model: $0.baseline.model, version: $0.baseline.version) }
        self.schemas = monitors.map(\.schema)
        self.modelIndex = Dictionary(models.enumerated().map { ($1.baselineID, $0) }, uniquingKeysWith: { a, _ in a })
        do {
            let registry = try SchemaRegistry(schemas: monitors.map(\.schema))
            self.decoder = try ParallelEventDecoder(
                registry: registry, options: DecoderOptions(maxEventBytes: configuration.limits.maxEventBytes),
                workers: max(1, configuration.limits.effectiveDecodeThreads))
        } catch {
            throw DaemonError(.decoderSetup, "\(error)")
        }
        self.settings = configuration.scaleOut
        self.internalTopic = configuration.scaleOut.internalTopic
        self.maxFutureSkewMillis = configuration.limits.maxFutureSkew.wholeMilliseconds
        self.factory = factory
        self.metrics = metrics
        self.logger = logger
    }

    /// What is checkpointed per input partition: the accumulator state and the partials of an idle
    /// move not yet acknowledged (published again after a restore; the evaluator drops repeats).
    struct SavedPartition: Codable {
        var ingest: PartitionIngest.State
        var outbox: [[UInt8]]?
    }

    func assign(_ p: TopicPartition, saved: Data?) {
        var state = PartitionIngest.State()
        outbox[p] = nil
        if let saved {
            if let decoded = try? JSONDecoder().decode(SavedPartition.self, from: saved) {
                state = decoded.ingest
                if let pending = decoded.outbox, !pending.isEmpty { outbox[p] = pending }
            } else if let decoded = try? JSONDecoder().decode(PartitionIngest.State.self, from: saved) {
                state = decoded  // saved before idle moves existed
            }
        }
        partitions[p] = PartitionIngest(
            topic: p.topic, partition: p.partition, models: models,
            allowedLateness: settings.allowedLateness,
            flushEvents: settings.flushEvents, state: state)
        caughtUpSince[p] = nil
    }

    func release(_ p: TopicPartition) {
        partitions[p] = nil
        outbox[p] = nil
        caughtUpSince[p] = nil
        lastIdleAdvance[p] = nil
    }

    func save(_ p: TopicPartition) -> Data {
        let saved = SavedPartition(ingest: partitions[p]?.state ?? PartitionIngest.State(), outbox: outbox[p])
        return (try? JSONEncoder().encode(saved)) ?? Data()
    }

    var watchesIdle: Bool { settings.idleTimeout != nil }

    /// The latest event time this instance knows of its input partitions (the target of an idle move).
    private var latestKnownMillis: Int64? {
        partitions.values.compactMap(\.state.maxEventMillis).max()
    }

    /// Partitions caught up for `idle_timeout` (and not moved within it) whose watermark the
    /// latest known event time would move.
    private func idlePartitions(nowMillis now: Int64) -> [TopicPartition] {
        guard let timeout = settings.idleTimeout?.wholeMilliseconds, let latest = latestKnownMillis else { return [] }
        var due: [TopicPartition] = []
        for (p, since) in caughtUpSince where now - since >= timeout {
            if let last = lastIdleAdvance[p], now - last < timeout { continue }
            guard var probe = partitions[p] else { continue }
            if !probe.advanceIdle(to: EventTime(millisecondsSinceEpoch: latest)).isEmpty { due.append(p) }
        }
        return due.sorted()
    }

    func idleDue(nowMillis now: Int64, caughtUp: Set<TopicPartition>) -> Bool {
        for p in caughtUpSince.keys where !caughtUp.contains(p) { caughtUpSince[p] = nil }
        for p in caughtUp where caughtUpSince[p] == nil && partitions[p] != nil { caughtUpSince[p] = now }
        return !idlePartitions(nowMillis: now).isEmpty
    }

    func prepareCheckpoint(nowMillis now: Int64) {
        guard let latest = latestKnownMillis else { return }
        for p in idlePartitions(nowMillis: now) {
            guard var ingest = partitions[p] else { continue }
            let partials = ingest.advanceIdle(to: EventTime(millisecondsSinceEpoch: latest))
            partitions[p] = ingest
            lastIdleAdvance[p] = now
            guard !partials.isEmpty else { continue }
            outbox[p, default: []] += partials.map(\.encoded)
            metrics.idleAdvance(topic: p.topic)
            logger.info(
                "idle input partition: watermark moved to the latest event time known",
                metadata: [
                    "partition": "\(p)", "event_time": "\(RFC3339.format(millis: latest))",
                    "partials": "\(partials.count)"
                ])
        }
    }

    func takeOutbox() -> [OutboundRecord] {
        guard !outbox.isEmpty else { return [] }
        var out: [OutboundRecord] = []
        for p in outbox.keys.sorted() {
            for value in outbox[p] ?? [] {
                // The key is the baseline id, as for every partial (decoded back from the record).
                let key = PartialPane(decoding: value).map { Array($0.baselineID.utf8) }
                out.append(OutboundRecord(kind: .partialPane, topic: internalTopic, key: key, value: value))
            }
        }
        outbox.removeAll()
        return out
    }

    func handle(_ batch: KafkaMessageBatch, nowMillis now: Int64) -> [OutboundRecord] {
        for (topic, count) in batch.messageCountsByTopic() { metrics.consumed(topic: topic, count: count) }
        let decoded = decoder.decode(count: batch.count) { i in
            EventPayload(bytes: batch.payload(at: i), fallbackTimestampMs: batch.timestampMillis(at: i) ?? now)
        }
        var out: [OutboundRecord] = []
        var rejects = decoded.rejects.map(RejectedEvent.init)
        let limit = maxFutureSkewMillis.map { now + $0 }
        // Rows per input partition, in offset order.
        var rows: [TopicPartition: [PartitionIngest.Row]] = [:]
        var batches = schemas.map { ColumnarBatch(schema: $0, capacity: 0) }
        for model in decoded.models {
            guard let m = modelIndex[model.columns.schema.baselineID] else { continue }
            batches[m] = model.columns
            for r in 0..<model.columns.rowCount {
                let i = model.messageIndexes[r]
                if let limit, model.columns.timestamps[r] > limit {
                    rejects.append(
                        RejectedEvent(
                            messageIndex: i, code: RejectedEvent.timestampOutOfRange, field: "timestamp",
                            message:
                                "event time \(RFC3339.format(millis: model.columns.timestamps[r])) is more than \(maxFutureSkewMillis ?? 0) ms ahead of the clock"
                        ))
                    continue
                }
                let p = TopicPartition(topic: batch.topic(at: i), partition: batch.partition(at: i))
                rows[p, default: []].append(PartitionIngest.Row(offset: batch.offset(at: i), model: m, row: r))
            }
        }
        for reject in rejects.sorted(by: { $0.messageIndex < $1.messageIndex }) {
            let i = reject.messageIndex
            metrics.rejected(reason: reject.code)
            rejectLog.log(
                logger, level: .warning, "event rejected: \(reject.code): \(reject.message)",
                now: WallClockTime(millisecondsSinceEpoch: now))
            out.append(
                factory.deadLetter(
                    for: reject, payload: batch.payload(at: i), key: batch.keyBytes(at: i), topic: batch.topic(at: i),
                    partition: batch.partition(at: i), offset: batch.offset(at: i), rejectedAtMillis: now))
        }
        for (p, list) in rows.sorted(by: { $0.key < $1.key }) {
            caughtUpSince[p] = nil
            guard var ingest = partitions[p] else { continue }
            let ordered = list.sorted { $0.offset < $1.offset }
            for partial in ingest.ingest(ordered, batches: batches) {
                out.append(
                    OutboundRecord(
                        kind: .partialPane, topic: internalTopic, key: Array(partial.baselineID.utf8),
                        value: partial.encoded))
            }
            partitions[p] = ingest
            for (m, name) in modelNames.enumerated() {
                let count = list.reduce(0) { $0 + ($1.model == m ? 1 : 0) }
                if count > 0 { metrics.processed(name, count: count) }
            }
        }
        return out
    }
}
