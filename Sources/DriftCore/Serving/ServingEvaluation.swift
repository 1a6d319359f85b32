/// One evaluation of a (model, version)'s serving window: its latency percentiles and costs.
public struct ServingEvaluation: Sendable, Equatable {
    /// Model identifier.
    public var model: String
    /// Model version.
    public var version: String
    /// The window evaluated.
    public var snapshot: ServingSnapshot
    /// Latency percentiles of the window, milliseconds (absent when it holds no latency).
    public var latency: [LatencyStatistic: Double]
    /// Cost per hour, in the model's cost unit (`nil` when no cost is known).
    public var costPerHour: Double?
    /// Cost per 1,000 predictions (`nil` when no cost is known).
    public var costPer1000: Double?

    /// Creates an evaluation.
    public init(
        model: String, version: String, snapshot: ServingSnapshot, latency: [LatencyStatistic: Double],
        costPerHour: Double?, costPer1000: Double?
    ) {
        self.model = model
        self.version = version
        self.snapshot = snapshot
        self.latency = latency
        self.costPerHour = costPerHour
        self.costPer1000 = costPer1000
    }

    /// The value an objective of `kind` reads, and the samples it counts.
    public func value(of kind: ServingObjective.Kind) -> (value: Double?, samples: Int) {
        switch kind {
        case .latency(let s): return (latency[s], Int(snapshot.sketch.count))
        case .costPerHour: return (costPerHour, snapshot.events)
        case .costPer1000: return (costPer1000, snapshot.events)
        }
    }
}
