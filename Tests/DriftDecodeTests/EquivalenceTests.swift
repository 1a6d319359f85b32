import DriftCore
import DriftDecode
import Testing

@Suite("Randomized equivalence with a JSONSerialization reference")
struct EquivalenceTests {
    @Test("generated events decode exactly as the reference decodes them", arguments: [UInt64(1), 2, 3])
    func equivalence(seed: UInt64) throws {
        var generator = EventGenerator(seed: seed)
        let events = (0..<3000).map { _ in generator.event() }
        let registry = try TestSchemas.registry([TestSchemas.churnBaseline(), TestSchemas.fraudBaseline()])
        let decoder = try InferenceEventDecoder(
            registry: registry, options: DecoderOptions(captureIDs: true, maxUnknownFeatureNames: 1000))
        let fallbacks = events.indices.map { Int64($0) * 1000 }
        let batch = decoder.decode(messages: events.map { Array($0.utf8) }, fallbackTimestampMs: fallbacks)
        let reference = ReferenceDecoder(registry: registry, rfc3339: generator.rfc3339)

        var expectedRejects: [(Int, DecodeError.Code)] = []
        var expectedRows:
            [Int: (
                values: [[Double]], predictions: [Double], timestamps: [Int64], ids: [String?],
                indexes: [Int], fallbacks: Int
            )] = [:]
        var expectedUnknown: [String: Int] = [:]
        for (index, event) in events.enumerated() {
            switch reference.decode(event, fallback: fallbacks[index]) {
            case .rejected(let code):
                expectedRejects.append((index, code))
            case let .accepted(schema, values, prediction, timestamp, id, unknown, fallback):
                var rows = expectedRows[schema] ?? (Array(repeating: [], count: values.count), [], [], [], [], 0)
                for column in values.indices { rows.values[column].append(values[column]) }
                rows.predictions.append(prediction)
                rows.timestamps.append(timestamp)
                rows.ids.append(id)
                rows.indexes.append(index)
                rows.fallbacks += fallback ? 1 : 0
                expectedRows[schema] = rows
                for name in unknown { expectedUnknown["\(schema)/\(name)", default: 0] += 1 }
            }
        }

        #expect(batch.rejects.count == expectedRejects.count)
        for (reject, expected) in zip(batch.rejects, expectedRejects) {
            #expect(reject.messageIndex == expected.0)
            #expect(reject.error.code == expected.1, "message \(expected.0): \(events[expected.0]) -> \(reject.error)")
            if reject.messageIndex != expected.0 || reject.error.code != expected.1 { break }
        }
        #expect(expectedRejects.count > 300 && expectedRejects.count < 1500, "generator mix changed")
        #expect(Set(expectedRejects.map(\.1)).count >= 8, "every fault kind should occur")

        #expect(batch.models.count == expectedRows.count)
        for model in batch.models {
            let schemaIndex = try #require(
                registry.schemas.firstIndex {
                    $0.model == model.columns.schema.model && $0.version == model.columns.schema.version
                })
            let expected = try #require(expectedRows[schemaIndex])
            #expect(model.messageIndexes == expected.indexes)
            for column in expected.values.indices {
                let actual = model.columns.features[column]
                let mismatch = zip(actual, expected.values[column]).enumerated().first {
                    !nearlySame($0.element.0, $0.element.1)
                }
                #expect(actual.count == expected.values[column].count)
                #expect(
                    mismatch == nil,
                    "column \(column) row \(mismatch?.offset ?? -1): \(mismatch.map { "\($0.element)" } ?? "") in \(mismatch.map { events[expected.indexes[$0.offset]] } ?? "")"
                )
            }
            let predictionMismatch = zip(model.columns.predictions, expected.predictions).enumerated().first {
                !nearlySame($0.element.0, $0.element.1)
            }
            #expect(model.columns.predictions.count == expected.predictions.count)
            #expect(
                predictionMismatch == nil,
                "prediction row \(predictionMismatch?.offset ?? -1): \(predictionMismatch.map { "\($0.element)" } ?? "") in \(predictionMismatch.map { events[expected.indexes[$0.offset]] } ?? "")"
            )
            #expect(model.columns.timestamps == expected.timestamps)
            #expect(model.eventIDs == expected.ids)
            #expect(model.versionFallbackCount == expected.fallbacks)
        }
        var actualUnknown: [String: Int] = [:]
        for entry in batch.unknownFeatures {
            let schemaIndex =
                registry.schemas.firstIndex { $0.model == entry.model && $0.version == entry.version } ?? -1
            actualUnknown["\(schemaIndex)/\(entry.name)"] = entry.count
        }
        #expect(actualUnknown == expectedUnknown)
        #expect(batch.unknownFeatureOverflow == 0)
    }

    @Test("random doubles written in shortest form decode bit for bit")
    func numbersRoundTripExactly() throws {
        var rng = SplitMix64(seed: 7)
        let decoder = try TestSchemas.decoder()
        var values: [Double] = []
        while values.count < 5000 {
            let value = Double(bitPattern: rng.next())
            if value.isFinite { values.append(value) }
        }
        let messages = values.map { #"{"model":"churn","features":{"tenure":\#($0)}}"# }
        let batch = decoder.decode(messages)
        #expect(batch.rejects.isEmpty)
        let decoded = try #require(batch.rows("churn")).columns.features[0]
        #expect(decoded.count == values.count)
        let firstMismatch = zip(decoded, values).first { $0.0.bitPattern != $0.1.bitPattern }
        #expect(firstMismatch == nil, "\(String(describing: firstMismatch))")
    }
}
