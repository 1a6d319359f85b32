import DriftCore
import Foundation

/// Reads RFC 4180 CSV training data into columns.
///
/// - The first record is the header; names must be non-empty and unique.
/// - Fields may be quoted; `""` inside quotes is a quote; quoted fields may hold the
///   delimiter, CR and LF. Records end with LF, CRLF or CR.
/// - An unquoted empty field is missing; a quoted empty field (`""`) is the empty string.
/// - A field is a number when it matches `[+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?` exactly (no
///   spaces, no `nan`/`inf`); `true`/`false` (also `True`, `TRUE`, ...) are booleans;
///   anything else is a string.
/// - Completely empty lines are skipped; every other record must have as many fields as
///   the header.
public struct CSVReader: Sendable {
    /// Field separator (default `,`).
    public var delimiter: UInt8

    /// Creates a reader.
    /// - Parameter delimiter: Field separator byte, e.g. `UInt8(ascii: ";")`.
    public init(delimiter: UInt8 = UInt8(ascii: ",")) {
        self.delimiter = delimiter
    }

    /// Reads a CSV file.
    /// - Parameter path: File path.
    /// - Returns: The table, one column per header field.
    /// - Throws: `DataFileError` naming the file and line.
    public func read(path: String) throws(DataFileError) -> DataTable {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw DataFileError(.unreadable, file: path, "cannot read file: \(error.localizedDescription)")
        }
        return try parse(Array(data), file: path)
    }

    /// Parses CSV bytes.
    /// - Parameters:
    ///   - bytes: UTF-8 file contents (a leading byte-order mark is ignored).
    ///   - file: Name used in errors and in the table.
    /// - Returns: The table.
    /// - Throws: `DataFileError` naming the file and line.
    public func parse(_ bytes: [UInt8], file: String) throws(DataFileError) -> DataTable {
        // Validates in place (no copy of the file as a String).
        guard (try? UTF8Span(validating: bytes.span)) != nil else {
            throw DataFileError(.notUTF8, file: file, "file is not valid UTF-8")
        }
        var scanner = Scanner(bytes: bytes, delimiter: delimiter, file: file)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { scanner.position = 3 }
        guard let header = try scanner.nextRecord() else {
            throw DataFileError(.empty, file: file, "file has no header row")
        }
        func text(of field: Field) -> String {
            field.unescaped.map { String(decoding: $0, as: UTF8.self) } ?? String(decoding: bytes[field.range], as: UTF8.self)
        }
        var seen = Set<String>()
        for field in header.fields {
            let name = text(of: field)
            if name.isEmpty {
                throw DataFileError(.badHeader, file: file, line: header.line, "header has an empty column name")
            }
            if !seen.insert(name).inserted {
                throw DataFileError(.badHeader, file: file, line: header.line, "header names column '\(name)' twice")
            }
        }
        var values = [[DataValue]](repeating: [], count: header.fields.count)
        let dataStart = scanner.position
        var rowLines: [Int] = []
        // Cells are read through a pointer into the input: no copy or reference count per cell.
        try bytes.withUnsafeBufferPointer { (input) throws(DataFileError) in
            while let record = try scanner.nextRecord() {
                guard record.fields.count == header.fields.count else {
                    throw DataFileError(
                        .raggedRow, file: file, line: record.line,
                        "row has \(record.fields.count) fields, the header has \(header.fields.count)")
                }
                for (index, field) in record.fields.enumerated() {
                    let value: DataValue
                    if let unescaped = field.unescaped {
                        value = try unescaped.withUnsafeBufferPointer { (content) throws(DataFileError) in
                            try Self.value(of: content, quoted: true, file: file, line: record.line)
                        }
                    } else {
                        value = try Self.value(
                            of: UnsafeBufferPointer(rebasing: input[field.range]), quoted: false, file: file, line: record.line)
                    }
                    values[index].append(value)
                }
                rowLines.append(record.line)
                if rowLines.count == Self.sizingRows {
                    // Reserve every column once from the bytes per row seen so far, instead of
                    // growing (and copying) each column about 20 times on large files.
                    let consumed = max(1, scanner.position - dataStart)
                    let estimate = Int(Double(bytes.count - dataStart) / Double(consumed) * Double(Self.sizingRows) * 1.05)
                    for index in values.indices { values[index].reserveCapacity(estimate) }
                    rowLines.reserveCapacity(estimate)
                }
            }
        }
        let columns = zip(header.fields, values).map { field, column in
            DataColumn(name: text(of: field), values: column)
        }
        return DataTable(file: file, columns: columns, rowLines: rowLines)
    }

    /// Rows read before the columns are reserved for the whole file.
    private static let sizingRows = 1_024

    // MARK: - Cells

    private static func value(
        of content: UnsafeBufferPointer<UInt8>, quoted: Bool, file: String, line: Int
    ) throws(DataFileError) -> DataValue {
        if content.isEmpty { return quoted ? .string("") : .missing }
        let fast = FastDecimal.parse(content)
        if case .number(let x) = fast { return .number(x) }
        let text = String(decoding: content, as: UTF8.self)
        if case .needsFullParse = fast {
            switch StrictNumber.parse(Substring(text).utf8) {
            case .number(let x): return .number(x)
            case .outOfRange:
                throw DataFileError(.numberOutOfRange, file: file, line: line, "number \(text) is out of range for a double")
            case .notANumber: break
            }
        }
        // Only cells starting with t/T/f/F can be booleans.
        switch content[0] | 0x20 {
        case UInt8(ascii: "t"), UInt8(ascii: "f"): break
        default: return .string(text)
        }
        switch text {
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: return .string(text)
        }
    }

    // MARK: - Tokenizer

    private struct Field {
        /// Unquoted fields: the content's byte range in the input.
        var range: Range<Int>
        /// Quoted fields: the content with the quotes removed and `""` unescaped; `nil` when unquoted.
        var unescaped: [UInt8]?

        /// Whether the field was quoted.
        var quoted: Bool { unescaped != nil }
        /// Whether the field has no content.
        var isEmpty: Bool { unescaped?.isEmpty ?? range.isEmpty }
    }

    /// Exact fast path for the common number cells, in the grammar of `StrictNumber`.
    ///
    /// A cell whose significant digits fit in 2^53 and whose decimal exponent is within ±22 is
    /// `Double(mantissa)` times or divided by an exact power of ten: one correctly rounded
    /// operation, so the value equals `Double(text)` (Clinger's fast path). Anything else in the
    /// grammar is left to `StrictNumber`; text outside the grammar is definitely not a number.
    private enum FastDecimal {
        enum Outcome {
            case number(Double)
            case notANumber
            case needsFullParse
        }

        private static let powersOfTen: [Double] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
            1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        ]

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
            func digit(_ b: UInt8) -> UInt64? { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") ? UInt64(b &- UInt8(ascii: "0")) : nil }
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
            let magnitude = exponent >= 0 ? m * powersOfTen[exponent] : m / powersOfTen[-exponent]
            return .number(negative ? -magnitude : magnitude)
        }
    }

    private struct Record {
        var fields: [Field]
        var line: Int
    }

    private struct Scanner {
        let bytes: [UInt8]
        let delimiter: UInt8
        let file: String
        var position = 0
        var line = 1

        init(bytes: [UInt8], delimiter: UInt8, file: String) {
            self.bytes = bytes
            self.delimiter = delimiter
            self.file = file
        }

        private static let quote = UInt8(ascii: "\"")
        private static let cr = UInt8(ascii: "\r")
        private static let lf = UInt8(ascii: "\n")

        /// The next non-blank record, or `nil` at the end of the input.
        mutating func nextRecord() throws(DataFileError) -> Record? {
            while position < bytes.count {
                let start = line
                var fields: [Field] = []
                while true {
                    let field = try nextField()
                    fields.append(field)
                    if position < bytes.count, bytes[position] == delimiter {
                        position += 1
                        continue
                    }
                    consumeLineEnd()
                    break
                }
                if fields.count == 1, fields[0].isEmpty, !fields[0].quoted { continue }
                return Record(fields: fields, line: start)
            }
            return nil
        }

        private mutating func consumeLineEnd() {
            guard position < bytes.count else { return }
            if bytes[position] == Self.cr {
                position += 1
                if position < bytes.count, bytes[position] == Self.lf { position += 1 }
                line += 1
            } else if bytes[position] == Self.lf {
                position += 1
                line += 1
            }
        }

        private mutating func nextField() throws(DataFileError) -> Field {
            guard position < bytes.count, bytes[position] == Self.quote else {
                let start = position
                while position < bytes.count {
                    let b = bytes[position]
                    if b == delimiter || b == Self.cr || b == Self.lf { break }
                    if b == Self.quote {
                        throw DataFileError(
                            .strayQuote, file: file, line: line, "quote inside an unquoted field; quote the whole field")
                    }
                    position += 1
                }
                return Field(range: start..<position, unescaped: nil)
            }
            let openedOn = line
            position += 1
            var content: [UInt8] = []
            while true {
                guard position < bytes.count else {
                    throw DataFileError(
                        .unterminatedQuote, file: file, line: openedOn, "quoted field opened on this line is never closed")
                }
                let b = bytes[position]
                if b == Self.quote {
                    if position + 1 < bytes.count, bytes[position + 1] == Self.quote {
                        content.append(Self.quote)
                        position += 2
                        continue
                    }
                    position += 1
                    break
                }
                if b == Self.lf || (b == Self.cr && !(position + 1 < bytes.count && bytes[position + 1] == Self.lf)) {
                    line += 1
                }
                content.append(b)
                position += 1
            }
            if position < bytes.count {
                let b = bytes[position]
                if b != delimiter && b != Self.cr && b != Self.lf {
                    throw DataFileError(.strayQuote, file: file, line: line, "unexpected text after a closing quote")
                }
            }
            return Field(range: position..<position, unescaped: content)
        }
    }
}
