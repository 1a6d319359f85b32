import DriftCore

/// YAML 1.2 core-schema recognition of plain scalars, without YAML 1.1 surprises
/// (`yes`, `on`, sexagesimal numbers) that Yams' constructors accept.
enum ScalarSyntax {
    /// `true` / `false` in any of the core schema's spellings.
    static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// A decimal integer, `_` allowed between digits (`10_000`).
    static func integer(_ text: String) -> Int? {
        let cleaned = withoutDigitSeparators(text)
        guard let cleaned, !cleaned.isEmpty else { return nil }
        var digits = Substring(cleaned)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(cleaned)
    }

    /// A finite decimal number (integer or float syntax).
    static func number(_ text: String) -> Double? {
        guard let cleaned = withoutDigitSeparators(text) else { return nil }
        switch StrictNumber.parse(Substring(cleaned).utf8) {
        case .number(let value): return value
        case .notANumber, .outOfRange: return nil
        }
    }

    /// Removes `_` that sit between two digits; `nil` when an underscore is elsewhere.
    private static func withoutDigitSeparators(_ text: String) -> String? {
        guard text.contains("_") else { return text }
        let chars = Array(text)
        var out = ""
        for (i, ch) in chars.enumerated() {
            if ch == "_" {
                guard i > 0, i + 1 < chars.count, chars[i - 1].isASCIIDigit, chars[i + 1].isASCIIDigit else {
                    return nil
                }
                continue
            }
            out.append(ch)
        }
        return out
    }
}

extension Character {
    /// `0`...`9`.
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
