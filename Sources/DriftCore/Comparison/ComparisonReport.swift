/// The result of comparing a whole dataset with a baseline: one verdict per feature and the
/// dataset verdict.
///
/// Encodes as the JSON object `driftd compare --format json` prints (docs/compare.md).
public struct ComparisonReport: Sendable, Equatable, Encodable {
    /// Model identifier of the baseline.
    public var model: String
    /// Model version of the baseline.
    public var version: String
    /// Baseline identifier.
    public var baselineID: String
    /// Rows in the compared data.
    public var rowCount: Int
    /// Verdicts of the compared features, in baseline order (disabled features excluded).
    public var features: [FeatureComparison]
    /// Verdict of the prediction column, when the baseline profiles one, the data has the column
    /// and its rule is enabled; not counted in the drift share.
    public var prediction: FeatureComparison?
    /// Baseline features left out because their rule is disabled.
    public var disabledFeatures: [String]
    /// Baseline features that the data has no column for; they are compared as entirely missing.
    public var missingColumns: [String]
    /// Data columns the baseline does not profile; ignored.
    public var ignoredColumns: [String]
    /// Compared features that drifted.
    public var driftedCount: Int
    /// `driftedCount / features.count` (0 when no feature is compared).
    public var driftShare: Double
    /// Compared features with a small but certain shift (not drift: not in `driftShare`).
    public var smallShiftCount: Int
    /// The share at or above which the dataset counts as drifted.
    public var driftShareThreshold: Double
    /// Whether `driftShare >= driftShareThreshold` (with at least one drifted feature).
    public var datasetDrifted: Bool
    /// The features whose move explains the shift of the mean prediction
    /// (`PredictionAttribution`); nil when the baseline has no per-bin prediction means.
    public var attribution: [FeatureAttribution]?

    /// Creates a report.
    /// - Parameters:
    ///   - model: Model identifier.
    ///   - version: Model version.
    ///   - baselineID: Baseline identifier.
    ///   - rowCount: Rows compared.
    ///   - features: Feature verdicts.
    ///   - prediction: Prediction verdict.
    ///   - disabledFeatures: Features left out.
    ///   - missingColumns: Baseline columns absent from the data.
    ///   - ignoredColumns: Data columns not in the baseline.
    ///   - driftShareThreshold: Dataset drift share threshold.
    /// The drifted count, drift share and dataset verdict are computed from `features`.
    public init(
        model: String, version: String, baselineID: String, rowCount: Int, features: [FeatureComparison],
        prediction: FeatureComparison?, disabledFeatures: [String], missingColumns: [String], ignoredColumns: [String],
        driftShareThreshold: Double
    ) {
        self.model = model
        self.version = version
        self.baselineID = baselineID
        self.rowCount = rowCount
        self.features = features
        self.prediction = prediction
        self.disabledFeatures = disabledFeatures
        self.missingColumns = missingColumns
        self.ignoredColumns = ignoredColumns
        self.driftShareThreshold = driftShareThreshold
        let drifted = features.filter(\.drifted).count
        self.driftedCount = drifted
        self.smallShiftCount = features.filter(\.smallShift).count
        self.driftShare = features.isEmpty ? 0 : Double(drifted) / Double(features.count)
        self.datasetDrifted = drifted > 0 && driftShare >= driftShareThreshold
    }

    /// Features and the prediction, drifted first, then small shifts, no shift and no verdict, each
    /// by descending score relative to the threshold, then by name: the order people read the
    /// table in.
    public var verdictsByUrgency: [FeatureComparison] {
        let all = features + (prediction.map { [$0] } ?? [])
        func rank(_ f: FeatureComparison) -> Int {
            switch f.verdict {
            case .drift: return 0
            case .smallShift: return 1
            case .noShift: return 2
            case .insufficientData: return 3
            }
        }
        func relative(_ f: FeatureComparison) -> Double { f.threshold > 0 ? f.score / f.threshold : f.score }
        return all.sorted { a, b in
            if rank(a) != rank(b) { return rank(a) < rank(b) }
            if relative(a) != relative(b) { return relative(a) > relative(b) }
            return a.name < b.name
        }
    }

    // MARK: - JSON

    enum CodingKeys: String, CodingKey {
        case model, version, features, prediction
        case baselineID = "baseline_id"
        case rowCount = "row_count"
        case disabledFeatures = "disabled_features"
        case missingColumns = "missing_columns"
        case ignoredColumns = "ignored_columns"
        case driftedCount = "drifted_count"
        case featureCount = "feature_count"
        case driftShare = "drift_share"
        case driftShareThreshold = "drift_share_threshold"
        case smallShiftCount = "small_shift_count"
        case smallShiftFeatures = "small_shift_features"
        case datasetDrifted = "dataset_drifted"
        case attribution
    }

    /// Encodes every key (`prediction` is `null` when absent).
    /// - Parameter encoder: The encoder.
    /// - Throws: The encoder's errors.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(version, forKey: .version)
        try c.encode(baselineID, forKey: .baselineID)
        try c.encode(rowCount, forKey: .rowCount)
        try c.encode(features, forKey: .features)
        try c.encode(prediction, forKey: .prediction)
        try c.encode(disabledFeatures, forKey: .disabledFeatures)
        try c.encode(missingColumns, forKey: .missingColumns)
        try c.encode(ignoredColumns, forKey: .ignoredColumns)
        try c.encode(driftedCount, forKey: .driftedCount)
        try c.encode(features.count, forKey: .featureCount)
        try c.encode(driftShare, forKey: .driftShare)
        try c.encode(driftShareThreshold, forKey: .driftShareThreshold)
        try c.encode(smallShiftCount, forKey: .smallShiftCount)
        try c.encode(features.filter(\.smallShift).map(\.name), forKey: .smallShiftFeatures)
        try c.encode(datasetDrifted, forKey: .datasetDrifted)
        try c.encode(attribution, forKey: .attribution)
    }
}
