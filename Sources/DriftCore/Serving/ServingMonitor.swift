/// Latency percentiles, costs and their objectives for one (model, version).
///
/// Fed the `latency_ms` and `cost` of the events applied to the model's drift window, in the
/// same panes (`ServingWindow` with the model's `WindowSpec`). Each closed pane gives a
/// `ServingEvaluation`; each objective's verdict goes through its own `AlertStateMachine`
/// (for-N, hysteresis, cooldown), whose transitions become `io.driftd.alert` payloads with
/// target `latency` or `cost`. Pure: no I/O.
public struct ServingMonitor: Sendable {
    /// What survives a restart: the window's panes and the objectives' alert states.
    public struct State: Sendable, Codable, Equatable {
        /// The serving window.
        public var window: ServingWindow
        /// One alert state per objective, in rule order.
        public var machines: [AlertStateMachine]

        /// Creates a state.
        public init(window: ServingWindow, machines: [AlertStateMachine]) {
            self.window = window
            self.machines = machines
        }
    }

    /// What one ingestion produced.
    public struct Output: Sendable, Equatable {
        /// One evaluation per pane closed, in order.
        public var evaluations: [ServingEvaluation] = []
        /// Objective alerts (firing and resolved), in order.
        public var alerts: [AlertPayload] = []

        /// An empty output.
        public init() {}
    }

    /// Model identifier.
    public let model: String
    /// Model version.
    public let version: String
    /// Baseline identifier of the version (alerts carry it).
    public let baselineID: String
    /// Pricing and objectives.
    public let rule: ServingRule
    /// The window.
    public private(set) var window: ServingWindow
    /// One alert state per objective, in `rule.objectives` order.
    public private(set) var machines: [AlertStateMachine]

    /// A monitor with an empty window.
    public init(model: String, version: String, baselineID: String, window: WindowSpec, rule: ServingRule) {
        self.model = model
        self.version = version
        self.baselineID = baselineID
        self.rule = rule
        self.window = ServingWindow(spec: window, relativeAccuracy: rule.relativeAccuracy)
        self.machines = rule.objectives.map { _ in AlertStateMachine() }
    }

    /// The latest evaluation of the window, nil before a pane has closed.
    public var latest: ServingEvaluation? { window.snapshot.map(evaluate) }

    /// Adds events (NaN latency or cost: absent); evaluates each closed pane.
    public mutating func ingest(timestamps: [Int64], latencies: [Double], costs: [Double]) -> Output {
        judge(window.ingest(timestamps: timestamps, latencies: latencies, costs: costs))
    }

    /// Time windows: closes panes an idle stream left open (see `SlidingWindow.advance`).
    public mutating func advance(to now: EventTime) -> Output {
        judge(window.advance(to: now))
    }

    /// The evaluation of a window snapshot.
    public func evaluate(_ snapshot: ServingSnapshot) -> ServingEvaluation {
        var latency: [LatencyStatistic: Double] = [:]
        for s in LatencyStatistic.allCases { latency[s] = snapshot.value(of: s) }
        let windowLength: Duration?
        if case .time(let duration, _) = window.spec { windowLength = duration } else { windowLength = nil }
        return ServingEvaluation(
            model: model, version: version, snapshot: snapshot, latency: latency,
            costPerHour: snapshot.costPerHour(
                costPer1000Predictions: rule.costPer1000Predictions, windowLength: windowLength),
            costPer1000: snapshot.costPer1000(costPer1000Predictions: rule.costPer1000Predictions))
    }

    private mutating func judge(_ snapshots: [ServingSnapshot]) -> Output {
        var output = Output()
        for snapshot in snapshots {
            let evaluation = evaluate(snapshot)
            output.evaluations.append(evaluation)
            for (i, objective) in rule.objectives.enumerated() {
                let (value, samples) = evaluation.value(of: objective.kind)
                let verdict = objective.verdict(value: value, samples: samples)
                guard
                    let transition = machines[i].observe(verdict, rule: objective.rule, now: snapshot.end),
                    let value
                else { continue }
                output.alerts.append(
                    payload(
                        objective, value: value, samples: samples, transition: transition,
                        machine: machines[i], snapshot: snapshot))
            }
        }
        return output
    }

    private func payload(
        _ objective: ServingObjective, value: Double, samples: Int, transition: AlertStateMachine.Transition,
        machine: AlertStateMachine, snapshot: ServingSnapshot
    ) -> AlertPayload {
        let kind = objective.kind
        let unit: String
        if case .latency = kind { unit = " ms" } else { unit = " \(rule.costUnit)" }
        let what: String
        switch kind {
        case .latency(let s):
            let accuracy = FeatureEvaluator.format(rule.relativeAccuracy * 100)
            what =
                s == .max
                ? "max latency"
                : "\(s.rawValue) latency (sketch relative error <= \(accuracy)%)"
        case .costPerHour: what = "cost per hour"
        case .costPer1000: what = "cost per 1,000 predictions"
        }
        let over =
            "over the last \(snapshot.events) events (\(samples) \(kind.target == "latency" ? "latencies" : "events"))"
        let reason =
            transition == .fire
            ? "\(what) \(FeatureEvaluator.format(value))\(unit) >= objective \(FeatureEvaluator.format(objective.threshold))\(unit) \(over)"
            : "\(what) \(FeatureEvaluator.format(value))\(unit) < resolve \(FeatureEvaluator.format(objective.effectiveResolve))\(unit) \(over)"
        return AlertPayload(
            model: model, version: version, feature: nil, target: kind.target,
            status: transition == .fire ? .firing : .resolved, severity: objective.rule.severity, method: kind.name,
            score: value, threshold: objective.threshold, pValue: nil,
            window: EventWindow(
                start: RFC3339.format(snapshot.start), end: RFC3339.format(snapshot.end),
                events: snapshot.events),
            baselineID: baselineID, fingerprint: Fingerprint.of(model, version, kind.target, kind.name),
            firedAt: RFC3339.format(machine.firedAt ?? snapshot.end), missingShare: 0,
            unseenShare: 0, outOfRangeShare: 0, reason: reason)
    }

    // MARK: - Persistence

    /// The state to persist.
    public var state: State { State(window: window, machines: machines) }

    /// Restores a saved state; returns false (and keeps the current state) when it does not
    /// fit this monitor (another window spec, sketch accuracy or number of objectives).
    @discardableResult
    public mutating func restore(_ state: State) -> Bool {
        guard state.window.spec == window.spec, state.window.relativeAccuracy == window.relativeAccuracy,
            state.machines.count == machines.count
        else { return false }
        window = state.window
        machines = state.machines
        return true
    }
}
