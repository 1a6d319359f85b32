/// Why a line is not a flat JSON object (`FlatRecordReader`).
public struct FlatRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: Sendable, Equatable {
        /// Not valid JSON; simdjson's explanation.
        case invalidJSON(String)
        /// Valid JSON whose root is not an object.
        case notAnObject
        /// The value of `key` is an array (`isArray`) or an object.
        case nestedValue(key: String, isArray: Bool)
        /// The value of `key` is number syntax that overflows a double (`number` is its text).
        case numberOutOfRange(key: String, number: String)
    }

    /// What is wrong.
    public var kind: Kind
    /// 0-based byte offset in the record where the problem was found.
    public var offset: Int

    /// Creates an error.
    /// - Parameters:
    ///   - kind: What is wrong.
    ///   - offset: 0-based byte offset in the record.
    public init(_ kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// A one-line explanation (without the position).
    public var description: String {
        switch kind {
        case .invalidJSON(let detail): return "invalid JSON: \(detail)"
        case .notAnObject: return "record is not a JSON object"
        case .nestedValue(let key, let isArray):
            return "value of key \"\(key)\" is an \(isArray ? "array" : "object"); only flat objects are supported"
        case .numberOutOfRange(_, let number): return "number \(number) is out of range for a double"
        }
    }
}
