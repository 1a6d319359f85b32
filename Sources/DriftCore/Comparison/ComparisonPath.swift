/// How a batch comparison scored a feature's distribution.
public enum ComparisonPath: String, Sendable, Equatable, Codable, CaseIterable {
    /// On the baseline's bins: the current column's histogram against the baseline counts
    /// (`FeatureEvaluator`); every method can take this path.
    case binned
    /// On raw values: every finite current value against the baseline's stored sample
    /// (`FeatureProfile.sample`) with the exact two-sample test (`TwoSampleTests`); taken by
    /// `ks`, `cramer_von_mises`, `anderson_darling` and `wasserstein` when the sample exists.
    case rawSample = "raw_sample"
}
