/// Why a baseline cannot be built from the given columns.
public struct BaselineBuildError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    ///
    /// A struct rather than an enum, so a code added later breaks no caller's `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The stable string code.
        public let rawValue: String
        /// A code from its stable string.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// `BaselineBuildOptions` out of range.
        public static let invalidOptions = Code(rawValue: "baseline_build.invalid_options")
        /// Empty model name or version.
        public static let invalidIdentity = Code(rawValue: "baseline_build.invalid_identity")
        /// No feature column (the prediction column does not count).
        public static let noFeatures = Code(rawValue: "baseline_build.no_features")
        /// The columns have no rows.
        public static let noRows = Code(rawValue: "baseline_build.no_rows")
        /// A column has an empty name.
        public static let emptyColumnName = Code(rawValue: "baseline_build.empty_column_name")
        /// Two columns share a name.
        public static let duplicateColumn = Code(rawValue: "baseline_build.duplicate_column")
        /// Columns of different lengths.
        public static let columnLengthMismatch = Code(rawValue: "baseline_build.column_length_mismatch")
        /// The named prediction column is not among the columns.
        public static let predictionColumnNotFound = Code(rawValue: "baseline_build.prediction_column_not_found")
        /// A column named in a type override or exclusion does not exist.
        public static let unknownColumn = Code(rawValue: "baseline_build.unknown_column")
        /// A column forced numeric holds a string or boolean.
        public static let nonNumericValue = Code(rawValue: "baseline_build.non_numeric_value")
        /// A number is infinite.
        public static let nonFiniteValue = Code(rawValue: "baseline_build.non_finite_value")
        /// The label column is not binary (0/1, true/false), or the prediction is not numeric.
        public static let invalidLabel = Code(rawValue: "baseline_build.invalid_label")
    }

    /// What went wrong.
    public var code: Code
    /// Column concerned, when there is one.
    public var column: String?
    /// Zero-based row index concerned, when there is one.
    public var row: Int?
    /// Human-readable explanation.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: Stable code.
    ///   - column: Column concerned.
    ///   - row: Zero-based row index concerned.
    ///   - message: Explanation.
    public init(_ code: Code, column: String? = nil, row: Int? = nil, _ message: String) {
        self.code = code
        self.column = column
        self.row = row
        self.message = message
    }

    /// `code [column x, row n]: message`.
    public var description: String {
        var context: [String] = []
        if let column { context.append("column \(column)") }
        if let row { context.append("row \(row)") }
        let where_ = context.isEmpty ? "" : " [\(context.joined(separator: ", "))]"
        return "\(code.rawValue)\(where_): \(message)"
    }
}
