import DriftCore
import DriftDecode
import Foundation

/// An independent, slow decoder of the inference contract written with Foundation's
/// JSONSerialization, used to check the simdjson decoder on generated events.
/// It assumes at most one fault per event (as `EventGenerator` produces).
struct ReferenceDecoder {
    enum Outcome {
        case accepted(
            schema: Int, values: [Double], prediction: Double, timestamp: Int64, id: String?,
            unknown: [String], fallback: Bool)
        case rejected(DecodeError.Code)
    }

    let registry: SchemaRegistry
    let rfc3339: [String: Int64]

    func decode(_ text: String, fallback: Int64) -> Outcome {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            let nonFinite =
                text.contains("NaN") || text.contains("Infinity") || "\(error)".contains("not representable")
            return .rejected(nonFinite ? .nonFinite : .invalidJSON)
        }
        guard let event = object as? [String: Any] else { return .rejected(.notAnObject) }
        guard let modelValue = event["model"], !(modelValue is NSNull) else { return .rejected(.missingModel) }
        guard let model = modelValue as? String else { return .rejected(.wrongType) }
        var version: String?
        if let value = event["version"], !(value is NSNull) {
            guard let text = Self.text(value) else { return .rejected(.wrongType) }
            version = text
        }
        var id: String?
        if let value = event["id"], !(value is NSNull) {
            guard let text = Self.text(value) else { return .rejected(.wrongType) }
            id = text
        }
        var timestamp = fallback
        if let value = event["timestamp"], !(value is NSNull) {
            guard let ms = timestampMs(value) else { return .rejected(.badTimestamp) }
            timestamp = ms
        }
        if let value = event["latency_ms"], !(value is NSNull) {
            guard let number = value as? NSNumber, !Self.isBool(number) else { return .rejected(.wrongType) }
        }
        if let value = event["cost"], !(value is NSNull) {
            guard let number = value as? NSNumber, !Self.isBool(number) else { return .rejected(.wrongType) }
        }
        guard let featuresValue = event["features"], !(featuresValue is NSNull) else {
            return .rejected(.missingFeatures)
        }
        guard let features = featuresValue as? [String: Any] else { return .rejected(.wrongType) }
        guard let match = registry.match(model: model, version: version) else {
            return .rejected(registry.match(model: model, version: nil) == nil ? .unknownModel : .unknownVersion)
        }
        let schema = match.schema
        var values = [Double](repeating: .nan, count: schema.features.count)
        var unknown: [String] = []
        for (name, value) in features {
            guard let index = schema.featureIndex[name] else {
                unknown.append(name)
                continue
            }
            guard let converted = Self.convert(value, column: schema.features[index]) else {
                return .rejected(.wrongType)
            }
            values[index] = converted
        }
        var prediction = Double.nan
        if let column = schema.prediction, let value = event["prediction"] {
            guard let converted = Self.convert(value, column: column) else { return .rejected(.wrongType) }
            prediction = converted
        }
        return .accepted(
            schema: match.index, values: values, prediction: prediction, timestamp: timestamp,
            id: id, unknown: unknown, fallback: match.isVersionFallback)
    }

    private static func isBool(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }

    private static func isInteger(_ number: NSNumber) -> Bool {
        ["s", "i", "l", "q", "S", "I", "L", "Q"].contains(String(cString: number.objCType))
    }

    private static func integerText(_ number: NSNumber) -> String {
        String(cString: number.objCType) == "Q" ? String(number.uint64Value) : String(number.int64Value)
    }

    /// A string, or an integer in canonical form.
    private static func text(_ value: Any) -> String? {
        if let string = value as? String { return string }
        if let number = value as? NSNumber, !isBool(number), isInteger(number) { return integerText(number) }
        return nil
    }

    private func timestampMs(_ value: Any) -> Int64? {
        if let string = value as? String { return rfc3339[string] }
        guard let number = value as? NSNumber, !Self.isBool(number) else { return nil }
        let range: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999
        if Self.isInteger(number) {
            if String(cString: number.objCType) == "Q" && number.uint64Value > UInt64(Int64.max) { return nil }
            return range.contains(number.int64Value) ? number.int64Value : nil
        }
        let real = number.doubleValue
        guard real == real.rounded(), real >= Double(range.lowerBound), real <= Double(range.upperBound) else {
            return nil
        }
        return Int64(real)
    }

    /// The column value of a JSON value; nil means wrong type.
    private static func convert(_ value: Any, column: ModelSchema.Column) -> Double? {
        if value is NSNull { return .nan }
        switch column.type {
        case .numeric:
            guard let number = value as? NSNumber, !isBool(number) else { return nil }
            return number.doubleValue
        case .categorical:
            let key: String
            if let string = value as? String {
                key = string
            } else if let number = value as? NSNumber {
                if isBool(number) {
                    key = number.boolValue ? "true" : "false"
                } else if isInteger(number) {
                    key = integerText(number)
                } else {
                    return nil
                }
            } else {
                return nil
            }
            return Double(column.categoryIndex[key] ?? column.otherBin)
        }
    }
}
