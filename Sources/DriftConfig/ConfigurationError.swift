/// One problem found in a configuration file or in command-line flags.
///
/// Its description is the one-line form users see, naming the file, line and key path:
/// `config/driftd.yaml:14: models[0].features.tenure.threshold: expected a number, got "high"`.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    ///
    /// A struct rather than an enum, so a code added later breaks no caller's `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible, CaseIterable {
        /// The stable string code.
        public let rawValue: String
        /// A code from its stable string.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The configuration file cannot be read.
        public static let fileUnreadable = Code(rawValue: "config.file_unreadable")
        /// The file is not well-formed YAML (or has duplicate keys).
        public static let yamlSyntax = Code(rawValue: "config.yaml_syntax")
        /// A value has the wrong type (a string where a number is expected, ...).
        public static let typeMismatch = Code(rawValue: "config.type_mismatch")
        /// A key that the configuration does not define.
        public static let unknownKey = Code(rawValue: "config.unknown_key")
        /// A required key is absent.
        public static let missingKey = Code(rawValue: "config.missing_key")
        /// A number outside its allowed range.
        public static let outOfRange = Code(rawValue: "config.out_of_range")
        /// A value of the right type that is not allowed (unknown enum value, bad topic name...).
        public static let invalidValue = Code(rawValue: "config.invalid_value")
        /// A duration that does not parse.
        public static let invalidDuration = Code(rawValue: "config.invalid_duration")
        /// Settings that contradict each other (resolve above threshold, panes not dividing...).
        public static let inconsistent = Code(rawValue: "config.inconsistent")
        /// A baseline file cannot be read or decoded.
        public static let baselineUnreadable = Code(rawValue: "config.baseline_unreadable")
        /// A baseline file decodes but breaks the baseline invariants.
        public static let baselineInvalid = Code(rawValue: "config.baseline_invalid")
        /// A feature override names a feature the baseline does not have.
        public static let unknownFeature = Code(rawValue: "config.unknown_feature")
        /// A drift method that cannot be used on the feature's type.
        public static let methodNotApplicable = Code(rawValue: "config.method_not_applicable")
        /// Two model entries monitor the same model.
        public static let duplicateModel = Code(rawValue: "config.duplicate_model")
        /// No model is configured.
        public static let noModels = Code(rawValue: "config.no_models")
        /// A Kafka property driftd sets itself.
        public static let reservedProperty = Code(rawValue: "config.reserved_property")
        /// A Kafka property librdkafka does not know, or a value it refuses.
        public static let invalidProperty = Code(rawValue: "config.invalid_property")
        /// A `${NAME}` in a value names an unset environment variable, or is not closed.
        public static let missingEnvironment = Code(rawValue: "config.missing_environment")

        /// Every code this version defines.
        public static let allCases: [Code] = [
            .fileUnreadable, .yamlSyntax, .typeMismatch, .unknownKey, .missingKey, .outOfRange, .invalidValue,
            .invalidDuration, .inconsistent, .baselineUnreadable, .baselineInvalid, .unknownFeature,
            .methodNotApplicable, .duplicateModel, .noModels, .reservedProperty, .invalidProperty, .missingEnvironment
        ]
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
