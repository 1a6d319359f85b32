/// Why a statistic cannot be computed from the data it was given.
public struct StatisticsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    public enum Code: String, Sendable {
        /// Two histograms compared bin by bin do not have the same number of bins.
        case binCountMismatch = "statistics.bin_count_mismatch"
        /// A count is negative, NaN or infinite.
        case badCount = "statistics.bad_count"
        /// A raw sample holds NaN or an infinite value.
        case nonFiniteValue = "statistics.non_finite_value"
        /// A raw sample is empty or smaller than the test needs.
        case tooFewValues = "statistics.too_few_values"
        /// Bin edges are missing, not finite or not strictly ascending.
        case badEdges = "statistics.bad_edges"
        /// The method cannot be applied to this kind of feature.
        case unsupportedMethod = "statistics.unsupported_method"
        /// A parameter (delta, lambda, run length, ...) is out of its domain.
        case badParameter = "statistics.bad_parameter"
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
