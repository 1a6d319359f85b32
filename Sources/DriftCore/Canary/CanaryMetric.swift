/// A quantity a canary comparison tests between the candidate and the incumbent version
/// (`versions.canaries[].compare`; docs/statistics.md, "Canary comparison").
public enum CanaryMetric: String, Sendable, Codable, CaseIterable, Equatable, Comparable {
    /// The prediction distribution: the mean of a numeric prediction, or the share of each
    /// category of a categorical prediction. Worse in either direction; margin in prediction
    /// units (shares for categories).
    case prediction
    /// Each feature's drift: the mean of each numeric feature in units of its baseline standard
    /// deviation, the share of each category of a categorical feature. Worse in either direction;
    /// margin in standard deviations (shares for categories).
    case features
    /// Latency: the mean of `ln(latency_ms)` (a scale shift of the whole distribution, p99
    /// included). Worse when higher; the margin is a ratio (`1.2`: 20 % slower), compared on the
    /// log scale. Payloads carry each version's p99 beside the test.
    case latency
    /// The share of the version's events dead-lettered (rejected by the decoder or the
    /// processor). Worse when higher; margin in shares (`0.01`: one point more).
    case rejectRate = "reject_rate"
    /// Accuracy on delayed labels (the share of joined labels equal to the predicted class; models
    /// tracking performance, classification). Worse when lower; margin in shares.
    case accuracy

    public static func < (a: CanaryMetric, b: CanaryMetric) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
