/// Result of a chi-square or G test of homogeneity between a baseline and a window histogram.
public struct ContingencyTestResult: Sendable, Equatable {
    /// Pearson's X² or the G statistic.
    public var statistic: Double
    /// Degrees of freedom: bins with a count on either side, minus one.
    public var degreesOfFreedom: Int
    /// Chi-square survival probability of `statistic`.
    public var pValue: Double
    /// Cohen's w for two samples: `sqrt(statistic / (n m / (n + m)))`. With a baseline much
    /// larger than the window it is `sqrt(Σ (q - p)² / p)`; it does not grow with the window size.
    public var effectSize: Double

    /// Creates a result.
    public init(statistic: Double, degreesOfFreedom: Int, pValue: Double, effectSize: Double) {
        self.statistic = statistic
        self.degreesOfFreedom = degreesOfFreedom
        self.pValue = pValue
        self.effectSize = effectSize
    }

    /// The result when there is nothing to compare (an empty side, or a single occupied bin).
    public static let noEvidence = ContingencyTestResult(statistic: 0, degreesOfFreedom: 0, pValue: 1, effectSize: 0)
}
