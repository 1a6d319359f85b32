/// The `data` of an `io.driftd.retrain` CloudEvent: a model drifted broadly enough to retrain
/// (`trigger` `drift_share`), or a performance rule with `retrain: true` fired (`trigger`
/// `performance`). Both triggers share the model's retrain cooldown.
public struct RetrainPayload: Sendable, Codable, Equatable {
    /// What asked for the retrain.
    public enum Trigger: String, Sendable, Codable {
        /// The share of drifting features reached `retrain.drift_share`.
        case driftShare = "drift_share"
        /// A performance rule with `retrain: true` fired.
        case performance
    }

    /// One drifted feature behind the request.
    public struct Evidence: Sendable, Codable, Equatable {
        public var feature: String
        public var method: String
        public var score: Double
        public var threshold: Double
        public var pValue: Double?

        public init(feature: String, method: String, score: Double, threshold: Double, pValue: Double?) {
            self.feature = feature
            self.method = method
            self.score = score
            self.threshold = threshold
            self.pValue = pValue
        }

        enum CodingKeys: String, CodingKey {
            case feature, method, score, threshold
            case pValue = "p_value"
        }
    }

    /// Model identifier.
    public var model: String
    /// Model version whose baseline no longer fits.
    public var version: String
    /// Baseline identifier.
    public var baselineID: String
    /// A sentence for humans.
    public var reason: String
    /// Share of monitored features firing.
    public var driftShare: Double
    /// The configured share that triggered the request.
    public var threshold: Double
    /// The firing features and their scores.
    public var evidence: [Evidence]
    /// Event-time range of the data that triggered the request (for `performance`: of the
    /// labelled predictions in the window, the data to retrain on).
    public var dataRange: EventWindow
    /// What asked for the retrain.
    public var trigger: Trigger
    /// For `performance`: the metric, its value and interval, the rule's bound.
    public var performance: PerformanceEvidence?

    public init(
        model: String, version: String, baselineID: String, reason: String, driftShare: Double, threshold: Double,
        evidence: [Evidence], dataRange: EventWindow, trigger: Trigger = .driftShare,
        performance: PerformanceEvidence? = nil
    ) {
        self.trigger = trigger
        self.performance = performance
        self.model = model
        self.version = version
        self.baselineID = baselineID
        self.reason = reason
        self.driftShare = driftShare
        self.threshold = threshold
        self.evidence = evidence
        self.dataRange = dataRange
    }

    enum CodingKeys: String, CodingKey {
        case model, version, reason, threshold, evidence, trigger, performance
        case baselineID = "baseline_id"
        case driftShare = "drift_share"
        case dataRange = "data_range"
    }

    /// Decodes a payload; one without `trigger` (published before performance triggers) is `drift_share`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            model: try c.decode(String.self, forKey: .model), version: try c.decode(String.self, forKey: .version),
            baselineID: try c.decode(String.self, forKey: .baselineID),
            reason: try c.decode(String.self, forKey: .reason),
            driftShare: try c.decode(Double.self, forKey: .driftShare),
            threshold: try c.decode(Double.self, forKey: .threshold),
            evidence: try c.decode([Evidence].self, forKey: .evidence),
            dataRange: try c.decode(EventWindow.self, forKey: .dataRange),
            trigger: try c.decodeIfPresent(Trigger.self, forKey: .trigger) ?? .driftShare,
            performance: try c.decodeIfPresent(PerformanceEvidence.self, forKey: .performance))
    }

    /// Encodes every key; `performance` only for performance triggers.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(version, forKey: .version)
        try c.encode(baselineID, forKey: .baselineID)
        try c.encode(reason, forKey: .reason)
        try c.encode(driftShare, forKey: .driftShare)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(evidence, forKey: .evidence)
        try c.encode(dataRange, forKey: .dataRange)
        try c.encode(trigger, forKey: .trigger)
        try c.encodeIfPresent(performance, forKey: .performance)
    }
}
