/// Why a batch comparison cannot run: unusable rules, baseline or columns.
///
/// Problems with the data itself (values of the wrong type, absent columns) never throw:
/// they are reported per feature in the `ComparisonReport`.
public struct ComparisonError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    public enum Code: String, Sendable, CaseIterable {
        /// The baseline breaks an invariant (`Baseline.validationErrors()`).
        case invalidBaseline = "comparison.invalid_baseline"
        /// A per-feature override names a feature the baseline does not profile.
        case unknownFeature = "comparison.unknown_feature"
        /// A per-feature method override cannot score the feature's type.
        case methodNotApplicable = "comparison.method_not_applicable"
        /// A threshold is negative or not finite.
        case invalidThreshold = "comparison.invalid_threshold"
        /// The dataset drift share is outside (0, 1].
        case invalidDriftShare = "comparison.invalid_drift_share"
        /// The minimum sample count is below 1.
        case invalidMinSamples = "comparison.invalid_min_samples"
        /// Two input columns share a name.
        case duplicateColumn = "comparison.duplicate_column"
        /// Input columns of different lengths.
        case columnLengthMismatch = "comparison.column_length_mismatch"
    }

    /// What went wrong.
    public var code: Code
    /// Feature or column concerned, when there is one.
    public var feature: String?
    /// Human-readable explanation.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: Stable code.
    ///   - feature: Feature or column concerned.
    ///   - message: Explanation.
    public init(_ code: Code, feature: String? = nil, _ message: String) {
        self.code = code
        self.feature = feature
        self.message = message
    }

    /// Whether the problem lies in the input data (columns) rather than in the rules or the
    /// baseline: the CLI exits 65 for data problems and 78 for the others.
    public var isDataProblem: Bool {
        switch code {
        case .duplicateColumn, .columnLengthMismatch: return true
        case .invalidBaseline, .unknownFeature, .methodNotApplicable, .invalidThreshold, .invalidDriftShare,
            .invalidMinSamples:
            return false
        }
    }

    /// `code [feature x]: message`.
    public var description: String {
        "\(code.rawValue)\(feature.map { " [feature \($0)]" } ?? ""): \(message)"
    }
}
