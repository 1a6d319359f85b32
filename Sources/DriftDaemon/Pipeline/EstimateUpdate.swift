import DriftCore

/// A label-free performance estimate of a model's window of predictions (metrics).
public struct EstimateUpdate: Sendable, Equatable {
    /// Model identifier.
    public var model: String
    /// Model version of the baseline.
    public var version: String
    /// The estimate.
    public var estimate: PerformanceEstimate

    /// Creates an update.
    /// - Parameters:
    ///   - model: Model.
    ///   - version: Version.
    ///   - estimate: Estimate.
    public init(model: String, version: String, estimate: PerformanceEstimate) {
        self.model = model
        self.version = version
        self.estimate = estimate
    }
}
