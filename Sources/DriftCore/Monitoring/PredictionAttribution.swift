/// Which features explain a move of the model's predictions, from the baseline's per-bin mean
/// prediction (`FeatureProfile.predictionMeans`) and the window's bin shares.
///
/// For feature `f` with baseline bin shares `p_b`, window shares `q_b` and training mean
/// prediction `m_b` in bin `b`, the **prediction shift this feature's move alone would cause**
/// is `Σ_b (q_b - p_b) m_b`: the change of the mean prediction if the prediction depended on
/// `f` alone, through its bin (docs/statistics.md, "Why it moved"). Exact when the prediction
/// is additive in the features and the features are independent; with interactions or
/// correlated features it credits each feature with its marginal effect, so the shifts of
/// correlated features overlap. Bins without training rows (values beyond the training range,
/// unseen categories) take the training mean prediction of the feature's present rows: a move
/// into them counts as neutral (Σ (q - p) = 0, so a constant adds nothing).
public enum PredictionAttribution {
    /// Most features listed in an alert.
    public static let maxFeatures = 3

    /// Shift per feature, largest magnitude first (at most `limit`; features whose shift is 0 or
    /// cannot be computed are left out).
    /// - Parameters:
    ///   - profiles: Feature profiles, with `predictionMeans`.
    ///   - counts: The window's counts per bin, per feature (same order).
    ///   - limit: Most features listed.
    /// - Returns: The attributions.
    public static func rank(profiles: [FeatureProfile], counts: [[Double]], limit: Int = maxFeatures)
        -> [FeatureAttribution]
    {
        var result: [FeatureAttribution] = []
        for (profile, window) in zip(profiles, counts) {
            guard let shift = shift(profile: profile, counts: window), shift != 0 else { continue }
            result.append(FeatureAttribution(feature: profile.name, predictionShift: shift))
        }
        result.sort { abs($0.predictionShift) > abs($1.predictionShift) }
        return Array(result.prefix(max(0, limit)))
    }

    /// `Σ_b (q_b - p_b) m_b` for one feature; nil without prediction means or present values.
    /// - Parameters:
    ///   - profile: The feature's profile.
    ///   - counts: The window's counts per bin.
    /// - Returns: The prediction shift.
    public static func shift(profile: FeatureProfile, counts: [Double]) -> Double? {
        guard let means = profile.predictionMeans, means.count == profile.counts.count, counts.count == means.count
        else {
            return nil
        }
        let baselineTotal = profile.counts.reduce(0, +)
        let windowTotal = counts.reduce(0, +)
        guard baselineTotal > 0, windowTotal > 0 else { return nil }
        var weighted = 0.0
        var rows = 0.0
        for (m, n) in zip(means, profile.counts) {
            if let m {
                weighted += m * n
                rows += n
            }
        }
        guard rows > 0 else { return nil }
        let neutral = weighted / rows
        var sum = 0.0
        for b in means.indices {
            sum += (counts[b] / windowTotal - profile.counts[b] / baselineTotal) * (means[b] ?? neutral)
        }
        return sum
    }
}
