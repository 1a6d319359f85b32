import DriftCore
import DriftDecode
import Testing

@Suite("Inference event rejects")
struct RejectTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var json: String
        var code: DecodeError.Code
        var field: String?
        var expectedType: String? = nil
        var testDescription: String { "\(code.rawValue): \(json)" }
    }

    static let cases: [Case] = [
        // invalid_json
        Case(json: "", code: .invalidJSON),
        Case(json: "{", code: .invalidJSON),
        Case(json: #"{"model":"churn","features":{"tenure":1}"#, code: .invalidJSON),
        Case(json: #"{"model":"churn","features":{"tenure":1}} x"#, code: .invalidJSON),
        Case(json: #"{"model":"churn","features":{"tenure":1}}}"#, code: .invalidJSON),
        Case(json: #"{"model":"churn" "features":{}}"#, code: .invalidJSON),
        Case(json: #"{"model":"churn","features":{},}"#, code: .invalidJSON),
        Case(json: #"{"model":"churn","features":{"tenure":01}}"#, code: .invalidJSON, field: "features.tenure"),
        Case(json: #"{"model":"churn","features":{"tenure":1.}}"#, code: .invalidJSON, field: "features.tenure"),
        Case(json: #"{"model":"churn","features":{"tenure":tru}}"#, code: .invalidJSON, field: "features.tenure"),
        Case(json: #"{"model":"churn","features":{"tenure":nul}}"#, code: .invalidJSON, field: "features.tenure"),
        Case(json: #"{"model":"churn","features":{"plan":"a\qb"}}"#, code: .invalidJSON),
        Case(json: #"{"model":"churn","features":{"other":[1,,2]}}"#, code: .invalidJSON, field: "features.other"),
        Case(json: #"{"model":"churn","extra":{"a" 1},"features":{}}"#, code: .invalidJSON, field: "extra"),
        Case(json: "{\"model\":\"churn\",\"features\":{\"plan\":\"\u{1}\"}}", code: .invalidJSON),
        Case(json: "nul", code: .invalidJSON),
        // not_an_object
        Case(json: "[1,2]", code: .notAnObject),
        Case(json: "42", code: .notAnObject),
        Case(json: #""churn""#, code: .notAnObject),
        Case(json: "null", code: .notAnObject),
        // missing_model
        Case(json: #"{"features":{"tenure":1}}"#, code: .missingModel, field: "model"),
        Case(json: #"{"model":null,"features":{"tenure":1}}"#, code: .missingModel, field: "model"),
        // unknown_model
        Case(json: #"{"model":"nope","features":{}}"#, code: .unknownModel, field: "model"),
        Case(json: #"{"model":"","version":"3","features":{}}"#, code: .unknownModel, field: "model"),
        // missing_features
        Case(json: #"{"model":"churn"}"#, code: .missingFeatures, field: "features"),
        Case(json: #"{"model":"churn","features":null}"#, code: .missingFeatures, field: "features"),
        // wrong_type
        Case(json: #"{"model":7,"features":{}}"#, code: .wrongType, field: "model", expectedType: "string"),
        Case(
            json: #"{"model":"churn","version":true,"features":{}}"#, code: .wrongType, field: "version",
            expectedType: "string or integer"),
        Case(
            json: #"{"model":"churn","version":3.5,"features":{}}"#, code: .wrongType, field: "version",
            expectedType: "string or integer"),
        Case(
            json: #"{"model":"churn","id":["x"],"features":{}}"#, code: .wrongType, field: "id",
            expectedType: "string or integer"),
        Case(json: #"{"model":"churn","features":[1]}"#, code: .wrongType, field: "features", expectedType: "object"),
        Case(
            json: #"{"model":"churn","features":"tenure=1"}"#, code: .wrongType, field: "features",
            expectedType: "object"),
        Case(
            json: #"{"model":"churn","features":{"tenure":"12"}}"#, code: .wrongType, field: "features.tenure",
            expectedType: "number"),
        Case(
            json: #"{"model":"churn","features":{"tenure":true}}"#, code: .wrongType, field: "features.tenure",
            expectedType: "number"),
        Case(
            json: #"{"model":"churn","features":{"tenure":{"v":1}}}"#, code: .wrongType, field: "features.tenure",
            expectedType: "number"),
        Case(
            json: #"{"model":"churn","features":{"plan":1.5}}"#, code: .wrongType, field: "features.plan",
            expectedType: "string, boolean or integer"),
        Case(
            json: #"{"model":"churn","features":{"code":2.0}}"#, code: .wrongType, field: "features.code",
            expectedType: "string, boolean or integer"),
        Case(
            json: #"{"model":"churn","features":{"code":1e2}}"#, code: .wrongType, field: "features.code",
            expectedType: "string, boolean or integer"),
        Case(
            json: #"{"model":"churn","features":{"plan":["pro"]}}"#, code: .wrongType, field: "features.plan",
            expectedType: "string, boolean or integer"),
        Case(
            json: #"{"model":"churn","features":{},"prediction":"high"}"#, code: .wrongType, field: "prediction",
            expectedType: "number"),
        Case(
            json: #"{"model":"churn","features":{},"latency_ms":"12"}"#, code: .wrongType, field: "latency_ms",
            expectedType: "number"),
        // non_finite
        Case(json: #"{"model":"churn","features":{"tenure":NaN}}"#, code: .nonFinite, field: "features.tenure"),
        Case(json: #"{"model":"churn","features":{"tenure":Infinity}}"#, code: .nonFinite, field: "features.tenure"),
        Case(json: #"{"model":"churn","features":{"tenure":-Infinity}}"#, code: .nonFinite, field: "features.tenure"),
        Case(json: #"{"model":"churn","features":{"tenure":1e400}}"#, code: .nonFinite, field: "features.tenure"),
        Case(json: #"{"model":"churn","features":{"income":-1.5e309}}"#, code: .nonFinite, field: "features.income"),
        Case(json: #"{"model":"churn","features":{"plan":NaN}}"#, code: .nonFinite, field: "features.plan"),
        Case(
            json: #"{"model":"churn","features":{"unmonitored":1e999}}"#, code: .nonFinite,
            field: "features.unmonitored"),
        Case(json: #"{"model":"churn","features":{},"prediction":Infinity}"#, code: .nonFinite, field: "prediction"),
        Case(json: #"{"model":"churn","features":{},"latency_ms":1e400}"#, code: .nonFinite, field: "latency_ms"),
        // bad_timestamp
        Case(
            json: #"{"model":"churn","features":{},"timestamp":"yesterday"}"#, code: .badTimestamp, field: "timestamp"),
        Case(json: #"{"model":"churn","features":{},"timestamp":1.5}"#, code: .badTimestamp, field: "timestamp"),
        Case(json: #"{"model":"churn","features":{},"timestamp":true}"#, code: .badTimestamp, field: "timestamp"),
        Case(json: #"{"model":"churn","features":{},"timestamp":{}}"#, code: .badTimestamp, field: "timestamp"),
        Case(json: #"{"model":"churn","features":{},"timestamp":1e400}"#, code: .badTimestamp, field: "timestamp"),
        Case(json: #"{"model":"churn","features":{},"timestamp":NaN}"#, code: .badTimestamp, field: "timestamp"),
        Case(
            json: #"{"model":"churn","features":{},"timestamp":253402300800000}"#, code: .badTimestamp,
            field: "timestamp"),
        Case(
            json: #"{"model":"churn","features":{},"timestamp":-62135596800001}"#, code: .badTimestamp,
            field: "timestamp"),
        Case(
            json: #"{"model":"churn","features":{},"timestamp":99999999999999999999}"#, code: .badTimestamp,
            field: "timestamp"),
        // duplicate_key
        Case(json: #"{"model":"churn","model":"fraud","features":{}}"#, code: .duplicateKey, field: "model"),
        Case(json: #"{"model":"churn","features":{},"features":{}}"#, code: .duplicateKey, field: "features"),
        Case(
            json: #"{"model":"churn","features":{"tenure":1,"tenure":2}}"#, code: .duplicateKey,
            field: "features.tenure"),
        Case(
            json: #"{"model":"churn","features":{"plan":"pro","pl\u0061n":"basic"}}"#, code: .duplicateKey,
            field: "features.plan"),
        Case(
            json: #"{"features":{"tenure":1,"tenure":2},"model":"churn"}"#, code: .duplicateKey,
            field: "features.tenure")
    ]

    @Test("every reject code with its field", arguments: cases)
    func reject(_ c: Case) throws {
        let decoder = try TestSchemas.decoder()
        let batch = decoder.decode([c.json, #"{"model":"churn","features":{"tenure":5}}"#])
        #expect(batch.rejects.count == 1)
        let reject = try #require(batch.rejects.first)
        #expect(reject.messageIndex == 0)
        #expect(reject.error.code == c.code, "\(reject.error)")
        if let field = c.field { #expect(reject.error.field == field, "\(reject.error)") }
        #expect(reject.error.expectedType == c.expectedType)
        // The bad event never affects the good one after it.
        let rows = try #require(batch.rows("churn"))
        #expect(rows.columns.features[0] == [5])
        #expect(rows.messageIndexes == [1])
        #expect(rows.columns.features.allSatisfy { $0.count == 1 })
        #expect(rows.columns.predictions.count == 1)
    }

    @Test("oversized: the limit is inclusive")
    func oversized() throws {
        let event = #"{"model":"churn","features":{"tenure":1}}"#
        let limit = event.utf8.count
        let decoder = try TestSchemas.decoder(options: DecoderOptions(maxEventBytes: limit))
        let padded = #"{"model":"churn","features":{"tenure":2}} "#
        let batch = decoder.decode([event, padded])
        #expect(batch.rows("churn")?.columns.features[0] == [1])
        #expect(batch.rejects.map(\.error.code) == [.oversized])
        #expect(batch.rejects.map(\.messageIndex) == [1])
    }

    @Test("unknown_version when fallback is off")
    func unknownVersion() throws {
        let decoder = try TestSchemas.decoder(fallback: false)
        let batch = decoder.decode([#"{"model":"churn","version":"9","features":{}}"#])
        #expect(batch.rejects.first?.error.code == .unknownVersion)
        #expect(batch.rejects.first?.error.field == "version")
    }

    @Test("a reject in the middle of the features leaves no partial row behind")
    func noPartialRows() throws {
        let decoder = try TestSchemas.decoder()
        let batch = decoder.decode([
            #"{"model":"churn","features":{"tenure":1,"income":2,"plan":"pro","region":"x","flag":[3]}}"#,
            #"{"model":"churn","features":{"tenure":7}}"#,
            #"{"model":"churn","features":{"tenure":8},"prediction":"bad"}"#
        ])
        let rows = try #require(batch.rows("churn"))
        #expect(rows.columns.features[0] == [7])
        #expect(rows.columns.features[1].count == 1 && rows.columns.features[1][0].isNaN)
        #expect(rows.columns.predictions.count == 1)
        #expect(batch.rejects.map(\.messageIndex) == [0, 2])
    }

    @Test("error descriptions name the code and field")
    func descriptions() throws {
        let decoder = try TestSchemas.decoder()
        let batch = decoder.decode([#"{"model":"churn","features":{"tenure":"x"}}"#])
        let error = try #require(batch.rejects.first?.error)
        #expect(error.description == "wrong_type [features.tenure]: expected number in 'features.tenure', got string")
    }

    @Test("setup errors: duplicate schema, invalid options")
    func setupErrors() throws {
        let schema = TestSchemas.schema(TestSchemas.churnBaseline())
        #expect(throws: DecoderSetupError.self) { _ = try SchemaRegistry(schemas: [schema, schema]) }
        let registry = try TestSchemas.registry()
        for options in [
            DecoderOptions(maxEventBytes: 0), DecoderOptions(maxEventBytes: -5),
            DecoderOptions(maxEventBytes: DecoderOptions.maxEventBytesLimit + 1),
            DecoderOptions(maxUnknownFeatureNames: -1)
        ] {
            do {
                _ = try InferenceEventDecoder(registry: registry, options: options)
                Issue.record("options \(options) accepted")
            } catch {
                #expect(error.code == .invalidOptions)
            }
        }
    }
}
