/// Why one event was rejected. Rejected events go to the dead-letter topic with `code.rawValue`
/// as the reason (see `docs/events.md`); the codes are a stable contract.
public struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable reject reason.
    public enum Code: String, Sendable, CaseIterable {
        /// Not valid JSON (RFC 8259): syntax error, invalid UTF-8, bad escape, trailing content.
        case invalidJSON = "invalid_json"
        /// Valid JSON whose top level is not an object.
        case notAnObject = "not_an_object"
        /// Larger than the decoder's `maxEventBytes`.
        case oversized = "oversized"
        /// No `model`, or `model` is null.
        case missingModel = "missing_model"
        /// No baseline is loaded for the event's model.
        case unknownModel = "unknown_model"
        /// The model is known but not the event's version, and version fallback is off.
        case unknownVersion = "unknown_version"
        /// No `features` object, or `features` is null.
        case missingFeatures = "missing_features"
        /// A field holds a JSON type it may not hold; `field` and `expectedType` say which.
        case wrongType = "wrong_type"
        /// NaN or infinity (`NaN`, `Infinity` literals), or a number outside the double range (1e400).
        case nonFinite = "non_finite"
        /// `timestamp` is neither whole epoch milliseconds nor a valid RFC 3339 date-time in years 1...9999.
        case badTimestamp = "bad_timestamp"
        /// A top-level field, or a monitored feature, appears twice in the event.
        case duplicateKey = "duplicate_key"
        /// Label events only: no `id`, or `id` is null.
        case missingID = "missing_id"
        /// Label events only: no `label`, or `label` is null.
        case missingLabel = "missing_label"
    }

    /// The reject reason.
    public var code: Code
    /// Path of the offending field (`model`, `timestamp`, `features.tenure`, ...), when there is one.
    public var field: String?
    /// For `wrongType`: what the field must hold (`number`, `string, boolean or integer`, ...).
    public var expectedType: String?
    /// Human-readable explanation; not a stable contract.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The reject reason.
    ///   - field: Path of the offending field, if any.
    ///   - expectedType: For `wrongType`, the accepted JSON types.
    ///   - message: Human-readable explanation.
    public init(_ code: Code, field: String? = nil, expectedType: String? = nil, message: String) {
        self.code = code
        self.field = field
        self.expectedType = expectedType
        self.message = message
    }

    /// `code [field]: message`.
    public var description: String {
        "\(code.rawValue)\(field.map { " [\($0)]" } ?? ""): \(message)"
    }
}
