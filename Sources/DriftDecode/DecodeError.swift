/// Why one event was rejected. Rejected events go to the dead-letter topic with `code.rawValue`
/// as the reason (see `docs/events.md`); the codes are a stable contract.
public struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable reject reason.
    ///
    /// A struct rather than an enum, so a code added later breaks no caller's `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible, CaseIterable {
        /// The stable string code.
        public let rawValue: String
        /// A code from its stable string.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Not valid JSON (RFC 8259): syntax error, invalid UTF-8, bad escape, trailing content.
        public static let invalidJSON = Code(rawValue: "invalid_json")
        /// Valid JSON whose top level is not an object.
        public static let notAnObject = Code(rawValue: "not_an_object")
        /// Larger than the decoder's `maxEventBytes`.
        public static let oversized = Code(rawValue: "oversized")
        /// No `model`, or `model` is null.
        public static let missingModel = Code(rawValue: "missing_model")
        /// No baseline is loaded for the event's model.
        public static let unknownModel = Code(rawValue: "unknown_model")
        /// The model is known but not the event's version, and version fallback is off.
        public static let unknownVersion = Code(rawValue: "unknown_version")
        /// No `features` object, or `features` is null.
        public static let missingFeatures = Code(rawValue: "missing_features")
        /// A field holds a JSON type it may not hold; `field` and `expectedType` say which.
        public static let wrongType = Code(rawValue: "wrong_type")
        /// NaN or infinity (`NaN`, `Infinity` literals), or a number outside the double range (1e400).
        public static let nonFinite = Code(rawValue: "non_finite")
        /// `timestamp` is neither whole epoch milliseconds nor a valid RFC 3339 date-time in years 1...9999.
        public static let badTimestamp = Code(rawValue: "bad_timestamp")
        /// A top-level field, or a monitored feature, appears twice in the event.
        public static let duplicateKey = Code(rawValue: "duplicate_key")
        /// Label events only: no `id`, or `id` is null.
        public static let missingID = Code(rawValue: "missing_id")
        /// Label events only: no `label`, or `label` is null.
        public static let missingLabel = Code(rawValue: "missing_label")
        /// CloudEvents formats: a required attribute (`specversion` 1.0, `id`, `source`, `type`) is
        /// missing or not a string (`field` names it).
        public static let invalidCloudEvent = Code(rawValue: "invalid_cloudevent")
        /// CloudEvents formats: no `data`, or `data` that is not a JSON object.
        public static let missingData = Code(rawValue: "missing_data")
        /// Tensor formats: a tensor without name, shape, datatype or data, or data that does not
        /// match its shape or datatype.
        public static let invalidTensor = Code(rawValue: "invalid_tensor")
        /// Tensor formats: a body with neither input tensors nor output tensors holding data.
        public static let noTensors = Code(rawValue: "no_tensors")
        /// Tensor formats: a tensor the model's `tensors` mapping names is not in the message.
        public static let missingTensor = Code(rawValue: "missing_tensor")
        /// Tensor formats: mapped tensors disagree on the number of rows, or a tensor has fewer
        /// columns than its mapping, or the response has a different row count than the request.
        public static let tensorShapeMismatch = Code(rawValue: "tensor_shape_mismatch")
        /// `kserve-logger`: the CloudEvent type is neither the inference request nor the response type.
        public static let unknownEventType = Code(rawValue: "unknown_event_type")
        /// Tensor formats: the message's model has no `tensors` mapping in the configuration.
        public static let unmappedModel = Code(rawValue: "unmapped_model")
        /// `seldon-v2`: the value is not a valid Open Inference Protocol v2 protobuf message.
        public static let invalidProtobuf = Code(rawValue: "invalid_protobuf")

        /// Every code this version defines.
        public static let allCases: [Code] = [
            .invalidJSON, .notAnObject, .oversized, .missingModel, .unknownModel, .unknownVersion, .missingFeatures,
            .wrongType, .nonFinite, .badTimestamp, .duplicateKey, .missingID, .missingLabel, .invalidCloudEvent,
            .missingData, .invalidTensor, .noTensors, .missingTensor, .tensorShapeMismatch, .unknownEventType,
            .unmappedModel, .invalidProtobuf
        ]
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
