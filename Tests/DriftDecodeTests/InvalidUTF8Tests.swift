import DriftCore
import DriftDecode
import Foundation
import Testing

/// Events are UTF-8 (docs/events.md): bytes that are not well-formed UTF-8 anywhere in a message
/// (in a string, a key, a category, the model name) reject it as `invalid_json` with a reason
/// that says so; well-formed non-ASCII text is accepted and matched exactly.
@Suite("Invalid UTF-8 in events")
struct InvalidUTF8Tests {
    /// Ill-formed sequences (Unicode 15, table 3-7): each must be refused wherever it appears.
    static let illFormed: [(name: String, bytes: [UInt8])] = [
        ("lone continuation byte", [0x80]),
        ("byte 0xFF", [0xFF]),
        ("overlong '/'", [0xC0, 0xAF]),
        ("overlong 3-byte NUL", [0xE0, 0x80, 0x80]),
        ("UTF-16 surrogate encoded", [0xED, 0xA0, 0x80]),
        ("above U+10FFFF", [0xF4, 0x90, 0x80, 0x80]),
        ("truncated 2-byte sequence", [0xC3]),
        ("truncated 4-byte sequence", [0xF0, 0x9F, 0x98]),
        ("Latin-1 text", Array("z\u{FC}rich".unicodeScalars.map { UInt8($0.value) }))
    ]

    struct Place: Sendable, CustomTestStringConvertible {
        var name: String
        /// The event with `@` where the bad bytes go.
        var template: String
        var testDescription: String { name }
    }

    static let places: [Place] = [
        Place(name: "model name", template: #"{"model":"ch@urn","features":{"tenure":1}}"#),
        Place(name: "version", template: #"{"model":"churn","version":"3@","features":{"tenure":1}}"#),
        Place(name: "event id", template: #"{"model":"churn","id":"req-@","features":{"tenure":1}}"#),
        Place(
            name: "timestamp string", template: #"{"model":"churn","timestamp":"2026-11-21T10:06:40@Z","features":{}}"#),
        Place(name: "top-level key", template: #"{"model":"churn","x@":1,"features":{"tenure":1}}"#),
        Place(name: "ignored top-level string", template: #"{"model":"churn","note":"@","features":{"tenure":1}}"#),
        Place(name: "monitored feature key", template: #"{"model":"churn","features":{"pl@an":"pro"}}"#),
        Place(name: "unknown feature key", template: #"{"model":"churn","features":{"tenure":1,"@":2}}"#),
        Place(name: "category value", template: #"{"model":"churn","features":{"plan":"pr@o"}}"#),
        Place(name: "category value, hashed lookup", template: #"{"model":"churn","features":{"region":"@north"}}"#),
        Place(name: "category value with an escape", template: #"{"model":"churn","features":{"plan":"p\u0072@o"}}"#),
        Place(name: "unknown feature string", template: #"{"model":"churn","features":{"tenure":1,"comment":"@"}}"#),
        Place(name: "nested ignored string", template: #"{"model":"churn","extra":{"a":["@"]},"features":{}}"#),
        Place(
            name: "categorical prediction", template: #"{"model":"fraud","features":{"amount":3},"prediction":"o@k"}"#),
        Place(name: "between tokens", template: #"{"model":"churn",@"features":{}}"#)
    ]

    static func event(_ place: Place, _ bad: [UInt8]) -> [UInt8] {
        let parts = place.template.split(separator: "@", omittingEmptySubsequences: false)
        return Array(parts[0].utf8) + bad + Array(parts[1].utf8)
    }

    @Test("ill-formed UTF-8 is invalid_json wherever it is, and only that event is rejected", arguments: places)
    func rejected(_ place: Place) throws {
        let decoder = try TestSchemas.decoder()
        let parallel = try ParallelEventDecoder(
            registry: TestSchemas.registry(), options: DecoderOptions(captureIDs: true),
            workers: 2, minimumSlice: 1)
        let good = Array(#"{"model":"churn","id":"ok","features":{"tenure":5,"plan":"pro"}}"#.utf8)
        var messages: [[UInt8]] = []
        for sequence in Self.illFormed { messages += [Self.event(place, sequence.bytes), good] }
        let batch = decoder.decode(messages: messages, fallbackTimestampMs: [0])
        #expect(batch.rejects.count == Self.illFormed.count)
        for (i, reject) in batch.rejects.enumerated() {
            #expect(reject.messageIndex == 2 * i, "\(Self.illFormed[i].name)")
            #expect(reject.error.code == .invalidJSON, "\(Self.illFormed[i].name): \(reject.error)")
            #expect(reject.error.message.contains("UTF-8"), "\(Self.illFormed[i].name): \(reject.error)")
        }
        let rows = try #require(batch.rows("churn"))
        #expect(rows.messageIndexes == Array(stride(from: 1, to: messages.count, by: 2)))
        #expect(rows.eventIDs == Array(repeating: "ok", count: Self.illFormed.count))
        #expect(rows.columns.features[0] == Array(repeating: 5, count: Self.illFormed.count))

        // The parallel decoder (one parser per worker) says the same.
        let joined = messages.flatMap { $0 }
        var starts = [0]
        for message in messages { starts.append(starts[starts.count - 1] + message.count) }
        let inParallel = joined.withUnsafeBytes { buffer in
            parallel.decode(count: messages.count) { index in
                EventPayload(
                    bytes: UnsafeRawBufferPointer(rebasing: buffer[starts[index]..<starts[index + 1]]),
                    fallbackTimestampMs: 0)
            }
        }
        #expect(inParallel.rejects == batch.rejects)
        #expect(inParallel.rows("churn")?.messageIndexes == rows.messageIndexes)
    }

    @Test("ill-formed UTF-8 in label events is invalid_json")
    func labels() throws {
        let decoder = try LabelEventDecoder()
        let templates = [
            #"{"model":"ch@urn","id":"a","label":1}"#,
            #"{"model":"churn","id":"a@","label":1}"#,
            #"{"model":"churn","id":"a","label":"ye@s"}"#,
            #"{"model":"churn","id":"a","label":1,"k@":0}"#
        ]
        var messages: [[UInt8]] = []
        for template in templates {
            for sequence in Self.illFormed {
                messages.append(Self.event(Place(name: "", template: template), sequence.bytes))
            }
        }
        messages.append(Array(#"{"model":"churn","id":"a","label":"yes"}"#.utf8))
        let result = decoder.decode(messages: messages, fallbackTimestampMs: [0])
        #expect(result.rejects.count == messages.count - 1)
        #expect(result.rejects.allSatisfy { $0.error.code == .invalidJSON && $0.error.message.contains("UTF-8") })
        #expect(result.labels.map(\.messageIndex) == [messages.count - 1])
        #expect(result.labels.first?.label == "yes")
    }

    @Test("escaped lone surrogates (no Unicode text) are invalid_json in every string that is read")
    func loneSurrogateEscapes() throws {
        let decoder = try TestSchemas.decoder()
        let labels = try LabelEventDecoder()
        for escape in [#"\ud800"#, #"\udfff"#, #"\ud800\u0041"#, #"\udc00\ud800"#] {
            let events = [
                #"{"model":"ch@","features":{"tenure":1}}"#,
                #"{"model":"churn","id":"@","features":{"tenure":1}}"#,
                #"{"model":"churn","features":{"plan":"@"}}"#,
                #"{"model":"churn","features":{"region":"north@"}}"#,
                #"{"model":"churn","features":{"tenure":1,"@":1}}"#,
                #"{"model":"churn","features":{"tenure":1,"note":"@"}}"#,
                #"{"model":"churn","@":0,"features":{"tenure":1}}"#
            ].map { $0.replacingOccurrences(of: "@", with: escape) }
            let batch = decoder.decode(events)
            #expect(batch.rejects.map(\.messageIndex) == Array(events.indices), "\(escape)")
            #expect(batch.rejects.allSatisfy { $0.error.code == .invalidJSON }, "\(escape): \(batch.rejects)")
            #expect(batch.models.isEmpty)
            let label = labels.decode(
                messages: [
                    Array(#"{"model":"churn","id":"a","label":"@"}"#.replacingOccurrences(of: "@", with: escape).utf8)
                ],
                fallbackTimestampMs: [0])
            #expect(label.rejects.first?.error.code == .invalidJSON, "\(escape)")
        }
    }

    /// A baseline whose categories and model name are not ASCII.
    static func unicodeBaseline() -> Baseline {
        Baseline(
            id: "modèle@1", model: "modèle", version: "1", rowCount: 4,
            features: [
                FeatureProfile(
                    name: "ville", type: .categorical, categories: ["zürich", "東京", "🙂", "e\u{301}"],
                    counts: [1, 1, 1, 1, 0]),
                FeatureProfile(name: "größe", type: .numeric, edges: [1], counts: [2, 2])
            ],
            prediction: nil)
    }

    @Test("well-formed non-ASCII UTF-8 is accepted and matched exactly, raw or escaped")
    func wellFormed() throws {
        let decoder = try TestSchemas.decoder([Self.unicodeBaseline()])
        let batch = decoder.decode([
            #"{"model":"modèle","features":{"ville":"zürich","größe":2}}"#,
            #"{"model":"modèle","features":{"ville":"東京"}}"#,
            #"{"model":"modèle","features":{"ville":"🙂"}}"#,
            #"{"model":"mod\u00e8le","features":{"ville":"z\u00fcrich","gr\u00f6\u00dfe":0}}"#,
            #"{"model":"modèle","features":{"ville":"\ud83d\ude42"}}"#,
            // Not normalised: "é" precomposed is not "e" + combining acute.
            #"{"model":"modèle","features":{"ville":"é"}}"#,
            #"{"model":"modèle","features":{"ville":"e\u0301"}}"#,
            // Unicode noncharacters and U+FFFD are well-formed: other bin, not rejects.
            #"{"model":"modèle","id":"\#u{FFFD}\#u{FFFF}","features":{"ville":"\#u{10FFFF}"}}"#,
            #"{"model":"modele","features":{}}"#
        ])
        #expect(batch.rejects.map(\.messageIndex) == [8])
        #expect(batch.rejects.first?.error.code == .unknownModel)
        let rows = try #require(batch.rows("modèle"))
        #expect(rows.messageIndexes == Array(0...7))
        #expect(rows.columns.features[0] == [0, 1, 2, 0, 2, 4, 3, 4])
        #expect(sameBits(rows.columns.features[1], [2, .nan, .nan, 0, .nan, .nan, .nan, .nan]))
        #expect(rows.eventIDs?[7] == "\u{FFFD}\u{FFFF}")
    }

    @Test("the unknown model's name in the reject reason is the event's text")
    func unknownModelMessage() throws {
        let decoder = try TestSchemas.decoder()
        let batch = decoder.decode([#"{"model":"chürn","features":{}}"#])
        let reject = try #require(batch.rejects.first)
        #expect(reject.error.code == .unknownModel)
        #expect(reject.error.message == "no baseline is loaded for model 'chürn'")
    }
}
