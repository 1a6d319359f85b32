import Foundation

/// Arrays of fixed-width integers as base64 text of their little-endian bytes: a compact way
/// to put large numeric arrays into JSON state files.
enum LittleEndianBlob {
    /// Base64 of the values' little-endian bytes.
    static func encode<T: FixedWidthInteger>(_ values: [T]) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * MemoryLayout<T>.size)
        for value in values {
            var v = value.littleEndian
            withUnsafeBytes(of: &v) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes).base64EncodedString()
    }

    /// The values, or nil when the text is not base64 or its length is not a multiple of the width.
    static func decode<T: FixedWidthInteger>(_ text: String) -> [T]? {
        guard let data = Data(base64Encoded: text) else { return nil }
        let width = MemoryLayout<T>.size
        guard data.count % width == 0 else { return nil }
        var values = [T]()
        values.reserveCapacity(data.count / width)
        data.withUnsafeBytes { raw in
            for i in stride(from: 0, to: raw.count, by: width) {
                var v = T.zero
                withUnsafeMutableBytes(of: &v) {
                    $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[i..<i + width]))
                }
                values.append(T(littleEndian: v))
            }
        }
        return values
    }
}
