/// What one evaluation made of one performance rule.
public struct PerformanceRuleOutcome: Sendable, Equatable {
    /// The rule.
    public var rule: PerformanceRule
    /// The metric's value on the window; nil when undefined or below `min_samples`.
    public var value: Double?
    /// One-sided p-value of "the metric is on the good side of the bound"; nil without a value
    /// or without an interval.
    public var pValue: Double?
    /// The value's interval; nil when it could not be formed.
    public var interval: MetricInterval?
    /// What the alert policy made of it.
    public var verdict: AlertVerdict
    /// Whether the rule's alert is firing afterwards.
    public var firing: Bool
    /// The transition to publish, if any.
    public var transition: AlertStateMachine.Transition?
    /// Event time when the current firing episode started.
    public var firedAt: EventTime?

    /// Creates an outcome.
    /// - Parameters:
    ///   - rule: Rule.
    ///   - value: Window value.
    ///   - pValue: p-value.
    ///   - interval: Interval.
    ///   - verdict: Verdict.
    ///   - firing: Firing afterwards.
    ///   - transition: Transition.
    ///   - firedAt: Firing start.
    public init(
        rule: PerformanceRule, value: Double?, pValue: Double?, interval: MetricInterval?, verdict: AlertVerdict,
        firing: Bool, transition: AlertStateMachine.Transition?, firedAt: EventTime?
    ) {
        self.rule = rule
        self.value = value
        self.pValue = pValue
        self.interval = interval
        self.verdict = verdict
        self.firing = firing
        self.transition = transition
        self.firedAt = firedAt
    }
}
