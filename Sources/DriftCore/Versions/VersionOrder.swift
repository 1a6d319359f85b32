/// The order of model version names used to place a version that has no baseline among the
/// configured ones (`UnknownVersionRule.nearestOlder`).
///
/// Natural order: the names are split into runs of digits and runs of other characters; runs
/// of digits compare as numbers (`"2" < "10"`, `"1.9" < "1.10"`), other runs compare as text, and
/// a name that is a prefix of another sorts first (`"3" < "3.1"`). A leading `v` or `V` is
/// ignored (`"v4" == "4"`).
public enum VersionOrder {
    /// Whether version `a` sorts before version `b`.
    /// - Parameters:
    ///   - a: A version name.
    ///   - b: Another version name.
    /// - Returns: `true` when `a` is older than `b`.
    public static func isOlder(_ a: String, than b: String) -> Bool {
        let x = runs(a)
        let y = runs(b)
        for (p, q) in zip(x, y) where p != q {
            switch (p, q) {
            case (.number(let m), .number(let n)):
                if m.count != n.count { return m.count < n.count }
                return m < n
            case (.number, .text): return true
            case (.text, .number): return false
            case (.text(let s), .text(let t)): return s < t
            }
        }
        return x.count < y.count
    }

    /// The configured version an event of an unconfigured `version` falls back to under
    /// `UnknownVersionRule.nearestOlder`: of the configured versions older than `version`, the
    /// one listed last (configuration order is oldest first); nil when none is older.
    /// - Parameters:
    ///   - version: The version of an event.
    ///   - versions: The configured versions of the model, in configuration order.
    /// - Returns: The nearest older configured version.
    public static func nearestOlder(than version: String, among versions: [String]) -> String? {
        versions.last { isOlder($0, than: version) }
    }

    private enum Run: Equatable {
        /// Digits without leading zeros (so comparing by length, then text, compares numbers).
        case number(String)
        case text(String)
    }

    private static func runs(_ version: String) -> [Run] {
        var text = Substring(version)
        if let first = text.first, first == "v" || first == "V", text.dropFirst().first?.isASCII == true,
            text.dropFirst().first?.isNumber == true
        {
            text = text.dropFirst()
        }
        var result: [Run] = []
        var current = ""
        var inDigits = false
        func flush() {
            guard !current.isEmpty else { return }
            if inDigits {
                let trimmed = current.drop { $0 == "0" }
                result.append(.number(trimmed.isEmpty ? "0" : String(trimmed)))
            } else {
                result.append(.text(current))
            }
            current = ""
        }
        for ch in text {
            let digit = ch.isASCII && ch.isNumber
            if digit != inDigits {
                flush()
                inDigits = digit
            }
            current.append(ch)
        }
        flush()
        return result
    }
}
