/// Result of a two-proportion z-test (pooled variance, two-sided).
public struct TwoProportionTestResult: Sendable, Equatable {
    /// Share in the first group (the baseline).
    public var firstShare: Double
    /// Share in the second group (the window).
    public var secondShare: Double
    /// The z statistic, positive when the second share is larger.
    public var z: Double
    /// Two-sided p-value.
    public var pValue: Double

    /// Creates a result.
    public init(firstShare: Double, secondShare: Double, z: Double, pValue: Double) {
        self.firstShare = firstShare
        self.secondShare = secondShare
        self.z = z
        self.pValue = pValue
    }

    /// `secondShare - firstShare`.
    public var difference: Double { secondShare - firstShare }
}
