/// Durations written as text in configuration files and flags: `250ms`, `10s`, `5m`, `1h`, `2d`.
///
/// Units may be combined, largest first or not (`1h30m`); the value is a whole number of
/// milliseconds. A bare `0` means zero; any other number needs a unit.
public enum DurationText {
    /// Parses a duration.
    /// - Parameter text: e.g. `"10s"`.
    /// - Returns: Milliseconds, or `nil` when the text is not a duration or overflows.
    public static func milliseconds(from text: String) -> Int64? {
        if text == "0" { return 0 }
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var total: Int64 = 0
        var i = 0
        while i < bytes.count {
            var number: Int64 = 0
            let start = i
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
                let (times10, o1) = number.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int64(bytes[i] - UInt8(ascii: "0")))
                if o1 || o2 { return nil }
                number = sum
                i += 1
            }
            guard i > start else { return nil }
            let unitStart = i
            while i < bytes.count, bytes[i] >= UInt8(ascii: "a"), bytes[i] <= UInt8(ascii: "z") { i += 1 }
            let multiplier: Int64
            switch String(decoding: bytes[unitStart..<i], as: UTF8.self) {
            case "ms": multiplier = 1
            case "s": multiplier = 1_000
            case "m": multiplier = 60_000
            case "h": multiplier = 3_600_000
            case "d": multiplier = 86_400_000
            default: return nil
            }
            let (part, o3) = number.multipliedReportingOverflow(by: multiplier)
            let (sum, o4) = total.addingReportingOverflow(part)
            if o3 || o4 { return nil }
            total = sum
        }
        return total
    }

    /// Formats milliseconds in the shortest exact form (`600000` -> `"10m"`), for messages and docs.
    /// - Parameter milliseconds: A non-negative duration.
    /// - Returns: e.g. `"1h30m"`, `"250ms"`, `"0s"`.
    public static func format(milliseconds: Int64) -> String {
        guard milliseconds > 0 else { return "0s" }
        var rest = milliseconds
        var text = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)]
        where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}
