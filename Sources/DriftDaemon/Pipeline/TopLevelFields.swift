import Foundation

/// Finds the `model` and `version` members of a JSON object's top level, and rewrites the
/// version, for events routed to the nearest older baseline (`UnknownVersionRule.nearestOlder`).
/// Only used on the rare path of events the decoder rejected as `unknown_version`, so it is a
/// plain byte scanner, not a validating parser (the decoder validates the rewritten event).
struct TopLevelFields {
    /// The `model` text.
    var model: String?
    /// The `version` as the decoder reads it (integers as canonical decimal text).
    var version: String?
    /// Byte range of the `version` value.
    var versionRange: Range<Int>?

    /// Scans `bytes`; nil when they are not an object whose top level could be walked.
    init?(_ bytes: [UInt8]) {
        var i = 0
        func skipSpace() { while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 } }
        /// Scans a string starting at `i` (on the quote); returns its decoded text when simple.
        func scanString() -> String? {
            guard i < bytes.count, bytes[i] == 0x22 else { return nil }
            let start = i + 1
            i += 1
            var escaped = false
            while i < bytes.count {
                let b = bytes[i]
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { break }
                i += 1
            }
            guard i < bytes.count else { return nil }
            let raw = Array(bytes[start..<i])
            i += 1
            if raw.contains(0x5C) {
                // Escapes: decode through the standard JSON rules of a one-string array.
                return Self.unescape(raw)
            }
            return String(decoding: raw, as: UTF8.self)
        }
        /// Skips any value starting at `i`.
        func skipValue() -> Bool {
            skipSpace()
            guard i < bytes.count else { return false }
            if bytes[i] == 0x22 { return scanString() != nil }
            if bytes[i] == 0x7B || bytes[i] == 0x5B {
                var depth = 0
                while i < bytes.count {
                    switch bytes[i] {
                    case 0x22:
                        guard scanString() != nil else { return false }
                        continue
                    case 0x7B, 0x5B: depth += 1
                    case 0x7D, 0x5D:
                        depth -= 1
                        if depth == 0 {
                            i += 1
                            return true
                        }
                    default: break
                    }
                    i += 1
                }
                return false
            }
            while i < bytes.count, ![0x2C, 0x7D, 0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
            return true
        }
        skipSpace()
        guard i < bytes.count, bytes[i] == 0x7B else { return nil }
        i += 1
        while true {
            skipSpace()
            guard i < bytes.count else { return nil }
            if bytes[i] == 0x7D { return }
            guard let key = scanString() else { return nil }
            skipSpace()
            guard i < bytes.count, bytes[i] == 0x3A else { return nil }
            i += 1
            skipSpace()
            let valueStart = i
            if key == "model", i < bytes.count, bytes[i] == 0x22 {
                model = scanString()
            } else if key == "version" {
                if i < bytes.count, bytes[i] == 0x22 {
                    version = scanString()
                } else {
                    guard skipValue() else { return nil }
                    let text = String(decoding: bytes[valueStart..<i], as: UTF8.self)
                    if let n = Int64(text) { version = String(n) }
                }
                versionRange = valueStart..<i
            } else {
                guard skipValue() else { return nil }
            }
            skipSpace()
            guard i < bytes.count else { return nil }
            if bytes[i] == 0x2C {
                i += 1
                continue
            }
            if bytes[i] == 0x7D { return }
            return nil
        }
    }

    /// `bytes` with the `version` value replaced by the JSON string `version`.
    func replacingVersion(in bytes: [UInt8], with version: String) -> [UInt8]? {
        guard let range = versionRange else { return nil }
        var escaped: [UInt8] = [0x22]
        for b in version.utf8 {
            switch b {
            case 0x22: escaped += [0x5C, 0x22]
            case 0x5C: escaped += [0x5C, 0x5C]
            case 0x00..<0x20: escaped += Array(String(format: "\\u%04x", Int(b)).utf8)
            default: escaped.append(b)
            }
        }
        escaped.append(0x22)
        return Array(bytes[..<range.lowerBound]) + escaped + Array(bytes[range.upperBound...])
    }

    private static func unescape(_ raw: [UInt8]) -> String? {
        var out: [UInt8] = []
        var i = 0
        while i < raw.count {
            guard raw[i] == 0x5C, i + 1 < raw.count else {
                out.append(raw[i])
                i += 1
                continue
            }
            let c = raw[i + 1]
            i += 2
            switch c {
            case 0x6E: out.append(0x0A)
            case 0x74: out.append(0x09)
            case 0x72: out.append(0x0D)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x75:
                guard i + 4 <= raw.count, let code = UInt32(String(decoding: raw[i..<i + 4], as: UTF8.self), radix: 16),
                    let scalar = Unicode.Scalar(code)
                else { return nil }
                out += Array(String(Character(scalar)).utf8)
                i += 4
            default: out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
