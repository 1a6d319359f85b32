/// A model's performance over the last `windowEvents` scored labels, and the alert decisions.
///
/// A count window in panes: scored labels go to the open pane; when it holds
/// `rule.paneEvents` labels it closes, joins the window and pushes out the oldest pane, and the
/// window is evaluated. Each pane keeps its (prediction, label) pairs, so every metric of
/// `PerformanceMetrics` is computed on the window (O(window) per evaluation, once per pane).
///
/// **The legacy accuracy floor** (`minAccuracy`), with its own alert series (target `accuracy`):
/// - fewer than `minSamples` labels in the window, or no `minAccuracy`: no verdict;
/// - accuracy below `minAccuracy` and the one-sided exact binomial test of
///   "accuracy >= minAccuracy" gives p < `alpha`: **drifted** (counts towards firing);
/// - accuracy below `effectiveResolveAccuracy` otherwise: **hold** (a firing alert stays firing);
/// - else **clear** (counts towards resolving).
///
/// **Performance rules** (`rule.rules`), one alert series each, decide the same way on their
/// metric, with the significance of `MetricInterval` (exact binomial for proportions, pane batch
/// means otherwise); a metric that is undefined on the window gives no verdict.
///
/// The verdicts drive `AlertStateMachine`s (`for`, cooldown) on the label event time.
public struct AccuracyTracker: Sendable {
    /// Persistable state.
    public struct State: Sendable, Codable, Equatable {
        /// Closed panes, oldest first.
        public var closed: [AccuracyPane]
        /// The open pane.
        public var open: AccuracyPane
        /// The legacy accuracy alert series.
        public var alert: AlertStateMachine
        /// One alert series per performance rule, in rule order; absent in state saved before rules existed.
        public var ruleAlerts: [AlertStateMachine]?

        /// Creates a state.
        /// - Parameters:
        ///   - closed: Closed panes, oldest first.
        ///   - open: Open pane.
        ///   - alert: Accuracy alert state.
        ///   - ruleAlerts: Performance rule alert states.
        public init(
            closed: [AccuracyPane], open: AccuracyPane, alert: AlertStateMachine, ruleAlerts: [AlertStateMachine]? = nil
        ) {
            self.closed = closed
            self.open = open
            self.alert = alert
            self.ruleAlerts = ruleAlerts
        }
    }

    /// The rule.
    public let rule: AccuracyRule
    /// What the pairs are scored as.
    public let task: PerformanceTask
    /// Closed panes as a ring of at most `rule.panes`; `oldest` is the first.
    private var closed: [AccuracyPane] = []
    private var oldest = 0
    private var open = AccuracyPane()
    private var windowCorrect = 0
    private var windowLabelled = 0
    /// The legacy accuracy alert series.
    public private(set) var alert = AlertStateMachine()
    /// One alert series per performance rule.
    public private(set) var ruleAlerts: [AlertStateMachine]

    /// An empty tracker.
    /// - Parameters:
    ///   - rule: Window and alert settings.
    ///   - task: What the pairs are scored as (default binary, as accuracy alone needs no more).
    public init(rule: AccuracyRule, task: PerformanceTask = .binary) {
        self.rule = rule
        self.task = task
        self.ruleAlerts = Array(repeating: AlertStateMachine(), count: rule.rules.count)
    }

    /// Scored labels in the window (closed panes).
    public var labelled: Int { windowLabelled }
    /// Correct predictions in the window.
    public var correct: Int { windowCorrect }
    /// Scored labels in the open pane, not yet in the window.
    public var pendingLabels: Int { open.labelled }
    /// The window's accuracy, nil while it is empty.
    public var accuracy: Double? { windowLabelled > 0 ? Double(windowCorrect) / Double(windowLabelled) : nil }

    /// Counts one scored label; returns the evaluation when its pane closed.
    /// - Parameters:
    ///   - correct: Whether the prediction was right (classifiers; false for regression).
    ///   - time: The label's event time.
    ///   - prediction: The prediction as scored (`PerformanceMetrics`); default: the correctness as a binary score.
    ///   - label: The label as scored; default 1 (with the default prediction, accuracy alone is meaningful).
    ///   - dataTime: The prediction's event time (default: the label's).
    /// - Returns: The window evaluation, when a pane closed.
    public mutating func record(
        correct: Bool, at time: EventTime, prediction: Double? = nil, label: Double? = nil, dataTime: EventTime? = nil
    ) -> AccuracyEvaluation? {
        open.add(
            correct: correct, millis: time.millisecondsSinceEpoch, prediction: prediction ?? (correct ? 1 : 0),
            label: label ?? 1, dataMillis: dataTime?.millisecondsSinceEpoch)
        guard open.labelled >= rule.paneEvents else { return nil }
        close()
        return evaluate()
    }

    private mutating func close() {
        let panes = max(1, rule.panes)
        if closed.count < panes {
            closed.append(open)
        } else {
            windowCorrect -= closed[oldest].correct
            windowLabelled -= closed[oldest].labelled
            closed[oldest] = open
            oldest = (oldest + 1) % panes
        }
        windowCorrect += open.correct
        windowLabelled += open.labelled
        open = AccuracyPane()
    }

    /// The predictions of the window's pairs (closed panes, oldest first), as scored.
    public var windowPredictions: [Double] { (closed[oldest...] + closed[..<oldest]).flatMap(\.predictions) }

    /// The window's metrics.
    public var metrics: PerformanceMetrics {
        var predictions: [Double] = []
        var labels: [Double] = []
        predictions.reserveCapacity(windowLabelled)
        labels.reserveCapacity(windowLabelled)
        for pane in closed {
            predictions += pane.predictions
            labels += pane.labels
        }
        return PerformanceMetrics(
            task: task, predictions: predictions, labels: labels, positiveThreshold: rule.positiveThreshold,
            calibrationBins: rule.calibrationBins)
    }

    private mutating func evaluate() -> AccuracyEvaluation {
        let n = windowLabelled
        let k = windowCorrect
        let accuracy = n > 0 ? Double(k) / Double(n) : 0
        var pValue: Double?
        let verdict: AlertVerdict
        if let minAccuracy = rule.minAccuracy, let resolveAt = rule.effectiveResolveAccuracy, n >= rule.minSamples {
            let p = BinomialTest.lowerTail(successes: k, trials: n, probability: minAccuracy)
            pValue = p
            if accuracy < minAccuracy && p < rule.alpha {
                verdict = .drifted
            } else {
                verdict = accuracy < resolveAt ? .hold : .clear
            }
        } else {
            verdict = .noData
        }
        var start = Int64.max
        var end = Int64.min
        var dataStart = Int64.max
        var dataEnd = Int64.min
        for pane in closed {
            start = min(start, pane.minMillis)
            end = max(end, pane.maxMillis)
            dataStart = min(dataStart, pane.dataMinMillis)
            dataEnd = max(dataEnd, pane.dataMaxMillis)
        }
        let now = EventTime(millisecondsSinceEpoch: end)
        let transition = alert.observe(verdict, rule: rule.alertRule, now: now)
        let windowMetrics = metrics
        var outcomes: [PerformanceRuleOutcome] = []
        if !rule.rules.isEmpty {
            // Pane metrics only when a verdict can be given and a rule needs the batch means.
            let needsPanes =
                windowMetrics.count >= rule.minSamples
                && rule.rules.contains { !$0.estimated && !$0.metric.isProportion }
            let panes = needsPanes ? paneMetrics() : []
            for (i, performanceRule) in rule.rules.enumerated() {
                var outcome = judge(performanceRule, window: windowMetrics, panes: panes)
                outcome.transition = ruleAlerts[i].observe(
                    outcome.verdict, rule: rule.alertRule(for: performanceRule), now: now)
                outcome.firing = ruleAlerts[i].isFiring
                outcome.firedAt = ruleAlerts[i].firedAt
                outcomes.append(outcome)
            }
        }
        return AccuracyEvaluation(
            accuracy: accuracy, correct: k, labelled: n, pValue: pValue, verdict: verdict,
            firing: alert.isFiring || outcomes.contains { $0.rule.metric == .accuracy && $0.firing },
            transition: transition, firedAt: alert.firedAt, start: EventTime(millisecondsSinceEpoch: start), end: now,
            performance: windowMetrics, rules: outcomes, dataStart: EventTime(millisecondsSinceEpoch: dataStart),
            dataEnd: EventTime(millisecondsSinceEpoch: dataEnd))
    }

    /// The metrics of each closed pane, oldest first.
    private func paneMetrics() -> [PerformanceMetrics] {
        (closed[oldest...] + closed[..<oldest]).map {
            PerformanceMetrics(
                task: task, predictions: $0.predictions, labels: $0.labels, positiveThreshold: rule.positiveThreshold,
                calibrationBins: rule.calibrationBins)
        }
    }

    /// Value, significance and verdict of one rule on the window (transition left to the caller).
    private func judge(_ r: PerformanceRule, window: PerformanceMetrics, panes: [PerformanceMetrics])
        -> PerformanceRuleOutcome
    {
        var outcome = PerformanceRuleOutcome(
            rule: r, value: nil, pValue: nil, interval: nil, verdict: .noData, firing: false, transition: nil,
            firedAt: nil)
        // Rules on the label-free estimate are judged by the monitor on its window of predictions.
        guard !r.estimated, window.count >= rule.minSamples, let value = window[r.metric] else { return outcome }
        outcome.value = value
        if r.metric.isProportion {
            guard let (k, n) = Self.proportion(r.metric, of: window), n > 0 else { return outcome }
            outcome.pValue = MetricInterval.binomialPValue(
                successes: k, trials: n, threshold: r.threshold, bound: r.bound)
            outcome.interval = MetricInterval.clopperPearson(successes: k, trials: n, alpha: rule.alpha)
        } else {
            let values = panes.compactMap { $0[r.metric] }
            guard let (interval, se) = MetricInterval.batchMeans(value: value, paneValues: values, alpha: rule.alpha)
            else {
                return outcome
            }
            outcome.interval = interval
            outcome.pValue = MetricInterval.tPValue(
                value: value, standardError: se, panes: values.count, threshold: r.threshold, bound: r.bound)
        }
        if r.isPast(value), let p = outcome.pValue, p < rule.alpha {
            outcome.verdict = .drifted
        } else {
            outcome.verdict = r.isClear(value) ? .clear : .hold
        }
        return outcome
    }

    /// Successes and trials of a proportion metric.
    private static func proportion(_ metric: PerformanceMetric, of m: PerformanceMetrics) -> (Int, Int)? {
        guard let confusion = m.confusion else { return nil }
        switch metric {
        case .accuracy: return (confusion.correct, confusion.total)
        case .precision:
            let b = confusion.binary
            return (b.tp, b.tp + b.fp)
        case .recall:
            let b = confusion.binary
            return (b.tp, b.tp + b.fn)
        default: return nil
        }
    }

    // MARK: - Persistence

    /// The state to persist.
    public var state: State {
        State(closed: Array(closed[oldest...] + closed[..<oldest]), open: open, alert: alert, ruleAlerts: ruleAlerts)
    }

    /// A tracker resumed from a saved state; panes beyond `rule.panes` (the oldest) are dropped.
    /// Counts that are negative, inconsistent or larger than the rule's pane size (a state
    /// saved under another window setting) make the state unusable: nil. A window saved
    /// without its pairs (before performance metrics) restarts empty, keeping the alert state;
    /// rule alert states are kept when the saved rules are as many as the current ones.
    /// - Parameters:
    ///   - rule: Window and alert settings.
    ///   - task: What the pairs are scored as.
    ///   - state: Saved state.
    public init?(rule: AccuracyRule, task: PerformanceTask = .binary, state: State) {
        self.init(rule: rule, task: task)
        for pane in [state.open] + state.closed {
            guard pane.labelled >= 0, pane.correct >= 0, pane.correct <= pane.labelled,
                pane.labelled <= rule.paneEvents
            else { return nil }
        }
        guard state.open.labelled < rule.paneEvents else { return nil }
        alert = state.alert
        if let saved = state.ruleAlerts, saved.count == ruleAlerts.count { ruleAlerts = saved }
        guard ([state.open] + state.closed).allSatisfy(\.hasPairs) else { return }
        for pane in state.closed.suffix(max(1, rule.panes)) {
            closed.append(pane)
            windowCorrect += pane.correct
            windowLabelled += pane.labelled
        }
        open = state.open
    }
}
