import DriftDecode
import Testing

@Suite("Label event decoding")
struct LabelDecodeTests {
    @Test("label shapes become text; integer ids are canonical; timestamps fall back")
    func shapes() throws {
        let decoder = try LabelEventDecoder()
        let result = decoder.decode(
            messages: [
                #"{"model":"churn","id":"req-42","label":1,"timestamp":1795300000000}"#,
                #"{"model":"churn","id":43,"label":"churned","timestamp":"2026-11-21T10:06:40Z"}"#,
                #"{"label":true,"id":"a","model":"churn"}"#,
                #"{"model":"churn","id":"b","label":false,"extra":{"x":[1]}}"#,
                #"{"model":"churn","id":"c","label":0.25}"#,
                #"{"model":"churn","id":"d","label":1e-7}"#,
                #"{"model":"churn","id":"e","label":-0}"#,
                #"{"model":"churn","id":"f","label":2.0}"#,
                #"{"model":"churn","id":"g","label":"caf\u00e9"}"#
            ].map { Array($0.utf8) }, fallbackTimestampMs: [9])
        #expect(result.rejects.isEmpty, "\(result.rejects)")
        #expect(result.labels.map(\.label) == ["1", "churned", "true", "false", "0.25", "1e-07", "0", "2", "café"])
        #expect(result.labels.map(\.id) == ["req-42", "43", "a", "b", "c", "d", "e", "f", "g"])
        #expect(result.labels[0].timestampMs == 1_795_300_000_000)
        #expect(result.labels[1].timestampMs == TimestampTests.epochMs(2026, 11, 21, 10, 6, 40))
        #expect(result.labels[2].timestampMs == 9)
        #expect(result.labels.map(\.messageIndex) == Array(0..<9))
        #expect(result.labels.allSatisfy { $0.model == "churn" })
    }

    @Test(
        "label rejects",
        arguments: [
            (#"{"id":"a","label":1}"#, DecodeError.Code.missingModel),
            (#"{"model":"churn","label":1}"#, .missingID),
            (#"{"model":"churn","id":null,"label":1}"#, .missingID),
            (#"{"model":"churn","id":"a"}"#, .missingLabel),
            (#"{"model":"churn","id":"a","label":null}"#, .missingLabel),
            (#"{"model":"churn","id":"a","label":[1]}"#, .wrongType),
            (#"{"model":"churn","id":1.5,"label":1}"#, .wrongType),
            (#"{"model":"churn","id":"a","label":NaN}"#, .nonFinite),
            (#"{"model":"churn","id":"a","label":1e400}"#, .nonFinite),
            (#"{"model":"churn","id":"a","label":1,"timestamp":"now"}"#, .badTimestamp),
            (#"{"model":"churn","id":"a","label":1,"label":2}"#, .duplicateKey),
            (#"{"model":"churn","id":"a","label":1"#, .invalidJSON),
            (#"["churn"]"#, .notAnObject)
        ])
    func rejects(json: String, code: DecodeError.Code) throws {
        let decoder = try LabelEventDecoder()
        let result = decoder.decode(
            messages: [Array(json.utf8), Array(#"{"model":"m","id":"ok","label":"y"}"#.utf8)],
            fallbackTimestampMs: [0])
        #expect(result.rejects.map(\.error.code) == [code], "\(result.rejects)")
        #expect(result.rejects.first?.messageIndex == 0)
        #expect(result.labels.map(\.id) == ["ok"])
    }

    @Test("oversized labels are rejected")
    func oversized() throws {
        let decoder = try LabelEventDecoder(options: DecoderOptions(maxEventBytes: 16))
        let result = decoder.decode(
            messages: [Array(#"{"model":"churn","id":"a","label":1}"#.utf8)], fallbackTimestampMs: [0])
        #expect(result.rejects.map(\.error.code) == [.oversized])
    }
}
