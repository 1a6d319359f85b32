/// A (model, version)'s serving settings: latency sketch accuracy, cost pricing, objectives.
public struct ServingRule: Sendable, Codable, Equatable {
    /// Relative accuracy of the latency sketch (`QuantileSketch`), default 1 %.
    public var relativeAccuracy: Double
    /// Unit of costs, e.g. `USD` or `tokens` (reported in alerts and metrics help).
    public var costUnit: String
    /// Cost per 1,000 predictions of this version, for events without a `cost` field.
    public var costPer1000Predictions: Double?
    /// Latency and cost objectives.
    public var objectives: [ServingObjective]

    /// Creates a rule; defaults: 1 % accuracy, unit `USD`, no configured price, no objectives.
    public init(
        relativeAccuracy: Double = 0.01, costUnit: String = "USD", costPer1000Predictions: Double? = nil,
        objectives: [ServingObjective] = []
    ) {
        self.relativeAccuracy = relativeAccuracy
        self.costUnit = costUnit
        self.costPer1000Predictions = costPer1000Predictions
        self.objectives = objectives
    }
}
