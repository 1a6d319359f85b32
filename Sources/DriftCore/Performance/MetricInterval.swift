import Foundation

/// A metric's value on a window with its confidence interval and the one-sided p-value of a
/// rule's bound: how sure driftd is that the metric is on the wrong side of it.
///
/// Two methods (docs/accuracy.md, "Significance"):
/// - **`clopper_pearson`** for proportions (accuracy, binary precision and recall): the exact
///   one-sided binomial test of "true value on the good side of the bound", and the
///   Clopper-Pearson interval whose two ends are each one-sided at `alpha` (so the interval has
///   confidence `1 - 2 alpha`, and the test rejects exactly when the bound is outside it).
/// - **`batch_means_t`** for every other metric: the metric on each closed pane of the window
///   gives the standard error `sd(pane values) / sqrt(panes)` of the window's value; the test
///   is a one-sided t test with `panes - 1` degrees of freedom and the interval
///   `value ± t(1 - alpha, panes - 1) x se`. It needs two panes with a value.
public struct MetricInterval: Sendable, Equatable {
    /// How the interval and p-value were computed.
    public enum Method: String, Sendable, Codable {
        /// Exact binomial test, Clopper-Pearson interval.
        case clopperPearson = "clopper_pearson"
        /// Batch means over the window's panes, Student t.
        case batchMeansT = "batch_means_t"
    }

    /// The window's value.
    public var value: Double
    /// Lower end of the interval.
    public var lower: Double
    /// Upper end of the interval.
    public var upper: Double
    /// Confidence of the two-sided interval, `1 - 2 alpha`.
    public var confidence: Double
    /// Method.
    public var method: Method

    /// Creates an interval.
    /// - Parameters:
    ///   - value: Value.
    ///   - lower: Lower end.
    ///   - upper: Upper end.
    ///   - confidence: Two-sided confidence.
    ///   - method: Method.
    public init(value: Double, lower: Double, upper: Double, confidence: Double, method: Method) {
        self.value = value
        self.lower = lower
        self.upper = upper
        self.confidence = confidence
        self.method = method
    }

    // MARK: - Proportions

    /// Clopper-Pearson interval of `successes / trials`, each end one-sided at `alpha`.
    /// - Parameters:
    ///   - successes: Successes.
    ///   - trials: Trials (> 0).
    ///   - alpha: One-sided level of each end.
    /// - Returns: The interval.
    public static func clopperPearson(successes k: Int, trials n: Int, alpha: Double) -> MetricInterval {
        let value = n > 0 ? Double(k) / Double(n) : 0
        // Upper end: the p with P(X <= k | p) = alpha; lower end: the p with P(X >= k | p) = alpha.
        let upper = k >= n ? 1 : bisect { BinomialTest.lowerTail(successes: k, trials: n, probability: $0) > alpha }
        let lower = k <= 0 ? 0 : bisect { upperTail(successes: k, trials: n, probability: $0) < alpha }
        return MetricInterval(
            value: value, lower: lower, upper: upper, confidence: 1 - 2 * alpha, method: .clopperPearson)
    }

    /// `P(X >= k)` for `X ~ Binomial(n, p)`.
    static func upperTail(successes k: Int, trials n: Int, probability p: Double) -> Double {
        k <= 0 ? 1 : max(0, 1 - BinomialTest.lowerTail(successes: k - 1, trials: n, probability: p))
    }

    /// The largest p in [0, 1] where `below(p)` holds (`below` true up to a point, false after).
    private static func bisect(_ below: (Double) -> Bool) -> Double {
        var lo = 0.0
        var hi = 1.0
        for _ in 0..<100 {
            let mid = (lo + hi) / 2
            if mid == lo || mid == hi { break }
            if below(mid) { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// One-sided exact binomial p-value of a bound on a proportion: for `below`, of seeing at
    /// most `k` successes if the true value were `threshold`; for `above`, at least `k`.
    /// - Parameters:
    ///   - successes: Successes.
    ///   - trials: Trials.
    ///   - threshold: The rule's bound.
    ///   - bound: Which side alerts.
    /// - Returns: The p-value.
    public static func binomialPValue(successes k: Int, trials n: Int, threshold: Double, bound: PerformanceRule.Bound)
        -> Double
    {
        switch bound {
        case .below: return BinomialTest.lowerTail(successes: k, trials: n, probability: threshold)
        case .above: return upperTail(successes: k, trials: n, probability: threshold)
        }
    }

    // MARK: - Batch means

    /// Batch-means t interval of a window value from its panes' values (nil with fewer than two).
    /// - Parameters:
    ///   - value: The window's value.
    ///   - paneValues: The metric on each closed pane where it is defined.
    ///   - alpha: One-sided level of each end.
    /// - Returns: The interval and the standard error.
    public static func batchMeans(value: Double, paneValues: [Double], alpha: Double) -> (
        interval: MetricInterval, standardError: Double
    )? {
        let m = paneValues.count
        guard m >= 2 else { return nil }
        let mean = paneValues.reduce(0, +) / Double(m)
        let variance = paneValues.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(m - 1)
        let se = (variance / Double(m)).squareRoot()
        let t = StudentT.quantile(1 - alpha, degreesOfFreedom: Double(m - 1))
        let interval = MetricInterval(
            value: value, lower: value - t * se, upper: value + t * se, confidence: 1 - 2 * alpha, method: .batchMeansT)
        return (interval, se)
    }

    /// One-sided t p-value of a bound from a batch-means standard error with `panes - 1`
    /// degrees of freedom; a zero standard error gives 0 when the value is past the bound, else 1.
    /// - Parameters:
    ///   - value: The window's value.
    ///   - standardError: Its batch-means standard error.
    ///   - panes: Panes behind it (at least 2).
    ///   - threshold: The rule's bound.
    ///   - bound: Which side alerts.
    /// - Returns: The p-value.
    public static func tPValue(
        value: Double, standardError se: Double, panes: Int, threshold: Double, bound: PerformanceRule.Bound
    ) -> Double {
        let past = bound == .below ? value < threshold : value > threshold
        guard se > 0 else { return past ? 0 : 1 }
        let t = (value - threshold) / se
        let nu = Double(max(1, panes - 1))
        return StudentT.cdf(bound == .below ? t : -t, degreesOfFreedom: nu)
    }
}
