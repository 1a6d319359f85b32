/// Watches one model: its window, the verdict on every column, alert and retrain decisions.
///
/// Pure and deterministic: feed it decoded batches; it returns what to publish. Time for
/// cooldowns is event time (the evaluated window's end), so a replay of a file makes the
/// same decisions as the live daemon did.
///
/// **Two detectors per column, one budget.** Every monitored column has a `ColumnDetector`:
/// per-event CUSUMs (mean and scale of numeric columns, category shares, missing, unseen and
/// out-of-range shares) that decide *when* a change is established, and the sliding window's
/// test (effect size and significance, `FeatureEvaluator`) whose verdict users read in
/// evaluation reports and window alerts. Both feed the column's `AlertStateMachine`; either can
/// fire, only the window resolves. The model's `FalseAlertBudget` (default one false alert per
/// 30 days) is split equally over every detector lane whose column has no explicit
/// `sequentialRunLength` and every column's window test: each lane gets the run length
/// `shares · rate · period / alerts` at the event rate observed in event time (`EventRate`), each
/// window evaluation the significance level `alerts / shares / evaluations per period` (next to
/// the rule's `alpha`). The detectors also estimate how serially correlated each column's events
/// are; their design effect scales the detectors' thresholds and the window test's p-values.
///
/// Count windows: a batch is processed in slices that end where a pane closes, so alarms and
/// evaluations interleave in event order whatever the batch size. Time windows: the batch's
/// alarms come before the evaluations of the panes it closes.
///
/// **Retrain requests** need the window: a feature counts toward the retrain share only when its
/// alert is firing *and* the window evaluation at hand finds it drifted (effect size and
/// significance). Sequential alarms alone, true or false, never request a retrain.
public struct ModelMonitor: Sendable {
    /// The model's baseline.
    public let baseline: Baseline
    /// Schema derived from the baseline.
    public let schema: ModelSchema
    /// Rules per column, features in baseline order then the prediction.
    public let rules: [AlertRule]
    /// Retrain decision rule.
    public let retrainRule: RetrainRule
    /// The model's false-alert budget.
    public let budget: FalseAlertBudget

    /// The sliding window.
    public internal(set) var window: SlidingWindow
    var alerts: [AlertStateMachine]
    private var retrain = RetrainStateMachine()
    let profiles: [FeatureProfile]
    private var detectors: [ColumnDetector?]
    /// The model's event rate, as observed in event time.
    public internal(set) var eventRate = EventRate()
    /// Significance level of one window evaluation from the budget (the rule's `alpha` applies too).
    public private(set) var windowLevel: Double = 1
    /// Run length per detector lane from the budget at the observed rate, events.
    public private(set) var laneRunLength: Double = 0

    /// Method name carried by alerts that a sequential detector fired.
    public static let sequentialMethod = "cusum"

    /// - Parameters:
    ///   - rule: the rule for a feature name (`nil` for the prediction).
    ///   - budget: false alerts allowed per period for the whole model.
    public init(
        baseline: Baseline, window spec: WindowSpec, rule: (String?) -> AlertRule, retrain: RetrainRule,
        budget: FalseAlertBudget = .default
    ) throws(BaselineError) {
        self.baseline = baseline
        self.schema = try ModelSchema(baseline: baseline)
        self.profiles = baseline.features + (baseline.prediction.map { [$0] } ?? [])
        self.rules = baseline.features.map { rule($0.name) } + (baseline.prediction.map { _ in [rule(nil)] } ?? [])
        self.retrainRule = retrain
        self.budget = budget.isValid ? budget : .default
        self.window = SlidingWindow(schema: schema, spec: spec)
        self.alerts = Array(repeating: AlertStateMachine(), count: profiles.count)
        // Every enabled column gets detectors: alarming where `sequential` is on, otherwise
        // only estimating the dependence its window test needs.
        self.detectors = zip(profiles, rules).map { profile, rule in
            rule.enabled ? ColumnDetector(profile: profile, runLength: 1e6, alarming: rule.sequential) : nil
        }
        applyBudget()
    }

    /// Detectors per column (features in baseline order, then the prediction); `nil` where the
    /// column is disabled or has no usable baseline values. Non-alarming where `sequential` is off.
    public var sequentialDetectors: [ColumnDetector?] { detectors }

    /// Detectors that share the budget: alarming lanes of columns without an explicit run length,
    /// plus one window test per enabled column.
    public var budgetShares: Int {
        var shares = 0
        for c in profiles.indices where rules[c].enabled {
            shares += 1
            if let d = detectors[c], d.alarming, rules[c].sequentialRunLength == nil { shares += d.lanes.count }
        }
        return max(shares, 1)
    }

    /// Window evaluations per budget period at the observed rate.
    public var evaluationsPerPeriod: Double {
        let period = Double(budget.period.wholeMilliseconds)
        switch window.spec {
        case .count(let events, let panes):
            return eventRate.perMillisecond * period / Double(max(1, events / max(1, panes)))
        case .time(let duration, let panes):
            return period / Double(max(1, duration.wholeMilliseconds / Int64(max(1, panes))))
        }
    }

    /// Sets every lane's run length and the window level from the budget and the current rate.
    mutating func applyBudget() {
        let shares = budgetShares
        laneRunLength = budget.runLength(detectors: shares, eventsPerMillisecond: eventRate.perMillisecond)
        windowLevel = budget.evaluationLevel(detectors: shares, evaluationsPerPeriod: evaluationsPerPeriod)
        for c in detectors.indices {
            guard var d = detectors[c] else { continue }
            detectors[c] = nil
            if let fixed = rules[c].sequentialRunLength, fixed > 1 {
                d.setRunLength(fixed * Double(d.lanes.count))
            } else {
                d.setRunLength(laneRunLength)
            }
            detectors[c] = d
        }
    }

    /// Whether column `c` is the prediction.
    func isPrediction(_ c: Int) -> Bool { c >= baseline.features.count }

    // MARK: - Feeding

    /// Applies a batch of this model's events; evaluates every window that closed.
    public mutating func ingest(_ batch: ColumnarBatch) -> [MonitorOutput] {
        let n = batch.rowCount
        var outputs: [MonitorOutput] = []
        var start = 0
        while start < n {
            var end = n
            if case .count(let events, let panes) = window.spec {
                let paneSize = max(1, events / max(1, panes))
                end = min(n, start + max(1, paneSize - window.pendingEvents))
            }
            if eventRate.observe(batch.timestamps[start..<end]) { applyBudget() }
            outputs += detect(batch, rows: start..<end)
            outputs += window.ingest(batch, rows: start..<end).flatMap { evaluate($0) }
            start = end
        }
        return outputs
    }

    /// Runs the detectors over `rows` column by column; returns the alerts their alarms fired,
    /// in event order.
    private mutating func detect(_ batch: ColumnarBatch, rows: Range<Int>) -> [MonitorOutput] {
        var fired: [(column: Int, alarm: ColumnDetector.Alarm)] = []
        let featureCount = batch.features.count
        for c in detectors.indices {
            guard var detector = detectors[c] else { continue }
            let column = c < featureCount ? batch.features[c] : batch.predictions
            guard column.count >= rows.upperBound, batch.timestamps.count >= rows.upperBound else { continue }
            detectors[c] = nil
            var series = alerts[c]
            let found = detector.scan(column[rows], timestamps: batch.timestamps[rows], alerts: &series, rule: rules[c])
            alerts[c] = series
            detectors[c] = detector
            fired += found.filter { $0.outcome == .fired }.map { (c, $0) }
        }
        guard !fired.isEmpty else { return [] }
        fired.sort { ($0.alarm.row, $0.column) < ($1.alarm.row, $1.column) }
        return fired.map { .alert(sequentialAlertPayload(column: $0.column, alarm: $0.alarm)) }
    }

    /// Time windows: closes panes that ended before `now` (an idle stream still slides).
    public mutating func advance(to now: EventTime) -> [MonitorOutput] {
        window.advance(to: now).flatMap { evaluate($0) }
    }

    /// Evaluates one window snapshot against the baseline and runs the alert policy.
    public mutating func evaluate(_ snapshot: WindowSnapshot) -> [MonitorOutput] {
        let layout = window.layout
        let now = snapshot.end
        let eventWindow = EventWindow(snapshot)
        var outputs: [MonitorOutput] = []
        var columns: [EvaluationReport.ColumnReport] = []
        var drifted = Set<Int>()
        for c in profiles.indices where rules[c].enabled {
            let rule = rules[c]
            let counts = Array(snapshot.binCounts(column: c, layout: layout))
            let missing = snapshot.missing(column: c, layout: layout)
            let evaluation = windowEvaluation(column: c, counts: counts, missing: missing)
            let verdict = Self.verdict(evaluation, rule: rule)
            if evaluation.drifted { drifted.insert(c) }
            let transition = alerts[c].observe(verdict, kinds: evaluation.findingKinds, rule: rule, now: now)
            if let transition {
                var payload = alertPayload(
                    column: c, evaluation: evaluation, transition: transition, window: eventWindow)
                payload.evidence = DriftEvidence(profile: profiles[c], counts: counts, method: evaluation.method)
                if isPrediction(c) { payload.attribution = attribution(snapshot) }
                outputs.append(.alert(payload))
                detectors[c]?.restart()
            }
            columns.append(
                .init(
                    evaluation: evaluation, target: isPrediction(c) ? "prediction" : "feature",
                    firing: alerts[c].isFiring,
                    counts: counts, missing: missing))
        }
        let monitored = profiles.indices.filter { !isPrediction($0) && rules[$0].enabled }
        let firing = monitored.filter { alerts[$0].isFiring }
        let share = monitored.isEmpty ? 0 : Double(firing.count) / Double(monitored.count)
        outputs.insert(
            .evaluation(
                EvaluationReport(
                    model: baseline.model, version: baseline.version, window: eventWindow, windowEnd: now,
                    columns: columns, firingShare: share)), at: 0)
        // Retrain evidence: firing and drifted in this window (effect size and significance).
        let evidenced = firing.filter { drifted.contains($0) }
        let retrainShare = monitored.isEmpty ? 0 : Double(evidenced.count) / Double(monitored.count)
        if retrain.observe(firingShare: retrainShare, rule: retrainRule, now: now) {
            let evidence = columns.filter { $0.firing && $0.evaluation.drifted && $0.target == "feature" }.map {
                RetrainPayload.Evidence(
                    feature: $0.evaluation.feature, method: $0.evaluation.method,
                    score: $0.evaluation.score, threshold: $0.evaluation.threshold, pValue: $0.evaluation.pValue)
            }
            let names = evidence.map(\.feature).joined(separator: ", ")
            outputs.append(
                .retrain(
                    RetrainPayload(
                        model: baseline.model, version: baseline.version, baselineID: baseline.id,
                        reason:
                            "\(evidenced.count) of \(monitored.count) features drifted (\(names)); share \(Self.percent(retrainShare)) >= \(Self.percent(retrainRule.driftShare))",
                        driftShare: retrainShare, threshold: retrainRule.driftShare, evidence: evidence,
                        dataRange: eventWindow)))
        }
        return outputs
    }

    /// The window test of column `c`: the rule's method and threshold, significance at the
    /// smaller of the rule's `alpha` and the budget's level, p-values on the effective sample.
    private func windowEvaluation(column c: Int, counts: [Double], missing: Double) -> FeatureEvaluation {
        var rule = rules[c]
        rule.alpha = min(rule.alpha, windowLevel)
        return FeatureEvaluator.evaluate(
            profile: profiles[c], counts: counts, missing: missing, rule: rule,
            designEffect: detectors[c]?.windowDependence ?? 1)
    }

    /// Turns a performance rule's retrain request into a retrain event, unless the model's
    /// retrain rule is off or its cooldown (shared with drift-share requests) holds it back.
    /// `drift_share` is the share of monitored features firing now; `evidence` lists them.
    /// - Parameter request: The request (`LabelJoin.retrain`).
    /// - Returns: The retrain payload to publish, or nil.
    public mutating func requestRetrain(_ request: PerformanceRetrainRequest) -> RetrainPayload? {
        guard retrain.request(rule: retrainRule, now: request.at) else { return nil }
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

    private func alertPayload(
        column c: Int, evaluation e: FeatureEvaluation, transition: AlertStateMachine.Transition, window: EventWindow
    ) -> AlertPayload {
        let prediction = isPrediction(c)
        let target = prediction ? "prediction" : "feature"
        let feature: String? = prediction ? nil : profiles[c].name
        let fingerprint = Fingerprint.of(baseline.model, baseline.version, target, feature ?? "")
        return AlertPayload(
            model: baseline.model, version: baseline.version, feature: feature, target: target,
            status: transition == .fire ? .firing : .resolved, severity: rules[c].severity, method: e.method,
            score: e.score, threshold: e.threshold, pValue: e.pValue, window: window, baselineID: baseline.id,
            fingerprint: fingerprint, firedAt: RFC3339.format(alerts[c].firedAt ?? .epoch),
            missingShare: e.missingShare, unseenShare: e.unseenShare, outOfRangeShare: e.outOfRangeShare,
            reason: e.reason)
    }

    /// The firing alert of a sequential alarm: the lane's sum and threshold as score and
    /// threshold, the run since the estimated change point as the window, and the shares of the
    /// window as it stood (closed panes; zero before the first pane closed).
    func sequentialAlertPayload(column c: Int, alarm: ColumnDetector.Alarm) -> AlertPayload {
        let prediction = isPrediction(c)
        let target = prediction ? "prediction" : "feature"
        let feature: String? = prediction ? nil : profiles[c].name
        var missing = 0.0
        var unseen = 0.0
        var outOfRange = 0.0
        var evidence: DriftEvidence?
        if let snapshot = window.snapshot {
            let counts = Array(snapshot.binCounts(column: c, layout: window.layout))
            let shares = windowEvaluation(
                column: c, counts: counts, missing: snapshot.missing(column: c, layout: window.layout))
            missing = shares.missingShare
            unseen = shares.unseenShare
            outOfRange = shares.outOfRangeShare
            evidence = DriftEvidence(profile: profiles[c], counts: counts, method: shares.method)
        }
        let reason = detectors[c].map { Self.sequentialReason(alarm, detector: $0, profile: profiles[c]) } ?? alarm.name
        return AlertPayload(
            model: baseline.model, version: baseline.version, feature: feature, target: target,
            status: .firing, severity: rules[c].severity, method: Self.sequentialMethod,
            score: alarm.statistic, threshold: alarm.threshold, pValue: nil,
            window: EventWindow(
                start: RFC3339.format(alarm.start), end: RFC3339.format(alarm.end),
                events: alarm.events),
            baselineID: baseline.id,
            fingerprint: Fingerprint.of(baseline.model, baseline.version, target, feature ?? ""),
            firedAt: RFC3339.format(alerts[c].firedAt ?? alarm.end),
            missingShare: missing, unseenShare: unseen, outOfRangeShare: outOfRange, reason: reason, evidence: evidence,
            attribution: prediction ? predictionAttribution : nil)
    }

    /// What a lane's alarm says, e.g. "mean rose by about 0.27 sd (normal scores against the
    /// baseline) over the last 812 values; CUSUM for a 0.25 sd rise: 31.2 > threshold 30.9".
    static func sequentialReason(_ alarm: ColumnDetector.Alarm, detector: ColumnDetector, profile: FeatureProfile)
        -> String
    {
        let lane = detector.lanes[alarm.lane]
        let values = "over the last \(alarm.events) values"
        let what: String
        let target: String
        switch lane.kind {
        case .meanUp, .meanDown:
            let direction = lane.kind == .meanUp ? "rose" : "fell"
            what =
                "mean \(direction) by about \(decimal(abs(alarm.estimate))) sd (normal scores against the baseline) \(values)"
            target = "a \(decimal(lane.parameter)) sd \(lane.kind == .meanUp ? "rise" : "fall")"
        case .scaleUp, .scaleDown:
            what =
                "spread \(lane.kind == .scaleUp ? "grew" : "shrank") to about \(decimal(alarm.estimate)) times the baseline's (normal scores) \(values)"
            target = "a spread ×\(decimal(lane.parameter))"
        case .missingUp, .missingDown, .outOfRange, .unseen, .categoryUp, .categoryDown:
            let subject: String
            switch lane.kind {
            case .missingUp, .missingDown: subject = "missing share"
            case .outOfRange: subject = "share of values outside the training range"
            case .unseen: subject = "share of categories unseen in training"
            default: subject = "share of \"\(lane.categoryName)\""
            }
            let direction = lane.kind == .missingDown || lane.kind == .categoryDown ? "fell" : "rose"
            what =
                "\(subject) \(direction) to about \(percent1(alarm.estimate)) (baseline \(percent1(lane.baselineShare))) \(values)"
            target = "a share of \(percent1(lane.parameter))"
        }
        let dependence = alarm.dependence > 1.0005 ? ", serial-dependence factor \(decimal(alarm.dependence))" : ""
        return
            "\(what); CUSUM for \(target): \(decimal(alarm.statistic)) > threshold \(decimal(alarm.threshold))\(dependence)"
    }

    /// A share with one decimal, e.g. "12.5%".
    private static func percent1(_ x: Double) -> String {
        guard x.isFinite else { return "\(x)" }
        let tenths = Int((x * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    private static func percent(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }

    /// `x` with two decimals (no locale, no Foundation formatting).
    private static func decimal(_ x: Double) -> String {
        guard x.isFinite else { return "\(x)" }
        let hundredths = Int((abs(x) * 100).rounded())
        let fraction = hundredths % 100
        return (x < 0 && hundredths > 0 ? "-" : "") + "\(hundredths / 100)." + (fraction < 10 ? "0" : "")
            + "\(fraction)"
    }

    // MARK: - Persistence

    /// Everything needed to resume after a restart.
    public struct State: Sendable, Codable, Equatable {
        public var baselineID: String
        public var window: SlidingWindow.State
        public var alerts: [AlertStateMachine]
        public var retrain: RetrainStateMachine
        /// Running state of each column's detectors (`nil` where the column has none); absent in
        /// state saved before they existed (restoring such state starts them fresh; state of the
        /// earlier Page-Hinkley bank, key `sequential`, is ignored).
        public var detectors: [ColumnDetector.State?]?
        /// The observed event rate; absent in older state.
        public var eventRate: EventRate?
        /// Latency and cost windows and objective alerts of the same (model, version)
        /// (`ServingMonitor`, held beside this monitor by the daemon's `EventProcessor`, which fills
        /// it in); absent in state saved before it existed (restoring such state starts them fresh).
        public var serving: ServingMonitor.State? = nil
        /// The canary comparison in which this version is the candidate (`CanaryComparison`, held
        /// by the daemon's `EventProcessor`, which fills it in); absent when there is none or in
        /// state saved before canaries existed.
        public var canary: CanaryComparison.State? = nil
    }

    /// The state to persist.
    public var state: State {
        State(
            baselineID: baseline.id, window: window.state, alerts: alerts, retrain: retrain,
            detectors: detectors.map { $0?.state }, eventRate: eventRate)
    }

    /// Restores persisted state; returns false (and keeps a fresh state) when it belongs to
    /// another baseline or does not fit. Detectors are restored where their lanes are unchanged
    /// and start fresh otherwise.
    public mutating func restore(_ state: State) -> Bool {
        guard state.baselineID == baseline.id, state.alerts.count == alerts.count,
            state.detectors.map({ $0.count == detectors.count }) ?? true,
            let restored = SlidingWindow(schema: schema, spec: window.spec, state: state.window)
        else { return false }
        window = restored
        alerts = state.alerts
        retrain = state.retrain
        if let rate = state.eventRate { eventRate = rate }
        applyBudget()
        if let saved = state.detectors {
            for c in detectors.indices {
                if let old = saved[c] { detectors[c]?.restore(old) }
            }
        }
        return true
    }
}
