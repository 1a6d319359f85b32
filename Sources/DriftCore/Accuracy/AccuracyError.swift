/// Why accuracy tracking cannot be set up for a model.
public struct AccuracyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    public enum Code: String, Sendable, CaseIterable {
        /// The baseline has no prediction profile: there is no predicted class to compare labels with.
        case noPredictionProfile = "accuracy.no_prediction_profile"
        /// A rule setting is out of its domain (window, panes, accuracy levels, ...).
        case invalidRule = "accuracy.invalid_rule"
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
