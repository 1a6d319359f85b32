import DriftCore
import DriftDecode
import Testing

@Suite("Schema lookup and version fallback")
struct SchemaRegistryTests {
    static let baselines = [
        TestSchemas.churnBaseline(version: "2"), TestSchemas.churnBaseline(version: "3"),
        TestSchemas.fraudBaseline()
    ]

    @Test("exact version, no version (default = last listed), fallback counted")
    func fallbackOn() throws {
        let decoder = try TestSchemas.decoder(Self.baselines, fallback: true)
        let batch = decoder.decode([
            #"{"model":"churn","version":"2","features":{"tenure":1}}"#,
            #"{"model":"churn","version":"3","features":{"tenure":2}}"#,
            #"{"model":"churn","features":{"tenure":3}}"#,
            #"{"model":"churn","version":"7","features":{"tenure":4}}"#,
            #"{"model":"churn","version":7,"features":{"tenure":5}}"#,
            #"{"model":"churn","version":"2","features":{"tenure":6}}"#,
            #"{"model":"fraud","version":"0","features":{"amount":7}}"#,
            #"{"model":"nope","version":"2","features":{}}"#
        ])
        #expect(batch.rows("churn", version: "2")?.columns.features[0] == [1, 6])
        #expect(batch.rows("churn", version: "3")?.columns.features[0] == [2, 3, 4, 5])
        #expect(batch.rows("churn", version: "3")?.versionFallbackCount == 2)
        #expect(batch.rows("churn", version: "2")?.versionFallbackCount == 0)
        #expect(batch.rows("fraud")?.versionFallbackCount == 1)
        #expect(batch.versionFallbackCount == 3)
        #expect(batch.rejects.map(\.error.code) == [.unknownModel])
    }

    @Test("fallback off rejects unknown versions but still routes version-less events")
    func fallbackOff() throws {
        let decoder = try TestSchemas.decoder(Self.baselines, fallback: false)
        let batch = decoder.decode([
            #"{"model":"churn","version":"7","features":{"tenure":4}}"#,
            #"{"model":"churn","features":{"tenure":3}}"#,
            #"{"model":"churn","version":"2","features":{"tenure":1}}"#
        ])
        #expect(batch.rejects.map(\.messageIndex) == [0])
        #expect(batch.rejects.map(\.error.code) == [.unknownVersion])
        #expect(batch.rows("churn", version: "3")?.columns.features[0] == [3])
        #expect(batch.rows("churn", version: "2")?.columns.features[0] == [1])
        #expect(batch.versionFallbackCount == 0)
    }

    @Test("the Swift lookup agrees with the decoder's routing")
    func swiftLookup() throws {
        let on = try TestSchemas.registry(Self.baselines, fallback: true)
        let off = try TestSchemas.registry(Self.baselines, fallback: false)
        #expect(on.match(model: "churn", version: "2")?.index == 0)
        #expect(on.match(model: "churn", version: nil)?.index == 1)
        #expect(on.match(model: "churn", version: "9")?.isVersionFallback == true)
        #expect(on.match(model: "churn", version: "9")?.index == 1)
        #expect(off.match(model: "churn", version: "9") == nil)
        #expect(off.match(model: "churn", version: nil)?.isVersionFallback == false)
        #expect(on.match(model: "x", version: nil) == nil)
    }
}
