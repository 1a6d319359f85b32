/// One evaluation of a model's window: the verdict of every monitored column.
public struct EvaluationReport: Sendable, Equatable {
    /// Model identifier.
    public var model: String
    /// Baseline's model version.
    public var version: String
    /// The window evaluated.
    public var window: EventWindow
    /// Window end: the event time of the newest event in the window (the evaluation's time for
    /// cooldowns).
    public var windowEnd: EventTime
    /// Feature evaluations in baseline order, then the prediction's (target `prediction`).
    public var columns: [ColumnReport]
    /// Share of monitored features whose alert is firing after this evaluation.
    public var firingShare: Double

    /// Creates a report.
    public init(
        model: String, version: String, window: EventWindow, windowEnd: EventTime, columns: [ColumnReport],
        firingShare: Double
    ) {
        self.model = model
        self.version = version
        self.window = window
        self.windowEnd = windowEnd
        self.columns = columns
        self.firingShare = firingShare
    }

    /// One column's evaluation and alert state.
    public struct ColumnReport: Sendable, Equatable {
        /// The statistics' verdict.
        public var evaluation: FeatureEvaluation
        /// `feature` or `prediction`.
        public var target: String
        /// Whether the column's alert is firing after this evaluation.
        public var firing: Bool
        /// The window's counts on the baseline's bins (the live report's charts); empty when not kept.
        public var counts: [Double]
        /// The window's missing values.
        public var missing: Double

        public init(
            evaluation: FeatureEvaluation, target: String, firing: Bool, counts: [Double] = [], missing: Double = 0
        ) {
            self.evaluation = evaluation
            self.target = target
            self.firing = firing
            self.counts = counts
            self.missing = missing
        }
    }
}
