import DriftCore
import DriftDecode
import Testing

@Suite("Inference event decoding")
struct InferenceDecodeTests {
    @Test("the contract example decodes into the churn columns")
    func contractExample() throws {
        let decoder = try TestSchemas.decoder()
        let batch = decoder.decode([
            #"{"model": "churn", "version": "3", "id": "req-42", "timestamp": 1795300000000, "features": {"tenure": 12, "plan": "pro", "income": null}, "prediction": 0.83, "latency_ms": 12.5}"#
        ])
        #expect(batch.rejects.isEmpty)
        let rows = try #require(batch.rows("churn"))
        #expect(rows.columns.rowCount == 1)
        #expect(rows.columns.features[0] == [12])
        #expect(rows.columns.features[1][0].isNaN)  // income: null = missing
        #expect(rows.columns.features[2] == [1])  // plan "pro" = bin 1
        #expect(rows.columns.features[3][0].isNaN)  // region absent = missing
        #expect(rows.columns.predictions == [0.83])
        #expect(rows.columns.timestamps == [1_795_300_000_000])
        #expect(rows.eventIDs == ["req-42"])
        #expect(rows.messageIndexes == [0])
    }

    @Test("latency_ms and cost are kept per row; absent or null is NaN")
    func latencyAndCost() throws {
        let decoder = try TestSchemas.decoder()
        let batch = decoder.decode([
            #"{"model":"churn","version":"3","features":{"tenure":1},"latency_ms":12.5,"cost":0.0004}"#,
            #"{"cost":2,"model":"churn","version":"3","features":{"tenure":2}}"#,
            #"{"model":"churn","version":"3","features":{"tenure":3},"latency_ms":null,"cost":null}"#,
            #"{"model":"churn","version":"3","features":{"tenure":4},"cost":"cheap"}"#,
            #"{"model":"churn","version":"3","features":{"tenure":5},"cost":1e400}"#,
            #"{"model":"churn","version":"3","features":{"tenure":6},"cost":1,"cost":2}"#
        ])
        let rows = try #require(batch.rows("churn"))
        #expect(rows.columns.features[0] == [1, 2, 3])
        #expect(
            rows.latencies.count == 3 && rows.latencies[0] == 12.5 && rows.latencies[1].isNaN && rows.latencies[2].isNaN
        )
        #expect(rows.costs.count == 3 && rows.costs[0] == 0.0004 && rows.costs[1] == 2 && rows.costs[2].isNaN)
        #expect(batch.rejects.map(\.error.code) == [.wrongType, .nonFinite, .duplicateKey])
        #expect(batch.rejects.map(\.error.field) == ["cost", "cost", "cost"])
    }

    @Test(
        "numeric features accept every JSON number shape",
        arguments: [
            ("0", 0.0), ("-0", -0.0), ("7", 7), ("-12", -12), ("3.25", 3.25), ("1e3", 1000), ("-2.5E-2", -0.025),
            ("1E+2", 100), ("123456789012345678901234567890", 1.2345678901234568e29), ("1e-400", 0),
            ("9007199254740993", 9007199254740992), ("1.7976931348623157e308", 1.7976931348623157e308)
        ])
    func numericShapes(text: String, expected: Double) throws {
        let decoder = try TestSchemas.decoder()
        let batch = decoder.decode([#"{"model":"churn","version":"3","features":{"tenure":\#(text)}}"#])
        #expect(batch.rejects.isEmpty, "\(batch.rejects)")
        let value = try #require(batch.rows("churn")?.columns.features[0].first)
        #expect(value.bitPattern == expected.bitPattern)
    }

    @Test(
        "categorical features accept strings, booleans and integers, unseen values go to the other bin",
        arguments: [
            ("plan", #""basic""#, 0.0), ("plan", #""enterprise""#, 2), ("plan", #""gold""#, 3), ("plan", #""""#, 3),
            ("plan", #""Pro""#, 3), ("plan", #""pr\u006f""#, 1), ("plan", "1", 3), ("plan", "true", 3),
            ("region", #""delta""#, 11), ("region", #""north""#, 0), ("region", #""atlantis""#, 12),
            ("flag", "true", 0), ("flag", "false", 1), ("flag", #""true""#, 0), ("flag", "null", .nan),
            ("code", "1", 0), ("code", "2", 1), ("code", "-7", 2), ("code", #""2""#, 1), ("code", "-0", 4),
            ("code", "18446744073709551615", 3), ("code", "3", 4), ("code", "007", -1)
        ])
    func categoricalShapes(feature: String, json: String, expectedBin: Double) throws {
        let decoder = try TestSchemas.decoder()
        let batch = decoder.decode([#"{"model":"churn","version":"3","features":{"\#(feature)":\#(json)}}"#])
        if expectedBin < 0 {
            #expect(batch.rejects.map(\.error.code) == [.invalidJSON])
            return
        }
        #expect(batch.rejects.isEmpty, "\(batch.rejects)")
        let index = try #require(TestSchemas.schema(TestSchemas.churnBaseline()).featureIndex[feature])
        let value = try #require(batch.rows("churn")?.columns.features[index].first)
        #expect(value.bitPattern == expectedBin.bitPattern || (value.isNaN && expectedBin.isNaN))
    }

    @Test("a categorical prediction is binned; a schema without prediction ignores it")
    func predictions() throws {
        let decoder = try TestSchemas.decoder([
            TestSchemas.churnBaseline(withPrediction: false), TestSchemas.fraudBaseline()
        ])
        let batch = decoder.decode([
            #"{"model":"fraud","features":{"amount":5},"prediction":"fraud"}"#,
            #"{"model":"fraud","features":{"amount":5},"prediction":"weird"}"#,
            #"{"model":"fraud","features":{"amount":5}}"#,
            #"{"model":"fraud","features":{"amount":5},"prediction":0.3}"#,
            #"{"model":"churn","features":{"tenure":5},"prediction":[1,2]}"#
        ])
        #expect(batch.rejects.map(\.messageIndex) == [3])
        #expect(batch.rejects.first?.error.code == .wrongType)
        #expect(batch.rejects.first?.error.field == "prediction")
        let fraud = try #require(batch.rows("fraud"))
        #expect(sameBits(fraud.columns.predictions, [1, 2, .nan]))
        #expect(sameBits(try #require(batch.rows("churn")).columns.predictions, [.nan]))
    }

    @Test("key order does not matter: features and prediction before model and version")
    func keyOrder() throws {
        let decoder = try TestSchemas.decoder([
            TestSchemas.churnBaseline(version: "2"), TestSchemas.churnBaseline(version: "3")
        ])
        let batch = decoder.decode([
            #"{"features":{"tenure":1,"plan":"pro"},"prediction":0.1,"version":"2","model":"churn","id":"a"}"#,
            #"{"prediction":0.2,"model":"churn","features":{"tenure":2},"version":"3","id":"b"}"#,
            #"{"model":"churn","features":{"tenure":3},"prediction":0.3,"id":"c"}"#,
            #"{"id":"d","timestamp":5,"model":"churn","version":"2","prediction":0.4,"features":{"tenure":4}}"#
        ])
        #expect(batch.rejects.isEmpty, "\(batch.rejects)")
        let v2 = try #require(batch.rows("churn", version: "2"))
        let v3 = try #require(batch.rows("churn", version: "3"))
        #expect(v2.columns.features[0] == [1, 4])
        #expect(v2.columns.features[2][0] == 1)
        #expect(v2.columns.predictions == [0.1, 0.4])
        #expect(v2.eventIDs == ["a", "d"])
        #expect(v2.columns.timestamps == [42, 5])
        #expect(v3.columns.features[0] == [2, 3])
        #expect(v3.columns.predictions == [0.2, 0.3])
        #expect(v3.messageIndexes == [1, 2])
    }

    @Test("ids are captured in row order; integer ids are canonical; absent ids are nil")
    func idsInRowOrder() throws {
        let decoder = try TestSchemas.decoder()
        var messages: [String] = []
        for i in 0..<50 {
            let model = i % 3 == 0 ? "fraud" : "churn"
            let id = i % 7 == 0 ? "" : (i % 5 == 0 ? #","id":\#(i)"# : #","id":"r-\#(i)""#)
            let bad = i % 11 == 0 ? #","timestamp":true"# : ""
            messages.append(#"{"model":"\#(model)","features":{}\#(id)\#(bad)}"#)
        }
        let batch = decoder.decode(messages)
        for rows in batch.models {
            let expectedIndexes = (0..<50).filter { i in
                (i % 3 == 0 ? "fraud" : "churn") == rows.columns.schema.model && i % 11 != 0
            }
            #expect(rows.messageIndexes == expectedIndexes)
            let expectedIDs: [String?] = expectedIndexes.map { i in i % 7 == 0 ? nil : (i % 5 == 0 ? "\(i)" : "r-\(i)")
            }
            #expect(rows.eventIDs == expectedIDs)
        }
        #expect(batch.rejects.map(\.messageIndex) == [0, 11, 22, 33, 44])
        #expect(batch.acceptedCount == 45)
    }

    @Test("without captureIDs there are no ids")
    func noIDs() throws {
        let decoder = try TestSchemas.decoder(options: DecoderOptions(captureIDs: false))
        let batch = decoder.decode([#"{"model":"churn","id":"x","features":{}}"#])
        #expect(batch.rows("churn")?.eventIDs == nil)
        #expect(batch.rows("churn")?.columns.rowCount == 1)
    }

    @Test("unknown features are ignored and counted per schema and name, up to the bound")
    func unknownFeatures() throws {
        let decoder = try TestSchemas.decoder(options: DecoderOptions(maxUnknownFeatureNames: 2))
        let batch = decoder.decode([
            #"{"model":"churn","features":{"tenure":1,"age":30,"zip":{"a":[1,"x"]}}}"#,
            #"{"model":"churn","features":{"age":31,"tenure":2,"extra":true}}"#,
            #"{"model":"churn","features":{"age":31,"tenure":"bad"}}"#
        ])
        #expect(batch.rejects.map(\.messageIndex) == [2])
        #expect(batch.rows("churn")?.columns.features[0] == [1, 2])
        let counts = Dictionary(uniqueKeysWithValues: batch.unknownFeatures.map { ($0.name, $0.count) })
        #expect(counts == ["age": 2, "zip": 1])  // the rejected event is not counted
        #expect(batch.unknownFeatureOverflow == 1)  // "extra" beyond the bound of 2 names
        #expect(batch.unknownFeatures.allSatisfy { $0.model == "churn" && $0.version == "3" })
    }

    @Test("a decoder reused for a second batch starts empty")
    func reuse() throws {
        let decoder = try TestSchemas.decoder()
        _ = decoder.decode([#"{"model":"churn","features":{"tenure":1,"u":1}}"#, "{"])
        let second = decoder.decode([#"{"model":"fraud","features":{"amount":2}}"#])
        #expect(second.rows("churn") == nil)
        #expect(second.rows("fraud")?.columns.features[0] == [2])
        #expect(second.rows("fraud")?.messageIndexes == [0])
        #expect(second.rejects.isEmpty)
        #expect(second.unknownFeatures.isEmpty)
    }

    @Test("a large batch keeps every row and its order")
    func largeBatch() throws {
        let decoder = try TestSchemas.decoder()
        let count = 30_000
        let messages = (0..<count).map { i in
            #"{"model":"churn","version":"3","id":"\#(i)","timestamp":\#(1_700_000_000_000 + i),"features":{"tenure":\#(i),"income":\#(Double(i) / 4),"plan":"\#(["basic", "pro", "x"][i % 3])"},"prediction":\#(Double(i % 100) / 100)}"#
        }
        let batch = decoder.decode(messages)
        let rows = try #require(batch.rows("churn"))
        #expect(batch.rejects.isEmpty)
        #expect(rows.columns.rowCount == count)
        #expect(rows.columns.features[0] == (0..<count).map(Double.init))
        #expect(rows.columns.features[1] == (0..<count).map { Double($0) / 4 })
        #expect(rows.columns.features[2] == (0..<count).map { [0, 1, 3][$0 % 3] })  // "x" -> other bin
        #expect(rows.columns.timestamps == (0..<count).map { 1_700_000_000_000 + Int64($0) })
        #expect(rows.eventIDs == (0..<count).map { String($0) })
    }

    @Test("the closure API decodes borrowed buffers with per-message fallback times")
    func closureAPI() throws {
        let decoder = try TestSchemas.decoder()
        let messages = [
            #"{"model":"churn","features":{"tenure":1}}"#, "oops", #"{"model":"churn","features":{"tenure":2}}"#
        ]
        .map { Array($0.utf8) }
        let storage = messages.map { bytes -> UnsafeMutableRawBufferPointer in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
            buffer.copyBytes(from: bytes)
            return buffer
        }
        defer { storage.forEach { $0.deallocate() } }
        let batch = decoder.decode(count: storage.count) { i in
            EventPayload(bytes: UnsafeRawBufferPointer(storage[i]), fallbackTimestampMs: Int64(100 + i))
        }
        #expect(batch.rows("churn")?.columns.timestamps == [100, 102])
        #expect(batch.rejects.map(\.messageIndex) == [1])
        #expect(batch.messageCount == 3)
    }
}

@Suite("Reference iteration")
struct ReferenceIterationTests {
    @Test("visits every value of valid messages and refuses invalid ones")
    func referenceIteration() throws {
        let decoder = try TestSchemas.decoder()
        let messages = [#"{"ab":1.5,"c":[2,{"d":"xyz"}],"e":true,"f":null}"#, #"{"a":[1,,2]}"#, "[]"].map { text in
            let bytes = Array(text.utf8)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
            buffer.copyBytes(from: bytes)
            return buffer
        }
        defer { messages.forEach { $0.deallocate() } }
        let result = decoder.referenceIteration(count: messages.count) { i in
            EventPayload(bytes: UnsafeRawBufferPointer(messages[i]), fallbackTimestampMs: 0)
        }
        #expect(result.parsed == 1)  // the malformed one and the non-object root are refused
        // keys ab, c, d, e, f (2+1+1+1+1) + 1.5 + 2 + "xyz" (3) + true (1)
        let expected: Double = 6 + 1.5 + 2 + 3 + 1
        #expect(result.checksum == expected)
    }
}

@Suite("Name matching without unescaping")
struct RawNameMatchingTests {
    static let longName = "a_rather_long_feature_name_over_16"
    static let baseline = Baseline(
        id: "names@1", model: "names", version: "1", rowCount: 1,
        features: [
            FeatureProfile(name: longName, type: .numeric, edges: [0], counts: [1, 1]),
            FeatureProfile(name: "exactly8", type: .numeric, edges: [0], counts: [1, 1]),
            FeatureProfile(name: "sixteen_chars_ab", type: .numeric, edges: [0], counts: [1, 1]),
            FeatureProfile(name: #"we"ird\name"#, type: .numeric, edges: [0], counts: [1, 1]),
            FeatureProfile(
                name: "cat", type: .categorical,
                categories: ["short", "a category longer than sixteen bytes", #"quo"te"#, "ünï"],
                counts: [1, 1, 1, 1, 1])
        ])

    @Test("long, exact-width, escaped and quote-holding names and categories all resolve")
    func names() throws {
        let decoder = try TestSchemas.decoder([Self.baseline])
        // Repeating each event makes the second decode take the predicted-order fast path.
        let events = [
            #"{"model":"names","features":{"\#(Self.longName)":1,"exactly8":2,"sixteen_chars_ab":3,"we\"ird\\name":4,"cat":"a category longer than sixteen bytes"}}"#,
            #"{"model":"names","features":{"\#(Self.longName)":1,"exactly8":2,"sixteen_chars_ab":3,"we\"ird\\name":4,"cat":"a category longer than sixteen bytes"}}"#,
            #"{"model":"names","features":{"a_rather_long_feature_name_over_1":9,"exactly":9,"sixteen_chars_a":9,"cat":"a category longer than sixteen byte"}}"#,
            #"{"model":"names","features":{"cat":"quo\"te"}}"#,
            #"{"model":"names","features":{"cat":"\u00fcn\u00ef"}}"#,
            #"{"model":"names","features":{"cat":"ünï"}}"#,
            #"{"model":"names","features":{"cat":"short\u0000"}}"#,
            #"{"model":"names","features":{"exactly8":5,"ex\u0061ctly8":6}}"#
        ]
        let batch = decoder.decode(events)
        let rows = try #require(batch.rows("names"))
        #expect(batch.rejects.map(\.messageIndex) == [7])
        #expect(batch.rejects.first?.error.code == .duplicateKey)
        #expect(sameBits(rows.columns.features[0], [1, 1, .nan, .nan, .nan, .nan, .nan]))
        #expect(sameBits(rows.columns.features[1], [2, 2, .nan, .nan, .nan, .nan, .nan]))
        #expect(sameBits(rows.columns.features[2], [3, 3, .nan, .nan, .nan, .nan, .nan]))
        #expect(sameBits(rows.columns.features[3], [4, 4, .nan, .nan, .nan, .nan, .nan]))
        #expect(rows.columns.features[4] == [1, 1, 4, 2, 3, 3, 4])
        #expect(
            Set(batch.unknownFeatures.map(\.name)) == [
                "a_rather_long_feature_name_over_1", "exactly", "sixteen_chars_a"
            ])
    }
}
