/// When a model's drift is broad enough to ask for retraining.
public struct RetrainRule: Sendable, Equatable, Codable {
    /// Share of monitored features firing at which a retrain event is published (0...1).
    public var driftShare: Double
    /// Minimum event time between two retrain events of one model.
    public var cooldown: Duration
    /// Whether retrain events are published for this model.
    public var enabled: Bool

    /// Creates a rule; every parameter has the default described on its property.
    public init(driftShare: Double = 0.5, cooldown: Duration = .seconds(6 * 3_600), enabled: Bool = true) {
        self.driftShare = driftShare
        self.cooldown = cooldown
        self.enabled = enabled
    }

    enum CodingKeys: String, CodingKey {
        case driftShare, enabled
        case cooldown = "cooldownMillis"
    }

    /// Decodes a rule, the cooldown from integer milliseconds under `cooldownMillis`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        driftShare = try c.decode(Double.self, forKey: .driftShare)
        cooldown = .milliseconds(try c.decode(Int64.self, forKey: .cooldown))
        enabled = try c.decode(Bool.self, forKey: .enabled)
    }

    /// Encodes a rule, the cooldown as integer milliseconds under `cooldownMillis`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(driftShare, forKey: .driftShare)
        try c.encode(cooldown.wholeMilliseconds, forKey: .cooldown)
        try c.encode(enabled, forKey: .enabled)
    }
}
