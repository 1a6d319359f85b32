import Foundation

/// A data file's bytes, read once and parsed in place (no copy of the file), for the readers of
/// each format.
enum DataFileContents {
    /// Reads the file at `path` and hands its bytes to `parse`.
    /// - Throws: `DataFileError` `.unreadable` naming the file, or what `parse` throws.
    static func parse(
        path: String, with parse: (UnsafeBufferPointer<UInt8>) throws(DataFileError) -> DataTable
    ) throws(DataFileError) -> DataTable {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw DataFileError(.unreadable, file: path, "cannot read file: \(error.localizedDescription)")
        }
        let result = data.withUnsafeBytes { raw in
            Result { () throws(DataFileError) in try parse(raw.bindMemory(to: UInt8.self)) }
        }
        return try result.get()
    }
}
