import DriftCore

/// Parses one JSON Lines record: a JSON object whose values are scalars, handing each key-value
/// pair to the caller in order.
///
/// Strict RFC 8259 syntax; `null` is missing; arrays and objects as values are refused
/// (baselines profile flat features). Keys and string values are validated but not decoded:
/// the caller gets their raw bytes and decodes (`decodeString(_:)`) only what it has not seen.
struct FlatJSONObjectParser {
    /// Why a line does not parse; the caller adds file and line.
    struct Failure: Error {
        var code: DataFileError.Code
        var message: String
    }

    /// A string's raw bytes between its quotes (escapes not decoded).
    struct RawString {
        /// The bytes between the quotes.
        var bytes: UnsafeBufferPointer<UInt8>
        /// Offset of the first byte in the parser's input.
        var offset: Int
        /// Whether the bytes hold a backslash escape.
        var escaped: Bool

        /// The decoded text.
        var text: String { FlatJSONObjectParser.decodeString(bytes, escaped: escaped) }
    }

    /// A scalar value.
    enum Scalar {
        /// A string, raw.
        case string(RawString)
        /// A finite number.
        case number(Double)
        /// `true` or `false`.
        case bool(Bool)
        /// `null`.
        case null
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let start: Int
    private let end: Int
    private var position: Int

    /// A parser for `bytes[range]` (one line).
    /// - Parameters:
    ///   - bytes: The whole input.
    ///   - range: The line.
    init(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        self.bytes = bytes
        self.start = range.lowerBound
        self.end = range.upperBound
        self.position = range.lowerBound
    }

    /// Parses the object, calling `pair` for each key-value pair in order.
    /// - Parameter pair: Receives the key's pair index, the raw key and the value; returns
    ///   `false` when the key already appeared in this object (reported as `duplicateKey`).
    mutating func parseObject(
        _ pair: (_ index: Int, _ key: RawString, _ value: Scalar) -> Bool
    ) throws(Failure) {
        skipWhitespace()
        guard let first = peek() else { throw fail(.invalidJSON, "empty record") }
        guard first == UInt8(ascii: "{") else { throw fail(.notAnObject, "record is not a JSON object") }
        position += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
        } else {
            var index = 0
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { throw fail(.invalidJSON, "expected a string key") }
                let key = try scanString()
                skipWhitespace()
                guard peek() == UInt8(ascii: ":") else { throw fail(.invalidJSON, "expected ':' after key \"\(key.text)\"") }
                position += 1
                skipWhitespace()
                let value = try parseValue(key: key)
                guard pair(index, key, value) else { throw fail(.duplicateKey, "key \"\(key.text)\" appears twice") }
                index += 1
                skipWhitespace()
                guard let next = peek() else { throw fail(.invalidJSON, "object is not closed") }
                position += 1
                if next == UInt8(ascii: "}") { break }
                guard next == UInt8(ascii: ",") else { throw fail(.invalidJSON, "expected ',' or '}'", at: position - 1) }
            }
        }
        skipWhitespace()
        guard position == end else { throw fail(.invalidJSON, "unexpected text after the object") }
    }

    // MARK: - Values

    private mutating func parseValue(key: RawString) throws(Failure) -> Scalar {
        guard let b = peek() else { throw fail(.invalidJSON, "expected a value for key \"\(key.text)\"") }
        switch b {
        case UInt8(ascii: "\""): return .string(try scanString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            throw fail(.nestedValue, "value of key \"\(key.text)\" is an \(b == UInt8(ascii: "{") ? "object" : "array"); only flat objects are supported")
        default: throw fail(.invalidJSON, "invalid value for key \"\(key.text)\"")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard end - position >= count else { throw fail(.invalidJSON, "invalid literal") }
        let expected = word.utf8Start
        for k in 0 ..< count where bytes[position + k] != expected[k] { throw fail(.invalidJSON, "invalid literal") }
        position += count
    }

    private mutating func parseNumber() throws(Failure) -> Double {
        let numberStart = position
        @inline(__always) func digit(_ b: UInt8?) -> Bool { b.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false }
        if peek() == UInt8(ascii: "-") { position += 1 }
        if peek() == UInt8(ascii: "0") {
            position += 1
        } else if digit(peek()) {
            while digit(peek()) { position += 1 }
        } else {
            throw fail(.invalidJSON, "invalid number", at: numberStart)
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard digit(peek()) else { throw fail(.invalidJSON, "invalid number", at: numberStart) }
            while digit(peek()) { position += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard digit(peek()) else { throw fail(.invalidJSON, "invalid number", at: numberStart) }
            while digit(peek()) { position += 1 }
        }
        // JSON numbers are a subset of the data-file grammar: the exact fast path applies.
        let text = UnsafeBufferPointer(rebasing: bytes[numberStart ..< position])
        if case .number(let x) = FastDecimal.parse(text) { return x }
        let string = String(decoding: text, as: UTF8.self)
        guard let value = Double(string) else { throw fail(.invalidJSON, "invalid number", at: numberStart) }
        guard value.isFinite else { throw fail(.numberOutOfRange, "number \(string) is out of range for a double", at: numberStart) }
        return value
    }

    /// Validates a string (opening quote at `position`) and returns its raw content.
    private mutating func scanString() throws(Failure) -> RawString {
        let quote = position
        position += 1
        let contentStart = position
        var escaped = false
        while true {
            guard position < end else { throw fail(.invalidJSON, "string is not closed", at: quote) }
            let b = bytes[position]
            position += 1
            switch b {
            case UInt8(ascii: "\""):
                return RawString(
                    bytes: UnsafeBufferPointer(rebasing: bytes[contentStart ..< position - 1]), offset: contentStart,
                    escaped: escaped)
            case UInt8(ascii: "\\"):
                escaped = true
                guard position < end else { throw fail(.invalidJSON, "string is not closed", at: quote) }
                switch Self.escape(in: UnsafeBufferPointer(rebasing: bytes[position - 1 ..< end]), at: 0) {
                case .valid(_, let length): position += length - 1
                case .invalidEscape: throw fail(.invalidJSON, "invalid escape sequence", at: position - 1)
                case .invalidUnicode(let consumed):
                    position += consumed - 1
                    throw fail(.invalidJSON, "invalid \\u escape")
                case .unpairedSurrogate: throw fail(.invalidJSON, "unpaired surrogate in \\u escape", at: position - 1)
                }
            case 0 ..< 0x20:
                throw fail(.invalidJSON, "control character in string", at: position - 1)
            default:
                continue
            }
        }
    }

    // MARK: - Escapes

    private enum Escape {
        /// The escaped scalar and the escape's length in bytes.
        case valid(Unicode.Scalar, length: Int)
        /// Not one of the JSON escapes.
        case invalidEscape
        /// `\u` without four hex digits; bytes consumed before the bad one.
        case invalidUnicode(consumed: Int)
        /// A surrogate without its pair.
        case unpairedSurrogate
    }

    /// The escape starting with the backslash at `text[i]`.
    private static func escape(in text: UnsafeBufferPointer<UInt8>, at i: Int) -> Escape {
        guard i + 1 < text.count else { return .invalidEscape }
        switch text[i + 1] {
        case UInt8(ascii: "\""): return .valid("\"", length: 2)
        case UInt8(ascii: "\\"): return .valid("\\", length: 2)
        case UInt8(ascii: "/"): return .valid("/", length: 2)
        case UInt8(ascii: "b"): return .valid("\u{08}", length: 2)
        case UInt8(ascii: "f"): return .valid("\u{0C}", length: 2)
        case UInt8(ascii: "n"): return .valid("\n", length: 2)
        case UInt8(ascii: "r"): return .valid("\r", length: 2)
        case UInt8(ascii: "t"): return .valid("\t", length: 2)
        case UInt8(ascii: "u"):
            guard let high = hex4(text, at: i + 2) else { return .invalidUnicode(consumed: 2 + hexDigits(text, at: i + 2)) }
            var value = high
            var length = 6
            if (0xD800 ... 0xDBFF).contains(high) {
                guard i + 7 < text.count, text[i + 6] == UInt8(ascii: "\\"), text[i + 7] == UInt8(ascii: "u") else {
                    return .unpairedSurrogate
                }
                guard let low = hex4(text, at: i + 8) else {
                    return .invalidUnicode(consumed: 8 + hexDigits(text, at: i + 8))
                }
                guard (0xDC00 ... 0xDFFF).contains(low) else { return .unpairedSurrogate }
                value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                length = 12
            }
            guard let scalar = Unicode.Scalar(value) else { return .unpairedSurrogate }
            return .valid(scalar, length: length)
        default:
            return .invalidEscape
        }
    }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private static func hex4(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt32? {
        guard i + 4 <= text.count else { return nil }
        var value: UInt32 = 0
        for k in 0 ..< 4 {
            guard let digit = hexValue(text[i + k]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    private static func hexDigits(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        var n = 0
        while n < 4, i + n < text.count, hexValue(text[i + n]) != nil { n += 1 }
        return n
    }

    /// Decodes the raw content of a validated string.
    /// - Parameters:
    ///   - raw: Bytes between the quotes, as validated by the parser.
    ///   - escaped: Whether they hold escapes.
    static func decodeString(_ raw: UnsafeBufferPointer<UInt8>, escaped: Bool) -> String {
        guard escaped else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            guard raw[i] == UInt8(ascii: "\\") else {
                out.append(raw[i])
                i += 1
                continue
            }
            switch escape(in: raw, at: i) {
            case .valid(let scalar, let length):
                out.append(contentsOf: String(Character(scalar)).utf8)
                i += length
            case .invalidEscape, .invalidUnicode, .unpairedSurrogate:
                // Not reached for validated input; keep the backslash as text rather than fail.
                out.append(raw[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Helpers

    @inline(__always)
    private func peek() -> UInt8? { position < end ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while position < end {
            let b = bytes[position]
            guard b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A else { return }
            position += 1
        }
    }

    private func fail(_ code: DataFileError.Code, _ message: String, at offset: Int? = nil) -> Failure {
        Failure(code: code, message: "column \((offset ?? position) - start + 1): \(message)")
    }
}
