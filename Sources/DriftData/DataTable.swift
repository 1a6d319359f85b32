import DriftCore
import Foundation

/// Training data read from a file: columns for `BaselineBuilder`, plus where each row came from.
public struct DataTable: Sendable, Equatable {
    /// The file the rows were read from.
    public var file: String
    /// Columns in file order (CSV header order, JSONL first-appearance order).
    public var columns: [DataColumn]
    /// 1-based line on which each data row starts.
    public var rowLines: [Int]

    /// Creates a table.
    /// - Parameters:
    ///   - file: Source file.
    ///   - columns: Columns of equal length.
    ///   - rowLines: Line of each row.
    public init(file: String, columns: [DataColumn], rowLines: [Int]) {
        self.file = file
        self.columns = columns
        self.rowLines = rowLines
    }

    /// Number of data rows.
    public var rowCount: Int { rowLines.count }

    /// Reads a CSV (`.csv`) or JSON Lines (`.jsonl`, `.ndjson`) file, chosen by extension.
    /// - Parameter path: File path.
    /// - Returns: The table.
    /// - Throws: `DataFileError` naming the file and, for syntax problems, the line.
    public static func read(path: String) throws(DataFileError) -> DataTable {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": return try CSVReader().read(path: path)
        case "jsonl", "ndjson": return try JSONLReader().read(path: path)
        default:
            throw DataFileError(
                .unsupportedFormat, file: path, "unsupported data file extension; use .csv, .jsonl or .ndjson")
        }
    }

    /// Builds a baseline from this table, turning builder errors that name a row into
    /// `file:line` messages.
    /// - Parameters:
    ///   - builder: The builder (options).
    ///   - model: Model identifier.
    ///   - version: Model version.
    ///   - predictionColumn: Column holding the model's output, if any.
    ///   - typeOverrides: Feature types to force, by column name.
    ///   - excludedColumns: Columns to leave out (ids, timestamps, labels).
    ///   - createdAt: Creation time to record.
    ///   - labelColumn: Column of 0/1 labels for the performance reference (not a feature).
    ///   - positiveThreshold: Class boundary of the reference metrics.
    /// - Returns: The baseline.
    /// - Throws: `BaselineTableError`: the builder's error with the file and line of the row.
    public func buildBaseline(
        with builder: BaselineBuilder, model: String, version: String, predictionColumn: String? = nil,
        typeOverrides: [String: FeatureType] = [:], excludedColumns: Set<String> = [], createdAt: String? = nil,
        labelColumn: String? = nil, positiveThreshold: Double = 0.5
    ) throws(BaselineTableError) -> Baseline {
        let known = Set(columns.map(\.name))
        for name in typeOverrides.keys.sorted() + excludedColumns.sorted() where !known.contains(name) {
            throw BaselineTableError(
                file: file, line: nil,
                underlying: BaselineBuildError(.unknownColumn, column: name, "no column named '\(name)' in the file"))
        }
        let selected = columns.filter { !excludedColumns.contains($0.name) }.map { column in
            var column = column
            if let type = typeOverrides[column.name] { column.typeOverride = type }
            return column
        }
        do {
            return try builder.build(
                model: model, version: version, columns: selected, predictionColumn: predictionColumn,
                createdAt: createdAt,
                labelColumn: labelColumn, positiveThreshold: positiveThreshold)
        } catch {
            let line = error.row.flatMap { $0 < rowLines.count ? rowLines[$0] : nil }
            throw BaselineTableError(file: file, line: line, underlying: error)
        }
    }
}
