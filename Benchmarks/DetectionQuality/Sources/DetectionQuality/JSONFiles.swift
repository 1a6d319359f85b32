import Foundation

/// Reads and writes the benchmark's JSON files (sorted keys, so reruns diff cleanly).
enum JSONFiles {
    /// Encodes `value` to `path`.
    static func write<T: Encodable>(_ value: T, to path: String) throws(BenchmarkError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(value).write(to: URL(fileURLWithPath: path))
        } catch {
            throw BenchmarkError(.ioFailed, "cannot write \(path): \(error)")
        }
    }

    /// Decodes a `T` from `path`.
    static func read<T: Decodable>(_ type: T.Type, from path: String) throws(BenchmarkError) -> T {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw BenchmarkError(.ioFailed, "cannot read \(path): \(error)")
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw BenchmarkError(.badResults, "\(path) is not a valid results file: \(error)")
        }
    }
}
