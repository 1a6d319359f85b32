/// The verdict of a batch comparison on one feature (or the prediction) of a whole file.
///
/// Encodes as one JSON object with snake_case keys (docs/compare.md); non-finite numbers and
/// values that do not apply are `null`.
public struct FeatureComparison: Sendable, Equatable, Encodable {
    /// Feature name.
    public var name: String
    /// Numeric or categorical (from the baseline).
    public var type: FeatureType
    /// The drift method used.
    public var method: DriftMethod
    /// Which rule layer chose the method.
    public var methodSource: ComparisonRuleSource
    /// Which rule layer chose the threshold.
    public var thresholdSource: ComparisonRuleSource
    /// Whether the distribution was scored on bins or on raw values.
    public var path: ComparisonPath
    /// The method's effect-size score (0 when there was nothing to compare).
    public var score: Double
    /// Threshold the score was compared with.
    public var threshold: Double
    /// The method's own p-value (`ks`, `cramer_von_mises`, `anderson_darling`, `chi_square`,
    /// `g_test`, `z_test`); `nil` for plain distances or when the distributions were not compared.
    public var pValue: Double?
    /// The p-value behind the significance part of the decision: the method's own, or the
    /// chi-square test of homogeneity on the baseline bins for plain distances.
    public var significancePValue: Double?
    /// The decision.
    public var status: FeatureEvaluation.Status
    /// A small but certain shift (`FeatureEvaluation.smallShift`): not drift, reported and
    /// counted on its own.
    public var smallShift = false
    /// Whether the input had a column for this feature.
    public var columnPresent: Bool
    /// Rows considered (present plus missing).
    public var rowCount: Int
    /// Rows with a usable value.
    public var presentCount: Int
    /// Share of rows where the value was missing (wrong-type values included).
    public var missingShare: Double
    /// Share of baseline rows where the value was missing.
    public var baselineMissingShare: Double
    /// Categorical: share of present values in categories unseen in training; `nil` for numeric.
    public var unseenShare: Double?
    /// Numeric: share of present values outside the training range; `nil` for categorical.
    public var outOfRangeShare: Double?
    /// Numeric: values that are not finite numbers (strings, booleans, infinities), counted as missing.
    public var wrongTypeCount: Int
    /// Zero-based data row of the first wrong-type value.
    public var firstWrongTypeRow: Int?
    /// Raw-sample path: number of baseline sample values compared.
    public var baselineSampleSize: Int?
    /// Human-readable explanation of the decision.
    public var reason: String
    /// Overrides that were skipped, fallbacks taken, and data problems worth knowing.
    public var notes: [String]
    /// The bins or categories whose share moved most (`DriftEvidence`); nil when either side
    /// has no present values.
    public var evidence: DriftEvidence?
    /// The data's counts per baseline bin (not encoded; for `PredictionAttribution`).
    public var binCounts: [Double] = []
    /// The file's counts beside the baseline's, on the baseline's bins (the HTML report's chart);
    /// not part of the JSON.
    public var histogram: ReportHistogram?

    /// Whether the feature drifted (`status == .drifted`).
    public var drifted: Bool { status == .drifted }

    /// The verdict users read: drift, small shift, none, or insufficient data.
    public var verdict: FeatureVerdict { FeatureVerdict(status: status, smallShift: smallShift) }

    /// Creates a feature verdict.
    /// - Parameters:
    ///   - name: Feature name.
    ///   - type: Feature type.
    ///   - method: Method used.
    ///   - methodSource: Layer that chose the method.
    ///   - thresholdSource: Layer that chose the threshold.
    ///   - path: Binned or raw-sample scoring.
    ///   - score: Effect-size score.
    ///   - threshold: Threshold.
    ///   - pValue: The method's own p-value.
    ///   - significancePValue: The p-value behind the decision.
    ///   - status: Decision.
    ///   - columnPresent: Whether the input had the column.
    ///   - rowCount: Rows considered.
    ///   - presentCount: Rows with a usable value.
    ///   - missingShare: Missing share of the input.
    ///   - baselineMissingShare: Missing share of the baseline.
    ///   - unseenShare: Categorical unseen share.
    ///   - outOfRangeShare: Numeric out-of-range share.
    ///   - wrongTypeCount: Wrong-type values.
    ///   - firstWrongTypeRow: Row of the first wrong-type value.
    ///   - baselineSampleSize: Baseline sample size on the raw path.
    ///   - reason: Explanation.
    ///   - notes: Skipped overrides and fallbacks.
    public init(
        name: String, type: FeatureType, method: DriftMethod, methodSource: ComparisonRuleSource,
        thresholdSource: ComparisonRuleSource, path: ComparisonPath, score: Double, threshold: Double, pValue: Double?,
        significancePValue: Double?, status: FeatureEvaluation.Status, columnPresent: Bool, rowCount: Int,
        presentCount: Int, missingShare: Double, baselineMissingShare: Double, unseenShare: Double?,
        outOfRangeShare: Double?, wrongTypeCount: Int, firstWrongTypeRow: Int?, baselineSampleSize: Int?,
        reason: String, notes: [String]
    ) {
        self.name = name
        self.type = type
        self.method = method
        self.methodSource = methodSource
        self.thresholdSource = thresholdSource
        self.path = path
        self.score = score
        self.threshold = threshold
        self.pValue = pValue
        self.significancePValue = significancePValue
        self.status = status
        self.columnPresent = columnPresent
        self.rowCount = rowCount
        self.presentCount = presentCount
        self.missingShare = missingShare
        self.baselineMissingShare = baselineMissingShare
        self.unseenShare = unseenShare
        self.outOfRangeShare = outOfRangeShare
        self.wrongTypeCount = wrongTypeCount
        self.firstWrongTypeRow = firstWrongTypeRow
        self.baselineSampleSize = baselineSampleSize
        self.reason = reason
        self.notes = notes
    }

    // MARK: - JSON

    enum CodingKeys: String, CodingKey {
        case name, type, method, path, score, threshold, status, drifted, verdict, reason, notes, evidence
        case methodSource = "method_source"
        case thresholdSource = "threshold_source"
        case pValue = "p_value"
        case significancePValue = "significance_p_value"
        case columnPresent = "column_present"
        case rowCount = "row_count"
        case presentCount = "present_count"
        case missingShare = "missing_share"
        case baselineMissingShare = "baseline_missing_share"
        case unseenShare = "unseen_share"
        case outOfRangeShare = "out_of_range_share"
        case wrongTypeCount = "wrong_type_count"
        case firstWrongTypeRow = "first_wrong_type_row"
        case baselineSampleSize = "baseline_sample_size"
    }

    /// Encodes every key; absent and non-finite numbers as `null`.
    /// - Parameter encoder: The encoder.
    /// - Throws: The encoder's errors.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(type, forKey: .type)
        try c.encode(method, forKey: .method)
        try c.encode(methodSource, forKey: .methodSource)
        try c.encode(thresholdSource, forKey: .thresholdSource)
        try c.encode(path, forKey: .path)
        try c.encode(Self.finite(score), forKey: .score)
        try c.encode(Self.finite(threshold), forKey: .threshold)
        try c.encode(Self.finite(pValue), forKey: .pValue)
        try c.encode(Self.finite(significancePValue), forKey: .significancePValue)
        try c.encode(status, forKey: .status)
        try c.encode(drifted, forKey: .drifted)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(columnPresent, forKey: .columnPresent)
        try c.encode(rowCount, forKey: .rowCount)
        try c.encode(presentCount, forKey: .presentCount)
        try c.encode(Self.finite(missingShare), forKey: .missingShare)
        try c.encode(Self.finite(baselineMissingShare), forKey: .baselineMissingShare)
        try c.encode(Self.finite(unseenShare), forKey: .unseenShare)
        try c.encode(Self.finite(outOfRangeShare), forKey: .outOfRangeShare)
        try c.encode(wrongTypeCount, forKey: .wrongTypeCount)
        try c.encode(firstWrongTypeRow, forKey: .firstWrongTypeRow)
        try c.encode(baselineSampleSize, forKey: .baselineSampleSize)
        try c.encode(reason, forKey: .reason)
        try c.encode(notes, forKey: .notes)
        try c.encode(evidence, forKey: .evidence)
    }

    /// `nil` for absent or non-finite numbers (JSON has no NaN or infinity).
    static func finite(_ x: Double?) -> Double? {
        guard let x, x.isFinite else { return nil }
        return x
    }
}
