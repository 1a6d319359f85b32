/// One key-value pair of a flat JSON object read by `FlatRecordReader`.
///
/// The key and a string value are unescaped UTF-8 bytes owned by the reader: they are valid
/// only inside the `FlatRecordReader.parse(_:_:)` callback that received them.
public struct FlatRecordField {
    /// A scalar value.
    public enum Value {
        /// A finite number, correctly rounded to a double.
        case number(Double)
        /// A string: its unescaped UTF-8 bytes.
        case string(UnsafeBufferPointer<UInt8>)
        /// `true` or `false`.
        case bool(Bool)
        /// `null`.
        case null
    }

    /// The key's unescaped UTF-8 bytes.
    public var key: UnsafeBufferPointer<UInt8>
    /// The value.
    public var value: Value

    /// The key as a string (copies the bytes).
    public var keyText: String { String(decoding: key, as: UTF8.self) }
}
