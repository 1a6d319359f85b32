import Foundation

/// Tracks one model's performance on delayed labels: holds its predictions by event id, joins
/// labels to them, scores them and runs the accuracy alert and the performance rules.
///
/// Pure and deterministic, like `ModelMonitor`: the daemon feeds it the rows it applied (with
/// their event ids) and the label events it decoded; it returns what to publish. Alert time
/// is label event time, so a replay makes the same decisions as the live daemon.
public struct AccuracyMonitor: Sendable {
    /// Persistable state.
    public struct State: Sendable, Codable, Equatable {
        /// Baseline the state belongs to.
        public var baselineID: String
        /// Held predictions (possibly capped, see `state(maxPredictions:)`).
        public var store: PredictionStore.State
        /// Window and alert state.
        public var tracker: AccuracyTracker.State
        /// Alert series of rules on estimated metrics; absent in state saved before they existed.
        public var estimatedAlerts: [AlertStateMachine]?

        /// Creates a state.
        /// - Parameters:
        ///   - baselineID: Baseline id.
        ///   - store: Held predictions.
        ///   - tracker: Window and alert state.
        public init(baselineID: String, store: PredictionStore.State, tracker: AccuracyTracker.State) {
            self.baselineID = baselineID
            self.store = store
            self.tracker = tracker
        }
    }

    /// Model identifier.
    public let model: String
    /// Model version of the baseline.
    public let version: String
    /// Baseline identifier.
    public let baselineID: String
    /// Window, alert and store settings.
    public let rule: AccuracyRule
    /// How predictions and labels become classes.
    public let classes: PredictionClasses
    /// What the model is scored as (the rule's task, else inferred from the baseline).
    public let task: PerformanceTask
    /// Predictions waiting for labels.
    public private(set) var store: PredictionStore
    /// The accuracy window and alert.
    public private(set) var tracker: AccuracyTracker
    /// The baseline's calibration, when it was built with labels and the model is binary:
    /// performance is then also estimated without labels on every window of predictions.
    public let reference: PerformanceReference?
    /// Scores of the last predictions in panes, with their event-time range (for the label-free
    /// estimate); not persisted.
    private var estimationPanes: [(scores: [Double], start: Int64, end: Int64)] = []
    private var estimationOpen: (scores: [Double], start: Int64, end: Int64) = ([], .max, .min)
    /// Estimates made since `takeEstimates()` was last called, oldest first.
    private var pendingEstimates: [PerformanceEstimate] = []
    /// Alert series of the rules on estimated metrics, by rule index (unused for the others).
    public private(set) var estimatedAlerts: [AlertStateMachine]
    /// Alerts and retrain requests of estimated rules since `takeEstimatedOutputs()`.
    private var pendingEstimated: (alerts: [AlertPayload], retrain: [PerformanceRetrainRequest]) = ([], [])

    /// Sets up tracking for a baseline's model.
    /// - Parameters:
    ///   - baseline: The model's baseline; it must have a prediction profile.
    ///   - rule: Settings; `validationErrors()` must be empty.
    /// - Throws: `AccuracyError` `.noPredictionProfile` or `.invalidRule`.
    public init(baseline: Baseline, rule: AccuracyRule) throws(AccuracyError) {
        guard let prediction = baseline.prediction else {
            throw AccuracyError(
                .noPredictionProfile,
                "baseline \(baseline.id) has no prediction profile; accuracy needs the predicted class")
        }
        if let first = rule.validationErrors().first {
            throw AccuracyError(first.code, "model \(baseline.model): \(first.message)")
        }
        let task = rule.task ?? PerformanceTask.inferred(from: prediction)
        if task == .multiclass && prediction.type != .categorical
            || task != .multiclass && prediction.type == .categorical
        {
            throw AccuracyError(
                .invalidRule,
                "model \(baseline.model): task \(task.rawValue) does not fit its \(prediction.type.rawValue) prediction (categorical predictions are multiclass, numeric ones binary or regression)"
            )
        }
        if rule.minAccuracy != nil && task == .regression {
            throw AccuracyError(
                .invalidRule,
                "model \(baseline.model): min_accuracy needs a classifier; the model is scored as regression")
        }
        for performanceRule in rule.rules {
            if let problem = performanceRule.problems(for: task).first {
                throw AccuracyError(.invalidRule, "model \(baseline.model): rule \(performanceRule.text): \(problem)")
            }
        }
        self.model = baseline.model
        self.version = baseline.version
        self.baselineID = baseline.id
        self.rule = rule
        self.task = task
        self.classes = PredictionClasses(prediction: prediction, positiveThreshold: rule.positiveThreshold)
        self.store = PredictionStore(capacity: rule.maxPending, ttl: rule.labelTTL)
        self.tracker = AccuracyTracker(rule: rule, task: task)
        self.reference = task == .binary ? baseline.performanceReference : nil
        self.estimatedAlerts = Array(repeating: AlertStateMachine(), count: rule.rules.count)
        if rule.rules.contains(where: \.estimated) && reference == nil {
            throw AccuracyError(
                .invalidRule,
                "model \(baseline.model): rules on estimated metrics need a binary model whose baseline was built with --label-column"
            )
        }
    }

    // MARK: - Feeding

    /// Holds the predictions of rows applied to the model's window, by event id. Rows without
    /// an id or without a prediction are skipped (nothing could be joined or scored).
    /// - Parameters:
    ///   - batch: The applied rows.
    ///   - ids: Event id per row (`DecodedModelBatch.eventIDs`); read up to the shorter of the two.
    /// - Returns: Predictions stored.
    @discardableResult
    public mutating func record(_ batch: ColumnarBatch, ids: [String?]) -> Int {
        var stored = 0
        for row in 0..<min(batch.rowCount, ids.count) {
            guard let id = ids[row], let predicted = classes.classOf(prediction: batch.predictions[row]) else {
                continue
            }
            let score = task == .multiclass ? Double(predicted) : batch.predictions[row]
            if store.insert(
                id: id, predictedClass: predicted, at: EventTime(millisecondsSinceEpoch: batch.timestamps[row]),
                score: score)
            {
                stored += 1
            }
        }
        if reference != nil {
            for row in 0..<batch.rowCount where !batch.predictions[row].isNaN {
                estimate(batch.predictions[row], millis: batch.timestamps[row])
            }
        }
        return stored
    }

    /// Adds a score to the estimation window; estimates when its pane closes (the window of the
    /// last `window` predictions, sliding one pane at a time, like the labelled window), and
    /// judges the rules on estimated metrics.
    private mutating func estimate(_ score: Double, millis: Int64) {
        guard let reference else { return }
        estimationOpen.scores.append(score)
        estimationOpen.start = min(estimationOpen.start, millis)
        estimationOpen.end = max(estimationOpen.end, millis)
        guard estimationOpen.scores.count >= rule.paneEvents else { return }
        estimationPanes.append(estimationOpen)
        if estimationPanes.count > max(1, rule.panes) { estimationPanes.removeFirst() }
        estimationOpen = ([], .max, .min)
        let estimate = PerformanceEstimate(
            scores: estimationPanes.flatMap(\.scores), calibration: reference.calibration,
            threshold: rule.positiveThreshold,
            alpha: rule.alpha)
        pendingEstimates.append(estimate)
        let start = estimationPanes.map(\.start).min() ?? millis
        let end = estimationPanes.map(\.end).max() ?? millis
        for (i, r) in rule.rules.enumerated() where r.estimated {
            judgeEstimated(i, r, estimate: estimate, start: start, end: end)
        }
    }

    /// One estimated rule on one estimate: drifted when the estimate is past the bound and the
    /// interval's near end too (significant at `alpha`, the interval's one-sided level).
    private mutating func judgeEstimated(
        _ i: Int, _ r: PerformanceRule, estimate: PerformanceEstimate, start: Int64, end: Int64
    ) {
        var verdict = AlertVerdict.noData
        let v = estimate[r.metric]
        if estimate.count >= rule.minSamples, let v {
            let significant = r.bound == .below ? v.upper < r.threshold : v.lower > r.threshold
            if r.isPast(v.value) && significant {
                verdict = .drifted
            } else {
                verdict = r.isClear(v.value) ? .clear : .hold
            }
        }
        guard
            let transition = estimatedAlerts[i].observe(
                verdict, rule: rule.alertRule(for: r), now: EventTime(millisecondsSinceEpoch: end)), let v
        else { return }
        let evidence = PerformanceEvidence(
            metric: r.metricName, bound: r.bound.rawValue, threshold: r.threshold, value: v.value,
            interval: .init(lower: v.lower, upper: v.upper, confidence: estimate.confidence, method: "cbpe_normal"),
            pValue: nil, windowEvents: estimate.count, task: task.rawValue)
        let over = " over the last \(estimate.count) predictions (no labels)"
        let interval =
            "; \(Int((estimate.confidence * 100).rounded()))% interval [\(FeatureEvaluator.format(v.lower)), \(FeatureEvaluator.format(v.upper))] (cbpe_normal)"
        let reason =
            transition == .fire
            ? "\(r.metricName) \(FeatureEvaluator.format(v.value)) \(r.bound == .below ? "<" : ">") \(FeatureEvaluator.format(r.threshold)) (\(r.bound.rawValue))\(over)\(interval)"
            : "\(r.metricName) \(FeatureEvaluator.format(v.value)) \(r.bound == .below ? ">=" : "<=") resolve \(FeatureEvaluator.format(r.effectiveResolve))\(over)"
        let window = EventWindow(
            start: RFC3339.format(millis: start), end: RFC3339.format(millis: end), events: estimate.count)
        pendingEstimated.alerts.append(
            AlertPayload(
                model: model, version: version, feature: nil, target: "performance",
                status: transition == .fire ? .firing : .resolved,
                severity: r.severity ?? rule.severity, method: r.metricName, score: v.value, threshold: r.threshold,
                pValue: nil,
                window: window, baselineID: baselineID,
                fingerprint: Fingerprint.of(model, version, "performance", r.metricName, r.bound.rawValue),
                firedAt: RFC3339.format(estimatedAlerts[i].firedAt ?? EventTime(millisecondsSinceEpoch: end)),
                missingShare: 0,
                unseenShare: 0,
                outOfRangeShare: 0, reason: reason, performance: evidence))
        if transition == .fire && r.retrain {
            pendingEstimated.retrain.append(
                PerformanceRetrainRequest(
                    evidence: evidence, dataRange: window, at: EventTime(millisecondsSinceEpoch: end),
                    reason: "performance: \(reason)"))
        }
    }

    /// Alerts and retrain requests of rules on estimated metrics since the last call, oldest first.
    /// - Returns: The alerts (target `performance`, method `estimated_<metric>`) and requests.
    public mutating func takeEstimatedOutputs() -> (alerts: [AlertPayload], retrain: [PerformanceRetrainRequest]) {
        defer { pendingEstimated = ([], []) }
        return pendingEstimated
    }

    /// The label-free estimates made since the last call (one per closed pane of predictions),
    /// oldest first; empty without a performance reference.
    /// - Returns: The estimates.
    public mutating func takeEstimates() -> [PerformanceEstimate] {
        defer { pendingEstimates.removeAll() }
        return pendingEstimates
    }

    /// Joins one label to its prediction, scores it and advances the accuracy window.
    /// - Parameters:
    ///   - id: The labelled inference event's id.
    ///   - label: The label text (`LabelEvent.label`).
    ///   - time: The label's event time.
    /// - Returns: The outcome, and the evaluation and alert when a pane closed.
    public mutating func join(id: String, label: String, at time: EventTime) -> LabelJoin {
        let prediction: PendingPrediction
        switch store.match(id: id) {
        case .unmatched: return LabelJoin(outcome: .unmatched)
        case .duplicate: return LabelJoin(outcome: .duplicate)
        case .expired: return LabelJoin(outcome: .expired)
        case .joined(let held): prediction = held
        }
        let correct: Bool
        let scoredLabel: Double
        switch task {
        case .regression:
            guard let value = Double(label.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                return LabelJoin(outcome: .unscorable)
            }
            (correct, scoredLabel) = (false, value)
        case .binary, .multiclass:
            let code = classes.classOf(label: label)
            guard let right = classes.isCorrect(predicted: prediction.predictedClass, label: code), let code else {
                return LabelJoin(outcome: .unscorable)
            }
            (correct, scoredLabel) = (right, Double(code))
        }
        guard
            var evaluation = tracker.record(
                correct: correct, at: time, prediction: prediction.score, label: scoredLabel,
                dataTime: prediction.eventTime)
        else {
            return LabelJoin(outcome: .joined, correct: task == .regression ? nil : correct)
        }
        if let reference {
            evaluation.estimate = PerformanceEstimate(
                scores: tracker.windowPredictions, calibration: reference.calibration,
                threshold: rule.positiveThreshold,
                alpha: rule.alpha)
        }
        var result = LabelJoin(
            outcome: .joined, correct: task == .regression ? nil : correct, evaluation: evaluation,
            alert: alertPayload(evaluation))
        for outcome in evaluation.rules {
            guard let transition = outcome.transition,
                let payload = rulePayload(outcome, transition: transition, evaluation: evaluation)
            else { continue }
            result.ruleAlerts.append(payload)
            if transition == .fire, outcome.rule.retrain, let evidence = payload.performance {
                result.retrain.append(
                    PerformanceRetrainRequest(
                        evidence: evidence,
                        dataRange: EventWindow(
                            start: RFC3339.format(evaluation.dataStart),
                            end: RFC3339.format(evaluation.dataEnd),
                            events: evaluation.labelled),
                        at: evaluation.end,
                        reason: "performance: \(payload.reason)"))
            }
        }
        return result
    }

    private func alertPayload(_ e: AccuracyEvaluation) -> AlertPayload? {
        guard let transition = e.transition, let minAccuracy = rule.minAccuracy else { return nil }
        let resolveAt = rule.effectiveResolveAccuracy ?? minAccuracy
        let over = "over the last \(e.labelled) labelled predictions"
        let reason =
            transition == .fire
            ? "accuracy \(FeatureEvaluator.format(e.accuracy)) < min_accuracy \(FeatureEvaluator.format(minAccuracy)) \(over) (p=\(FeatureEvaluator.pString(e.pValue ?? 1)))"
            : "accuracy \(FeatureEvaluator.format(e.accuracy)) >= resolve_accuracy \(FeatureEvaluator.format(resolveAt)) \(over)"
        return AlertPayload(
            model: model, version: version, feature: nil, target: "accuracy",
            status: transition == .fire ? .firing : .resolved,
            severity: rule.severity, method: "accuracy", score: e.accuracy, threshold: minAccuracy, pValue: e.pValue,
            window: EventWindow(
                start: RFC3339.format(e.start), end: RFC3339.format(e.end),
                events: e.labelled),
            baselineID: baselineID, fingerprint: Fingerprint.of(model, version, "accuracy", ""),
            firedAt: RFC3339.format(e.firedAt ?? e.end), missingShare: 0, unseenShare: 0,
            outOfRangeShare: 0, reason: reason)
    }

    /// The alert of a performance rule's transition (target `performance`, method the metric).
    private func rulePayload(
        _ o: PerformanceRuleOutcome, transition: AlertStateMachine.Transition, evaluation e: AccuracyEvaluation
    ) -> AlertPayload? {
        guard let value = o.value, let evidence = PerformanceEvidence(o, windowEvents: e.labelled, task: task) else {
            return nil
        }
        let r = o.rule
        let metric = r.metric.rawValue
        let interval =
            o.interval.map {
                "; \(Int(($0.confidence * 100).rounded()))% interval [\(FeatureEvaluator.format($0.lower)), \(FeatureEvaluator.format($0.upper))] (\($0.method.rawValue))"
            } ?? ""
        let over = " over the last \(e.labelled) labelled predictions"
        let reason: String
        if transition == .fire {
            let sign = r.bound == .below ? "<" : ">"
            reason =
                "\(metric) \(FeatureEvaluator.format(value)) \(sign) \(FeatureEvaluator.format(r.threshold)) (\(r.bound.rawValue))\(over)\(interval), p=\(FeatureEvaluator.pString(o.pValue ?? 1))"
        } else {
            let sign = r.bound == .below ? ">=" : "<="
            reason =
                "\(metric) \(FeatureEvaluator.format(value)) \(sign) resolve \(FeatureEvaluator.format(r.effectiveResolve))\(over)"
        }
        return AlertPayload(
            model: model, version: version, feature: nil, target: "performance",
            status: transition == .fire ? .firing : .resolved,
            severity: r.severity ?? rule.severity, method: metric, score: value, threshold: r.threshold,
            pValue: o.pValue,
            window: EventWindow(
                start: RFC3339.format(e.start), end: RFC3339.format(e.end),
                events: e.labelled),
            baselineID: baselineID,
            fingerprint: Fingerprint.of(model, version, "performance", metric, r.bound.rawValue),
            firedAt: RFC3339.format(o.firedAt ?? e.end), missingShare: 0, unseenShare: 0,
            outOfRangeShare: 0, reason: reason, performance: evidence)
    }

    // MARK: - Persistence

    /// The state to persist, with the newest `maxPredictions` held predictions at most.
    /// - Parameter maxPredictions: Cap on saved predictions.
    /// - Returns: The state.
    public func state(maxPredictions: Int) -> State {
        var state = State(baselineID: baselineID, store: store.state(limit: maxPredictions), tracker: tracker.state)
        state.estimatedAlerts = estimatedAlerts
        return state
    }

    /// Restores a saved state; returns false (keeping a fresh state) when it belongs to another
    /// baseline or its window does not fit this rule. Held predictions are restored in any case
    /// of a matching baseline, up to this rule's capacity.
    /// - Parameter state: Saved state.
    /// - Returns: Whether the window and alert state were restored.
    @discardableResult
    public mutating func restore(_ state: State) -> Bool {
        guard state.baselineID == baselineID else { return false }
        store = PredictionStore(capacity: rule.maxPending, ttl: rule.labelTTL, state: state.store)
        if let saved = state.estimatedAlerts, saved.count == estimatedAlerts.count { estimatedAlerts = saved }
        guard let restored = AccuracyTracker(rule: rule, task: task, state: state.tracker) else { return false }
        tracker = restored
        return true
    }
}
