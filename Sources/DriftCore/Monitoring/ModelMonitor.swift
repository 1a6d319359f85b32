/// Watches one model: its window, the verdict on every column, alert and retrain decisions.
///
/// Pure and deterministic: feed it decoded batches; it returns what to publish. Time for
/// cooldowns is event time (the evaluated window's end), so a replay of a file makes the
/// same decisions as the live daemon did.
///
/// Numeric columns whose rule has `sequential` on also run a `SequentialDetectorBank` on every
/// value: an alarm fires the column's alert at the alarming event (method `page_hinkley`)
/// through the same `AlertStateMachine` series as the window evaluations; either can fire, only
/// the window evaluations resolve. The detectors restart after every alarm and on resolve.
/// Count windows: a batch is processed in slices that end where a pane closes, so alarms and
/// evaluations interleave in event order whatever the batch size. Time windows: the batch's
/// alarms come before the evaluations of the panes it closes.
public struct ModelMonitor: Sendable {
    /// The model's baseline.
    public let baseline: Baseline
    /// Schema derived from the baseline.
    public let schema: ModelSchema
    /// Rules per column, features in baseline order then the prediction.
    public let rules: [AlertRule]
    /// Retrain decision rule.
    public let retrainRule: RetrainRule

    /// The sliding window.
    public private(set) var window: SlidingWindow
    private var alerts: [AlertStateMachine]
    private var retrain = RetrainStateMachine()
    private let profiles: [FeatureProfile]
    private var sequential: [SequentialDetectorBank?]
    private let hasSequential: Bool

    /// Method name carried by alerts that a sequential detector fired.
    public static let sequentialMethod = "page_hinkley"

    /// - Parameters:
    ///   - rule: the rule for a feature name (`nil` for the prediction).
    public init(
        baseline: Baseline, window spec: WindowSpec, rule: (String?) -> AlertRule, retrain: RetrainRule
    ) throws(BaselineError) {
        self.baseline = baseline
        self.schema = try ModelSchema(baseline: baseline)
        self.profiles = baseline.features + (baseline.prediction.map { [$0] } ?? [])
        self.rules = baseline.features.map { rule($0.name) } + (baseline.prediction.map { _ in [rule(nil)] } ?? [])
        self.retrainRule = retrain
        self.window = SlidingWindow(schema: schema, spec: spec)
        self.alerts = Array(repeating: AlertStateMachine(), count: profiles.count)
        var banks: [SequentialDetectorBank?] = []
        for (profile, rule) in zip(profiles, rules) {
            guard rule.enabled, rule.sequential, profile.type == .numeric else {
                banks.append(nil)
                continue
            }
            // A profile without a usable mean and std (or a bad run length) gets no detectors.
            banks.append(try? SequentialDetectorBank(profile: profile, runLength: rule.sequentialRunLength))
        }
        self.sequential = banks
        self.hasSequential = banks.contains { $0 != nil }
    }

    /// Sequential detector banks per column (features in baseline order, then the prediction);
    /// `nil` where sequential detection is off, the column is categorical or has no usable
    /// baseline mean and standard deviation.
    public var sequentialDetectors: [SequentialDetectorBank?] { sequential }

    /// Whether column `c` is the prediction.
    private func isPrediction(_ c: Int) -> Bool { c >= baseline.features.count }

    // MARK: - Feeding

    /// Applies a batch of this model's events; evaluates every window that closed.
    public mutating func ingest(_ batch: ColumnarBatch) -> [MonitorOutput] {
        guard hasSequential else { return window.ingest(batch).flatMap { evaluate($0) } }
        let n = batch.rowCount
        var outputs: [MonitorOutput] = []
        var start = 0
        while start < n {
            var end = n
            if case .count(let events, let panes) = window.spec {
                let paneSize = max(1, events / max(1, panes))
                end = min(n, start + max(1, paneSize - window.pendingEvents))
            }
            outputs += detect(batch, rows: start ..< end)
            outputs += window.ingest(batch, rows: start ..< end).flatMap { evaluate($0) }
            start = end
        }
        return outputs
    }

    /// Runs the sequential detectors over `rows` column by column and feeds their alarms, in
    /// event order, to the alert series.
    private mutating func detect(_ batch: ColumnarBatch, rows: Range<Int>) -> [MonitorOutput] {
        var alarms: [(column: Int, alarm: SequentialDetectorBank.Alarm)] = []
        let featureCount = batch.features.count
        for c in sequential.indices where sequential[c] != nil {
            let column = c < featureCount ? batch.features[c] : batch.predictions
            guard column.count >= rows.upperBound, batch.timestamps.count >= rows.upperBound else { continue }
            guard let found = sequential[c]?.scan(column[rows], timestamps: batch.timestamps[rows]) else { continue }
            alarms += found.map { (c, $0) }
        }
        guard !alarms.isEmpty else { return [] }
        alarms.sort { ($0.alarm.row, $0.column) < ($1.alarm.row, $1.column) }
        var outputs: [MonitorOutput] = []
        for (c, alarm) in alarms {
            guard alerts[c].observeAlarm(rule: rules[c], nowMillis: alarm.endMillis) == .fire else { continue }
            outputs.append(.alert(sequentialAlertPayload(column: c, alarm: alarm)))
        }
        return outputs
    }

    /// Time windows: closes panes that ended before `nowMillis` (an idle stream still slides).
    public mutating func advance(toMillis nowMillis: Int64) -> [MonitorOutput] {
        window.advance(toMillis: nowMillis).flatMap { evaluate($0) }
    }

    /// Evaluates one window snapshot against the baseline and runs the alert policy.
    public mutating func evaluate(_ snapshot: WindowSnapshot) -> [MonitorOutput] {
        let layout = window.layout
        let now = snapshot.endMillis
        let eventWindow = EventWindow(snapshot)
        var outputs: [MonitorOutput] = []
        var columns: [EvaluationReport.ColumnReport] = []
        for c in profiles.indices where rules[c].enabled {
            let rule = rules[c]
            let counts = Array(snapshot.binCounts(column: c, layout: layout))
            let missing = snapshot.missing(column: c, layout: layout)
            let evaluation = FeatureEvaluator.evaluate(profile: profiles[c], counts: counts, missing: missing, rule: rule)
            let verdict = Self.verdict(evaluation, rule: rule)
            let transition = alerts[c].observe(verdict, rule: rule, nowMillis: now)
            if let transition {
                var payload = alertPayload(column: c, evaluation: evaluation, transition: transition, window: eventWindow)
                payload.evidence = DriftEvidence(profile: profiles[c], counts: counts, method: evaluation.method)
                if isPrediction(c) { payload.attribution = attribution(snapshot) }
                outputs.append(.alert(payload))
                if transition == .resolve { sequential[c]?.reset() }
            }
            columns.append(.init(
                evaluation: evaluation, target: isPrediction(c) ? "prediction" : "feature", firing: alerts[c].isFiring,
                counts: counts, missing: missing))
        }
        let monitored = profiles.indices.filter { !isPrediction($0) && rules[$0].enabled }
        let firing = monitored.filter { alerts[$0].isFiring }
        let share = monitored.isEmpty ? 0 : Double(firing.count) / Double(monitored.count)
        outputs.insert(.evaluation(EvaluationReport(
            model: baseline.model, version: baseline.version, window: eventWindow, windowEndMillis: now,
            columns: columns, firingShare: share)), at: 0)
        if retrain.observe(firingShare: share, rule: retrainRule, nowMillis: now) {
            let evidence = columns.filter { $0.firing && $0.target == "feature" }.map {
                RetrainPayload.Evidence(feature: $0.evaluation.feature, method: $0.evaluation.method,
                                        score: $0.evaluation.score, threshold: $0.evaluation.threshold, pValue: $0.evaluation.pValue)
            }
            let names = evidence.map(\.feature).joined(separator: ", ")
            outputs.append(.retrain(RetrainPayload(
                model: baseline.model, version: baseline.version, baselineID: baseline.id,
                reason: "\(firing.count) of \(monitored.count) features drifted (\(names)); share \(Self.percent(share)) >= \(Self.percent(retrainRule.driftShare))",
                driftShare: share, threshold: retrainRule.driftShare, evidence: evidence, dataRange: eventWindow)))
        }
        return outputs
    }

    /// Turns a performance rule's retrain request into a retrain event, unless the model's
    /// retrain rule is off or its cooldown (shared with drift-share requests) holds it back.
    /// `drift_share` is the share of monitored features firing now; `evidence` lists them.
    /// - Parameter request: The request (`LabelJoin.retrain`).
    /// - Returns: The retrain payload to publish, or nil.
    public mutating func requestRetrain(_ request: PerformanceRetrainRequest) -> RetrainPayload? {
        guard retrain.request(rule: retrainRule, nowMillis: request.atMillis) else { return nil }
        let monitored = profiles.indices.filter { !isPrediction($0) && rules[$0].enabled }
        let firing = monitored.filter { alerts[$0].isFiring }
        let share = monitored.isEmpty ? 0 : Double(firing.count) / Double(monitored.count)
        return RetrainPayload(
            model: baseline.model, version: baseline.version, baselineID: baseline.id, reason: request.reason,
            driftShare: share, threshold: retrainRule.driftShare, evidence: [], dataRange: request.dataRange,
            trigger: .performance, performance: request.evidence)
    }

    /// The features whose move explains the prediction shift in the current window
    /// (`PredictionAttribution`); nil before a pane closed or without per-bin prediction means.
    public var predictionAttribution: [FeatureAttribution]? { window.snapshot.flatMap { attribution($0) } }

    private func attribution(_ snapshot: WindowSnapshot) -> [FeatureAttribution]? {
        let features = baseline.features
        guard features.contains(where: { $0.predictionMeans != nil }) else { return nil }
        let counts = features.indices.map { Array(snapshot.binCounts(column: $0, layout: window.layout)) }
        return PredictionAttribution.rank(profiles: features, counts: counts)
    }

    // MARK: - Decisions

    /// Maps an evaluation onto the alert state machine's input, applying hysteresis.
    static func verdict(_ e: FeatureEvaluation, rule: AlertRule) -> AlertVerdict {
        switch e.status {
        case .insufficientData: return .noData
        case .drifted: return .drifted
        case .ok:
            let resolveAt = rule.resolveThreshold ?? 0.8 * e.threshold
            return e.score >= resolveAt ? .hold : .clear
        }
    }

    private func alertPayload(column c: Int, evaluation e: FeatureEvaluation, transition: AlertStateMachine.Transition, window: EventWindow) -> AlertPayload {
        let prediction = isPrediction(c)
        let target = prediction ? "prediction" : "feature"
        let feature: String? = prediction ? nil : profiles[c].name
        let fingerprint = Fingerprint.of(baseline.model, target, feature ?? "")
        return AlertPayload(
            model: baseline.model, version: baseline.version, feature: feature, target: target,
            status: transition == .fire ? .firing : .resolved, severity: rules[c].severity, method: e.method,
            score: e.score, threshold: e.threshold, pValue: e.pValue, window: window, baselineID: baseline.id,
            fingerprint: fingerprint, firedAt: RFC3339.format(millis: alerts[c].firedAtMillis ?? 0),
            missingShare: e.missingShare, unseenShare: e.unseenShare, outOfRangeShare: e.outOfRangeShare,
            reason: e.reason)
    }

    /// The firing alert of a sequential alarm: the detector's sum and threshold as score and
    /// threshold, the run since the estimated change point as the window, and the shares of the
    /// window as it stood (closed panes; zero before the first pane closed).
    private func sequentialAlertPayload(column c: Int, alarm: SequentialDetectorBank.Alarm) -> AlertPayload {
        let prediction = isPrediction(c)
        let target = prediction ? "prediction" : "feature"
        let feature: String? = prediction ? nil : profiles[c].name
        var missing = 0.0, outOfRange = 0.0
        var evidence: DriftEvidence?
        if let snapshot = window.snapshot {
            let counts = Array(snapshot.binCounts(column: c, layout: window.layout))
            let shares = FeatureEvaluator.evaluate(
                profile: profiles[c], counts: counts, missing: snapshot.missing(column: c, layout: window.layout), rule: rules[c])
            missing = shares.missingShare
            outOfRange = shares.outOfRangeShare
            evidence = DriftEvidence(profile: profiles[c], counts: counts, method: shares.method)
        }
        let bank = sequential[c]
        let direction = alarm.direction == .up ? "rose" : "fell"
        let reason = "mean \(direction) by about \(Self.decimal(abs(alarm.estimatedShift))) sd over the last "
            + "\(alarm.events) values (baseline mean \(Self.decimal(bank?.mean ?? 0)), sd \(Self.decimal(bank?.std ?? 0))); "
            + "Page-Hinkley detector for shifts of \(Self.decimal(2 * alarm.delta)) sd: sum \(Self.decimal(alarm.statistic)) "
            + "> threshold \(Self.decimal(alarm.threshold))"
        return AlertPayload(
            model: baseline.model, version: baseline.version, feature: feature, target: target,
            status: .firing, severity: rules[c].severity, method: Self.sequentialMethod,
            score: alarm.statistic, threshold: alarm.threshold, pValue: nil,
            window: EventWindow(
                start: RFC3339.format(millis: alarm.startMillis), end: RFC3339.format(millis: alarm.endMillis),
                events: alarm.events),
            baselineID: baseline.id, fingerprint: Fingerprint.of(baseline.model, target, feature ?? ""),
            firedAt: RFC3339.format(millis: alerts[c].firedAtMillis ?? alarm.endMillis),
            missingShare: missing, unseenShare: 0, outOfRangeShare: outOfRange, reason: reason, evidence: evidence,
            attribution: prediction ? predictionAttribution : nil)
    }

    private static func percent(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }

    /// `x` with two decimals (no locale, no Foundation formatting).
    private static func decimal(_ x: Double) -> String {
        guard x.isFinite else { return "\(x)" }
        let hundredths = Int((abs(x) * 100).rounded())
        let fraction = hundredths % 100
        return (x < 0 && hundredths > 0 ? "-" : "") + "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }

    // MARK: - Persistence

    /// Everything needed to resume after a restart.
    public struct State: Sendable, Codable, Equatable {
        public var baselineID: String
        public var window: SlidingWindow.State
        public var alerts: [AlertStateMachine]
        public var retrain: RetrainStateMachine
        /// Sequential detector banks per column; absent in state saved before they existed
        /// (restoring such state starts them fresh).
        public var sequential: [SequentialDetectorBank?]?
        /// Latency and cost windows and objective alerts of the same (model, version)
        /// (`ServingMonitor`, held beside this monitor by the daemon's `EventProcessor`, which fills
        /// it in); absent in state saved before it existed (restoring such state starts them fresh).
        public var serving: ServingMonitor.State? = nil
    }

    /// The state to persist.
    public var state: State {
        State(baselineID: baseline.id, window: window.state, alerts: alerts, retrain: retrain, sequential: sequential)
    }

    /// Restores persisted state; returns false (and keeps a fresh state) when it belongs to
    /// another baseline or does not fit. Sequential detectors are restored where their settings
    /// (standardisation, run length, thresholds) are unchanged and start fresh otherwise.
    public mutating func restore(_ state: State) -> Bool {
        guard state.baselineID == baseline.id, state.alerts.count == alerts.count,
              state.sequential.map({ $0.count == sequential.count }) ?? true,
              let restored = SlidingWindow(schema: schema, spec: window.spec, state: state.window)
        else { return false }
        window = restored
        alerts = state.alerts
        retrain = state.retrain
        if let saved = state.sequential {
            for c in sequential.indices {
                if let current = sequential[c], let old = saved[c], current.hasSameSettings(as: old) {
                    sequential[c] = old
                }
            }
        }
        return true
    }
}
