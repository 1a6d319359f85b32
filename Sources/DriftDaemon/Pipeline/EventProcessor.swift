import DriftConfig
import DriftCore
import DriftDecode

/// Decodes input messages and feeds each model's monitor: the part of the daemon shared by
/// `driftd run` (messages from Kafka) and `driftd replay` (lines of a file).
///
/// Models with accuracy tracking (`ModelConfiguration.accuracy.enabled`) also get an
/// `AccuracyMonitor`: the rows applied to their window are held by event id, and label
/// events (`processLabels`, `applyLabels`) are joined to them (docs/accuracy.md).
///
/// Not thread-safe: one processor per consuming thread (it owns simdjson parsers).
public final class EventProcessor: @unchecked Sendable {
    /// The `model` under which `ProcessingResult.labels` counts labels of models whose accuracy
    /// is not tracked (unknown models, or accuracy off): their names are not used as metric labels.
    public static let untrackedModel = "_untracked"

    /// One monitor per configured model, in configuration order.
    public private(set) var monitors: [ModelMonitor]
    /// Latency and cost monitors, one per monitor (same order).
    public private(set) var servingMonitors: [ServingMonitor]
    /// Accuracy monitors of the models that track accuracy, in configuration order.
    public private(set) var accuracyMonitors: [AccuracyMonitor]
    private let decoder: ParallelEventDecoder
    private let labelDecoder: LabelEventDecoder
    private let monitorIndex: [String: Int]
    /// Monitor index -> index into `accuracyMonitors`.
    private let accuracyByMonitor: [Int: Int]
    /// Model name -> indexes into `accuracyMonitors`, one per version tracking accuracy, in
    /// configuration order (a label names a model only: it joins the version holding its id).
    private let accuracyByModel: [String: [Int]]
    /// Index into `accuracyMonitors` -> monitor index (for performance retrain requests).
    private let monitorByAccuracy: [Int]
    /// Per accuracy monitor: the drop counts already reported in a `ProcessingResult`.
    private var reportedDrops: [PredictionStore.Drops]
    /// Per monitor: the latest event time applied and the clock reading when it was applied.
    private var lastSeen: [Int: (event: EventTime, clock: WallClockTime)] = [:]
    /// Events stamped later than the wall clock plus this are rejected (nil: no limit, for replay).
    public let maxFutureSkew: Duration?
    /// Unknown versions, idle retirement and canaries.
    public let versions: VersionPolicy
    /// The configured model versions (to start a retired version afresh).
    private let configurations: [ModelConfiguration]
    /// Per model, its configured versions in configuration order (for `nearest_older`).
    private let versionsByModel: [String: [String]]
    /// Versions retired since the last `takeRetired()`.
    private var retiredPending: [RetiredVersion] = []
    /// Canary comparisons (`versions.canaries`), in configuration order.
    public private(set) var canaries: [CanaryComparison] = []
    /// Per canary: the monitor indexes of its incumbent and candidate.
    private var canaryMonitors: [(incumbent: Int, candidate: Int)] = []
    /// Per monitor: the canaries it takes part in, and as which arm.
    private var canaryArms: [Int: [(canary: Int, arm: CanaryComparison.Arm)]] = [:]

    /// - Parameters:
    ///   - models: the configured models (baselines, windows, rules).
    ///   - maxEventBytes: size limit of one event.
    ///   - maxFutureSkew: reject events this far ahead of the wall clock; nil disables the check.
    ///   - decodeWorkers: threads that decode one batch (`ParallelEventDecoder`); 1 decodes on the
    ///     calling thread. Results do not depend on it.
    ///   - versions: unknown-version rule, idle retirement and canaries (`versions:`).
    public init(
        models: [ModelConfiguration], maxEventBytes: Int, maxFutureSkew: Duration?, decodeWorkers: Int = 1,
        versions: VersionPolicy = VersionPolicy()
    ) throws(DaemonError) {
        var monitors: [ModelMonitor] = []
        do {
            for model in models { monitors.append(try Self.makeMonitor(model)) }
        } catch {
            throw DaemonError(.baselineRejected, "\(error)")
        }
        var index: [String: Int] = [:]
        for (i, monitor) in monitors.enumerated() { index[monitor.baseline.id] = i }
        var accuracyMonitors: [AccuracyMonitor] = []
        var accuracyByMonitor: [Int: Int] = [:]
        var accuracyByModel: [String: [Int]] = [:]
        for (m, model) in models.enumerated() where model.accuracy.enabled {
            do {
                accuracyMonitors.append(try AccuracyMonitor(baseline: model.baseline, rule: model.accuracy))
            } catch {
                throw DaemonError(.baselineRejected, "\(error)")
            }
            accuracyByMonitor[m] = accuracyMonitors.count - 1
            accuracyByModel[model.model, default: []].append(accuracyMonitors.count - 1)
        }
        do {
            let registry = try SchemaRegistry(
                schemas: monitors.map(\.schema), allowsVersionFallback: versions.unknownVersion == .latest)
            self.decoder = try ParallelEventDecoder(
                registry: registry,
                options: DecoderOptions(maxEventBytes: maxEventBytes, captureIDs: !accuracyMonitors.isEmpty),
                workers: max(1, decodeWorkers))
            self.labelDecoder = try LabelEventDecoder(options: DecoderOptions(maxEventBytes: maxEventBytes))
        } catch {
            throw DaemonError(.decoderSetup, "\(error)")
        }
        self.monitors = monitors
        self.servingMonitors = zip(models, monitors).map { model, monitor in
            ServingMonitor(
                model: monitor.baseline.model, version: monitor.baseline.version, baselineID: monitor.baseline.id,
                window: model.window, rule: model.serving)
        }
        self.monitorIndex = index
        self.accuracyMonitors = accuracyMonitors
        self.accuracyByMonitor = accuracyByMonitor
        self.accuracyByModel = accuracyByModel
        self.monitorByAccuracy = accuracyByMonitor.sorted { $0.value < $1.value }.map(\.key)
        self.reportedDrops = accuracyMonitors.map { _ in PredictionStore.Drops() }
        self.maxFutureSkew = maxFutureSkew
        self.versions = versions
        self.configurations = models
        var byModel: [String: [String]] = [:]
        for model in models { byModel[model.model, default: []].append(model.baseline.version) }
        self.versionsByModel = byModel
        for rule in versions.canaries {
            guard
                let i = monitors.firstIndex(where: {
                    $0.baseline.model == rule.model && $0.baseline.version == rule.incumbent
                }),
                let c = monitors.firstIndex(where: {
                    $0.baseline.model == rule.model && $0.baseline.version == rule.candidate
                })
            else {
                throw DaemonError(
                    .baselineRejected,
                    "canary of model \(rule.model): version \(rule.incumbent) or \(rule.candidate) has no baseline")
            }
            do {
                canaries.append(
                    try CanaryComparison(rule: rule, incumbent: monitors[i].baseline, candidate: monitors[c].baseline))
            } catch {
                throw DaemonError(.baselineRejected, "\(error)")
            }
            canaryMonitors.append((i, c))
            canaryArms[i, default: []].append((canaries.count - 1, .incumbent))
            canaryArms[c, default: []].append((canaries.count - 1, .candidate))
        }
    }

    private static func makeMonitor(_ model: ModelConfiguration) throws -> ModelMonitor {
        try ModelMonitor(
            baseline: model.baseline, window: model.window,
            rule: { feature in feature.map { model.rule(forFeature: $0) } ?? model.predictionRule ?? model.defaultRule
            },
            retrain: model.retrain, budget: model.falseAlerts)
    }

    /// Decodes `count` messages and applies them to the windows.
    ///
    /// - Parameters:
    ///   - now: wall clock, for the future-timestamp check.
    ///   - admit: whether a decoded event of a baseline (by id) from message `i` is applied; nil
    ///     applies all. The pipeline uses it to skip events a restored checkpoint already holds.
    ///     Events it refuses are counted in `skipped`, neither applied nor rejected.
    ///   - payload: message `i`'s bytes and fallback timestamp.
    public func process(
        count: Int, now: WallClockTime, admit: ((_ baselineID: String, _ messageIndex: Int) -> Bool)? = nil,
        payload: (Int) -> EventPayload
    ) -> ProcessingResult {
        var decoded = decoder.decode(count: count, payload: payload)
        if versions.unknownVersion == .nearestOlder,
            decoded.rejects.contains(where: { $0.error.code == .unknownVersion })
        {
            routeToNearestOlder(&decoded, payload: payload)
        }
        var result = ProcessingResult()
        result.rejects = decoded.rejects.map(RejectedEvent.init)
        result.unknownFeatureValues =
            decoded.unknownFeatures.reduce(0) { $0 + $1.count } + decoded.unknownFeatureOverflow
        result.versionFallbacks = decoded.versionFallbackCount
        let limit = maxFutureSkew.map { (EventTime(sameInstantAs: now) + $0).millisecondsSinceEpoch }
        var touchedCanaries = Set<Int>()
        for model in decoded.models {
            guard let m = monitorIndex[model.columns.schema.baselineID] else { continue }
            let baselineID = model.columns.schema.baselineID
            var model = model
            if let admit, model.messageIndexes.contains(where: { !admit(baselineID, $0) }) {
                let before = model.columns.rowCount
                model = keepRows(of: model) { r, _ in admit(baselineID, model.messageIndexes[r]) }
                result.skipped += before - model.columns.rowCount
            }
            if let limit, model.columns.timestamps.contains(where: { $0 > limit }) {
                model = keepRows(of: model) { r, source in
                    guard source.timestamps[r] > limit else { return true }
                    result.rejects.append(
                        RejectedEvent(
                            messageIndex: model.messageIndexes[r], code: RejectedEvent.timestampOutOfRange,
                            field: "timestamp",
                            message:
                                "event time \(RFC3339.format(millis: source.timestamps[r])) is more than \((maxFutureSkew ?? .zero).wholeMilliseconds) ms ahead of the clock"
                        ))
                    return false
                }
            }
            let batch = model.columns
            let ids = model.eventIDs
            result.appliedPerModel[monitors[m].baseline.model, default: 0] += batch.rowCount
            if batch.rowCount > 0 { result.appliedPerVersion[key(m), default: 0] += batch.rowCount }
            if batch.rowCount > 0 { result.appliedMessages[baselineID, default: []] += model.messageIndexes }
            result.outputs += monitors[m].ingest(batch)
            if batch.rowCount > 0 { applyServing(m, model, into: &result) }
            for (c, arm) in canaryArms[m] ?? [] where batch.rowCount > 0 {
                canaries[c].ingest(arm, batch: batch, latencies: model.latencies)
                touchedCanaries.insert(c)
            }
            if let a = accuracyByMonitor[m], let ids {
                // Held after the window has the rows, so a label never sees a prediction the window lacks.
                accuracyMonitors[a].record(batch, ids: ids)
                for estimate in accuracyMonitors[a].takeEstimates() {
                    result.estimates.append(
                        EstimateUpdate(
                            model: accuracyMonitors[a].model, version: accuracyMonitors[a].version, estimate: estimate))
                }
                let estimated = accuracyMonitors[a].takeEstimatedOutputs()
                if !estimated.alerts.isEmpty {
                    let attribution = monitors[m].predictionAttribution
                    for var alert in estimated.alerts {
                        alert.attribution = attribution
                        result.outputs.append(.alert(alert))
                    }
                }
                for request in estimated.retrain {
                    if let payload = monitors[m].requestRetrain(request) { result.outputs.append(.retrain(payload)) }
                }
                reportStore(a, into: &result)
            }
            if let latest = batch.timestamps.max().map(EventTime.init(millisecondsSinceEpoch:)),
                latest > (lastSeen[m]?.event ?? .distantPast)
            {
                lastSeen[m] = (latest, now)
            }
        }
        result.rejects.sort { $0.messageIndex < $1.messageIndex }
        if !canaries.isEmpty, !result.rejects.isEmpty {
            countCanaryRejects(result.rejects, payload: payload, touched: &touchedCanaries)
        }
        for c in touchedCanaries.sorted() {
            // The latest event time of either version: panes close on the event time of both.
            let (i, k) = canaryMonitors[c]
            guard let watermark = [lastSeen[i]?.event, lastSeen[k]?.event].compactMap({ $0 }).max(),
                let decision = canaries[c].advance(to: watermark)
            else { continue }
            result.outputs.append(.canary(decision))
        }
        if let watermark = latestEventTime { retireIdle(at: watermark, estimated: nil) }
        return result
    }

    /// Counts rejected events of canary versions (their `model` and `version` read from the
    /// message; no version: the model's default) in the pane of the comparison's latest event time.
    private func countCanaryRejects(_ rejects: [RejectedEvent], payload: (Int) -> EventPayload, touched: inout Set<Int>)
    {
        var counts: [Int: [CanaryComparison.Arm: Int]] = [:]
        for reject in rejects {
            guard let fields = TopLevelFields(Array(payload(reject.messageIndex).bytes)), let model = fields.model,
                let version = fields.version ?? versionsByModel[model]?.last
            else { continue }
            for (c, canary) in canaries.enumerated() where canary.rule.model == model {
                if version == canary.rule.incumbent { counts[c, default: [:]][.incumbent, default: 0] += 1 }
                if version == canary.rule.candidate { counts[c, default: [:]][.candidate, default: 0] += 1 }
            }
        }
        for (c, arms) in counts.sorted(by: { $0.key < $1.key }) {
            let (i, k) = canaryMonitors[c]
            guard let at = [lastSeen[i]?.event, lastSeen[k]?.event].compactMap({ $0 }).max() else {
                continue
            }
            for (arm, n) in arms.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                canaries[c].recordRejects(arm, count: n, at: at)
            }
            touched.insert(c)
        }
    }

    /// The (model, version) of monitor `m`.
    private func key(_ m: Int) -> ModelVersion {
        ModelVersion(model: monitors[m].baseline.model, version: monitors[m].baseline.version)
    }

    // MARK: - Versions

    /// Re-decodes the events rejected as `unknown_version` under the baseline of the nearest
    /// older configured version (their `version` rewritten to it); counted as version fallbacks.
    /// Events with no older version stay rejected, with a reason saying so.
    private func routeToNearestOlder(_ decoded: inout DecodedBatch, payload: (Int) -> EventPayload) {
        var buffer: [UInt8] = []
        var ranges: [Range<Int>] = []
        var origins: [Int] = []
        var fallbackTimes: [Int64] = []
        var kept: [DecodeReject] = []
        for reject in decoded.rejects {
            guard reject.error.code == .unknownVersion else {
                kept.append(reject)
                continue
            }
            let original = payload(reject.messageIndex)
            let bytes = Array(original.bytes)
            guard let fields = TopLevelFields(bytes), let model = fields.model, let version = fields.version,
                let target = VersionOrder.nearestOlder(than: version, among: versionsByModel[model] ?? []),
                let rewritten = fields.replacingVersion(in: bytes, with: target)
            else {
                var reject = reject
                reject.error.message += "; no configured version is older (unknown_version: nearest_older)"
                kept.append(reject)
                continue
            }
            ranges.append(buffer.count..<buffer.count + rewritten.count)
            buffer += rewritten
            origins.append(reject.messageIndex)
            fallbackTimes.append(original.fallbackTimestampMs)
        }
        guard !origins.isEmpty else { return }
        let again = buffer.withUnsafeBytes { raw in
            decoder.decode(count: origins.count) { j in
                EventPayload(
                    bytes: UnsafeRawBufferPointer(rebasing: raw[ranges[j]]), fallbackTimestampMs: fallbackTimes[j])
            }
        }
        for var model in again.models {
            model.messageIndexes = model.messageIndexes.map { origins[$0] }
            model.versionFallbackCount = model.columns.rowCount
            decoded.models.append(model)
        }
        for var reject in again.rejects {
            reject.messageIndex = origins[reject.messageIndex]
            kept.append(reject)
        }
        decoded.unknownFeatures += again.unknownFeatures
        decoded.unknownFeatureOverflow += again.unknownFeatureOverflow
        decoded.rejects = kept
    }

    /// Retires every version whose last event is `versions.retireAfter` or more older
    /// than `watermark` (the latest event time seen, or the estimate of `advance`).
    private func retireIdle(at watermark: EventTime, estimated: EventTime?) {
        guard let idle = versions.retireAfter else { return }
        for (m, seen) in lastSeen.sorted(by: { $0.key < $1.key }) where watermark - seen.event >= idle {
            guard let fresh = try? Self.makeMonitor(configurations[m]) else { continue }
            monitors[m] = fresh
            let serving = servingMonitors[m]
            servingMonitors[m] = ServingMonitor(
                model: serving.model, version: serving.version, baselineID: serving.baselineID,
                window: serving.window.spec, rule: serving.rule)
            if let a = accuracyByMonitor[m],
                let restarted = try? AccuracyMonitor(
                    baseline: configurations[m].baseline, rule: configurations[m].accuracy)
            {
                accuracyMonitors[a] = restarted
                reportedDrops[a] = PredictionStore.Drops()
            }
            lastSeen[m] = nil
            retiredPending.append(
                RetiredVersion(
                    modelVersion: key(m), baselineID: monitors[m].baseline.id, lastEvent: seen.event,
                    retiredAt: estimated ?? watermark))
        }
    }

    /// The versions retired for idleness since the last call (by `process` or `advance`),
    /// oldest first. The caller unregisters their metric series and logs them.
    public func takeRetired() -> [RetiredVersion] {
        defer { retiredPending.removeAll() }
        return retiredPending
    }

    // MARK: - Labels

    /// Whether any model tracks accuracy (label events are joined only then).
    public var tracksAccuracy: Bool { !accuracyMonitors.isEmpty }

    /// The latest inference event time applied to any model; nil before any.
    public var latestEventTime: EventTime? { lastSeen.values.map(\.event).max() }

    /// Decodes `count` label messages and joins them to the held predictions.
    ///
    /// - Parameters:
    ///   - now: wall clock, for the future-timestamp check (as for inference events).
    ///   - payload: message `i`'s bytes and fallback timestamp.
    /// - Returns: Rejects (message indexes into this call's messages), label outcomes, accuracy
    ///   evaluations, and accuracy alerts in `outputs`.
    public func processLabels(count: Int, now: WallClockTime, payload: (Int) -> EventPayload) -> ProcessingResult {
        let decoded = labelDecoder.decode(count: count, payload: payload)
        var result = ProcessingResult()
        result.rejects = decoded.rejects.map(RejectedEvent.init)
        var labels = decoded.labels
        if let skew = maxFutureSkew {
            let limit = (EventTime(sameInstantAs: now) + skew).millisecondsSinceEpoch
            labels.removeAll { label in
                guard label.timestampMs > limit else { return false }
                result.rejects.append(
                    RejectedEvent(
                        messageIndex: label.messageIndex, code: RejectedEvent.timestampOutOfRange, field: "timestamp",
                        message:
                            "label time \(RFC3339.format(millis: label.timestampMs)) is more than \(skew.wholeMilliseconds) ms ahead of the clock"
                    ))
                return true
            }
        }
        join(labels, into: &result)
        result.rejects.sort { $0.messageIndex < $1.messageIndex }
        return result
    }

    /// Decodes label messages without joining them (replay decodes a whole file first to
    /// merge it with the inference events by time).
    /// - Parameters:
    ///   - messages: One JSON object per element.
    ///   - fallbackTimestampMs: Event time of messages without `timestamp`.
    /// - Returns: Labels and rejects, in message order.
    public func decodeLabels(messages: [[UInt8]], fallbackTimestampMs: Int64) -> DecodedLabels {
        labelDecoder.decode(messages: messages, fallbackTimestampMs: [fallbackTimestampMs])
    }

    /// Joins decoded labels, in the order given, to the held predictions.
    /// - Parameter labels: Label events.
    /// - Returns: Label outcomes, accuracy evaluations, and accuracy alerts in `outputs`.
    public func applyLabels(_ labels: [LabelEvent]) -> ProcessingResult {
        var result = ProcessingResult()
        join(labels, into: &result)
        return result
    }

    private func join(_ labels: [LabelEvent], into result: inout ProcessingResult) {
        var touched = Set<Int>()
        for label in labels {
            guard let candidates = accuracyByModel[label.model], var a = candidates.last else {
                result.labels[Self.untrackedModel, default: LabelCounts()].add(.unmatched)
                continue
            }
            // The version holding the labelled prediction (an unmatched id leaves every store as it was).
            var join = LabelJoin(outcome: .unmatched)
            for c in candidates {
                join = accuracyMonitors[c].join(
                    id: label.id, label: label.label, at: EventTime(millisecondsSinceEpoch: label.timestampMs))
                a = c
                if join.outcome != .unmatched { break }
            }
            result.labels[label.model, default: LabelCounts()].add(join.outcome, correct: join.correct ?? false)
            if join.outcome == .joined, let correct = join.correct {
                for (c, arm) in canaryArms[monitorByAccuracy[a]] ?? [] {
                    canaries[c].recordLabel(
                        arm, correct: correct, at: EventTime(millisecondsSinceEpoch: label.timestampMs))
                }
            }
            if let evaluation = join.evaluation {
                result.accuracy.append(
                    AccuracyUpdate(
                        model: label.model, evaluation: evaluation, version: accuracyMonitors[a].version))
            }
            if let alert = join.alert { result.outputs.append(.alert(alert)) }
            if !join.ruleAlerts.isEmpty {
                // Which features explain the move of the predictions, in the model's window now.
                let attribution = monitors[monitorByAccuracy[a]].predictionAttribution
                for var alert in join.ruleAlerts {
                    alert.attribution = attribution
                    result.outputs.append(.alert(alert))
                }
            }
            for request in join.retrain {
                // The model's retrain cooldown is shared with drift-share requests.
                if let payload = monitors[monitorByAccuracy[a]].requestRetrain(request) {
                    result.outputs.append(.retrain(payload))
                }
            }
            touched.insert(a)
        }
        for a in touched.sorted() { reportStore(a, into: &result) }
    }

    /// Adds an accuracy monitor's store size and its new drops to a result.
    private func reportStore(_ a: Int, into result: inout ProcessingResult) {
        let store = accuracyMonitors[a].store
        let model = ModelVersion(model: accuracyMonitors[a].model, version: accuracyMonitors[a].version)
        result.pendingPredictions[model] = store.pendingCount
        let now = store.drops
        let before = reportedDrops[a]
        var delta = PredictionStore.Drops()
        delta.evicted = now.evicted - before.evicted
        delta.expired = now.expired - before.expired
        delta.replaced = now.replaced - before.replaced
        if delta != PredictionStore.Drops() {
            var total = result.droppedPredictions[model] ?? PredictionStore.Drops()
            total.evicted += delta.evicted
            total.expired += delta.expired
            total.replaced += delta.replaced
            result.droppedPredictions[model] = total
        }
        reportedDrops[a] = now
    }

    /// Slides the time windows of models whose events stopped, by estimated event time: the
    /// latest event time applied plus the clock time elapsed since. A daemon catching up on old
    /// events (a backfill) keeps receiving them, so its windows are not pushed to the present.
    /// - Parameter now: The wall-clock time now.
    public func advance(clock now: WallClockTime) -> [MonitorOutput] {
        var outputs: [MonitorOutput] = []
        var latest: EventTime?
        for (m, seen) in lastSeen.sorted(by: { $0.key < $1.key }) {
            let estimated = EventTime.estimated(lastEvent: seen.event, seenAt: seen.clock, now: now)
            latest = max(latest ?? estimated, estimated)
            outputs += monitors[m].advance(to: estimated)
            outputs += servingMonitors[m].advance(to: estimated).alerts.map(MonitorOutput.alert)
        }
        if let latest { retireIdle(at: latest, estimated: latest) }
        return outputs
    }

    /// Events dropped as too late for their window, per model.
    public var lateEvents: [String: Int] {
        Dictionary(monitors.map { ($0.baseline.model, $0.window.lateEvents) }, uniquingKeysWith: +)
    }

    // MARK: - State

    /// Monitor states keyed by baseline id, each with its serving monitor's state (`serving`),
    /// so checkpoints, rollbacks and reloads carry the latency and cost windows with the drift window.
    public var state: [String: ModelMonitor.State] {
        var states: [String: ModelMonitor.State] = [:]
        for m in monitors.indices where states[monitors[m].baseline.id] == nil {
            var s = monitors[m].state
            s.serving = servingMonitors[m].state
            if let c = canaryArms[m]?.first(where: { $0.arm == .candidate })?.canary { s.canary = canaries[c].state }
            states[monitors[m].baseline.id] = s
        }
        return states
    }

    /// Restores monitor states; returns the baseline ids restored (others start empty). A
    /// restored monitor's serving monitor takes the state's `serving` when it fits (same window,
    /// sketch accuracy and number of objectives) and starts empty otherwise.
    @discardableResult
    public func restore(_ states: [String: ModelMonitor.State]) -> [String] {
        var restored: [String] = []
        for m in monitors.indices {
            guard let s = states[monitors[m].baseline.id], monitors[m].restore(s) else { continue }
            if let c = canaryArms[m]?.first(where: { $0.arm == .candidate })?.canary, let saved = s.canary {
                _ = canaries[c].restore(saved)
            }
            if !(s.serving.map { servingMonitors[m].restore($0) } ?? false) {
                let current = servingMonitors[m]
                servingMonitors[m] = ServingMonitor(
                    model: current.model, version: current.version, baselineID: current.baselineID,
                    window: current.window.spec, rule: current.rule)
            }
            restored.append(monitors[m].baseline.id)
        }
        return restored
    }

    /// Accuracy monitor states keyed by baseline id, each with its newest `maxPredictions`
    /// held predictions at most.
    /// - Parameter maxPredictions: Cap on saved predictions per model.
    /// - Returns: The states.
    public func accuracyState(maxPredictions: Int) -> [String: AccuracyMonitor.State] {
        Dictionary(
            accuracyMonitors.map { ($0.baselineID, $0.state(maxPredictions: maxPredictions)) },
            uniquingKeysWith: { a, _ in a })
    }

    /// Restores accuracy monitor states; returns the baseline ids whose window was restored
    /// (held predictions are restored for every matching baseline).
    /// - Parameter states: Saved states keyed by baseline id.
    /// - Returns: Baseline ids restored.
    @discardableResult
    public func restoreAccuracy(_ states: [String: AccuracyMonitor.State]) -> [String] {
        var restored: [String] = []
        for a in accuracyMonitors.indices {
            guard let s = states[accuracyMonitors[a].baselineID] else { continue }
            if accuracyMonitors[a].restore(s) { restored.append(accuracyMonitors[a].baselineID) }
            reportedDrops[a] = accuracyMonitors[a].store.drops
        }
        return restored
    }

    // MARK: - Serving

    /// Feeds a model batch's latencies and costs to the model's serving monitor.
    private func applyServing(_ m: Int, _ model: DecodedModelBatch, into result: inout ProcessingResult) {
        let output = servingMonitors[m].ingest(
            timestamps: model.columns.timestamps, latencies: model.latencies, costs: model.costs)
        result.outputs += output.alerts.map(MonitorOutput.alert)
        let serving = servingMonitors[m]
        let price = serving.rule.costPer1000Predictions.map { $0 / 1000 }
        var cost = 0.0
        for c in model.costs {
            if !c.isNaN { cost += c } else if let price { cost += price }
        }
        result.serving.append(
            ServingUpdate(
                model: serving.model, version: serving.version, costUnit: serving.rule.costUnit,
                latencies: model.latencies.filter { !$0.isNaN }, cost: cost, evaluation: output.evaluations.last))
    }

    // MARK: - Helpers

    /// The rows of `model` for which `keep(row, columns)` is true, with their ids and message indexes.
    private func keepRows(of model: DecodedModelBatch, where keep: (Int, ColumnarBatch) -> Bool) -> DecodedModelBatch {
        let source = model.columns
        var kept = ColumnarBatch(schema: source.schema, capacity: source.rowCount)
        var keptIDs: [String?]? = model.eventIDs.map { _ in [] }
        var keptIndexes: [Int] = []
        var keptLatencies: [Double] = []
        var keptCosts: [Double] = []
        var row = [Double](repeating: 0, count: source.features.count)
        for r in 0..<source.rowCount where keep(r, source) {
            for c in row.indices { row[c] = source.features[c][r] }
            kept.append(timestamp: source.timestamps[r], values: row, prediction: source.predictions[r])
            if let ids = model.eventIDs, r < ids.count { keptIDs?.append(ids[r]) }
            keptIndexes.append(model.messageIndexes[r])
            keptLatencies.append(r < model.latencies.count ? model.latencies[r] : .nan)
            keptCosts.append(r < model.costs.count ? model.costs[r] : .nan)
        }
        return DecodedModelBatch(
            columns: kept, eventIDs: keptIDs, messageIndexes: keptIndexes,
            versionFallbackCount: model.versionFallbackCount,
            latencies: keptLatencies, costs: keptCosts)
    }
}
