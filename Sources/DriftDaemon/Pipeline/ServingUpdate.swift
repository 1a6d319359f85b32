import DriftCore

/// What one batch did to a (model, version)'s serving figures, for the metrics.
public struct ServingUpdate: Sendable {
    /// Model identifier.
    public var model: String
    /// Model version.
    public var version: String
    /// Unit of costs (the model's `cost.unit`).
    public var costUnit: String
    /// The batch's latencies (events without one left out), for the latency histogram.
    public var latencies: [Double]
    /// The batch's cost: event `cost` fields, or the configured price for events without one.
    public var cost: Double
    /// The window's latest evaluation, when a pane closed in this batch.
    public var evaluation: ServingEvaluation?

    /// Creates an update.
    public init(
        model: String, version: String, costUnit: String, latencies: [Double], cost: Double,
        evaluation: ServingEvaluation?
    ) {
        self.model = model
        self.version = version
        self.costUnit = costUnit
        self.latencies = latencies
        self.cost = cost
        self.evaluation = evaluation
    }
}
