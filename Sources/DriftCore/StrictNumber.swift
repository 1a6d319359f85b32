/// Strict decimal number recognition for data files: `[+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?`.
///
/// Unlike `Double(String)` it refuses `nan`, `inf`, hexadecimal floats and surrounding spaces.
/// Package-visible: shared by the configuration (`ScalarSyntax`) and the data-file readers.
package enum StrictNumber {
    /// The outcome of looking at a cell.
    package enum Result: Equatable {
        /// Not number syntax: the cell is text.
        case notANumber
        /// Number syntax whose value overflows a double.
        case outOfRange
        /// A finite number.
        case number(Double)
    }

    /// Recognises `text`.
    /// - Parameter text: The cell or scalar, without surrounding spaces.
    /// - Returns: The number, or why it is not one.
    package static func parse(_ text: Substring.UTF8View) -> Result {
        var i = text.startIndex
        let end = text.endIndex
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        if i < end, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") { i = text.index(after: i) }
        var mantissaDigits = 0
        while i < end, isDigit(text[i]) {
            mantissaDigits += 1
            i = text.index(after: i)
        }
        if i < end, text[i] == UInt8(ascii: ".") {
            i = text.index(after: i)
            while i < end, isDigit(text[i]) {
                mantissaDigits += 1
                i = text.index(after: i)
            }
        }
        guard mantissaDigits > 0 else { return .notANumber }
        if i < end, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
            i = text.index(after: i)
            if i < end, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") { i = text.index(after: i) }
            var exponentDigits = 0
            while i < end, isDigit(text[i]) {
                exponentDigits += 1
                i = text.index(after: i)
            }
            guard exponentDigits > 0 else { return .notANumber }
        }
        guard i == end, let value = Double(Substring(text)) else { return .notANumber }
        return value.isFinite ? .number(value) : .outOfRange
    }
}
