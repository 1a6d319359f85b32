/// The `data` of an `io.driftd.alert` CloudEvent: a feature (or the prediction) drifted or recovered.
///
/// Documented in docs/events.md with a JSON Schema (docs/schemas/alert-event.schema.json).
public struct AlertPayload: Sendable, Codable, Equatable {
    /// Alert status.
    public enum Status: String, Sendable, Codable {
        case firing
        case resolved
    }

    /// Model identifier.
    public var model: String
    /// Model version of the baseline compared against.
    public var version: String
    /// Feature name; `nil` for model-level alerts (prediction drift).
    public var feature: String?
    /// `feature`, `prediction`, `accuracy` (the legacy `min_accuracy` floor) or `performance` (a performance rule).
    public var target: String
    /// Firing or resolved.
    public var status: Status
    /// Severity from the feature's rule.
    public var severity: Severity
    /// Statistic that decided (`missing_rate` or `unseen_categories` when those decided).
    public var method: String
    /// The statistic's value on the window.
    public var score: Double
    /// The threshold it was compared with.
    public var threshold: Double
    /// p-value of the significance test, when there is one.
    public var pValue: Double?
    /// Window evaluated.
    public var window: EventWindow
    /// Baseline identifier.
    public var baselineID: String
    /// Stable identifier of the alert series (model, target, feature): de-duplication key.
    public var fingerprint: String
    /// When the current firing started, RFC 3339.
    public var firedAt: String
    /// Share of missing values in the window.
    public var missingShare: Double
    /// Share of categorical values not seen in training.
    public var unseenShare: Double
    /// Share of numeric values outside the training range.
    public var outOfRangeShare: Double
    /// A sentence for humans: what moved.
    public var reason: String
    /// Target `performance`: the metric, its value and interval, the rule's bound.
    public var performance: PerformanceEvidence?
    /// Targets `feature` and `prediction`: the bins or categories whose share moved most.
    public var evidence: DriftEvidence?
    /// Targets `prediction` and `performance`: the features whose move explains the prediction
    /// shift (`PredictionAttribution`), largest first; absent when the baseline has no
    /// per-bin prediction means.
    public var attribution: [FeatureAttribution]?

    public init(
        model: String, version: String, feature: String?, target: String, status: Status, severity: Severity,
        method: String, score: Double, threshold: Double, pValue: Double?, window: EventWindow, baselineID: String,
        fingerprint: String, firedAt: String, missingShare: Double, unseenShare: Double, outOfRangeShare: Double,
        reason: String, performance: PerformanceEvidence? = nil, evidence: DriftEvidence? = nil,
        attribution: [FeatureAttribution]? = nil
    ) {
        self.performance = performance
        self.evidence = evidence
        self.attribution = attribution
        self.model = model
        self.version = version
        self.feature = feature
        self.target = target
        self.status = status
        self.severity = severity
        self.method = method
        self.score = score
        self.threshold = threshold
        self.pValue = pValue
        self.window = window
        self.baselineID = baselineID
        self.fingerprint = fingerprint
        self.firedAt = firedAt
        self.missingShare = missingShare
        self.unseenShare = unseenShare
        self.outOfRangeShare = outOfRangeShare
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case model, version, feature, target, status, severity, method, score, threshold, window, fingerprint, reason
        case pValue = "p_value"
        case baselineID = "baseline_id"
        case firedAt = "fired_at"
        case missingShare = "missing_share"
        case unseenShare = "unseen_share"
        case outOfRangeShare = "out_of_range_share"
        case performance, evidence, attribution
    }

    /// Encodes `feature` as an explicit null for model-level alerts.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(version, forKey: .version)
        try c.encode(feature, forKey: .feature)
        try c.encode(target, forKey: .target)
        try c.encode(status, forKey: .status)
        try c.encode(severity, forKey: .severity)
        try c.encode(method, forKey: .method)
        try c.encode(score, forKey: .score)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(pValue, forKey: .pValue)
        try c.encode(window, forKey: .window)
        try c.encode(baselineID, forKey: .baselineID)
        try c.encode(fingerprint, forKey: .fingerprint)
        try c.encode(firedAt, forKey: .firedAt)
        try c.encode(missingShare, forKey: .missingShare)
        try c.encode(unseenShare, forKey: .unseenShare)
        try c.encode(outOfRangeShare, forKey: .outOfRangeShare)
        try c.encode(reason, forKey: .reason)
        try c.encodeIfPresent(performance, forKey: .performance)
        try c.encodeIfPresent(evidence, forKey: .evidence)
        try c.encodeIfPresent(attribution, forKey: .attribution)
    }
}
