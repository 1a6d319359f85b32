import DriftCore

/// One evaluation of a model's accuracy window, as the daemon reports it (metrics, replay).
public struct AccuracyUpdate: Sendable, Equatable {
    /// Model identifier.
    public var model: String
    /// The evaluation.
    public var evaluation: AccuracyEvaluation

    /// Creates an update.
    /// - Parameters:
    ///   - model: Model identifier.
    ///   - evaluation: The window evaluation.
    public init(model: String, evaluation: AccuracyEvaluation) {
        self.model = model
        self.evaluation = evaluation
    }
}
