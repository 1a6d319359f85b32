import DriftCore

/// One evaluation of a model's performance window, as the daemon reports it (metrics, replay).
public struct AccuracyUpdate: Sendable, Equatable {
    /// Model identifier.
    public var model: String
    /// Model version of the baseline.
    public var version: String
    /// The evaluation.
    public var evaluation: AccuracyEvaluation

    /// Creates an update.
    /// - Parameters:
    ///   - model: Model identifier.
    ///   - evaluation: The window evaluation.
    ///   - version: Model version (default empty).
    public init(model: String, evaluation: AccuracyEvaluation, version: String = "") {
        self.model = model
        self.evaluation = evaluation
        self.version = version
    }
}
