/// When a feature's drift score raises and clears an alert.
///
/// An alert fires after the score has been at or above `threshold` for `forEvaluations`
/// consecutive evaluations, and resolves after it has stayed below `resolveThreshold`
/// (hysteresis) for `forEvaluations` consecutive evaluations. After resolving, it cannot
/// fire again for `cooldownMillis` (flap suppression).
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
    /// Minimum time between a resolve and the next firing, milliseconds.
    public var cooldownMillis: Int64
    /// Minimum window events before a verdict is given.
    public var minSamples: Int
    /// Severity carried by alerts of this rule.
    public var severity: Severity
    /// Whether the feature is monitored at all.
    public var enabled: Bool

    public init(
        method: DriftMethod? = nil, threshold: Double? = nil, resolveThreshold: Double? = nil,
        alpha: Double = 0.01, forEvaluations: Int = 2, cooldownMillis: Int64 = 600_000,
        minSamples: Int = 500, severity: Severity = .warning, enabled: Bool = true
    ) {
        self.method = method
        self.threshold = threshold
        self.resolveThreshold = resolveThreshold
        self.alpha = alpha
        self.forEvaluations = forEvaluations
        self.cooldownMillis = cooldownMillis
        self.minSamples = minSamples
        self.severity = severity
        self.enabled = enabled
    }
}
