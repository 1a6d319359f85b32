/// One problem found in a configuration file or in command-line flags.
///
/// Its description is the one-line form users see, naming the file, line and key path:
/// `config/driftd.yaml:14: models[0].features.tenure.threshold: expected a number, got "high"`.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    public enum Code: String, Sendable, CaseIterable {
        /// The configuration file cannot be read.
        case fileUnreadable = "config.file_unreadable"
        /// The file is not well-formed YAML (or has duplicate keys).
        case yamlSyntax = "config.yaml_syntax"
        /// A value has the wrong type (a string where a number is expected, ...).
        case typeMismatch = "config.type_mismatch"
        /// A key that the configuration does not define.
        case unknownKey = "config.unknown_key"
        /// A required key is absent.
        case missingKey = "config.missing_key"
        /// A number outside its allowed range.
        case outOfRange = "config.out_of_range"
        /// A value of the right type that is not allowed (unknown enum value, bad topic name...).
        case invalidValue = "config.invalid_value"
        /// A duration that does not parse.
        case invalidDuration = "config.invalid_duration"
        /// Settings that contradict each other (resolve above threshold, panes not dividing...).
        case inconsistent = "config.inconsistent"
        /// A baseline file cannot be read or decoded.
        case baselineUnreadable = "config.baseline_unreadable"
        /// A baseline file decodes but breaks the baseline invariants.
        case baselineInvalid = "config.baseline_invalid"
        /// A feature override names a feature the baseline does not have.
        case unknownFeature = "config.unknown_feature"
        /// A drift method that cannot be used on the feature's type.
        case methodNotApplicable = "config.method_not_applicable"
        /// Two model entries monitor the same model.
        case duplicateModel = "config.duplicate_model"
        /// No model is configured.
        case noModels = "config.no_models"
        /// A Kafka property driftd sets itself.
        case reservedProperty = "config.reserved_property"
        /// A Kafka property librdkafka does not know, or a value it refuses.
        case invalidProperty = "config.invalid_property"
        /// A `${NAME}` in a value names an unset environment variable, or is not closed.
        case missingEnvironment = "config.missing_environment"
    }

    /// What went wrong.
    public var code: Code
    /// Configuration file concerned; `nil` for problems in command-line flags.
    public var file: String?
    /// 1-based line in `file`, when known.
    public var line: Int?
    /// Dotted key path (`models[0].drift.threshold`) or flag (`--brokers`); may be empty.
    public var keyPath: String
    /// Human-readable explanation.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: Stable code.
    ///   - file: File concerned, `nil` for flags.
    ///   - line: 1-based line, when known.
    ///   - keyPath: Key path or flag concerned.
    ///   - message: Explanation.
    public init(_ code: Code, file: String?, line: Int?, keyPath: String, _ message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    /// `file:line: key.path: message`, leaving out the parts that are unknown.
    public var description: String {
        var prefix = ""
        if let file {
            prefix = line.map { "\(file):\($0): " } ?? "\(file): "
        }
        let key = keyPath.isEmpty ? "" : "\(keyPath): "
        return prefix + key + message
    }
}
