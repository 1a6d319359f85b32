/// A Kafka record header: a name and an optional binary value.
public struct KafkaHeader: Hashable, Sendable {
    /// The header name.
    public var name: String
    /// The header value; `nil` is a null value, distinct from an empty one.
    public var value: [UInt8]?

    /// Creates a header with a binary value.
    /// - Parameters:
    ///   - name: the header name.
    ///   - value: the value bytes, or `nil` for a null value.
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    /// Creates a header with a UTF-8 text value.
    /// - Parameters:
    ///   - name: the header name.
    ///   - text: the value, stored as UTF-8.
    public init(name: String, text: String) {
        self.init(name: name, value: Array(text.utf8))
    }
}
