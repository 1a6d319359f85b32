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
        /// CloudEvents formats: a required attribute (`specversion` 1.0, `id`, `source`, `type`) is
        /// missing or not a string (`field` names it).
        case invalidCloudEvent = "invalid_cloudevent"
        /// CloudEvents formats: no `data`, or `data` that is not a JSON object.
        case missingData = "missing_data"
        /// Tensor formats: a tensor without name, shape, datatype or data, or data that does not
        /// match its shape or datatype.
        case invalidTensor = "invalid_tensor"
        /// Tensor formats: a body with neither input tensors nor output tensors holding data.
        case noTensors = "no_tensors"
        /// Tensor formats: a tensor the model's `tensors` mapping names is not in the message.
        case missingTensor = "missing_tensor"
        /// Tensor formats: mapped tensors disagree on the number of rows, or a tensor has fewer
        /// columns than its mapping, or the response has a different row count than the request.
        case tensorShapeMismatch = "tensor_shape_mismatch"
        /// `kserve-logger`: the CloudEvent type is neither the inference request nor the response type.
        case unknownEventType = "unknown_event_type"
        /// Tensor formats: the message's model has no `tensors` mapping in the configuration.
        case unmappedModel = "unmapped_model"
        /// `seldon-v2`: the value is not a valid Open Inference Protocol v2 protobuf message.
        case invalidProtobuf = "invalid_protobuf"
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
