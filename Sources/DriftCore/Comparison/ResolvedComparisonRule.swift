/// The rule a batch comparison applies to one feature, after every override layer.
public struct ResolvedComparisonRule: Sendable, Equatable {
    /// The effective rule; `method` and `threshold` are always set.
    public var rule: AlertRule
    /// The method used.
    public var method: DriftMethod
    /// The threshold used.
    public var threshold: Double
    /// Which layer chose the method.
    public var methodSource: ComparisonRuleSource
    /// Which layer chose the threshold.
    public var thresholdSource: ComparisonRuleSource
    /// Overrides that were skipped and why (e.g. a global numeric-only method on a categorical feature).
    public var notes: [String]

    /// Creates a resolved rule; `rule.method` and `rule.threshold` are set to `method` and `threshold`.
    /// - Parameters:
    ///   - rule: The configured rule (alpha, minimum samples, enabled).
    ///   - method: The method used.
    ///   - threshold: The threshold used.
    ///   - methodSource: Which layer chose the method.
    ///   - thresholdSource: Which layer chose the threshold.
    ///   - notes: Skipped overrides.
    public init(
        rule: AlertRule, method: DriftMethod, threshold: Double, methodSource: ComparisonRuleSource,
        thresholdSource: ComparisonRuleSource, notes: [String] = []
    ) {
        var rule = rule
        rule.method = method
        rule.threshold = threshold
        self.rule = rule
        self.method = method
        self.threshold = threshold
        self.methodSource = methodSource
        self.thresholdSource = thresholdSource
        self.notes = notes
    }
}
