/// The distribution of every synthetic feature at one point of a stream.
///
/// The synthetic model has four features: `x` numeric N(mean, std) with a missing share,
/// `y` numeric Exp(1) (skewed, never drifts), `c` categorical over `a b c d` plus the label
/// `e` that training never saw, and `f` binary `no`/`yes`.
struct FeatureDistributions: Equatable, Sendable {
    /// Mean of `x`.
    var xMean = 0.0
    /// Standard deviation of `x`.
    var xStd = 1.0
    /// Share of events where `x` is missing.
    var xMissingShare = 0.0
    /// Shares of `c`'s labels `a b c d e`, in `SyntheticModel.categoryLabels` order.
    var categoryShares = [0.4, 0.3, 0.2, 0.1, 0.0]
    /// Share of `f == "yes"`.
    var yesShare = 0.2

    /// The training distribution: what every stream starts with.
    static let stationary = FeatureDistributions()
}
