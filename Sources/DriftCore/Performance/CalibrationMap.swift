/// A monotone map from a binary classifier's score to the probability of class 1, fitted by
/// isotonic regression on labelled data (the calibration behind estimated performance).
///
/// As scikit-learn's `IsotonicRegression(out_of_bounds="clip")`: scores are grouped by value
/// (the label mean of each distinct score, weighted by its count), the pool-adjacent-violators
/// algorithm makes the means non-decreasing, points inside a constant stretch are dropped, and
/// a score is mapped by linear interpolation between the kept points, clipped to the fitted
/// range. Goldens against scikit-learn in `PerformanceEstimatorTests`.
public struct CalibrationMap: Sendable, Codable, Equatable {
    /// Kept scores, strictly ascending.
    public var scores: [Double]
    /// Calibrated probability at each kept score, non-decreasing.
    public var probabilities: [Double]

    /// Creates a map from its points (as stored in a baseline).
    /// - Parameters:
    ///   - scores: Strictly ascending scores.
    ///   - probabilities: Probabilities, one per score.
    public init(scores: [Double], probabilities: [Double]) {
        self.scores = scores
        self.probabilities = probabilities
    }

    /// Fits the map; nil without a finite pair.
    /// - Parameters:
    ///   - scores: Scores.
    ///   - labels: Labels, 0 or 1 (read up to the shorter array; pairs with a non-finite score are left out).
    public init?(fitting scores: [Double], labels: [Double]) {
        let n = min(scores.count, labels.count)
        let order = (0..<n).filter { scores[$0].isFinite }.sorted { scores[$0] < scores[$1] }
        guard !order.isEmpty else { return nil }
        // Distinct scores with their label sums and counts.
        var x: [Double] = []
        var sum: [Double] = []
        var weight: [Double] = []
        for i in order {
            if let last = x.last, last == scores[i] {
                sum[sum.count - 1] += labels[i]
                weight[weight.count - 1] += 1
            } else {
                x.append(scores[i])
                sum.append(labels[i])
                weight.append(1)
            }
        }
        // Pool adjacent violators on the means: blocks of (mean, weight, count of distinct x).
        var means: [Double] = []
        var weights: [Double] = []
        var sizes: [Int] = []
        for k in x.indices {
            means.append(sum[k] / weight[k])
            weights.append(weight[k])
            sizes.append(1)
            while means.count > 1 && means[means.count - 2] > means[means.count - 1] {
                let w = weights[weights.count - 2] + weights[weights.count - 1]
                let m =
                    (means[means.count - 2] * weights[weights.count - 2] + means[means.count - 1]
                        * weights[weights.count - 1]) / w
                let size = sizes[sizes.count - 2] + sizes[sizes.count - 1]
                means.removeLast(2)
                weights.removeLast(2)
                sizes.removeLast(2)
                means.append(m)
                weights.append(w)
                sizes.append(size)
            }
        }
        var y: [Double] = []
        y.reserveCapacity(x.count)
        for (m, size) in zip(means, sizes) { y.append(contentsOf: repeatElement(m, count: size)) }
        // Keep the first and last point and every point whose value differs from a neighbour's.
        var keptX: [Double] = []
        var keptY: [Double] = []
        for k in x.indices where k == 0 || k == x.count - 1 || y[k] != y[k - 1] || y[k] != y[k + 1] {
            keptX.append(x[k])
            keptY.append(y[k])
        }
        self.init(scores: keptX, probabilities: keptY)
    }

    /// The calibrated probability of a score (linear between kept points, clipped to their range).
    /// - Parameter score: The score.
    /// - Returns: The probability of class 1.
    public func probability(_ score: Double) -> Double {
        guard let first = scores.first, let last = scores.last, !probabilities.isEmpty else { return score }
        if score <= first || scores.count == 1 { return probabilities[0] }
        if score >= last { return probabilities[probabilities.count - 1] }
        // The last kept score at or below `score`.
        var lo = 0
        var hi = scores.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if scores[mid] <= score { lo = mid } else { hi = mid }
        }
        if scores[lo] == score { return probabilities[lo] }
        let t = (score - scores[lo]) / (scores[hi] - scores[lo])
        return probabilities[lo] + t * (probabilities[hi] - probabilities[lo])
    }
}
