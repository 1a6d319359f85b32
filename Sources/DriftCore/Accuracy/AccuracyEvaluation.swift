/// One evaluation of a model's accuracy window (made each time a pane closes).
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
    /// Whether the accuracy alert is firing after this evaluation.
    public var firing: Bool
    /// The alert transition to publish, if any.
    public var transition: AlertStateMachine.Transition?
    /// Start of the current firing episode, epoch ms.
    public var firedAtMillis: Int64?
    /// Earliest label event time in the window, epoch ms.
    public var startMillis: Int64
    /// Latest label event time in the window, epoch ms.
    public var endMillis: Int64

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
    public init(
        accuracy: Double, correct: Int, labelled: Int, pValue: Double?, verdict: AlertVerdict, firing: Bool,
        transition: AlertStateMachine.Transition?, firedAtMillis: Int64?, startMillis: Int64, endMillis: Int64
    ) {
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
