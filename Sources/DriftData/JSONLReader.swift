import DriftCore
import DriftDecode
import Foundation

/// Reads JSON Lines training data (one flat JSON object per line) into columns.
///
/// Columns appear in the order their keys are first seen; a row without a key, or with
/// `null`, is missing for that column. Numbers, strings and booleans keep their JSON type;
/// arrays and objects are refused, and so is a key repeated in one object. Blank lines are
/// skipped; a trailing CR is ignored. Each line is parsed by simdjson (`FlatRecordReader` in
/// DriftDecode, the one JSON parser of data files and events).
public struct JSONLReader: Sendable {
    /// Bytes read from the file at a time unless told otherwise (1 MiB).
    public static let defaultBlockSize = DataFileBlocks.defaultBlockSize

    /// Bytes read from the file at a time: memory holds one block (plus a line longer than a
    /// block) besides the columns, never the whole file.
    public var blockSize: Int

    /// Creates a reader.
    /// - Parameter blockSize: Bytes read at a time (at least 1).
    public init(blockSize: Int = JSONLReader.defaultBlockSize) {
        self.blockSize = blockSize
    }

    /// Reads a JSON Lines file, block by block.
    /// - Parameter path: File path.
    /// - Returns: The table.
    /// - Throws: `DataFileError` naming the file and line.
    public func read(path: String) throws(DataFileError) -> DataTable {
        try parse(DataFileBlocks(path: path, blockSize: blockSize), file: path)
    }

    /// Parses JSON Lines bytes, block by block like a file.
    /// - Parameters:
    ///   - bytes: UTF-8 file contents.
    ///   - file: Name used in errors and in the table.
    /// - Returns: The table.
    /// - Throws: `DataFileError` naming the file and line.
    public func parse(_ bytes: [UInt8], file: String) throws(DataFileError) -> DataTable {
        try parse(DataFileBlocks(bytes: bytes, file: file, blockSize: blockSize), file: file)
    }

    /// Parses the blocks; an invalid UTF-8 byte anywhere in the file wins over any other error (as
    /// when the whole file was validated before parsing).
    private func parse(_ blocks: DataFileBlocks, file: String) throws(DataFileError) -> DataTable {
        do { return try parseLines(blocks, file: file) } catch {
            if error.code != .notUTF8 && error.code != .unreadable { try blocks.validateRest() }
            throw error
        }
    }

    /// The key at one position of the previous record: most files repeat the same keys in the same
    /// order, so a key is matched by comparing its bytes with the previous record's key there.
    private struct KeySlot {
        var bytes: [UInt8]
        var column: Int
    }

    /// Parses the lines, one record per line through simdjson (`FlatRecordReader`, which copies
    /// each line into its own padded buffer); columns are typed (`DataColumn.Cells`). A line that
    /// runs past the end of the window is read whole after `DataFileBlocks.refill(keepingFrom:)`.
    private func parseLines(_ blocks: DataFileBlocks, file: String) throws(DataFileError) -> DataTable {
        let reader: FlatRecordReader
        do { reader = try FlatRecordReader() } catch {
            throw DataFileError(.unreadable, file: file, error.message)
        }
        var names: [String] = []
        var index: [String: Int] = [:]
        var columns: [TypedColumnBuilder] = []
        var lastRow: [Int] = []  // per column: the last row that set it
        var previousKeys: [KeySlot] = []
        var rowLines: [Int] = []
        var lineNumber = 0
        while blocks.window.count < 3 && !blocks.atEnd { try blocks.refill(keepingFrom: 0) }
        var lineStart = blocks.window.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let dataStart = lineStart
        var reserved = 0  // rows every column is reserved for, once estimated
        while true {
            let input = UnsafeBufferPointer(blocks.window)
            let count = input.count
            if lineStart >= count {
                if blocks.atEnd { break }
                try blocks.refill(keepingFrom: lineStart)
                lineStart = 0
                continue
            }
            let newline: Int
            if let found = memchr(input.baseAddress! + lineStart, Int32(UInt8(ascii: "\n")), count - lineStart) {
                newline = input.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
            } else if blocks.atEnd {
                newline = count
            } else {
                try blocks.refill(keepingFrom: lineStart)
                lineStart = 0
                continue
            }
            lineNumber += 1
            var lineEnd = newline
            if lineEnd > lineStart, input[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let range = lineStart..<lineEnd
            lineStart = newline + 1
            if input[range].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let row = rowLines.count
            var duplicate: String?
            var position = 0
            do {
                try reader.parse(UnsafeBufferPointer(rebasing: input[range])) { field in
                    defer { position += 1 }
                    let column: Int
                    if position < previousKeys.count, Self.equal(previousKeys[position].bytes, field.key) {
                        column = previousKeys[position].column
                    } else {
                        let name = field.keyText
                        if let known = index[name] {
                            column = known
                        } else {
                            column = names.count
                            index[name] = column
                            names.append(name)
                            var builder = TypedColumnBuilder()
                            builder.reserveCapacity(reserved)
                            builder.appendMissing(count: row)
                            columns.append(builder)
                            lastRow.append(-1)
                        }
                        let slot = KeySlot(bytes: Array(field.key), column: column)
                        if position < previousKeys.count {
                            previousKeys[position] = slot
                        } else {
                            previousKeys.append(slot)
                        }
                    }
                    guard lastRow[column] != row else {
                        duplicate = field.keyText
                        return false
                    }
                    lastRow[column] = row
                    switch field.value {
                    case .number(let x): columns[column].appendNumber(x)
                    case .bool(let b): columns[column].appendBool(b)
                    case .null: columns[column].appendMissing()
                    case .string(let bytes):
                        // Unescaped bytes: "x" and "\u0078" are one label.
                        columns[column].appendLabel(key: bytes) { bytes in
                            .string(String(decoding: bytes, as: UTF8.self))
                        }
                    }
                    return true
                }
            } catch {
                throw DataFileError(
                    Self.code(error.kind), file: file, line: lineNumber, "column \(error.offset + 1): \(error)")
            }
            if let duplicate {
                throw DataFileError(.duplicateKey, file: file, line: lineNumber, "key \"\(duplicate)\" appears twice")
            }
            rowLines.append(lineNumber)
            if rowLines.count == Self.sizingRows {
                // Reserve every column (and columns first seen later) once from the bytes per
                // record seen so far, instead of growing each column about 20 times on large files:
                // the grown-out buffers stay in the heap and count in peak memory.
                let consumed = max(1, blocks.windowOffset + lineStart - dataStart)
                reserved = Int(
                    Double(blocks.totalSize - dataStart) / Double(consumed) * Double(Self.sizingRows) * 1.05)
                for column in columns.indices { columns[column].reserveCapacity(reserved) }
                rowLines.reserveCapacity(reserved)
            }
            for column in columns.indices where lastRow[column] != row { columns[column].appendMissing() }
        }
        guard !rowLines.isEmpty else { throw DataFileError(.empty, file: file, "file has no records") }
        return DataTable(
            file: file, columns: zip(names, columns).map { DataColumn(name: $0, cells: $1.cells) }, rowLines: rowLines)
    }

    /// Records read before the columns are reserved for the whole file.
    private static let sizingRows = 1_024

    /// The data-file code of a record error.
    private static func code(_ kind: FlatRecordError.Kind) -> DataFileError.Code {
        switch kind {
        case .invalidJSON: return .invalidJSON
        case .notAnObject: return .notAnObject
        case .nestedValue: return .nestedValue
        case .numberOutOfRange: return .numberOutOfRange
        }
    }

    /// Whether `stored` holds the same bytes as `key`.
    @inline(__always)
    private static func equal(_ stored: [UInt8], _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard stored.count == key.count else { return false }
        return stored.withUnsafeBufferPointer { stored in
            guard let a = stored.baseAddress, let b = key.baseAddress else { return true }
            return memcmp(a, b, key.count) == 0
        }
    }
}
