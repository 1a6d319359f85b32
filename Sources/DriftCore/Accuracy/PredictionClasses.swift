/// Turns a model's predictions and labels into comparable class codes.
///
/// - **Categorical prediction** (the baseline's prediction profile is categorical): the class is
///   the predicted category. `ColumnarBatch.predictions` holds its bin index, so the code is the
///   category's index in the profile, or the "other" bin for a category not seen in training.
///   A label is matched against the category names exactly (after the label decoder's text
///   form: `true`, `7`, `0.25`); a label outside the categories gets `unknownLabel`.
/// - **Numeric prediction**: class `1` when the prediction is at or above the positive
///   threshold, `0` below. Labels `true`/`1` are class 1 and `false`/`0` class 0
///   (`true`/`false` in any letter case); any other label cannot be compared.
public struct PredictionClasses: Sendable, Equatable {
    /// How classes are formed.
    public enum Kind: Sendable, Equatable {
        /// Numeric prediction split at a threshold.
        case threshold(Double)
        /// Categorical prediction: the baseline's categories, in profile order.
        case categories([String])
    }

    /// Code of a label that is not one of a categorical model's categories.
    public static let unknownLabel: Int32 = -1

    /// How classes are formed.
    public let kind: Kind
    private let categoryCodes: [String: Int32]

    /// Classes for a baseline's prediction profile.
    /// - Parameters:
    ///   - prediction: The baseline's prediction profile.
    ///   - positiveThreshold: Class boundary for a numeric prediction.
    public init(prediction: FeatureProfile, positiveThreshold: Double) {
        if prediction.type == .categorical {
            let names = prediction.categories ?? []
            self.kind = .categories(names)
            var codes: [String: Int32] = [:]
            for (i, name) in names.enumerated() where codes[name] == nil { codes[name] = Int32(truncatingIfNeeded: i) }
            self.categoryCodes = codes
        } else {
            self.kind = .threshold(positiveThreshold)
            self.categoryCodes = [:]
        }
    }

    /// Categorical: the code of the "other" bin (a predicted category not seen in training).
    public var otherCode: Int32? {
        if case .categories(let names) = kind { return Int32(truncatingIfNeeded: names.count) }
        return nil
    }

    /// The class of a prediction value as `ColumnarBatch.predictions` holds it; `nil` when the
    /// prediction is missing (NaN) or, for a categorical model, not a valid bin index.
    /// - Parameter value: Prediction value or bin index.
    /// - Returns: The class code.
    public func classOf(prediction value: Double) -> Int32? {
        guard !value.isNaN else { return nil }
        switch kind {
        case .threshold(let threshold):
            return value >= threshold ? 1 : 0
        case .categories(let names):
            guard let bin = Int32(exactly: value), bin >= 0, Int(bin) <= names.count else { return nil }
            return bin
        }
    }

    /// The class of a label (as `LabelEvent.label` holds it); `nil` when a numeric model's label
    /// is not true/false/1/0.
    /// - Parameter label: Label text.
    /// - Returns: The class code, `unknownLabel` for a category the baseline does not list.
    public func classOf(label: String) -> Int32? {
        switch kind {
        case .threshold:
            switch label {
            case "1": return 1
            case "0": return 0
            default:
                switch label.lowercased() {
                case "true": return 1
                case "false": return 0
                default: return nil
                }
            }
        case .categories:
            return categoryCodes[label] ?? Self.unknownLabel
        }
    }

    /// Whether a label agrees with a prediction; `nil` when they cannot be compared (an
    /// unusable label, or a prediction in the "other" bin with a label outside the categories).
    /// - Parameters:
    ///   - predicted: The prediction's class code.
    ///   - label: The label's class code, or `nil` when it has none.
    /// - Returns: Correctness, or `nil`.
    public func isCorrect(predicted: Int32, label: Int32?) -> Bool? {
        guard let label else { return nil }
        if label == Self.unknownLabel, predicted == otherCode { return nil }
        return predicted == label
    }

    /// A class code as text: `1`/`0` for numeric models, the category name (or `other`, or
    /// `unknown`) for categorical ones.
    /// - Parameter code: Class code.
    /// - Returns: Its name.
    public func name(of code: Int32) -> String {
        switch kind {
        case .threshold:
            return String(code)
        case .categories(let names):
            if code >= 0, Int(code) < names.count { return names[Int(code)] }
            return code == Int32(truncatingIfNeeded: names.count) ? "other" : "unknown"
        }
    }
}
