import DriftCore

/// Parses one JSON Lines record: a JSON object whose values are scalars, keeping key order.
///
/// Strict RFC 8259 syntax; `null` is missing; arrays and objects as values are refused
/// (baselines profile flat features).
struct FlatJSONObjectParser {
    /// Why a line does not parse; the caller adds file and line.
    struct Failure: Error {
        var code: DataFileError.Code
        var message: String
    }

    private let bytes: ArraySlice<UInt8>
    private var position: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    /// The object's key-value pairs in order.
    mutating func parseObject() throws(Failure) -> [(String, DataValue)] {
        skipWhitespace()
        guard let first = peek() else { throw fail(.invalidJSON, "empty record") }
        guard first == UInt8(ascii: "{") else { throw fail(.notAnObject, "record is not a JSON object") }
        position += 1
        var pairs: [(String, DataValue)] = []
        var keys = Set<String>()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else { throw fail(.invalidJSON, "expected a string key") }
                let key = try parseString()
                skipWhitespace()
                guard peek() == UInt8(ascii: ":") else { throw fail(.invalidJSON, "expected ':' after key \"\(key)\"") }
                position += 1
                skipWhitespace()
                let value = try parseValue(key: key)
                guard keys.insert(key).inserted else { throw fail(.duplicateKey, "key \"\(key)\" appears twice") }
                pairs.append((key, value))
                skipWhitespace()
                guard let next = peek() else { throw fail(.invalidJSON, "object is not closed") }
                position += 1
                if next == UInt8(ascii: "}") { break }
                guard next == UInt8(ascii: ",") else { throw fail(.invalidJSON, "expected ',' or '}'", at: position - 1) }
            }
        }
        skipWhitespace()
        guard position == bytes.endIndex else { throw fail(.invalidJSON, "unexpected text after the object") }
        return pairs
    }

    // MARK: - Values

    private mutating func parseValue(key: String) throws(Failure) -> DataValue {
        guard let b = peek() else { throw fail(.invalidJSON, "expected a value for key \"\(key)\"") }
        switch b {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .missing
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            throw fail(.nestedValue, "value of key \"\(key)\" is an \(b == UInt8(ascii: "{") ? "object" : "array"); only flat objects are supported")
        default: throw fail(.invalidJSON, "invalid value for key \"\(key)\"")
        }
    }

    private mutating func literal(_ word: String) throws(Failure) {
        let expected = word.utf8
        let count = expected.count
        guard bytes.endIndex - position >= count, bytes[position..<position + count].elementsEqual(expected) else {
            throw fail(.invalidJSON, "invalid literal")
        }
        position += count
    }

    private mutating func parseNumber() throws(Failure) -> Double {
        let start = position
        func digit(_ b: UInt8?) -> Bool { b.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false }
        if peek() == UInt8(ascii: "-") { position += 1 }
        if peek() == UInt8(ascii: "0") {
            position += 1
        } else if digit(peek()) {
            while digit(peek()) { position += 1 }
        } else {
            throw fail(.invalidJSON, "invalid number", at: start)
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard digit(peek()) else { throw fail(.invalidJSON, "invalid number", at: start) }
            while digit(peek()) { position += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard digit(peek()) else { throw fail(.invalidJSON, "invalid number", at: start) }
            while digit(peek()) { position += 1 }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Double(text) else { throw fail(.invalidJSON, "invalid number", at: start) }
        guard value.isFinite else { throw fail(.numberOutOfRange, "number \(text) is out of range for a double", at: start) }
        return value
    }

    private mutating func parseString() throws(Failure) -> String {
        let start = position
        position += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard let b = peek() else { throw fail(.invalidJSON, "string is not closed", at: start) }
            position += 1
            switch b {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let e = peek() else { throw fail(.invalidJSON, "string is not closed", at: start) }
                position += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"): out.append(contentsOf: try parseUnicodeEscape())
                default: throw fail(.invalidJSON, "invalid escape sequence", at: position - 2)
                }
            case 0..<0x20:
                throw fail(.invalidJSON, "control character in string", at: position - 1)
            default:
                out.append(b)
            }
        }
    }

    /// After `\u`: four hex digits, a surrogate pair when needed; returns UTF-8 bytes.
    private mutating func parseUnicodeEscape() throws(Failure) -> [UInt8] {
        let escapeStart = position - 2
        var scalarValue = try hex4()
        if (0xD800...0xDBFF).contains(scalarValue) {
            guard peek() == UInt8(ascii: "\\"), position + 1 < bytes.endIndex, bytes[position + 1] == UInt8(ascii: "u") else {
                throw fail(.invalidJSON, "unpaired surrogate in \\u escape", at: escapeStart)
            }
            position += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else {
                throw fail(.invalidJSON, "unpaired surrogate in \\u escape", at: escapeStart)
            }
            scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(scalarValue) else {
            throw fail(.invalidJSON, "unpaired surrogate in \\u escape", at: escapeStart)
        }
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let b = peek() else { throw fail(.invalidJSON, "invalid \\u escape") }
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw fail(.invalidJSON, "invalid \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    // MARK: - Helpers

    private func peek() -> UInt8? { position < bytes.endIndex ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let b = peek(), b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A { position += 1 }
    }

    private func fail(_ code: DataFileError.Code, _ message: String, at offset: Int? = nil) -> Failure {
        Failure(code: code, message: "column \((offset ?? position) - bytes.startIndex + 1): \(message)")
    }
}
