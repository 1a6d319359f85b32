/// What joining one label event produced.
public struct LabelJoin: Sendable, Equatable {
    /// What became of the label.
    public var outcome: LabelOutcome
    /// For joined labels: whether the prediction was right.
    public var correct: Bool?
    /// The window evaluation, when the label closed a pane.
    public var evaluation: AccuracyEvaluation?
    /// The accuracy alert to publish (`target` "accuracy"), when the evaluation changed its state.
    public var alert: AlertPayload?
    /// Performance rule alerts to publish (target "performance"), in rule order.
    public var ruleAlerts: [AlertPayload] = []
    /// Retrain requests of performance rules with `retrain: true` that fired.
    public var retrain: [PerformanceRetrainRequest] = []

    /// Creates a join result.
    /// - Parameters:
    ///   - outcome: The outcome.
    ///   - correct: Correctness of a joined label.
    ///   - evaluation: Window evaluation, if a pane closed.
    ///   - alert: Alert transition, if any.
    ///   - ruleAlerts: Performance rule alerts.
    ///   - retrain: Performance retrain requests.
    public init(
        outcome: LabelOutcome, correct: Bool? = nil, evaluation: AccuracyEvaluation? = nil, alert: AlertPayload? = nil,
        ruleAlerts: [AlertPayload] = [], retrain: [PerformanceRetrainRequest] = []
    ) {
        self.ruleAlerts = ruleAlerts
        self.retrain = retrain
        self.outcome = outcome
        self.correct = correct
        self.evaluation = evaluation
        self.alert = alert
    }
}
