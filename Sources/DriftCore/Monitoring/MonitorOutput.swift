/// What a model monitor produces as its window slides.
public enum MonitorOutput: Sendable, Equatable {
    /// A window was evaluated: every column's verdict (for metrics and displays).
    case evaluation(EvaluationReport)
    /// An alert changed state: publish to the alert topic.
    case alert(AlertPayload)
    /// The model drifted broadly: publish to the retrain topic.
    case retrain(RetrainPayload)
    /// A canary comparison decided: publish `io.driftd.rollback` or `io.driftd.promote` to the alert topic.
    case canary(CanaryPayload)
}
