/// When a model's drift is broad enough to ask for retraining.
public struct RetrainRule: Sendable, Equatable, Codable {
    /// Share of monitored features firing at which a retrain event is published (0...1).
    public var driftShare: Double
    /// Minimum time between two retrain events of one model, milliseconds.
    public var cooldownMillis: Int64
    /// Whether retrain events are published for this model.
    public var enabled: Bool

    public init(driftShare: Double = 0.5, cooldownMillis: Int64 = 6 * 3_600_000, enabled: Bool = true) {
        self.driftShare = driftShare
        self.cooldownMillis = cooldownMillis
        self.enabled = enabled
    }
}
