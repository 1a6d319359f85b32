import Foundation

/// Performance of a binary classifier estimated without labels, from its calibrated scores
/// (confidence-based performance estimation, as NannyML's CBPE).
///
/// With `p_i` the calibrated probability of class 1 of prediction `i` and `ŷ_i` its predicted
/// class (score at or above the threshold), the expected confusion counts are
/// `TP = Σ_{ŷ=1} p`, `FP = Σ_{ŷ=1} (1 - p)`, `FN = Σ_{ŷ=0} p`, `TN = Σ_{ŷ=0} (1 - p)`, and
/// accuracy, precision, recall and F1 are formed from them; ROC AUC is the Mann-Whitney
/// statistic with each prediction counted as a positive with weight `p` and a negative with
/// weight `1 - p` (pairs of a prediction with itself left out, ties counting half).
///
/// **Intervals** are for the *realised* metric of the window if the calibration holds (each
/// label an independent Bernoulli(p_i)): normal intervals, each end one-sided at `alpha`
/// (`1 - 2 alpha` confidence), with the exact variance for accuracy and precision
/// (`Σ q(1 - q)` of independent Bernoullis), the delta method for recall and F1 (ratios of the
/// independent sums over predicted positives and negatives), and Hanley & McNeil's standard
/// error for ROC AUC with the expected class counts. Coverage is measured in
/// `PerformanceEstimatorTests` and docs/accuracy.md.
public struct PerformanceEstimate: Sendable, Equatable {
    /// An estimated value and its interval.
    public struct Value: Sendable, Equatable {
        /// The estimate.
        public var value: Double
        /// Lower end.
        public var lower: Double
        /// Upper end.
        public var upper: Double

        /// Creates a value.
        /// - Parameters:
        ///   - value: Estimate.
        ///   - lower: Lower end.
        ///   - upper: Upper end.
        public init(value: Double, lower: Double, upper: Double) {
            self.value = value
            self.lower = lower
            self.upper = upper
        }
    }

    /// The metrics estimated.
    public static let metrics: [PerformanceMetric] = [.accuracy, .precision, .recall, .f1, .rocAUC]

    /// Predictions the estimate is made from.
    public var count: Int
    /// Estimate per metric (`metrics`); undefined ones absent (ROC AUC when every probability is 0 or 1 on one side).
    public var values: [PerformanceMetric: Value]
    /// Two-sided confidence of the intervals, `1 - 2 alpha`.
    public var confidence: Double

    /// The estimate of a metric.
    public subscript(_ metric: PerformanceMetric) -> Value? { values[metric] }

    /// Estimates the performance of a window of scores.
    /// - Parameters:
    ///   - scores: The window's scores (probability of class 1 before calibration).
    ///   - calibration: The map fitted on labelled baseline data.
    ///   - threshold: Class boundary of the scores.
    ///   - alpha: One-sided level of each interval end.
    public init(scores: [Double], calibration: CalibrationMap, threshold: Double, alpha: Double) {
        count = scores.count
        values = [:]
        confidence = 1 - 2 * alpha
        guard !scores.isEmpty else { return }
        let z = -Self.normalQuantile(alpha)
        let p = scores.map { min(1, max(0, calibration.probability($0))) }
        var tp = 0.0
        var fp = 0.0
        var fn = 0.0
        var tn = 0.0
        var varTP = 0.0
        var varFN = 0.0
        var predictedPositive = 0.0
        for (s, pi) in zip(scores, p) {
            if s >= threshold {
                tp += pi
                fp += 1 - pi
                varTP += pi * (1 - pi)
                predictedPositive += 1
            } else {
                fn += pi
                tn += 1 - pi
                varFN += pi * (1 - pi)
            }
        }
        let n = Double(scores.count)
        func value(_ v: Double, sd: Double) -> Value {
            Value(value: v, lower: max(0, v - z * sd), upper: min(1, v + z * sd))
        }
        // Accuracy: correct = Σ over ŷ=1 of y + Σ over ŷ=0 of (1 - y); same variance terms.
        values[.accuracy] = value((tp + tn) / n, sd: (varTP + varFN).squareRoot() / n)
        if predictedPositive > 0 {
            values[.precision] = value(tp / predictedPositive, sd: varTP.squareRoot() / predictedPositive)
        } else {
            values[.precision] = Value(value: 0, lower: 0, upper: 0)
        }
        // Recall A / (A + B), F1 2A / (A + B + n1): A = TP, B = FN independent.
        let positives = tp + fn
        if positives > 0 {
            let dA = fn / (positives * positives)
            let dB = -tp / (positives * positives)
            values[.recall] = value(tp / positives, sd: (dA * dA * varTP + dB * dB * varFN).squareRoot())
        } else {
            values[.recall] = Value(value: 0, lower: 0, upper: 0)
        }
        let f1Denominator = tp + fn + predictedPositive
        if f1Denominator > 0 {
            let d2 = f1Denominator * f1Denominator
            let dA = 2 * (fn + predictedPositive) / d2
            let dB = -2 * tp / d2
            values[.f1] = value(2 * tp / f1Denominator, sd: (dA * dA * varTP + dB * dB * varFN).squareRoot())
        }
        if let auc = Self.expectedAUC(scores: scores, probabilities: p) {
            let nP = positives
            let nN = n - positives
            let q1 = auc / (2 - auc)
            let q2 = 2 * auc * auc / (1 + auc)
            let variance =
                (auc * (1 - auc) + (nP - 1) * (q1 - auc * auc) + (nN - 1) * (q2 - auc * auc)) / max(nP * nN, 1e-300)
            values[.rocAUC] = value(auc, sd: max(0, variance).squareRoot())
        }
    }

    /// The expected ROC AUC: each prediction a positive with weight p and a negative with
    /// weight 1 - p, self-pairs left out, ties counting half; nil when a side has no weight.
    static func expectedAUC(scores: [Double], probabilities p: [Double]) -> Double? {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var negativesBelow = 0.0
        var numerator = 0.0
        var selfPairs = 0.0
        var i = 0
        while i < order.count {
            var j = i
            var groupPositive = 0.0
            var groupNegative = 0.0
            var groupSelf = 0.0
            while j < order.count && scores[order[j]] == scores[order[i]] {
                let pi = p[order[j]]
                groupPositive += pi
                groupNegative += 1 - pi
                groupSelf += pi * (1 - pi)
                j += 1
            }
            numerator += groupPositive * negativesBelow + 0.5 * (groupPositive * groupNegative - groupSelf)
            negativesBelow += groupNegative
            selfPairs += groupSelf
            i = j
        }
        let positives = p.reduce(0, +)
        let negatives = Double(p.count) - positives
        let denominator = positives * negatives - selfPairs
        guard denominator > 0 else { return nil }
        return numerator / denominator
    }

    /// The standard normal quantile (Acklam's rational approximation refined by one Halley step
    /// on erfc; about 1e-15 relative).
    static func normalQuantile(_ q: Double) -> Double {
        guard q > 0, q < 1 else { return q <= 0 ? -.infinity : .infinity }
        let a = [
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00
        ]
        let b = [
            -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01
        ]
        let c = [
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00
        ]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        var x: Double
        if q < 0.02425 {
            let r = (-2 * log(q)).squareRoot()
            x =
                (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5])
                / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1)
        } else if q > 1 - 0.02425 {
            let r = (-2 * log1p(-q)).squareRoot()
            x =
                -(((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5])
                / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1)
        } else {
            let r = q - 0.5
            let s = r * r
            x =
                (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r
                / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1)
        }
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - q
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}
