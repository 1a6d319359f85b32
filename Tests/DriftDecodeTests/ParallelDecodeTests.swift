import DriftCore
import DriftDecode
import Testing

/// `ParallelEventDecoder` against one `InferenceEventDecoder` on the same messages.
@Suite("Parallel decoding equals one decoder")
struct ParallelDecodeTests {
    /// The generator's events (valid and broken, two models, ids, unknown features) as one
    /// contiguous buffer with offsets, so payloads are handed over as pointers like Kafka's.
    struct Messages {
        var bytes: [UInt8] = []
        var offsets: [Int] = [0]
        var count: Int { offsets.count - 1 }

        init(seed: UInt64, count: Int) {
            var generator = EventGenerator(seed: seed)
            for _ in 0..<count {
                bytes += Array(generator.event().utf8)
                offsets.append(bytes.count)
            }
        }

        func decode(with decode: (Int, (Int) -> EventPayload) -> DecodedBatch) -> DecodedBatch {
            bytes.withUnsafeBytes { all in
                decode(count) { i in
                    EventPayload(
                        bytes: UnsafeRawBufferPointer(rebasing: all[offsets[i]..<offsets[i + 1]]),
                        fallbackTimestampMs: Int64(i) * 1_000)
                }
            }
        }
    }

    static func expectSame(_ parallel: DecodedBatch, _ serial: DecodedBatch) {
        #expect(parallel.messageCount == serial.messageCount)
        #expect(parallel.rejects == serial.rejects)
        #expect(parallel.models.count == serial.models.count)
        for (p, s) in zip(parallel.models, serial.models) {
            #expect(
                p.columns.schema.model == s.columns.schema.model && p.columns.schema.version == s.columns.schema.version
            )
            #expect(p.messageIndexes == s.messageIndexes)
            #expect(p.columns.timestamps == s.columns.timestamps)
            #expect(p.eventIDs == s.eventIDs)
            #expect(p.versionFallbackCount == s.versionFallbackCount)
            // Bit patterns: NaN marks missing values and must match too.
            #expect(p.columns.predictions.map(\.bitPattern) == s.columns.predictions.map(\.bitPattern))
            #expect(p.latencies.map(\.bitPattern) == s.latencies.map(\.bitPattern))
            #expect(p.costs.map(\.bitPattern) == s.costs.map(\.bitPattern))
            #expect(p.columns.features.map { $0.map(\.bitPattern) } == s.columns.features.map { $0.map(\.bitPattern) })
        }
        let total = { (b: DecodedBatch) in b.unknownFeatures.reduce(0) { $0 + $1.count } + b.unknownFeatureOverflow }
        #expect(total(parallel) == total(serial))
    }

    @Test(
        "rows, ids, rejects and message indexes are those of one decoder",
        arguments: [(UInt64(1), 2), (2, 3), (3, 4), (4, 7)])
    func sameAsSerial(seed: UInt64, workers: Int) throws {
        let messages = Messages(seed: seed, count: 3_000)
        let registry = try TestSchemas.registry([TestSchemas.churnBaseline(), TestSchemas.fraudBaseline()])
        let options = DecoderOptions(captureIDs: true, maxUnknownFeatureNames: 1_000)
        let serial = messages.decode(with: try InferenceEventDecoder(registry: registry, options: options).decode)
        let parallel = try ParallelEventDecoder(
            registry: registry, options: options, workers: workers, minimumSlice: 100)
        let batch = messages.decode(with: parallel.decode)
        #expect(serial.rejects.count > 300, "the generator should mix in broken events")
        #expect(serial.models.count == 2)
        Self.expectSame(batch, serial)
        // Below the bound the unknown feature names are counted the same way too.
        let byName = { (b: DecodedBatch) in
            Dictionary(
                b.unknownFeatures.map { ("\($0.model)/\($0.version)/\($0.name)", $0.count) }, uniquingKeysWith: +)
        }
        #expect(byName(batch) == byName(serial))
        #expect(!serial.unknownFeatures.isEmpty)

        // The decoder is reused batch after batch (parsers and row buffers reset).
        let again = messages.decode(with: parallel.decode)
        Self.expectSame(again, serial)
    }

    @Test("past the unknown-name bound the total of named and overflow counts is unchanged")
    func unknownBound() throws {
        let messages = Messages(seed: 9, count: 2_000)
        let registry = try TestSchemas.registry([TestSchemas.churnBaseline(), TestSchemas.fraudBaseline()])
        let options = DecoderOptions(maxUnknownFeatureNames: 1)
        let serial = messages.decode(with: try InferenceEventDecoder(registry: registry, options: options).decode)
        let parallel = messages.decode(
            with: try ParallelEventDecoder(registry: registry, options: options, workers: 4, minimumSlice: 50).decode)
        #expect(serial.unknownFeatureOverflow > 0)
        Self.expectSame(parallel, serial)
    }

    @Test("small batches, empty batches and bad settings")
    func edges() throws {
        let registry = try TestSchemas.registry([TestSchemas.churnBaseline()])
        let decoder = try ParallelEventDecoder(registry: registry, workers: 2)
        #expect(decoder.workers == 2)
        let empty = decoder.decode(count: 0) { _ in
            EventPayload(bytes: UnsafeRawBufferPointer(start: nil, count: 0), fallbackTimestampMs: 0)
        }
        #expect(empty.messageCount == 0 && empty.models.isEmpty && empty.rejects.isEmpty)
        let few = Messages(seed: 5, count: 10)  // fewer than two slices' worth: one thread
        Self.expectSame(
            few.decode(with: decoder.decode), few.decode(with: try InferenceEventDecoder(registry: registry).decode))
        #expect(throws: DecoderSetupError.self) { try ParallelEventDecoder(registry: registry, workers: 0) }
        #expect(throws: DecoderSetupError.self) {
            try ParallelEventDecoder(registry: registry, workers: 2, minimumSlice: 0)
        }
    }
}
