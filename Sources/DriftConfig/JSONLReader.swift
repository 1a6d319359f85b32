import DriftCore
import Foundation

/// Reads JSON Lines training data (one flat JSON object per line) into columns.
///
/// Columns appear in the order their keys are first seen; a row without a key, or with
/// `null`, is missing for that column. Numbers, strings and booleans keep their JSON type;
/// arrays and objects are refused. Blank lines are skipped; a trailing CR is ignored.
public struct JSONLReader: Sendable {
    /// Creates a reader.
    public init() {}

    /// Reads a JSON Lines file.
    /// - Parameter path: File path.
    /// - Returns: The table.
    /// - Throws: `DataFileError` naming the file and line.
    public func read(path: String) throws(DataFileError) -> DataTable {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw DataFileError(.unreadable, file: path, "cannot read file: \(error.localizedDescription)")
        }
        // Parsed in place: no copy of the file.
        let result = data.withUnsafeBytes { raw in
            Result { () throws(DataFileError) in try parse(raw.bindMemory(to: UInt8.self), file: path) }
        }
        return try result.get()
    }

    /// Parses JSON Lines bytes.
    /// - Parameters:
    ///   - bytes: UTF-8 file contents.
    ///   - file: Name used in errors and in the table.
    /// - Returns: The table.
    /// - Throws: `DataFileError` naming the file and line.
    public func parse(_ bytes: [UInt8], file: String) throws(DataFileError) -> DataTable {
        try bytes.withUnsafeBufferPointer { (input) throws(DataFileError) in try parse(input, file: file) }
    }

    /// Where a key sat in the previous record: most files repeat the same keys in the same order,
    /// so a key is matched by comparing its bytes with the previous record's key at the same place.
    private struct KeySlot {
        var offset: Int
        var length: Int
        var column: Int
    }

    /// Parses JSON Lines bytes in memory; columns are typed (`DataColumn.Cells`).
    private func parse(_ input: UnsafeBufferPointer<UInt8>, file: String) throws(DataFileError) -> DataTable {
        // Validates in place (no copy of the file as a String).
        guard (try? UTF8Span(validating: Span(_unsafeElements: input))) != nil else {
            throw DataFileError(.notUTF8, file: file, "file is not valid UTF-8")
        }
        var names: [String] = []
        var index: [String: Int] = [:]
        var columns: [TypedColumnBuilder] = []
        var lastRow: [Int] = []  // per column: the last row that set it
        var previousKeys: [KeySlot] = []
        var rowLines: [Int] = []
        var lineNumber = 0
        var lineStart = input.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let count = input.count
        while lineStart < count {
            lineNumber += 1
            var newline = lineStart
            while newline < count, input[newline] != UInt8(ascii: "\n") { newline += 1 }
            var lineEnd = newline
            if lineEnd > lineStart, input[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let range = lineStart ..< lineEnd
            lineStart = newline + 1
            if input[range].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let row = rowLines.count
            var parser = FlatJSONObjectParser(input, range: range)
            do {
                try parser.parseObject { position, key, value in
                    let column: Int
                    if position < previousKeys.count, previousKeys[position].length == key.bytes.count,
                        Self.equal(input, previousKeys[position].offset, key)
                    {
                        column = previousKeys[position].column
                    } else {
                        let name = key.text
                        if let known = index[name] {
                            column = known
                        } else {
                            column = names.count
                            index[name] = column
                            names.append(name)
                            var builder = TypedColumnBuilder()
                            builder.appendMissing(count: row)
                            columns.append(builder)
                            lastRow.append(-1)
                        }
                        let slot = KeySlot(offset: key.offset, length: key.bytes.count, column: column)
                        if position < previousKeys.count { previousKeys[position] = slot } else { previousKeys.append(slot) }
                    }
                    guard lastRow[column] != row else { return false }
                    lastRow[column] = row
                    switch value {
                    case .number(let x): columns[column].appendNumber(x)
                    case .bool(let b): columns[column].appendBool(b)
                    case .null: columns[column].appendMissing()
                    case .string(let raw):
                        columns[column].appendLabel(key: raw.bytes) { bytes in
                            .string(FlatJSONObjectParser.decodeString(bytes, escaped: raw.escaped))
                        }
                    }
                    return true
                }
            } catch {
                throw DataFileError(error.code, file: file, line: lineNumber, error.message)
            }
            rowLines.append(lineNumber)
            for column in columns.indices where lastRow[column] != row { columns[column].appendMissing() }
        }
        guard !rowLines.isEmpty else { throw DataFileError(.empty, file: file, "file has no records") }
        return DataTable(
            file: file, columns: zip(names, columns).map { DataColumn(name: $0, cells: $1.cells) }, rowLines: rowLines)
    }

    /// Whether the key's bytes equal `input[offset ..< offset + key.bytes.count]`.
    @inline(__always)
    private static func equal(_ input: UnsafeBufferPointer<UInt8>, _ offset: Int, _ key: FlatJSONObjectParser.RawString) -> Bool {
        let bytes = key.bytes
        for k in 0 ..< bytes.count where input[offset + k] != bytes[k] { return false }
        return true
    }
}
