/// One cell of tabular training data, as read from a CSV or JSONL file or built in memory.
///
/// `number(.nan)` counts as missing (the project-wide convention); infinite numbers are
/// rejected by `BaselineBuilder`.
public enum DataValue: Sendable, Equatable, Hashable {
    /// A finite real number (integers included).
    case number(Double)
    /// A text value.
    case string(String)
    /// A boolean value.
    case bool(Bool)
    /// No value: empty CSV cell, JSON `null` or absent key.
    case missing

    /// Whether the value is missing (`missing`, or a NaN number).
    public var isMissing: Bool {
        switch self {
        case .missing: return true
        case .number(let x): return x.isNaN
        case .string, .bool: return false
        }
    }

    /// The label this value takes in a categorical profile, or `nil` when missing.
    ///
    /// Strings are used as they are, booleans become `"true"` / `"false"` and numbers
    /// their canonical decimal form (see `CategoryLabel.number(_:)`).
    public var categoryLabel: String? {
        switch self {
        case .missing: return nil
        case .string(let s): return s
        case .bool(let b): return CategoryLabel.bool(b)
        case .number(let x): return x.isNaN ? nil : CategoryLabel.number(x)
        }
    }
}
