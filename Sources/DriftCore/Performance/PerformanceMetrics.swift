import Foundation

/// The performance metrics of one set of scored predictions (a window, or one of its panes).
///
/// Computed from the raw pairs, as scikit-learn computes them (docs/accuracy.md, "Metrics"):
/// a metric that is undefined on the pairs (ROC AUC with one class, R² with one label, any
/// metric on no pairs) is absent from `values`.
public struct PerformanceMetrics: Sendable, Equatable {
    /// The task the pairs were scored as.
    public var task: PerformanceTask
    /// Scored pairs.
    public var count: Int
    /// Value per metric; undefined metrics are absent.
    public var values: [PerformanceMetric: Double]
    /// Label x predicted class counts (classifiers; nil for regression).
    public var confusion: ConfusionMatrix?

    /// Machine epsilon of `Double` (numpy's `finfo(float64).eps`): the log-loss clip and the
    /// MAPE denominator floor.
    public static let epsilon = Double.ulpOfOne
    /// Default number of equal-width score bins of the expected calibration error.
    public static let defaultCalibrationBins = 10

    /// Creates metrics from their parts.
    /// - Parameters:
    ///   - task: Task.
    ///   - count: Pairs scored.
    ///   - values: Metric values.
    ///   - confusion: Confusion counts.
    public init(task: PerformanceTask, count: Int, values: [PerformanceMetric: Double], confusion: ConfusionMatrix?) {
        self.task = task
        self.count = count
        self.values = values
        self.confusion = confusion
    }

    /// The value of a metric, nil when undefined.
    public subscript(_ metric: PerformanceMetric) -> Double? { values[metric] }

    /// Scores pairs of predictions and labels (read up to the shorter array).
    ///
    /// - `binary`: `predictions` are scores (probability of class 1), `labels` 0 or 1; the
    ///   predicted class is 1 when the score is at or above `positiveThreshold`.
    /// - `multiclass`: `predictions` and `labels` are class codes.
    /// - `regression`: both are values.
    /// - Parameters:
    ///   - task: Task.
    ///   - predictions: Prediction per pair.
    ///   - labels: Label per pair.
    ///   - positiveThreshold: Binary class boundary.
    ///   - calibrationBins: Binary: bins of the expected calibration error (at least 1).
    public init(
        task: PerformanceTask, predictions: [Double], labels: [Double], positiveThreshold: Double = 0.5,
        calibrationBins: Int = PerformanceMetrics.defaultCalibrationBins
    ) {
        let n = min(predictions.count, labels.count)
        let p = Array(predictions.prefix(n))
        let y = Array(labels.prefix(n))
        self.task = task
        self.count = n
        self.values = [:]
        self.confusion = nil
        guard n > 0 else { return }
        switch task {
        case .binary:
            let predicted = p.map { Int32($0 >= positiveThreshold ? 1 : 0) }
            let actual = y.map { Int32($0 >= 0.5 ? 1 : 0) }
            let matrix = ConfusionMatrix(labels: actual, predicted: predicted)
            confusion = matrix
            classification(matrix)
            let (tp, fp, _, fn) = matrix.binary
            values[.precision] = tp + fp > 0 ? Double(tp) / Double(tp + fp) : 0
            values[.recall] = tp + fn > 0 ? Double(tp) / Double(tp + fn) : 0
            values[.f1] = 2 * tp + fp + fn > 0 ? Double(2 * tp) / Double(2 * tp + fp + fn) : 0
            if let auc = Self.rocAUC(scores: p, positive: actual) { values[.rocAUC] = auc }
            values[.logLoss] = Self.logLoss(scores: p, positive: actual)
            values[.ece] = Self.expectedCalibrationError(scores: p, positive: actual, bins: calibrationBins)
        case .multiclass:
            let matrix = ConfusionMatrix(
                labels: y.map { Int32(exactly: $0) ?? PredictionClasses.unknownLabel },
                predicted: p.map { Int32(exactly: $0) ?? PredictionClasses.unknownLabel })
            confusion = matrix
            classification(matrix)
        case .regression:
            regression(predictions: p, labels: y)
        }
    }

    /// Accuracy and the macro and weighted precision, recall and F1 of a confusion matrix.
    private mutating func classification(_ matrix: ConfusionMatrix) {
        let total = Double(matrix.total)
        guard total > 0 else { return }
        values[.accuracy] = Double(matrix.correct) / total
        var sums = (precision: 0.0, recall: 0.0, f1: 0.0)
        var weighted = (precision: 0.0, recall: 0.0, f1: 0.0)
        let perClass = matrix.perClass
        for c in perClass {
            let precision = c.predicted > 0 ? Double(c.truePositives) / Double(c.predicted) : 0
            let recall = c.actual > 0 ? Double(c.truePositives) / Double(c.actual) : 0
            let f1 = c.predicted + c.actual > 0 ? Double(2 * c.truePositives) / Double(c.predicted + c.actual) : 0
            sums.precision += precision
            sums.recall += recall
            sums.f1 += f1
            let weight = Double(c.actual) / total
            weighted.precision += weight * precision
            weighted.recall += weight * recall
            weighted.f1 += weight * f1
        }
        let k = Double(perClass.count)
        values[.precisionMacro] = sums.precision / k
        values[.recallMacro] = sums.recall / k
        values[.f1Macro] = sums.f1 / k
        values[.precisionWeighted] = weighted.precision
        values[.recallWeighted] = weighted.recall
        values[.f1Weighted] = weighted.f1
    }

    private mutating func regression(predictions p: [Double], labels y: [Double]) {
        let n = Double(p.count)
        var absolute = 0.0
        var squared = 0.0
        var percentage = 0.0
        var labelSum = 0.0
        for i in p.indices {
            let error = p[i] - y[i]
            absolute += abs(error)
            squared += error * error
            percentage += abs(error) / max(abs(y[i]), Self.epsilon)
            labelSum += y[i]
        }
        values[.mae] = absolute / n
        values[.rmse] = (squared / n).squareRoot()
        values[.mape] = percentage / n
        guard p.count >= 2 else { return }
        let mean = labelSum / n
        var total = 0.0
        for v in y { total += (v - mean) * (v - mean) }
        values[.r2] = total > 0 ? 1 - squared / total : (squared == 0 ? 1 : 0)
    }

    // MARK: - Score metrics

    /// Area under the ROC curve: the Mann-Whitney U of the positives' scores (ties at mid-rank,
    /// so a tie counts half) over `positives x negatives`; nil without both classes.
    /// - Parameters:
    ///   - scores: Scores.
    ///   - positive: 1 for positive labels, 0 for negative.
    /// - Returns: The AUC.
    public static func rocAUC(scores: [Double], positive: [Int32]) -> Double? {
        let n = min(scores.count, positive.count)
        let positives = positive.prefix(n).reduce(0) { $0 + ($1 == 1 ? 1 : 0) }
        let negatives = n - positives
        guard positives > 0, negatives > 0 else { return nil }
        let order = (0..<n).sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            // Ranks i+1 ... j+1 share their mean.
            let rank = Double(i + j + 2) / 2
            for k in i...j where positive[order[k]] == 1 { rankSum += rank }
            i = j + 1
        }
        let p = Double(positives)
        return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
    }

    /// Mean negative log-likelihood of binary labels under scores clipped to [eps, 1 - eps]
    /// (scikit-learn's `log_loss` with `labels=[0, 1]`).
    /// - Parameters:
    ///   - scores: Probabilities of class 1.
    ///   - positive: 1 for positive labels, 0 for negative.
    /// - Returns: The log loss (0 for no pairs).
    public static func logLoss(scores: [Double], positive: [Int32]) -> Double {
        let n = min(scores.count, positive.count)
        guard n > 0 else { return 0 }
        var sum = 0.0
        for i in 0..<n {
            let p = positive[i] == 1 ? scores[i] : 1 - scores[i]
            sum -= log(min(1 - epsilon, max(epsilon, p)))
        }
        return sum / Double(n)
    }

    /// Expected calibration error: `sum over bins |positives - sum of scores| / n` over `bins`
    /// equal-width bins of [0, 1] (a score on an inner edge belongs to the bin below it, as in
    /// scikit-learn's `calibration_curve`; scores outside [0, 1] count in the outer bins).
    /// - Parameters:
    ///   - scores: Probabilities of class 1.
    ///   - positive: 1 for positive labels, 0 for negative.
    ///   - bins: Number of bins (at least 1).
    /// - Returns: The ECE (0 for no pairs).
    public static func expectedCalibrationError(scores: [Double], positive: [Int32], bins: Int) -> Double {
        let n = min(scores.count, positive.count)
        guard n > 0 else { return 0 }
        let b = max(1, bins)
        let width = 1.0 / Double(b)
        let inner = (1..<b).map { Double($0) * width }
        var scoreSums = [Double](repeating: 0, count: b)
        var positives = [Double](repeating: 0, count: b)
        for i in 0..<n {
            let s = scores[i]
            // Number of inner edges strictly below s (numpy searchsorted, side left).
            var lo = 0
            var hi = inner.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if inner[mid] < s { lo = mid + 1 } else { hi = mid }
            }
            scoreSums[lo] += s
            if positive[i] == 1 { positives[lo] += 1 }
        }
        var sum = 0.0
        for k in 0..<b { sum += abs(positives[k] - scoreSums[k]) }
        return sum / Double(n)
    }
}
