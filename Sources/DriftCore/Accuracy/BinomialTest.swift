import Foundation

/// The exact one-sided binomial test behind accuracy alerts.
public enum BinomialTest {
    /// `P(X <= successes)` for `X ~ Binomial(trials, probability)`: the p-value of observing
    /// at most `successes` correct predictions out of `trials` if the true accuracy were
    /// `probability` (one-sided, "accuracy is lower").
    ///
    /// Summed exactly in log space: below the mode from `successes` downwards, otherwise as
    /// `1 - P(X > successes)` upwards; both directions sum terms that shrink geometrically and
    /// stop when a term no longer changes the sum. Out-of-domain
    /// arguments give the limiting value: no trials, or `successes >= trials`, give 1;
    /// negative `successes` gives 0; `probability` is clamped to [0, 1].
    /// - Parameters:
    ///   - successes: Observed correct predictions.
    ///   - trials: Labelled predictions.
    ///   - probability: Accuracy under the null hypothesis.
    /// - Returns: The lower-tail probability in [0, 1].
    public static func lowerTail(successes k: Int, trials n: Int, probability: Double) -> Double {
        if n <= 0 || k >= n { return 1 }
        if k < 0 { return 0 }
        guard !probability.isNaN else { return .nan }
        let p = min(1, max(0, probability))
        if p == 0 { return 1 }
        if p == 1 { return 0 }
        let nd = Double(n)
        let logP = log(p)
        let log1mP = log1p(-p)
        func logPMF(_ i: Double) -> Double {
            SpecialFunctions.logGamma(nd + 1) - SpecialFunctions.logGamma(i + 1) - SpecialFunctions.logGamma(nd - i + 1)
                + i * logP + (nd - i) * log1mP
        }
        let mode = ((nd + 1) * p).rounded(.down)
        if Double(k) < mode {
            // Below the mode terms shrink going down: sum P(X = k), P(X = k-1), ... relative to
            // the first (largest) term, so nothing underflows before it matters.
            var i = Double(k)
            let first = logPMF(i)
            var logTerm = first
            var sum = 1.0
            while i > 0 {
                // pmf(i-1) / pmf(i) = i (1-p) / ((n-i+1) p)
                logTerm += log(i * (1 - p) / ((nd - i + 1) * p))
                i -= 1
                let term = exp(logTerm - first)
                sum += term
                if term < sum * 1e-17 { break }
            }
            return min(1, exp(first + log(sum)))
        }
        // At or above the mode: 1 - P(X >= k+1), summing upwards where terms shrink.
        var i = Double(k + 1)
        let first = logPMF(i)
        var logTerm = first
        var sum = 1.0
        while i < nd {
            // pmf(i+1) / pmf(i) = (n-i) p / ((i+1) (1-p))
            logTerm += log((nd - i) * p / ((i + 1) * (1 - p)))
            i += 1
            let term = exp(logTerm - first)
            sum += term
            if term < sum * 1e-17 { break }
        }
        return max(0, 1 - min(1, exp(first + log(sum))))
    }
}
