/// A performance metric of a model on labelled predictions (names as in the configuration,
/// the alerts and `driftd_performance{metric}`).
///
/// Definitions follow scikit-learn (docs/accuracy.md gives each formula); the golden tests
/// compare every one with scikit-learn to 1e-9.
public enum PerformanceMetric: String, Sendable, Codable, CaseIterable, Comparable {
    /// Share of predictions equal to the label (classifiers).
    case accuracy
    /// Binary: TP / (TP + FP), class 1 positive; 0 when nothing is predicted positive.
    case precision
    /// Binary: TP / (TP + FN); 0 when no label is positive.
    case recall
    /// Binary: harmonic mean of precision and recall; 0 when both are 0.
    case f1
    /// Unweighted mean of the per-class precisions (classes in the labels or the predictions).
    case precisionMacro = "precision_macro"
    /// Unweighted mean of the per-class recalls.
    case recallMacro = "recall_macro"
    /// Unweighted mean of the per-class F1 scores.
    case f1Macro = "f1_macro"
    /// Per-class precisions weighted by the class's share of the labels.
    case precisionWeighted = "precision_weighted"
    /// Per-class recalls weighted by the class's share of the labels (equals accuracy).
    case recallWeighted = "recall_weighted"
    /// Per-class F1 scores weighted by the class's share of the labels.
    case f1Weighted = "f1_weighted"
    /// Binary: area under the ROC curve of the scores (ties count half); needs both classes.
    case rocAUC = "roc_auc"
    /// Binary: mean negative log-likelihood of the labels under the scores, clipped to
    /// [eps, 1 - eps] with eps = 2.22e-16.
    case logLoss = "log_loss"
    /// Binary: expected calibration error over `calibration_bins` equal-width score bins.
    case ece
    /// Regression: mean absolute error.
    case mae
    /// Regression: root mean squared error.
    case rmse
    /// Regression: mean of |error| / max(|label|, eps), as a fraction (not percent).
    case mape
    /// Regression: coefficient of determination (1 when the labels are constant and matched,
    /// 0 when constant and missed); needs two labels.
    case r2

    /// The metrics that exist for a task.
    /// - Parameter task: The task.
    /// - Returns: Its metrics, in declaration order.
    public static func metrics(of task: PerformanceTask) -> [PerformanceMetric] {
        switch task {
        case .binary:
            return [
                .accuracy, .precision, .recall, .f1, .precisionMacro, .recallMacro, .f1Macro, .precisionWeighted,
                .recallWeighted, .f1Weighted, .rocAUC, .logLoss, .ece
            ]
        case .multiclass:
            return [
                .accuracy, .precisionMacro, .recallMacro, .f1Macro, .precisionWeighted, .recallWeighted, .f1Weighted
            ]
        case .regression:
            return [.mae, .rmse, .mape, .r2]
        }
    }

    /// Whether larger values are better (a floor, `below`, is the natural rule).
    public var higherIsBetter: Bool {
        switch self {
        case .logLoss, .ece, .mae, .rmse, .mape: return false
        default: return true
        }
    }

    /// The best value the metric can take, when it is finite: 1 for scores, 0 for errors.
    public var bestValue: Double { higherIsBetter ? 1 : 0 }

    /// Whether the metric is a share of a count (accuracy, binary precision and recall): its
    /// significance is an exact binomial test and its interval Clopper-Pearson. The others use
    /// the pane batch-means t interval (docs/accuracy.md).
    public var isProportion: Bool { self == .accuracy || self == .precision || self == .recall }

    /// Declaration order.
    public static func < (a: PerformanceMetric, b: PerformanceMetric) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }
}
