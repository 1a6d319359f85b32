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
        try DataFileContents.parse(path: path) { (bytes) throws(DataFileError) in try parse(bytes, file: path) }
    }

    /// Parses CSV bytes.
    /// - Parameters:
    ///   - bytes: UTF-8 file contents (a leading byte-order mark is ignored).
    ///   - file: Name used in errors and in the table.
    /// - Returns: The table.
    /// - Throws: `DataFileError` naming the file and line.
    public func parse(_ bytes: [UInt8], file: String) throws(DataFileError) -> DataTable {
        try bytes.withUnsafeBufferPointer { (input) throws(DataFileError) in try parse(input, file: file) }
    }

    /// Parses CSV bytes in memory; columns are typed (`DataColumn.Cells`).
    private func parse(_ input: UnsafeBufferPointer<UInt8>, file: String) throws(DataFileError) -> DataTable {
        // Validates in place (no copy of the file as a String).
        guard (try? UTF8Span(validating: Span(_unsafeElements: input))) != nil else {
            throw DataFileError(.notUTF8, file: file, "file is not valid UTF-8")
        }
        var scanner = Scanner(bytes: input, delimiter: delimiter, file: file)
        defer { scanner.close() }
        if input.starts(with: [0xEF, 0xBB, 0xBF]) { scanner.position = 3 }

        // Header.
        guard scanner.skipBlankLines() else { throw DataFileError(.empty, file: file, "file has no header row") }
        let headerLine = scanner.line
        var names: [String] = []
        var seen = Set<String>()
        while true {
            let field = try scanner.nextField()
            let name = String(decoding: field.content, as: UTF8.self)
            if name.isEmpty {
                throw DataFileError(.badHeader, file: file, line: headerLine, "header has an empty column name")
            }
            if !seen.insert(name).inserted {
                throw DataFileError(.badHeader, file: file, line: headerLine, "header names column '\(name)' twice")
            }
            names.append(name)
            if !scanner.nextFieldFollows() { break }
        }

        // Rows: each field goes straight into its column, read through a pointer into the input.
        let width = names.count
        var columns = [TypedColumnBuilder](repeating: TypedColumnBuilder(), count: width)
        var rowLines: [Int] = []
        let dataStart = scanner.position
        while scanner.skipBlankLines() {
            let line = scanner.line
            var index = 0
            // A bad cell is reported after the whole record is read: syntax and field count first.
            var cellError: DataFileError?
            while true {
                let field = try scanner.nextField()
                if index < width, cellError == nil {
                    do { try Self.append(field, to: &columns[index], file: file, line: line) } catch {
                        cellError = error
                    }
                }
                index += 1
                if !scanner.nextFieldFollows() { break }
            }
            guard index == width else {
                throw DataFileError(
                    .raggedRow, file: file, line: line, "row has \(index) fields, the header has \(width)")
            }
            if let cellError { throw cellError }
            rowLines.append(line)
            if rowLines.count == Self.sizingRows {
                // Reserve every column once from the bytes per row seen so far, instead of
                // growing (and copying) each column about 20 times on large files.
                let consumed = max(1, scanner.position - dataStart)
                let estimate = Int(Double(input.count - dataStart) / Double(consumed) * Double(Self.sizingRows) * 1.05)
                for index in columns.indices { columns[index].reserveCapacity(estimate) }
                rowLines.reserveCapacity(estimate)
            }
        }
        let table = zip(names, columns).map { name, column in DataColumn(name: name, cells: column.cells) }
        return DataTable(file: file, columns: table, rowLines: rowLines)
    }

    /// Rows read before the columns are reserved for the whole file.
    private static let sizingRows = 1_024

    // MARK: - Cells

    /// Appends one field: empty unquoted is missing, empty quoted the empty string; numbers by
    /// the fast path (else `StrictNumber`); text and booleans by their bytes (`ByteInterner`).
    @inline(__always)
    private static func append(
        _ field: Scanner.Field, to column: inout TypedColumnBuilder, file: String, line: Int
    ) throws(DataFileError) {
        let content = field.content
        if content.isEmpty {
            if field.quoted {
                column.appendLabel(key: content) { _ in .string("") }
            } else {
                column.appendMissing()
            }
            return
        }
        switch FastDecimal.parse(content) {
        case .number(let x):
            column.appendNumber(x)
        case .needsFullParse:
            let text = String(decoding: content, as: UTF8.self)
            switch StrictNumber.parse(Substring(text).utf8) {
            case .number(let x): column.appendNumber(x)
            case .outOfRange:
                throw DataFileError(
                    .numberOutOfRange, file: file, line: line, "number \(text) is out of range for a double")
            case .notANumber: column.appendLabel(key: content, decode: text(of:))
            }
        case .notANumber:
            column.appendLabel(key: content, decode: text(of:))
        }
    }

    /// A cell that is not a number: a boolean (`true`, `True`, `TRUE`, and the same for false)
    /// or a string.
    private static func text(of content: UnsafeBufferPointer<UInt8>) -> DataValue {
        let text = String(decoding: content, as: UTF8.self)
        switch text {
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: return .string(text)
        }
    }

    // MARK: - Tokenizer

    private struct Scanner {
        /// One field's content: a slice of the input, or of the scratch buffer when a quoted field
        /// held escaped quotes (valid until the next field is read).
        struct Field {
            var content: UnsafeBufferPointer<UInt8>
            var quoted: Bool
        }

        let bytes: UnsafeBufferPointer<UInt8>
        let delimiter: UInt8
        let file: String
        var position = 0
        var line = 1
        /// Unescaped content of the last quoted field that held `""`.
        private var scratch: UnsafeMutableBufferPointer<UInt8>

        init(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, file: String) {
            self.bytes = bytes
            self.delimiter = delimiter
            self.file = file
            self.scratch = UnsafeMutableBufferPointer(start: nil, count: 0)
        }

        private static let quote = UInt8(ascii: "\"")
        private static let cr = UInt8(ascii: "\r")
        private static let lf = UInt8(ascii: "\n")

        /// Skips completely empty lines; `false` at the end of the input.
        mutating func skipBlankLines() -> Bool {
            while position < bytes.count {
                let b = bytes[position]
                guard b == Self.cr || b == Self.lf else { return true }
                consumeLineEnd()
            }
            return false
        }

        /// After a field: `true` (delimiter consumed) when another field of the record follows,
        /// `false` (line end consumed) at the end of the record.
        @inline(__always)
        mutating func nextFieldFollows() -> Bool {
            if position < bytes.count, bytes[position] == delimiter {
                position += 1
                return true
            }
            consumeLineEnd()
            return false
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

        /// The next field of the current record.
        @inline(__always)
        mutating func nextField() throws(DataFileError) -> Field {
            let count = bytes.count
            guard position < count, bytes[position] == Self.quote else {
                let start = position
                while position < count {
                    let b = bytes[position]
                    if b == delimiter || b == Self.cr || b == Self.lf { break }
                    if b == Self.quote {
                        throw DataFileError(
                            .strayQuote, file: file, line: line, "quote inside an unquoted field; quote the whole field"
                        )
                    }
                    position += 1
                }
                return Field(content: UnsafeBufferPointer(rebasing: bytes[start..<position]), quoted: false)
            }
            return try quotedField()
        }

        private mutating func quotedField() throws(DataFileError) -> Field {
            let count = bytes.count
            let openedOn = line
            position += 1
            let start = position
            var escapes = 0
            while true {
                guard position < count else {
                    throw DataFileError(
                        .unterminatedQuote, file: file, line: openedOn,
                        "quoted field opened on this line is never closed")
                }
                let b = bytes[position]
                if b == Self.quote {
                    if position + 1 < count, bytes[position + 1] == Self.quote {
                        escapes += 1
                        position += 2
                        continue
                    }
                    break
                }
                if b == Self.lf || (b == Self.cr && !(position + 1 < count && bytes[position + 1] == Self.lf)) {
                    line += 1
                }
                position += 1
            }
            let end = position
            position += 1  // closing quote
            if position < count {
                let b = bytes[position]
                if b != delimiter && b != Self.cr && b != Self.lf {
                    throw DataFileError(.strayQuote, file: file, line: line, "unexpected text after a closing quote")
                }
            }
            let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
            guard escapes > 0 else { return Field(content: raw, quoted: true) }
            // `""` becomes `"`: unescape into the scratch buffer.
            if scratch.count < raw.count {
                scratch.deallocate()
                scratch = .allocate(capacity: max(raw.count, 2 * scratch.count, 256))
            }
            var length = 0
            var i = 0
            while i < raw.count {
                scratch[length] = raw[i]
                length += 1
                i += raw[i] == Self.quote ? 2 : 1
            }
            return Field(content: UnsafeBufferPointer(rebasing: scratch[0..<length]), quoted: true)
        }

        /// Releases the scratch buffer.
        mutating func close() {
            scratch.deallocate()
            scratch = UnsafeMutableBufferPointer(start: nil, count: 0)
        }
    }
}
