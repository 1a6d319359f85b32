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
    /// Bytes read from the file at a time unless told otherwise (1 MiB).
    public static let defaultBlockSize = DataFileBlocks.defaultBlockSize

    /// Field separator (default `,`).
    public var delimiter: UInt8
    /// Bytes read from the file at a time: memory holds one block (plus a record longer than a
    /// block) besides the columns, never the whole file.
    public var blockSize: Int

    /// Creates a reader.
    /// - Parameters:
    ///   - delimiter: Field separator byte, e.g. `UInt8(ascii: ";")`.
    ///   - blockSize: Bytes read at a time (at least 1).
    public init(delimiter: UInt8 = UInt8(ascii: ","), blockSize: Int = CSVReader.defaultBlockSize) {
        self.delimiter = delimiter
        self.blockSize = blockSize
    }

    /// Reads a CSV file, block by block.
    /// - Parameter path: File path.
    /// - Returns: The table, one column per header field.
    /// - Throws: `DataFileError` naming the file and line.
    public func read(path: String) throws(DataFileError) -> DataTable {
        try parse(DataFileBlocks(path: path, blockSize: blockSize), file: path)
    }

    /// Parses CSV bytes, block by block like a file.
    /// - Parameters:
    ///   - bytes: UTF-8 file contents (a leading byte-order mark is ignored).
    ///   - file: Name used in errors and in the table.
    /// - Returns: The table.
    /// - Throws: `DataFileError` naming the file and line.
    public func parse(_ bytes: [UInt8], file: String) throws(DataFileError) -> DataTable {
        try parse(DataFileBlocks(bytes: bytes, file: file, blockSize: blockSize), file: file)
    }

    /// Parses the blocks; an invalid UTF-8 byte anywhere in the file wins over any other error (as
    /// when the whole file was validated before parsing).
    private func parse(_ blocks: DataFileBlocks, file: String) throws(DataFileError) -> DataTable {
        do { return try parseRecords(blocks, file: file) } catch {
            if error.code != .notUTF8 && error.code != .unreadable { try blocks.validateRest() }
            throw error
        }
    }

    /// Parses the records; columns are typed (`DataColumn.Cells`).
    ///
    /// A record is tokenized into field spans first and its cells appended once it is complete:
    /// a record that runs past the end of the window is read again from its start after
    /// `DataFileBlocks.refill(keepingFrom:)`, with its line number, so where blocks end changes
    /// nothing (values, lines, errors).
    private func parseRecords(_ blocks: DataFileBlocks, file: String) throws(DataFileError) -> DataTable {
        while blocks.window.count < 3 && !blocks.atEnd { try blocks.refill(keepingFrom: 0) }
        var scanner = Scanner(blocks: blocks, delimiter: delimiter, file: file)
        if blocks.window.starts(with: [0xEF, 0xBB, 0xBF]) { scanner.position = 3 }

        // Header.
        var names: [String] = []
        var headerLine = 0
        header: while true {
            switch scanner.skipBlankLines() {
            case .end: throw DataFileError(.empty, file: file, "file has no header row")
            case .needMore:
                try scanner.refill(keepingFrom: scanner.position)
                continue header
            case .ready: break
            }
            let start = scanner.position
            headerLine = scanner.line
            names = []
            var seen = Set<String>()
            while true {
                guard let field = try scanner.nextField() else {
                    try scanner.restart(at: start, line: headerLine)
                    continue header
                }
                let name = String(decoding: scanner.unescapedCopy(of: field), as: UTF8.self)
                if name.isEmpty {
                    throw DataFileError(.badHeader, file: file, line: headerLine, "header has an empty column name")
                }
                if !seen.insert(name).inserted {
                    throw DataFileError(
                        .badHeader, file: file, line: headerLine, "header names column '\(name)' twice")
                }
                names.append(name)
                guard let follows = scanner.nextFieldFollows() else {
                    try scanner.restart(at: start, line: headerLine)
                    continue header
                }
                if !follows { break header }
            }
        }

        // Rows: a record's fields are spans of the window; once the record is complete each goes
        // straight into its column, read through a pointer into the window.
        let width = names.count
        var columns = [TypedColumnBuilder](repeating: TypedColumnBuilder(), count: width)
        var rowLines: [Int] = []
        let spans = UnsafeMutableBufferPointer<Scanner.FieldSpan>.allocate(capacity: width)
        defer { spans.deallocate() }
        let dataStart = blocks.windowOffset + scanner.position
        rows: while true {
            switch scanner.skipBlankLines() {
            case .end: break rows
            case .needMore:
                try scanner.refill(keepingFrom: scanner.position)
                continue rows
            case .ready: break
            }
            let start = scanner.position
            let line = scanner.line
            var index = 0
            while true {
                guard let field = try scanner.nextField() else {
                    try scanner.restart(at: start, line: line)
                    continue rows
                }
                if index < width { spans[index] = field }
                index += 1
                guard let follows = scanner.nextFieldFollows() else {
                    try scanner.restart(at: start, line: line)
                    continue rows
                }
                if !follows { break }
            }
            guard index == width else {
                throw DataFileError(
                    .raggedRow, file: file, line: line, "row has \(index) fields, the header has \(width)")
            }
            for index in 0..<width {
                try Self.append(scanner.content(of: spans[index]), to: &columns[index], file: file, line: line)
            }
            rowLines.append(line)
            if rowLines.count == Self.sizingRows {
                // Reserve every column once from the bytes per row seen so far, instead of
                // growing (and copying) each column about 20 times on large files.
                let consumed = max(1, blocks.windowOffset + scanner.position - dataStart)
                let estimate = Int(
                    Double(blocks.totalSize - dataStart) / Double(consumed) * Double(Self.sizingRows) * 1.05)
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

    /// Splits the window into fields. Every read that reaches the end of the window before the
    /// input's end answers "need more" (`nil`, `.needMore`) instead of deciding: the caller then
    /// reads the record again from its start with the next block.
    private struct Scanner {
        /// One field: where its content lies in the window.
        struct FieldSpan {
            var start: Int
            var end: Int
            var quoted: Bool
            /// Whether the content holds `""` (to unescape).
            var escaped: Bool
        }

        /// One field's content and whether it was quoted.
        struct Field {
            var content: UnsafeBufferPointer<UInt8>
            var quoted: Bool
        }

        /// What follows blank lines.
        enum Next {
            case ready, end, needMore
        }

        let blocks: DataFileBlocks
        let delimiter: UInt8
        let file: String
        private(set) var bytes: UnsafeMutableBufferPointer<UInt8>
        /// Whether `bytes` reaches the end of the input.
        private(set) var atEnd: Bool
        var position = 0
        var line = 1

        init(blocks: DataFileBlocks, delimiter: UInt8, file: String) {
            self.blocks = blocks
            self.delimiter = delimiter
            self.file = file
            self.bytes = blocks.window
            self.atEnd = blocks.atEnd
        }

        private static let quote = UInt8(ascii: "\"")
        private static let cr = UInt8(ascii: "\r")
        private static let lf = UInt8(ascii: "\n")

        /// Gives up the bytes before `keep` and reads the next block; `position` moves with the bytes.
        mutating func refill(keepingFrom keep: Int) throws(DataFileError) {
            try blocks.refill(keepingFrom: keep)
            bytes = blocks.window
            atEnd = blocks.atEnd
            position -= keep
        }

        /// Goes back to the start of a record the window ended in (at `start`, on `line`) and
        /// reads the next block, to read the record again.
        mutating func restart(at start: Int, line: Int) throws(DataFileError) {
            position = start
            self.line = line
            try refill(keepingFrom: start)
        }

        /// Skips completely empty lines.
        mutating func skipBlankLines() -> Next {
            while position < bytes.count {
                let b = bytes[position]
                guard b == Self.cr || b == Self.lf else { return .ready }
                guard consumeLineEnd() else { return .needMore }
            }
            return atEnd ? .end : .needMore
        }

        /// After a field: `true` (delimiter consumed) when another field of the record follows,
        /// `false` (line end consumed) at the end of the record, `nil` when the window ends first.
        @inline(__always)
        mutating func nextFieldFollows() -> Bool? {
            guard position < bytes.count else { return atEnd ? false : nil }
            if bytes[position] == delimiter {
                position += 1
                return true
            }
            return consumeLineEnd() ? false : nil
        }

        /// Consumes the line end at `position`; `false` (nothing consumed) when a CR ends the
        /// window and the next byte may be its LF.
        private mutating func consumeLineEnd() -> Bool {
            if bytes[position] == Self.cr {
                if position + 1 < bytes.count {
                    if bytes[position + 1] == Self.lf { position += 1 }
                } else if !atEnd {
                    return false
                }
                position += 1
                line += 1
            } else if bytes[position] == Self.lf {
                position += 1
                line += 1
            }
            return true
        }

        /// The next field of the current record, `nil` when the window ends before it does.
        @inline(__always)
        mutating func nextField() throws(DataFileError) -> FieldSpan? {
            let count = bytes.count
            guard position < count, bytes[position] == Self.quote else {
                let start = position
                while position < count {
                    let b = bytes[position]
                    if b == delimiter || b == Self.cr || b == Self.lf {
                        return FieldSpan(start: start, end: position, quoted: false, escaped: false)
                    }
                    if b == Self.quote {
                        throw DataFileError(
                            .strayQuote, file: file, line: line, "quote inside an unquoted field; quote the whole field"
                        )
                    }
                    position += 1
                }
                guard atEnd else { return nil }
                return FieldSpan(start: start, end: position, quoted: false, escaped: false)
            }
            return try quotedField()
        }

        private mutating func quotedField() throws(DataFileError) -> FieldSpan? {
            let count = bytes.count
            let openedOn = line
            position += 1
            let start = position
            var escaped = false
            while true {
                guard position < count else {
                    guard atEnd else { return nil }
                    throw DataFileError(
                        .unterminatedQuote, file: file, line: openedOn,
                        "quoted field opened on this line is never closed")
                }
                let b = bytes[position]
                if b == Self.quote {
                    guard position + 1 < count else {
                        if atEnd { break }
                        return nil
                    }
                    if bytes[position + 1] == Self.quote {
                        escaped = true
                        position += 2
                        continue
                    }
                    break
                }
                if b == Self.lf {
                    line += 1
                } else if b == Self.cr {
                    guard position + 1 < count else {
                        guard atEnd else { return nil }
                        line += 1
                        position += 1
                        continue
                    }
                    if bytes[position + 1] != Self.lf { line += 1 }
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
            } else if !atEnd {
                return nil
            }
            return FieldSpan(start: start, end: end, quoted: true, escaped: escaped)
        }

        /// A field of a complete record: `""` is unescaped in place (the record is not read again).
        @inline(__always)
        func content(of span: FieldSpan) -> Field {
            guard span.escaped else {
                return Field(
                    content: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]), quoted: span.quoted)
            }
            var length = span.start
            var i = span.start
            while i < span.end {
                bytes[length] = bytes[i]
                length += 1
                i += bytes[i] == Self.quote ? 2 : 1
            }
            return Field(content: UnsafeBufferPointer(rebasing: bytes[span.start..<length]), quoted: true)
        }

        /// A field's unescaped bytes, copied (the window is left as it is: the header may be read
        /// again).
        func unescapedCopy(of span: FieldSpan) -> [UInt8] {
            var result: [UInt8] = []
            result.reserveCapacity(span.end - span.start)
            var i = span.start
            while i < span.end {
                result.append(bytes[i])
                i += span.escaped && bytes[i] == Self.quote ? 2 : 1
            }
            return result
        }
    }
}
