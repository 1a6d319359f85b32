import DriftConfig
import DriftCore
import DriftDecode

/// Decodes input messages and feeds each model's monitor: the part of the daemon shared by
/// `driftd run` (messages from Kafka) and `driftd replay` (lines of a file).
///
/// Not thread-safe: one processor per consuming thread (it owns a simdjson parser).
public final class EventProcessor: @unchecked Sendable {
    /// One monitor per configured model, in configuration order.
    public private(set) var monitors: [ModelMonitor]
    private let decoder: InferenceEventDecoder
    private let monitorIndex: [String: Int]
    /// Per monitor: the latest event time applied and the clock reading when it was applied.
    private var lastSeen: [Int: (eventMillis: Int64, clockMillis: Int64)] = [:]
    /// Events stamped later than `now + maxFutureSkewMillis` are rejected (nil: no limit, for replay).
    public let maxFutureSkewMillis: Int64?

    /// - Parameters:
    ///   - models: the configured models (baselines, windows, rules).
    ///   - maxEventBytes: size limit of one event.
    ///   - maxFutureSkewMillis: reject events this far ahead of the wall clock; nil disables the check.
    public init(models: [ModelConfiguration], maxEventBytes: Int, maxFutureSkewMillis: Int64?) throws(DaemonError) {
        var monitors: [ModelMonitor] = []
        do {
            for model in models {
                monitors.append(try ModelMonitor(
                    baseline: model.baseline, window: model.window,
                    rule: { feature in feature.map { model.rule(forFeature: $0) } ?? model.predictionRule ?? model.defaultRule },
                    retrain: model.retrain))
            }
        } catch {
            throw DaemonError(.baselineRejected, "\(error)")
        }
        var index: [String: Int] = [:]
        for (i, monitor) in monitors.enumerated() { index[monitor.baseline.id] = i }
        do {
            let registry = try SchemaRegistry(schemas: monitors.map(\.schema))
            self.decoder = try InferenceEventDecoder(registry: registry, options: DecoderOptions(maxEventBytes: maxEventBytes))
        } catch {
            throw DaemonError(.decoderSetup, "\(error)")
        }
        self.monitors = monitors
        self.monitorIndex = index
        self.maxFutureSkewMillis = maxFutureSkewMillis
    }

    /// Decodes `count` messages and applies them to the windows.
    ///
    /// - Parameters:
    ///   - nowMillis: wall clock, for the future-timestamp check.
    ///   - payload: message `i`'s bytes and fallback timestamp.
    public func process(count: Int, nowMillis: Int64, payload: (Int) -> EventPayload) -> ProcessingResult {
        let decoded = decoder.decode(count: count, payload: payload)
        var result = ProcessingResult()
        result.rejects = decoded.rejects.map(RejectedEvent.init)
        result.unknownFeatureValues = decoded.unknownFeatures.reduce(0) { $0 + $1.count } + decoded.unknownFeatureOverflow
        result.versionFallbacks = decoded.versionFallbackCount
        let limit = maxFutureSkewMillis.map { nowMillis + $0 }
        for model in decoded.models {
            guard let m = monitorIndex[model.columns.schema.baselineID] else { continue }
            var batch = model.columns
            if let limit, batch.timestamps.contains(where: { $0 > limit }) {
                batch = dropFutureRows(model, limit: limit, rejects: &result.rejects)
            }
            result.appliedPerModel[monitors[m].baseline.model, default: 0] += batch.rowCount
            result.outputs += monitors[m].ingest(batch)
            if let latest = batch.timestamps.max(), latest > (lastSeen[m]?.eventMillis ?? .min) {
                lastSeen[m] = (latest, nowMillis)
            }
        }
        result.rejects.sort { $0.messageIndex < $1.messageIndex }
        return result
    }

    /// Slides the time windows of models whose events stopped, by estimated event time: the
    /// latest event time applied plus the clock time elapsed since. A daemon catching up on old
    /// events (a backfill) keeps receiving them, so its windows are not pushed to the present.
    public func advance(clockMillis nowMillis: Int64) -> [MonitorOutput] {
        var outputs: [MonitorOutput] = []
        for (m, seen) in lastSeen.sorted(by: { $0.key < $1.key }) {
            outputs += monitors[m].advance(toMillis: seen.eventMillis + max(0, nowMillis - seen.clockMillis))
        }
        return outputs
    }

    /// Events dropped as too late for their window, per model.
    public var lateEvents: [String: Int] {
        Dictionary(monitors.map { ($0.baseline.model, $0.window.lateEvents) }, uniquingKeysWith: +)
    }

    // MARK: - State

    /// Monitor states keyed by baseline id.
    public var state: [String: ModelMonitor.State] {
        Dictionary(monitors.map { ($0.baseline.id, $0.state) }, uniquingKeysWith: { a, _ in a })
    }

    /// Restores monitor states; returns the baseline ids restored (others start empty).
    @discardableResult
    public func restore(_ states: [String: ModelMonitor.State]) -> [String] {
        var restored: [String] = []
        for m in monitors.indices {
            if let s = states[monitors[m].baseline.id], monitors[m].restore(s) { restored.append(monitors[m].baseline.id) }
        }
        return restored
    }

    // MARK: - Helpers

    private func dropFutureRows(_ model: DecodedModelBatch, limit: Int64, rejects: inout [RejectedEvent]) -> ColumnarBatch {
        let source = model.columns
        var kept = ColumnarBatch(schema: source.schema, capacity: source.rowCount)
        var row = [Double](repeating: 0, count: source.features.count)
        for r in 0 ..< source.rowCount {
            if source.timestamps[r] > limit {
                rejects.append(RejectedEvent(
                    messageIndex: model.messageIndexes[r], code: "timestamp_out_of_range", field: "timestamp",
                    message: "event time \(RFC3339.format(millis: source.timestamps[r])) is more than \(maxFutureSkewMillis ?? 0) ms ahead of the clock"))
                continue
            }
            for c in row.indices { row[c] = source.features[c][r] }
            kept.append(timestamp: source.timestamps[r], values: row, prediction: source.predictions[r])
        }
        return kept
    }
}
