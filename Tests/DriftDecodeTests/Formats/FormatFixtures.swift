import DriftCore
import DriftDecode
import Foundation

/// Fixtures and baselines of the input format tests (Fixtures/formats/README.md).
enum FormatFixtures {
    static func bytes(_ name: String) throws -> [UInt8] {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return Array(try Data(contentsOf: directory.appendingPathComponent("Fixtures/formats/\(name)")))
    }

    /// The OIP specification's example model: two UINT32 columns, a BOOL flag, a numeric prediction.
    static func mymodel() -> Baseline {
        Baseline(
            id: "mymodel@1", model: "mymodel", version: "1", rowCount: 10,
            features: [
                FeatureProfile(name: "a", type: .numeric, edges: [2], counts: [5, 5]),
                FeatureProfile(name: "b", type: .numeric, edges: [2], counts: [5, 5]),
                FeatureProfile(name: "flag", type: .categorical, categories: ["true", "false"], counts: [5, 5, 0])
            ],
            prediction: FeatureProfile(name: "prediction", type: .numeric, edges: [1.5], counts: [5, 5]))
    }

    /// KServe's sklearn-iris logger sample: four numeric features, the class as a categorical prediction.
    static func iris() -> Baseline {
        Baseline(
            id: "sklearn-iris@1", model: "sklearn-iris", version: "1", rowCount: 10,
            features: ["sepal_length", "sepal_width", "petal_length", "petal_width"].map {
                FeatureProfile(name: $0, type: .numeric, edges: [3], counts: [5, 5])
            },
            prediction: FeatureProfile(
                name: "prediction", type: .categorical, categories: ["0", "1", "2"], counts: [3, 4, 3, 0]))
    }

    static let mymodelMapping = TensorMapping(
        inputs: [.init(tensor: "input0", columns: ["a", "b"]), .init(tensor: "input1", columns: ["flag"])],
        prediction: .init(tensor: "output0", column: 0))

    static let irisMapping = TensorMapping(
        inputs: [.init(tensor: "instances", columns: ["sepal_length", "sepal_width", "petal_length", "petal_width"])],
        prediction: .init(tensor: "predictions"))

    /// One input message.
    struct Message {
        var topic: String
        var value: [UInt8]
        var key: [UInt8]? = nil
        var headers: [String: String] = [:]
        var timestampMs: Int64 = 1_700_000_000_000
    }

    /// Runs `messages` through `transcoder` and decodes the events against `baselines`.
    static func run(
        _ transcoder: InputTranscoder, _ messages: [Message], baselines: [Baseline],
        now: WallClockTime = WallClockTime(millisecondsSinceEpoch: 1_000)
    ) throws -> (transcoded: TranscodedBatch, decoded: DecodedBatch) {
        var batch = TranscodedBatch()
        for (index, message) in messages.enumerated() {
            message.value.withUnsafeBytes { value in
                (message.key ?? []).withUnsafeBytes { keyBytes in
                    transcoder.add(
                        message: index, topic: message.topic, payload: value, key: message.key == nil ? nil : keyBytes,
                        header: { message.headers[$0].map { Array($0.utf8) } }, timestampMs: message.timestampMs,
                        now: now, into: &batch)
                }
            }
        }
        transcoder.expire(now: now, into: &batch)
        let decoder = try InferenceEventDecoder(
            registry: SchemaRegistry(
                schemas: baselines.map { try ModelSchema(baseline: $0) }, allowsVersionFallback: true),
            options: DecoderOptions(captureIDs: true))
        let values = messages.map(\.value)
        let decoded = values.withUnsafeBufferPointers { payloads in
            batch.withEvents(payload: { payloads[$0] }) { event in
                decoder.decode(count: batch.entries.count, payload: event)
            }
        }
        return (batch, decoded)
    }
}

extension Array where Element == [UInt8] {
    /// Calls `body` with a raw buffer per element, valid during the call.
    func withUnsafeBufferPointers<R>(_ body: ([UnsafeRawBufferPointer]) -> R) -> R {
        var pointers: [UnsafeMutableRawBufferPointer] = []
        for element in self {
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(element.count, 1), alignment: 1)
            copy.copyBytes(from: element)
            pointers.append(copy)
        }
        defer { pointers.forEach { $0.deallocate() } }
        return body(zip(pointers, self).map { UnsafeRawBufferPointer(start: $0.0.baseAddress, count: $0.1.count) })
    }
}
