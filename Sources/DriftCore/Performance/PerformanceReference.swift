/// What a baseline built with labels keeps for estimating a binary classifier's performance
/// without labels (`PerformanceEstimate`): the score calibration and the realised metrics on
/// the labelled baseline data. Stored in the baseline as `performance_reference`, versioned
/// by its own `format`.
public struct PerformanceReference: Sendable, Codable, Equatable {
    /// The format this build writes and reads.
    public static let currentFormat = "driftd.cbpe/v1"

    /// Always `currentFormat` for references this build can use.
    public var format: String
    /// The label column it was fitted on.
    public var labelColumn: String
    /// Class boundary of the scores the reference metrics were computed with.
    public var threshold: Double
    /// Labelled rows used.
    public var rows: Int
    /// Score -> probability of class 1.
    public var calibration: CalibrationMap
    /// Realised metrics on the labelled baseline data (`accuracy`, `precision`, `recall`, `f1`, `roc_auc`).
    public var metrics: [String: Double]

    /// Creates a reference.
    /// - Parameters:
    ///   - format: Format.
    ///   - labelColumn: Label column.
    ///   - threshold: Class boundary.
    ///   - rows: Labelled rows.
    ///   - calibration: Calibration.
    ///   - metrics: Reference metrics.
    public init(
        format: String = PerformanceReference.currentFormat, labelColumn: String, threshold: Double, rows: Int,
        calibration: CalibrationMap, metrics: [String: Double]
    ) {
        self.format = format
        self.labelColumn = labelColumn
        self.threshold = threshold
        self.rows = rows
        self.calibration = calibration
        self.metrics = metrics
    }

    /// Fits a reference on scores and binary labels; nil without a labelled row.
    /// - Parameters:
    ///   - labelColumn: The label column's name.
    ///   - scores: Scores.
    ///   - labels: 0 or 1 per row, NaN where the label is missing (left out with its row).
    ///   - threshold: Class boundary.
    public init?(labelColumn: String, scores: [Double], labels: [Double], threshold: Double = 0.5) {
        let rows = (0..<min(scores.count, labels.count)).filter { scores[$0].isFinite && !labels[$0].isNaN }
        let s = rows.map { scores[$0] }
        let y = rows.map { labels[$0] }
        guard let calibration = CalibrationMap(fitting: s, labels: y) else { return nil }
        let realised = PerformanceMetrics(task: .binary, predictions: s, labels: y, positiveThreshold: threshold)
        var metrics: [String: Double] = [:]
        for metric in PerformanceEstimate.metrics { metrics[metric.rawValue] = realised[metric] }
        self.init(
            labelColumn: labelColumn, threshold: threshold, rows: rows.count, calibration: calibration, metrics: metrics
        )
    }

    enum CodingKeys: String, CodingKey {
        case format, threshold, rows, calibration, metrics
        case labelColumn = "label_column"
    }
}
