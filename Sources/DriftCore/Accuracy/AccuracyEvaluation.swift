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
    /// Start of the current firing episode, epoch ms.
    public var firedAtMillis: Int64?
    /// Earliest label event time in the window, epoch ms.
    public var startMillis: Int64
    /// Latest label event time in the window, epoch ms.
    public var endMillis: Int64
    /// Every metric of the window (nil only for evaluations made without pairs).
    public var performance: PerformanceMetrics?
    /// The performance rules' outcomes, in rule order.
    public var rules: [PerformanceRuleOutcome]
    /// The label-free estimate on the same window's predictions, beside the realised metrics
    /// (models whose baseline has a performance reference).
    public var estimate: PerformanceEstimate?
    /// Earliest event time of the window's labelled predictions (the data to retrain on), epoch ms.
    public var dataStartMillis: Int64
    /// Latest event time of the window's labelled predictions, epoch ms.
    public var dataEndMillis: Int64

    /// Creates an evaluation.
    /// - Parameters:
    ///   - accuracy: Window accuracy.
    ///   - correct: Correct predictions.
    ///   - labelled: Scored labels.
    ///   - pValue: Binomial p-value.
    ///   - verdict: Policy verdict.
    ///   - firing: Alert firing afterwards.
    ///   - transition: Transition to publish.
    ///   - firedAtMillis: Firing start.
    ///   - startMillis: Window start.
    ///   - endMillis: Window end.
    ///   - performance: The window's metrics.
    ///   - rules: Performance rule outcomes.
    ///   - dataStartMillis: Earliest prediction time (default: `startMillis`).
    ///   - dataEndMillis: Latest prediction time (default: `endMillis`).
    public init(
        accuracy: Double, correct: Int, labelled: Int, pValue: Double?, verdict: AlertVerdict, firing: Bool,
        transition: AlertStateMachine.Transition?, firedAtMillis: Int64?, startMillis: Int64, endMillis: Int64,
        performance: PerformanceMetrics? = nil, rules: [PerformanceRuleOutcome] = [], dataStartMillis: Int64? = nil,
        dataEndMillis: Int64? = nil
    ) {
        self.performance = performance
        self.rules = rules
        self.dataStartMillis = dataStartMillis ?? startMillis
        self.dataEndMillis = dataEndMillis ?? endMillis
        self.accuracy = accuracy
        self.correct = correct
        self.labelled = labelled
        self.pValue = pValue
        self.verdict = verdict
        self.firing = firing
        self.transition = transition
        self.firedAtMillis = firedAtMillis
        self.startMillis = startMillis
        self.endMillis = endMillis
    }
}
