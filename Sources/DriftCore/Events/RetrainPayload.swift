/// The `data` of an `io.driftd.retrain` CloudEvent: a model drifted broadly enough to retrain.
public struct RetrainPayload: Sendable, Codable, Equatable {
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
    /// Event-time range of the data that triggered the request.
    public var dataRange: EventWindow

    public init(
        model: String, version: String, baselineID: String, reason: String, driftShare: Double, threshold: Double,
        evidence: [Evidence], dataRange: EventWindow
    ) {
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
        case model, version, reason, threshold, evidence
        case baselineID = "baseline_id"
        case driftShare = "drift_share"
        case dataRange = "data_range"
    }
}
