/// Why accuracy tracking cannot be set up for a model.
public struct AccuracyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    ///
    /// A struct rather than an enum, so a code added later breaks no caller's `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible, CaseIterable {
        /// The stable string code.
        public let rawValue: String
        /// A code from its stable string.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The baseline has no prediction profile: there is no predicted class to compare labels with.
        public static let noPredictionProfile = Code(rawValue: "accuracy.no_prediction_profile")
        /// A rule setting is out of its domain (window, panes, accuracy levels, ...).
        public static let invalidRule = Code(rawValue: "accuracy.invalid_rule")

        /// Every code this version defines.
        public static let allCases: [Code] = [.noPredictionProfile, .invalidRule]
    }

    /// Stable code.
    public var code: Code
    /// Human-readable details: the model, the setting and its value.
    public var message: String

    /// Creates an error with a code and a message giving its context.
    /// - Parameters:
    ///   - code: Stable code.
    ///   - message: Context.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
