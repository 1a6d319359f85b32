import DriftDecode
import Glibc
import Testing

/// simdjson reads up to 64 bytes past the end of its input. The decoder copies each message
/// into its own padded buffer, so a message that ends exactly where readable memory ends
/// (the last byte of a page followed by an inaccessible page) must decode without a fault.
@Suite("Padding and buffer edges")
struct PaddingTests {
    /// Two pages; the second is made inaccessible. `body` gets a pointer to the first page.
    private func withGuardedPage<R>(_ body: (UnsafeMutableRawPointer, Int) throws -> R) throws -> R {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard let memory = mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            memory != MAP_FAILED
        else {
            throw PaddingTestError.mmapFailed
        }
        defer { munmap(memory, 2 * page) }
        guard mprotect(memory + page, page, PROT_NONE) == 0 else { throw PaddingTestError.mmapFailed }
        return try body(memory, page)
    }

    enum PaddingTestError: Error { case mmapFailed }

    @Test("messages ending exactly at a page boundary decode (inference and label)")
    func pageBoundary() throws {
        let decoder = try TestSchemas.decoder()
        let labels = try LabelEventDecoder()
        let events = [
            #"{"model":"churn","features":{"tenure":12,"plan":"pro"},"prediction":0.5}"#,
            #"{"model":"churn","features":{"tenure":1234567}}"#,  // ends in a number right before '}'
            #"{"model":"churn","features":{"plan":"basic"}}"#
        ]
        try withGuardedPage { memory, page in
            for event in events {
                let bytes = Array(event.utf8)
                let start = memory + (page - bytes.count)
                bytes.withUnsafeBytes { start.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
                let view = UnsafeRawBufferPointer(start: start, count: bytes.count)
                let batch = decoder.decode(count: 1) { _ in EventPayload(bytes: view, fallbackTimestampMs: 1) }
                #expect(batch.rejects.isEmpty, "\(batch.rejects)")
                #expect(batch.rows("churn")?.columns.rowCount == 1)
            }
            let label = Array(#"{"model":"churn","id":"z","label":7}"#.utf8)
            let start = memory + (page - label.count)
            label.withUnsafeBytes { start.copyMemory(from: $0.baseAddress!, byteCount: label.count) }
            let view = UnsafeRawBufferPointer(start: start, count: label.count)
            let result = labels.decode(count: 1) { _ in EventPayload(bytes: view, fallbackTimestampMs: 1) }
            #expect(result.labels.map(\.label) == ["7"])
            // A truncated document at the boundary is a clean reject, not a read past the end.
            let truncated = Array(#"{"model":"churn","features":{"tenure":12"#.utf8)
            let tStart = memory + (page - truncated.count)
            truncated.withUnsafeBytes { tStart.copyMemory(from: $0.baseAddress!, byteCount: truncated.count) }
            let tView = UnsafeRawBufferPointer(start: tStart, count: truncated.count)
            let batch = decoder.decode(count: 1) { _ in EventPayload(bytes: tView, fallbackTimestampMs: 1) }
            #expect(batch.rejects.map(\.error.code) == [.invalidJSON])
        }
    }

    @Test("a message filling the whole buffer, after a longer one, decodes; stale bytes do not leak")
    func bufferBoundary() throws {
        let short = #"{"model":"churn","features":{"tenure":3}}"#
        let limit = 200
        let long =
            #"{"model":"churn","features":{"tenure":1}}"# + String(repeating: " ", count: limit - short.utf8.count - 0)
        let exact = String(long.prefix(limit))
        #expect(exact.utf8.count == limit)
        let decoder = try TestSchemas.decoder(options: DecoderOptions(maxEventBytes: limit))
        // After a full-size message, a shorter one must not see the old bytes behind it.
        let batch = decoder.decode([exact, short, #"{"model":"churn","features":{"tenure":4"#])
        #expect(batch.rows("churn")?.columns.features[0] == [1, 3])
        #expect(batch.rejects.map(\.error.code) == [.invalidJSON])
    }

    @Test("empty buffers and nil base addresses are rejected as invalid JSON")
    func emptyBuffer() throws {
        let decoder = try TestSchemas.decoder()
        let batch = decoder.decode(count: 2) { _ in
            EventPayload(bytes: UnsafeRawBufferPointer(start: nil, count: 0), fallbackTimestampMs: 0)
        }
        #expect(batch.rejects.map(\.error.code) == [.invalidJSON, .invalidJSON])
    }
}
