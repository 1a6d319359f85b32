/// Watches one model: its window, the verdict on every column, alert and retrain decisions.
///
/// Pure and deterministic: feed it decoded batches; it returns what to publish. Time for
/// cooldowns is event time (the evaluated window's end), so a replay of a file makes the
/// same decisions as the live daemon did.
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
    }

    /// Whether column `c` is the prediction.
    private func isPrediction(_ c: Int) -> Bool { c >= baseline.features.count }

    // MARK: - Feeding

    /// Applies a batch of this model's events; evaluates every window that closed.
    public mutating func ingest(_ batch: ColumnarBatch) -> [MonitorOutput] {
        window.ingest(batch).flatMap { evaluate($0) }
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
            let evaluation = FeatureEvaluator.evaluate(
                profile: profiles[c], counts: Array(snapshot.binCounts(column: c, layout: layout)),
                missing: snapshot.missing(column: c, layout: layout), rule: rule)
            let verdict = Self.verdict(evaluation, rule: rule)
            let transition = alerts[c].observe(verdict, rule: rule, nowMillis: now)
            if let transition {
                outputs.append(.alert(alertPayload(column: c, evaluation: evaluation, transition: transition, window: eventWindow)))
            }
            columns.append(.init(evaluation: evaluation, target: isPrediction(c) ? "prediction" : "feature", firing: alerts[c].isFiring))
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

    private static func percent(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }

    // MARK: - Persistence

    /// Everything needed to resume after a restart.
    public struct State: Sendable, Codable, Equatable {
        public var baselineID: String
        public var window: SlidingWindow.State
        public var alerts: [AlertStateMachine]
        public var retrain: RetrainStateMachine
    }

    /// The state to persist.
    public var state: State {
        State(baselineID: baseline.id, window: window.state, alerts: alerts, retrain: retrain)
    }

    /// Restores persisted state; returns false (and keeps a fresh state) when it belongs to
    /// another baseline or does not fit.
    public mutating func restore(_ state: State) -> Bool {
        guard state.baselineID == baseline.id, state.alerts.count == alerts.count,
              let restored = SlidingWindow(schema: schema, spec: window.spec, state: state.window)
        else { return false }
        window = restored
        alerts = state.alerts
        retrain = state.retrain
        return true
    }
}
