/// When a feature's drift score raises and clears an alert.
///
/// An alert fires after the score has been at or above `threshold` for `forEvaluations`
/// consecutive evaluations, and resolves after it has stayed below `resolveThreshold`
/// (hysteresis) for `forEvaluations` consecutive evaluations. After resolving, it cannot
/// fire again for `cooldown` of event time (flap suppression).
///
/// `sequential` adds per-event detection (`ColumnDetector`: CUSUMs for the mean and scale of
/// numeric columns, category shares, missing, unseen and out-of-range shares): an alarm fires
/// the alert at once, without waiting for a window evaluation or `forEvaluations`; resolving
/// stays with the window evaluations. Its false-alarm rate comes from the model's
/// `FalseAlertBudget` unless `sequentialRunLength` fixes it for the column.
public struct AlertRule: Sendable, Equatable, Codable {
    /// Statistic to use; `nil` selects one automatically by feature type and sample size.
    public var method: DriftMethod?
    /// Score at or above which the feature counts as drifted; `nil` uses the method's default.
    public var threshold: Double?
    /// Score below which a firing alert may resolve; `nil` means 0.8 x threshold.
    public var resolveThreshold: Double?
    /// Significance level for methods with a p-value: drift also needs p < alpha.
    public var alpha: Double
    /// Consecutive evaluations needed to fire, and to resolve.
    public var forEvaluations: Int
    /// Minimum event time between a resolve and the next firing (whole milliseconds count).
    public var cooldown: Duration
    /// Minimum window events before a verdict is given.
    public var minSamples: Int
    /// Severity carried by alerts of this rule.
    public var severity: Severity
    /// Whether the feature is monitored at all.
    public var enabled: Bool
    /// Whether sequential (per-event) detection runs next to the window.
    public var sequential: Bool
    /// `nil` (the default): the column's detectors share the model's false-alert budget. Set:
    /// in-control average run length of the column's sequential detection as a whole, in events
    /// (about one false alarm per this many events of an unchanged column; > 1), split equally
    /// over its detector lanes, outside the budget (config `sequential.run_length`).
    public var sequentialRunLength: Double?

    /// Creates a rule; every parameter has the default described on its property.
    public init(
        method: DriftMethod? = nil, threshold: Double? = nil, resolveThreshold: Double? = nil,
        alpha: Double = 0.01, forEvaluations: Int = 2, cooldown: Duration = .seconds(600),
        minSamples: Int = 500, severity: Severity = .warning, enabled: Bool = true,
        sequential: Bool = true, sequentialRunLength: Double? = nil
    ) {
        self.method = method
        self.threshold = threshold
        self.resolveThreshold = resolveThreshold
        self.alpha = alpha
        self.forEvaluations = forEvaluations
        self.cooldown = cooldown
        self.minSamples = minSamples
        self.severity = severity
        self.enabled = enabled
        self.sequential = sequential
        self.sequentialRunLength = sequentialRunLength
    }

    enum CodingKeys: String, CodingKey {
        case method, threshold, resolveThreshold, alpha, forEvaluations, minSamples, severity, enabled
        case cooldown = "cooldownMillis"
        case sequential, sequentialRunLength
    }

    /// Decodes a rule; `sequential` and `sequentialRunLength` may be absent (rules encoded
    /// before they existed, or no run length set) and then take their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            method: try c.decodeIfPresent(DriftMethod.self, forKey: .method),
            threshold: try c.decodeIfPresent(Double.self, forKey: .threshold),
            resolveThreshold: try c.decodeIfPresent(Double.self, forKey: .resolveThreshold),
            alpha: try c.decode(Double.self, forKey: .alpha),
            forEvaluations: try c.decode(Int.self, forKey: .forEvaluations),
            cooldown: .milliseconds(try c.decode(Int64.self, forKey: .cooldown)),
            minSamples: try c.decode(Int.self, forKey: .minSamples),
            severity: try c.decode(Severity.self, forKey: .severity),
            enabled: try c.decode(Bool.self, forKey: .enabled),
            sequential: try c.decodeIfPresent(Bool.self, forKey: .sequential) ?? true,
            sequentialRunLength: try c.decodeIfPresent(Double.self, forKey: .sequentialRunLength))
    }

    /// Encodes a rule, the cooldown as integer milliseconds under `cooldownMillis` (the format
    /// of rules encoded before it was a `Duration`).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(method, forKey: .method)
        try c.encodeIfPresent(threshold, forKey: .threshold)
        try c.encodeIfPresent(resolveThreshold, forKey: .resolveThreshold)
        try c.encode(alpha, forKey: .alpha)
        try c.encode(forEvaluations, forKey: .forEvaluations)
        try c.encode(cooldown.wholeMilliseconds, forKey: .cooldown)
        try c.encode(minSamples, forKey: .minSamples)
        try c.encode(severity, forKey: .severity)
        try c.encode(enabled, forKey: .enabled)
        try c.encode(sequential, forKey: .sequential)
        try c.encodeIfPresent(sequentialRunLength, forKey: .sequentialRunLength)
    }
}
