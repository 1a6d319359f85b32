/// Why a statistic cannot be computed from the data it was given.
public struct StatisticsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    ///
    /// A struct rather than an enum, so a code added later breaks no caller's `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The stable string code.
        public let rawValue: String
        /// A code from its stable string.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Two histograms compared bin by bin do not have the same number of bins.
        public static let binCountMismatch = Code(rawValue: "statistics.bin_count_mismatch")
        /// A count is negative, NaN or infinite.
        public static let badCount = Code(rawValue: "statistics.bad_count")
        /// A raw sample holds NaN or an infinite value.
        public static let nonFiniteValue = Code(rawValue: "statistics.non_finite_value")
        /// A raw sample is empty or smaller than the test needs.
        public static let tooFewValues = Code(rawValue: "statistics.too_few_values")
        /// Bin edges are missing, not finite or not strictly ascending.
        public static let badEdges = Code(rawValue: "statistics.bad_edges")
        /// The method cannot be applied to this kind of feature.
        public static let unsupportedMethod = Code(rawValue: "statistics.unsupported_method")
        /// A parameter (delta, lambda, run length, ...) is out of its domain.
        public static let badParameter = Code(rawValue: "statistics.bad_parameter")
    }

    /// Stable code.
    public var code: Code
    /// Human-readable details: sizes, indexes, values.
    public var message: String

    /// Creates an error with a code and a message giving its context.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
