import Foundation

/// Distances between the bin proportions of a baseline and a window histogram (natural log).
///
/// With `p` the baseline and `q` the window proportions:
/// - PSI `= Σ (q - p) ln(q / p)` and KL `= Σ q ln(q / p)` (window relative to baseline) need
///   non-zero proportions: both sides are smoothed by adding `pseudoCount` (default 0.5,
///   the Jeffreys/Krichevsky-Trofimov prior) to every bin before normalising. A category seen
///   only in production, or a value beyond the training range, then gives a large but finite score.
/// - Jensen-Shannon, Hellinger, total variation and L-infinity are defined with empty bins and use
///   the raw proportions (`0 ln 0 = 0`).
/// If either histogram is empty every distance is 0 (no evidence of drift); callers report
/// such windows as insufficient data.
public enum HistogramDistance {
    /// Default additive smoothing for PSI and KL, per bin and per side.
    public static let defaultPseudoCount = 0.5

    /// Population stability index `Σ (q - p) ln(q / p)` on smoothed proportions; symmetric, >= 0.
    public static func psi(_ pair: HistogramPair, pseudoCount: Double = defaultPseudoCount) -> Double {
        guard pair.isComparable else { return 0 }
        let (p, q) = pair.smoothedProportions(pseudoCount: max(pseudoCount, .leastNormalMagnitude))
        var sum = 0.0
        for i in p.indices { sum += (q[i] - p[i]) * Foundation.log(q[i] / p[i]) }
        return max(0, sum)
    }

    /// Kullback-Leibler divergence of the window from the baseline, `Σ q ln(q / p)`, smoothed; >= 0.
    public static func klDivergence(_ pair: HistogramPair, pseudoCount: Double = defaultPseudoCount) -> Double {
        guard pair.isComparable else { return 0 }
        let (p, q) = pair.smoothedProportions(pseudoCount: max(pseudoCount, .leastNormalMagnitude))
        var sum = 0.0
        for i in p.indices { sum += q[i] * Foundation.log(q[i] / p[i]) }
        return max(0, sum)
    }

    /// Jensen-Shannon divergence `(KL(p||m) + KL(q||m)) / 2`, `m = (p + q) / 2`; range [0, ln 2].
    public static func jensenShannonDivergence(_ pair: HistogramPair) -> Double {
        guard pair.isComparable else { return 0 }
        let p = pair.baselineProportions
        let q = pair.windowProportions
        var sum = 0.0
        for i in p.indices {
            let m = (p[i] + q[i]) / 2
            if p[i] > 0 { sum += p[i] * Foundation.log(p[i] / m) }
            if q[i] > 0 { sum += q[i] * Foundation.log(q[i] / m) }
        }
        return min(Foundation.log(2.0), max(0, sum / 2))
    }

    /// Jensen-Shannon distance, the square root of the divergence; range [0, sqrt(ln 2)] ≈ [0, 0.8326].
    /// Equals `scipy.spatial.distance.jensenshannon(p, q)` (natural log).
    public static func jensenShannonDistance(_ pair: HistogramPair) -> Double {
        jensenShannonDivergence(pair).squareRoot()
    }

    /// Hellinger distance `sqrt(Σ (sqrt p - sqrt q)^2 / 2)` (= `sqrt(1 - Σ sqrt(p q))`, computed without
    /// the cancellation of the second form); range [0, 1].
    public static func hellinger(_ pair: HistogramPair) -> Double {
        guard pair.isComparable else { return 0 }
        let p = pair.baselineProportions
        let q = pair.windowProportions
        var sum = 0.0
        for i in p.indices {
            let d = p[i].squareRoot() - q[i].squareRoot()
            sum += d * d
        }
        return min(1, (sum / 2).squareRoot())
    }

    /// Total variation distance `Σ |p - q| / 2`; range [0, 1].
    public static func totalVariation(_ pair: HistogramPair) -> Double {
        guard pair.isComparable else { return 0 }
        let p = pair.baselineProportions
        let q = pair.windowProportions
        var sum = 0.0
        for i in p.indices { sum += abs(p[i] - q[i]) }
        return min(1, sum / 2)
    }

    /// L-infinity distance `max |p - q|`; range [0, 1].
    public static func lInfinity(_ pair: HistogramPair) -> Double {
        guard pair.isComparable else { return 0 }
        let p = pair.baselineProportions
        let q = pair.windowProportions
        var largest = 0.0
        for i in p.indices { largest = max(largest, abs(p[i] - q[i])) }
        return largest
    }
}
