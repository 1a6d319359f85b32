/// A drift method's output on one pair of histograms.
public struct DriftScore: Sendable, Equatable {
    /// Effect size compared with the threshold (does not grow with the sample size).
    public var score: Double
    /// The method's own statistic (equal to `score` for distances; X², G, T, standardised A², z for tests).
    public var statistic: Double
    /// The method's own p-value, if it has one.
    public var pValue: Double?

    /// Creates a score.
    public init(score: Double, statistic: Double, pValue: Double?) {
        self.score = score
        self.statistic = statistic
        self.pValue = pValue
    }

    /// A plain distance: score and statistic are the distance, no p-value.
    public init(distance: Double) {
        self.init(score: distance, statistic: distance, pValue: nil)
    }
}
