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
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw DataFileError(.notUTF8, file: file, "file is not valid UTF-8")
        }
        var scanner = Scanner(bytes: bytes, delimiter: delimiter, file: file)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { scanner.position = 3 }
        guard let header = try scanner.nextRecord() else {
            throw DataFileError(.empty, file: file, "file has no header row")
        }
        var seen = Set<String>()
        for field in header.fields {
            let name = String(decoding: field.bytes, as: UTF8.self)
            if name.isEmpty {
                throw DataFileError(.badHeader, file: file, line: header.line, "header has an empty column name")
            }
            if !seen.insert(name).inserted {
                throw DataFileError(.badHeader, file: file, line: header.line, "header names column '\(name)' twice")
            }
        }
        var values = [[DataValue]](repeating: [], count: header.fields.count)
        var rowLines: [Int] = []
        while let record = try scanner.nextRecord() {
            guard record.fields.count == header.fields.count else {
                throw DataFileError(
                    .raggedRow, file: file, line: record.line,
                    "row has \(record.fields.count) fields, the header has \(header.fields.count)")
            }
            for (index, field) in record.fields.enumerated() {
                values[index].append(try Self.value(of: field, file: file, line: record.line))
            }
            rowLines.append(record.line)
        }
        let columns = zip(header.fields, values).map { field, column in
            DataColumn(name: String(decoding: field.bytes, as: UTF8.self), values: column)
        }
        return DataTable(file: file, columns: columns, rowLines: rowLines)
    }

    // MARK: - Cells

    private static func value(of field: Field, file: String, line: Int) throws(DataFileError) -> DataValue {
        if field.bytes.isEmpty { return field.quoted ? .string("") : .missing }
        let text = String(decoding: field.bytes, as: UTF8.self)
        switch StrictNumber.parse(Substring(text).utf8) {
        case .number(let x): return .number(x)
        case .outOfRange:
            throw DataFileError(.numberOutOfRange, file: file, line: line, "number \(text) is out of range for a double")
        case .notANumber: break
        }
        switch text {
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: return .string(text)
        }
    }

    // MARK: - Tokenizer

    private struct Field {
        var bytes: [UInt8]
        var quoted: Bool
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
                if fields.count == 1, fields[0].bytes.isEmpty, !fields[0].quoted { continue }
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
                return Field(bytes: Array(bytes[start..<position]), quoted: false)
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
            return Field(bytes: content, quoted: true)
        }
    }
}
