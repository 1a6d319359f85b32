import CSimdjsonShim

extension DecodeError {
    /// The error the native decoder reported in `outcome` (status must not be `DD_OK`).
    init(outcome: dd_outcome) {
        let field = outcome.field_len > 0 ? NativeDecoder.string(outcome.field, outcome.field_len) : nil
        let detail = NativeDecoder.string(outcome.detail, outcome.detail_len)
        let at = field.map { " in '\($0)'" } ?? ""
        switch dd_status(rawValue: UInt32(bitPattern: outcome.status)) {
        case DD_NOT_AN_OBJECT:
            self.init(.notAnObject, field: field, message: "the event is a JSON \(detail), not an object")
        case DD_OVERSIZED:
            self.init(.oversized, field: field, message: "message too large: \(detail)")
        case DD_MISSING_MODEL:
            self.init(.missingModel, field: field, message: "the event has no model")
        case DD_UNKNOWN_MODEL:
            self.init(.unknownModel, field: field, message: "no baseline is loaded for model '\(detail)'")
        case DD_UNKNOWN_VERSION:
            self.init(
                .unknownVersion, field: field,
                message: "no baseline is loaded for '\(detail)' and version fallback is off")
        case DD_MISSING_FEATURES:
            self.init(.missingFeatures, field: field, message: detail)
        case DD_WRONG_TYPE:
            let expected = Self.expectedName(outcome.expected)
            self.init(
                .wrongType, field: field, expectedType: expected,
                message: "expected \(expected)\(at), got \(Self.kindName(outcome.actual))")
        case DD_NON_FINITE:
            self.init(.nonFinite, field: field, message: "non-finite or out-of-range number\(at): \(detail)")
        case DD_BAD_TIMESTAMP:
            self.init(
                .badTimestamp, field: field,
                message:
                    "timestamp must be whole epoch milliseconds or an RFC 3339 date-time in years 1 to 9999, got \(detail)"
            )
        case DD_DUPLICATE_KEY:
            self.init(.duplicateKey, field: field, message: "key appears more than once\(at)")
        case DD_MISSING_ID:
            self.init(.missingID, field: field, message: "the event has no id")
        case DD_MISSING_LABEL:
            self.init(.missingLabel, field: field, message: "the event has no label")
        default:
            self.init(.invalidJSON, field: field, message: "not valid JSON\(at): \(detail)")
        }
    }

    private static func expectedName(_ expected: Int32) -> String {
        switch dd_expected(rawValue: UInt32(bitPattern: expected)) {
        case DD_EXPECT_NUMBER: "number"
        case DD_EXPECT_CATEGORY: "string, boolean or integer"
        case DD_EXPECT_STRING: "string"
        case DD_EXPECT_STRING_OR_INTEGER: "string or integer"
        case DD_EXPECT_OBJECT: "object"
        case DD_EXPECT_LABEL: "number, string or boolean"
        default: "another type"
        }
    }

    private static func kindName(_ kind: Int32) -> String {
        switch dd_json_kind(rawValue: UInt32(bitPattern: kind)) {
        case DD_KIND_NULL: "null"
        case DD_KIND_BOOLEAN: "boolean"
        case DD_KIND_NUMBER: "number"
        case DD_KIND_STRING: "string"
        case DD_KIND_ARRAY: "array"
        case DD_KIND_OBJECT: "object"
        default: "an unknown value"
        }
    }
}
