/// A test statistic with its p-value, when the test has one.
public struct StatisticResult: Sendable, Equatable {
    /// The statistic (or distance) itself.
    public var statistic: Double
    /// Probability under the null hypothesis (same distribution) of a statistic at least this
    /// extreme; `nil` for plain distances.
    public var pValue: Double?

    /// Creates a result.
    public init(statistic: Double, pValue: Double? = nil) {
        self.statistic = statistic
        self.pValue = pValue
    }
}
