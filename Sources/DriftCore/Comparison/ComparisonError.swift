/// Why a batch comparison cannot run: unusable rules, baseline or columns.
///
/// Problems with the data itself (values of the wrong type, absent columns) never throw:
/// they are reported per feature in the `ComparisonReport`.
public struct ComparisonError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    ///
    /// A struct rather than an enum, so a code added later breaks no caller's `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible, CaseIterable {
        /// The stable string code.
        public let rawValue: String
        /// A code from its stable string.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The baseline breaks an invariant (`Baseline.validationErrors()`).
        public static let invalidBaseline = Code(rawValue: "comparison.invalid_baseline")
        /// A per-feature override names a feature the baseline does not profile.
        public static let unknownFeature = Code(rawValue: "comparison.unknown_feature")
        /// A per-feature method override cannot score the feature's type.
        public static let methodNotApplicable = Code(rawValue: "comparison.method_not_applicable")
        /// A threshold is negative or not finite.
        public static let invalidThreshold = Code(rawValue: "comparison.invalid_threshold")
        /// The dataset drift share is outside (0, 1].
        public static let invalidDriftShare = Code(rawValue: "comparison.invalid_drift_share")
        /// The minimum sample count is below 1.
        public static let invalidMinSamples = Code(rawValue: "comparison.invalid_min_samples")
        /// Two input columns share a name.
        public static let duplicateColumn = Code(rawValue: "comparison.duplicate_column")
        /// Input columns of different lengths.
        public static let columnLengthMismatch = Code(rawValue: "comparison.column_length_mismatch")

        /// Every code this version defines.
        public static let allCases: [Code] = [
            .invalidBaseline, .unknownFeature, .methodNotApplicable, .invalidThreshold, .invalidDriftShare,
            .invalidMinSamples, .duplicateColumn, .columnLengthMismatch
        ]
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
        code == .duplicateColumn || code == .columnLengthMismatch
    }

    /// `code [feature x]: message`.
    public var description: String {
        "\(code.rawValue)\(feature.map { " [feature \($0)]" } ?? ""): \(message)"
    }
}
