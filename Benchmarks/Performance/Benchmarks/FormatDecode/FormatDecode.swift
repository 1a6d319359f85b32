import Benchmark
import DriftCore
import DriftDecode
import PerformanceFigures
import PerformanceSupport

/// Each input format against today's format: the same 20,000 events (20 numeric features and a
/// prediction) as driftd events, and as messages of the format, read into columnar batches by
/// the daemon's path (`InputTranscoder`, then `InferenceEventDecoder`), side by side in each
/// iteration. The join formats (kserve-logger, seldon-v2) carry each event as a request and a
/// response message; oip-v2 messages are request bodies (no prediction mapped, no join).
let benchmarks: @Sendable () -> Void = {
    for format in FigureCatalogue.formats {
        let figure = FigureCatalogue.formatDecode(format: format)
        let shared = SharedWorkload { try FormatWorkload(format: format) }
        Benchmark(figure.benchmarkName, configuration: FigureRecording.configuration(maxIterations: 20)) { benchmark in
            let workload = try shared.get()
            for _ in benchmark.scaledIterations {
                let round = try SideBySide.round(
                    iteration: benchmark.currentIteration,
                    subject: { try workload.decodeFormat() },
                    reference: { try workload.decodeDriftd() })
                let events = Double(FormatWorkload.eventCount)
                FigureRecording.record(benchmark, figure: events / round.subject, reference: events / round.reference)
            }
        }
    }
}

/// One format's messages and the same events in driftd's format.
struct FormatWorkload: @unchecked Sendable {
    static let eventCount = 20_000
    static let features = 20
    static let batchSize = 2_000

    struct Message {
        var topic: String
        var value: [UInt8]
        var headers: [String: [UInt8]]
    }

    let format: String
    let reference: EventCorpus
    let messages: [Message]
    /// The messages' values, back to back.
    let values: EventCorpus
    let topics: [InputTopic]
    let mapping: TensorMapping
    let decoder: InferenceEventDecoder
    let transcoder: InputTranscoder

    init(format: String) throws {
        self.format = format
        let names = (0..<Self.features).map { "f\($0)" }
        let baseline = Baseline(
            id: "bench@1", model: "bench", version: "1", rowCount: 100,
            features: names.map {
                FeatureProfile(name: $0, type: .numeric, edges: [-1, 0, 1], counts: [25, 25, 25, 25])
            },
            prediction: FeatureProfile(name: "prediction", type: .numeric, edges: [0.5], counts: [50, 50]))
        decoder = try InferenceEventDecoder(registry: SchemaRegistry(schemas: [try ModelSchema(baseline: baseline)]))
        let joined = format == "kserve-logger" || format == "seldon-v2"
        mapping = TensorMapping(
            inputs: [.init(tensor: "input-0", columns: names)],
            prediction: joined ? .init(tensor: "output-0") : nil)
        var random = SplitMix(seed: 7)
        var corpus = EventCorpus()
        var messages: [Message] = []
        let inputs = "seldon.bench.model.bench.inputs"
        let outputs = "seldon.bench.model.bench.outputs"
        for i in 0..<Self.eventCount {
            let values = (0..<Self.features).map { _ in ((random.next() * 4 - 2) * 1_000).rounded() / 1_000 }
            let prediction = (random.next() * 1_000).rounded() / 1_000
            let featureText = zip(names, values).map { #""\#($0)":\#($1)"# }.joined(separator: ",")
            let event = #"{"model":"bench","id":"e\#(i)","features":{\#(featureText)},"prediction":\#(prediction)}"#
            corpus.append(Array(event.utf8))
            let data = values.map { "\($0)" }.joined(separator: ",")
            let request =
                #"{"id":"e\#(i)","inputs":[{"name":"input-0","shape":[1,\#(Self.features)],"datatype":"FP64","data":[\#(data)]}]}"#
            let response =
                #"{"model_name":"bench","id":"e\#(i)","outputs":[{"name":"output-0","shape":[1],"datatype":"FP64","data":[\#(prediction)]}]}"#
            switch format {
            case "cloudevents-binary":
                messages.append(
                    Message(
                        topic: "t", value: Array(event.utf8),
                        headers: [
                            "ce_specversion": Array("1.0".utf8), "ce_id": Array("e\(i)".utf8),
                            "ce_source": Array("/bench".utf8),
                            "ce_type": Array("inference".utf8)
                        ]))
            case "cloudevents-structured":
                let envelope =
                    #"{"specversion":"1.0","id":"e\#(i)","source":"/bench","type":"inference","datacontenttype":"application/json","data":\#(event)}"#
                messages.append(Message(topic: "t", value: Array(envelope.utf8), headers: [:]))
            case "oip-v2":
                messages.append(Message(topic: "t", value: Array(request.utf8), headers: [:]))
            case "kserve-logger":
                func headers(_ type: String) -> [String: [UInt8]] {
                    [
                        "ce_specversion": Array("1.0".utf8), "ce_id": Array("e\(i)".utf8),
                        "ce_source": Array("/bench".utf8),
                        "ce_type": Array(type.utf8), "ce_inferenceservicename": Array("bench".utf8)
                    ]
                }
                messages.append(
                    Message(topic: "t", value: Array(request.utf8), headers: headers(InputTranscoder.kserveRequestType))
                )
                messages.append(
                    Message(
                        topic: "t", value: Array(response.utf8), headers: headers(InputTranscoder.kserveResponseType)))
            default:
                messages.append(
                    Message(topic: inputs, value: ProtobufWriter.request(id: "e\(i)", values: values), headers: [:]))
                messages.append(
                    Message(
                        topic: outputs, value: ProtobufWriter.response(id: "e\(i)", prediction: prediction),
                        headers: [:]))
            }
        }
        reference = corpus
        self.messages = messages
        var values = EventCorpus()
        for message in messages { values.append(message.value) }
        self.values = values
        let kind: InputFormat =
            switch format {
            case "cloudevents-binary", "cloudevents-structured": .cloudevents
            case "oip-v2": .oipV2
            case "kserve-logger": .kserveLogger
            default: .seldonV2
            }
        topics =
            format == "seldon-v2"
            ? [InputTopic(topic: inputs, format: kind), InputTopic(topic: outputs, format: kind)]
            : [InputTopic(topic: "t", format: kind, model: format == "oip-v2" ? "bench" : nil)]
        transcoder = try InputTranscoder(topics: topics, mappings: ["bench": mapping], maxBytes: 65_536)
    }

    /// Today's format: decode every event; fails on any reject.
    func decodeDriftd() throws {
        var start = 0
        while start < reference.count {
            let range = start..<min(reference.count, start + Self.batchSize)
            let decoded = reference.withPayloads(range, fallbackMillis: 1) {
                decoder.decode(count: range.count, payload: $0)
            }
            guard decoded.rejects.isEmpty, decoded.acceptedCount == range.count else {
                throw WorkloadError("driftd format: \(decoded.rejects.count) rejects")
            }
            blackHole(decoded)
            start = range.upperBound
        }
    }

    /// The format: transcode every message (headers looked up per name), then decode.
    func decodeFormat() throws {
        let perBatch = Self.batchSize * messages.count / Self.eventCount
        var start = 0
        var accepted = 0
        while start < messages.count {
            let range = start..<min(messages.count, start + perBatch)
            let (rejected, decoded) = values.withPayloads(range, fallbackMillis: 1) { payload in
                var batch = TranscodedBatch()
                for j in 0..<range.count {
                    let message = messages[range.lowerBound + j]
                    transcoder.add(
                        message: j, topic: message.topic, payload: payload(j).bytes, key: nil,
                        header: { message.headers[$0] }, timestampMs: 1, now: WallClockTime(millisecondsSinceEpoch: 0),
                        into: &batch)
                }
                return (
                    batch.rejects.first,
                    batch.withEvents(payload: { payload($0).bytes }) {
                        decoder.decode(count: batch.entries.count, payload: $0)
                    }
                )
            }
            if let rejected { throw WorkloadError("\(format): \(rejected.error)") }
            guard decoded.rejects.isEmpty else { throw WorkloadError("\(format): decode \(decoded.rejects[0].error)") }
            accepted += decoded.acceptedCount
            blackHole(decoded)
            start = range.upperBound
        }
        guard accepted == Self.eventCount else {
            throw WorkloadError("\(format): \(accepted) of \(Self.eventCount) events")
        }
    }
}

/// A SplitMix64 generator of uniform doubles in [0, 1).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}

/// Protobuf wire encoding of the few OIP v2 fields the benchmark sends (ModelInferRequest with
/// one FP64 input tensor, ModelInferResponse with one FP64 output), following
/// protos/open_inference_grpc.proto.
enum ProtobufWriter {
    static func varint(_ value: UInt64, _ out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    static func bytesField(_ number: UInt64, _ bytes: [UInt8], _ out: inout [UInt8]) {
        varint(number << 3 | 2, &out)
        varint(UInt64(bytes.count), &out)
        out += bytes
    }

    static func tensor(name: String, shape: [Int64], values: [Double]) -> [UInt8] {
        var contents: [UInt8] = []
        var packed: [UInt8] = []
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { packed += $0 } }
        bytesField(7, packed, &contents)  // fp64_contents
        var shapeBytes: [UInt8] = []
        for d in shape { varint(UInt64(bitPattern: d), &shapeBytes) }
        var t: [UInt8] = []
        bytesField(1, Array(name.utf8), &t)
        bytesField(2, Array("FP64".utf8), &t)
        bytesField(3, shapeBytes, &t)
        bytesField(5, contents, &t)
        return t
    }

    static func request(id: String, values: [Double]) -> [UInt8] {
        var out: [UInt8] = []
        bytesField(3, Array(id.utf8), &out)
        bytesField(5, tensor(name: "input-0", shape: [1, Int64(values.count)], values: values), &out)
        return out
    }

    static func response(id: String, prediction: Double) -> [UInt8] {
        var out: [UInt8] = []
        bytesField(1, Array("bench".utf8), &out)
        bytesField(3, Array(id.utf8), &out)
        bytesField(5, tensor(name: "output-0", shape: [1], values: [prediction]), &out)
        return out
    }
}
