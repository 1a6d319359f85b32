import CSimdjsonShim

/// Reads flat JSON objects (scalar values only), one record at a time, with simdjson
/// On-Demand: the JSON Lines data-file tokenizer.
///
/// Strict RFC 8259 syntax (simdjson validates UTF-8, escapes, numbers and literals); numbers are
/// correctly rounded doubles; keys and strings are unescaped. Duplicate keys are handed over as
/// they come: the caller decides. Not thread-safe: one reader per thread.
public final class FlatRecordReader {
    private let handle: OpaquePointer

    /// Creates a reader (one simdjson parser).
    /// - Throws: `DecoderSetupError` `.allocationFailed` when the parser cannot be allocated.
    public init() throws(DecoderSetupError) {
        guard let handle = dd_flat_reader_create() else {
            throw DecoderSetupError(.allocationFailed, "cannot allocate a JSON record reader")
        }
        self.handle = handle
    }

    deinit { dd_flat_reader_destroy(handle) }

    /// Parses one record and hands its pairs to `field` in order.
    /// - Parameters:
    ///   - record: The record's bytes (one line, without its line break).
    ///   - field: Receives each pair (its buffers are valid only during the call); returns `false`
    ///     to stop.
    /// - Returns: `false` when `field` stopped the record, else `true`.
    /// - Throws: `FlatRecordError` when the record is not a flat JSON object.
    @discardableResult
    public func parse(
        _ record: UnsafeBufferPointer<UInt8>, _ field: (FlatRecordField) -> Bool
    ) throws(FlatRecordError) -> Bool {
        var fields: UnsafePointer<dd_flat_field>?
        var count = 0
        var error = dd_flat_error()
        let status = dd_flat_parse(handle, record.baseAddress, record.count, &fields, &count, &error)
        guard status == Int32(DD_FLAT_OK.rawValue) else { throw Self.error(status, error) }
        guard let fields else { return true }
        for k in 0..<count {
            let raw = fields[k]
            let value: FlatRecordField.Value
            switch UInt32(bitPattern: raw.kind) {
            case DD_KIND_NUMBER.rawValue: value = .number(raw.number)
            case DD_KIND_STRING.rawValue: value = .string(Self.bytes(raw.string, raw.string_len))
            case DD_KIND_BOOLEAN.rawValue: value = .bool(raw.boolean != 0)
            default: value = .null
            }
            guard field(FlatRecordField(key: Self.bytes(raw.key, raw.key_len), value: value)) else { return false }
        }
        return true
    }

    private static func bytes(_ pointer: UnsafePointer<CChar>?, _ count: Int) -> UnsafeBufferPointer<UInt8> {
        guard let pointer, count > 0 else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeRawPointer(pointer).withMemoryRebound(to: UInt8.self, capacity: count) {
            UnsafeBufferPointer(start: $0, count: count)
        }
    }

    private static func text(_ pointer: UnsafePointer<CChar>?, _ count: Int) -> String {
        String(decoding: bytes(pointer, count), as: UTF8.self)
    }

    private static func error(_ status: Int32, _ raw: dd_flat_error) -> FlatRecordError {
        let offset = Int(raw.offset)
        switch UInt32(bitPattern: status) {
        case DD_FLAT_NOT_AN_OBJECT.rawValue:
            return FlatRecordError(.notAnObject, offset: offset)
        case DD_FLAT_NESTED_VALUE.rawValue:
            return FlatRecordError(
                .nestedValue(
                    key: text(raw.key, raw.key_len), isArray: raw.nested_kind == Int32(DD_KIND_ARRAY.rawValue)),
                offset: offset)
        case DD_FLAT_NUMBER_OUT_OF_RANGE.rawValue:
            return FlatRecordError(
                .numberOutOfRange(key: text(raw.key, raw.key_len), number: text(raw.detail, raw.detail_len)),
                offset: offset)
        default:
            return FlatRecordError(.invalidJSON(text(raw.detail, raw.detail_len)), offset: offset)
        }
    }
}
