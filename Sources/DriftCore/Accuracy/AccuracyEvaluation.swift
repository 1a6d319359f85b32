/// One evaluation of a model's performance window (made each time a pane closes): accuracy and
/// its legacy `min_accuracy` alert, every metric, and the outcome of each performance rule.
public struct AccuracyEvaluation: Sendable, Equatable {
    /// Share of scored labels in the window equal to the prediction.
    public var accuracy: Double
    /// Correct predictions in the window.
    public var correct: Int
    /// Scored labels in the window.
    public var labelled: Int
    /// One-sided exact binomial p-value of "accuracy >= min_accuracy"; nil when the rule does
    /// not alert or the window is below `min_samples`.
    public var pValue: Double?
    /// What the alert policy made of it.
    public var verdict: AlertVerdict
    /// Whether an accuracy alert (the `min_accuracy` floor, or a performance rule on `accuracy`)
    /// is firing after this evaluation.
    public var firing: Bool
    /// The alert transition to publish, if any.
    public var transition: AlertStateMachine.Transition?
    /// Event time when the current firing episode started.
    public var firedAt: EventTime?
    /// Earliest label event time in the window.
    public var start: EventTime
    /// Latest label event time in the window.
    public var end: EventTime
    /// Every metric of the window (nil only for evaluations made without pairs).
    public var performance: PerformanceMetrics?
    /// The performance rules' outcomes, in rule order.
    public var rules: [PerformanceRuleOutcome]
    /// The label-free estimate on the same window's predictions, beside the realised metrics
    /// (models whose baseline has a performance reference).
    public var estimate: PerformanceEstimate?
    /// Earliest event time of the window's labelled predictions (the data to retrain on).
    public var dataStart: EventTime
    /// Latest event time of the window's labelled predictions.
    public var dataEnd: EventTime

    /// Creates an evaluation.
    /// - Parameters:
    ///   - accuracy: Window accuracy.
    ///   - correct: Correct predictions.
    ///   - labelled: Scored labels.
    ///   - pValue: Binomial p-value.
    ///   - verdict: Policy verdict.
    ///   - firing: Alert firing afterwards.
    ///   - transition: Transition to publish.
    ///   - firedAt: Firing start.
    ///   - start: Window start.
    ///   - end: Window end.
    ///   - performance: The window's metrics.
    ///   - rules: Performance rule outcomes.
    ///   - dataStart: Earliest prediction time (default: `start`).
    ///   - dataEnd: Latest prediction time (default: `end`).
    public init(
        accuracy: Double, correct: Int, labelled: Int, pValue: Double?, verdict: AlertVerdict, firing: Bool,
        transition: AlertStateMachine.Transition?, firedAt: EventTime?, start: EventTime, end: EventTime,
        performance: PerformanceMetrics? = nil, rules: [PerformanceRuleOutcome] = [], dataStart: EventTime? = nil,
        dataEnd: EventTime? = nil
    ) {
        self.performance = performance
        self.rules = rules
        self.dataStart = dataStart ?? start
        self.dataEnd = dataEnd ?? end
        self.accuracy = accuracy
        self.correct = correct
        self.labelled = labelled
        self.pValue = pValue
        self.verdict = verdict
        self.firing = firing
        self.transition = transition
        self.firedAt = firedAt
        self.start = start
        self.end = end
    }
}
