/// Exact fast path for the common number cells of data files, in the grammar of `StrictNumber`
/// (JSON numbers are a subset of it).
///
/// A cell whose significant digits fit in 2^53 and whose decimal exponent is within ±22 is
/// `Double(mantissa)` times or divided by an exact power of ten: one correctly rounded
/// operation, so the value equals `Double(text)` (Clinger's fast path). Anything else in the
/// grammar is left to `StrictNumber`; text outside the grammar is definitely not a number.
enum FastDecimal {
    /// What the fast path made of the text.
    enum Outcome {
        /// The exact value.
        case number(Double)
        /// Not in the number grammar: text.
        case notANumber
        /// In the grammar but beyond the fast path: parse with `StrictNumber` (or `Double(_:)`).
        case needsFullParse
    }

    /// 10^e for 0 <= e <= 22, all exact in a double (a switch: no global array access per cell).
    @inline(__always)
    private static func powerOfTen(_ e: Int) -> Double {
        switch e {
        case 0: return 1e0
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        case 17: return 1e17
        case 18: return 1e18
        case 19: return 1e19
        case 20: return 1e20
        case 21: return 1e21
        default: return 1e22
        }
    }

    /// Classifies and, on the fast path, converts the text of one cell.
    /// - Parameter bytes: The cell's bytes.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        var i = bytes.startIndex
        let end = bytes.endIndex
        var negative = false
        if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0  // digits accumulated after leading zeros
        var digits = 0
        var exponent = 0
        var exact = true
        @inline(__always) func digit(_ b: UInt8) -> UInt64? {
            let d = b &- UInt8(ascii: "0")
            return d <= 9 ? UInt64(d) : nil
        }
        while i < end, let d = digit(bytes[i]) {
            digits += 1
            if mantissa != 0 || d != 0 {
                significant += 1
                if significant <= 19 { mantissa = mantissa &* 10 &+ d } else { exact = false }
            }
            i += 1
        }
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, let d = digit(bytes[i]) {
                digits += 1
                if mantissa != 0 || d != 0 {
                    significant += 1
                    if significant <= 19 { mantissa = mantissa &* 10 &+ d } else { exact = false }
                }
                if significant <= 19 { exponent -= 1 }
                i += 1
            }
        }
        guard digits > 0 else { return .notANumber }
        if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            var exponentNegative = false
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                exponentNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var value = 0
            var exponentDigits = 0
            while i < end, let d = digit(bytes[i]) {
                exponentDigits += 1
                if value < 100_000 { value = value * 10 + Int(d) }
                i += 1
            }
            guard exponentDigits > 0 else { return .notANumber }
            exponent += exponentNegative ? -value : value
        }
        guard i == end else { return .notANumber }
        guard exact, mantissa <= 1 << 53 else { return .needsFullParse }
        if mantissa == 0 { return .number(negative ? -0.0 : 0.0) }
        guard exponent >= -22, exponent <= 22 else { return .needsFullParse }
        let m = Double(mantissa)
        let magnitude = exponent >= 0 ? m * powerOfTen(exponent) : m / powerOfTen(-exponent)
        return .number(negative ? -magnitude : magnitude)
    }
}
