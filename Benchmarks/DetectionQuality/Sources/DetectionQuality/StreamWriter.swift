import Foundation

/// Appends float64 values (little-endian, the x86-64 and arm64 layout numpy reads as `<f8`)
/// to a file.
final class StreamWriter {
    private let handle: FileHandle
    private var closed = false
    /// Path of the file.
    let path: String

    /// Creates (or truncates) the file.
    init(path: String) throws(BenchmarkError) {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw BenchmarkError(.ioFailed, "cannot create \(path)")
        }
        do {
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        } catch {
            throw BenchmarkError(.ioFailed, "cannot open \(path): \(error)")
        }
    }

    deinit {
        if !closed { try? handle.close() }
    }

    /// Appends the values.
    func write(_ values: [Double]) throws(BenchmarkError) {
        let data = values.withUnsafeBufferPointer { buffer in
            var bytes = Data(capacity: buffer.count * 8)
            for v in buffer {
                withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
            return bytes
        }
        do {
            try handle.write(contentsOf: data)
        } catch {
            throw BenchmarkError(.ioFailed, "cannot write \(path): \(error)")
        }
    }

    /// Flushes and closes the file.
    func close() throws(BenchmarkError) {
        closed = true
        do {
            try handle.close()
        } catch {
            throw BenchmarkError(.ioFailed, "cannot close \(path): \(error)")
        }
    }
}
