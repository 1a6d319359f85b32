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
        return try parse(Array(data), file: path)
    }

    /// Parses JSON Lines bytes.
    /// - Parameters:
    ///   - bytes: UTF-8 file contents.
    ///   - file: Name used in errors and in the table.
    /// - Returns: The table.
    /// - Throws: `DataFileError` naming the file and line.
    public func parse(_ bytes: [UInt8], file: String) throws(DataFileError) -> DataTable {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw DataFileError(.notUTF8, file: file, "file is not valid UTF-8")
        }
        var names: [String] = []
        var index: [String: Int] = [:]
        var columns: [[DataValue]] = []
        var rowLines: [Int] = []
        var lineNumber = 0
        var lineStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while lineStart < bytes.count {
            lineNumber += 1
            let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var lineEnd = newline
            if lineEnd > lineStart, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let line = bytes[lineStart..<lineEnd]
            lineStart = newline + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            var parser = FlatJSONObjectParser(line)
            let pairs: [(String, DataValue)]
            do { pairs = try parser.parseObject() } catch {
                throw DataFileError(error.code, file: file, line: lineNumber, error.message)
            }
            let row = rowLines.count
            for (key, value) in pairs {
                if let i = index[key] {
                    columns[i].append(value)
                } else {
                    index[key] = names.count
                    names.append(key)
                    columns.append(Array(repeating: .missing, count: row) + [value])
                }
            }
            rowLines.append(lineNumber)
            for i in columns.indices where columns[i].count == row { columns[i].append(.missing) }
        }
        guard !rowLines.isEmpty else { throw DataFileError(.empty, file: file, "file has no records") }
        return DataTable(
            file: file, columns: zip(names, columns).map { DataColumn(name: $0, values: $1) }, rowLines: rowLines)
    }
}
