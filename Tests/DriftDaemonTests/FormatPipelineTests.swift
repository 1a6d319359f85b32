import DriftConfig
import DriftCore
import DriftDaemon
import DriftKafka
import Foundation
import Testing

/// Every input format on the embedded broker, produced with kcat (installed by
/// scripts/ensure-deps.sh): events in, windows updated, malformed messages dead-lettered.
@Suite("Input formats on the embedded broker", .serialized)
struct FormatPipelineTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../DriftDecodeTests/Fixtures/formats").standardized.path
    static let seldonInputs = "seldon.default.model.mymodel.inputs"
    static let seldonOutputs = "seldon.default.model.mymodel.outputs"

    /// The OIP specification's example model: a, b (UINT32 columns of input0), flag (input1), a numeric prediction.
    static func baseline() throws -> Baseline {
        var a: [DataValue] = []
        var b: [DataValue] = []
        var flag: [DataValue] = []
        var p: [DataValue] = []
        for i in 0..<200 {
            // Many distinct values: numeric columns (few distinct integers would be categorical).
            a.append(.number(Double(i % 50) * 0.1))
            b.append(.number(Double(i % 40) * 0.125))
            flag.append(.string(i % 2 == 0 ? "true" : "false"))
            p.append(.number(Double(i % 30) * 0.1))
        }
        return try BaselineBuilder().build(
            model: "mymodel", version: "1",
            columns: [
                DataColumn(name: "a", values: a), DataColumn(name: "b", values: b),
                DataColumn(name: "flag", values: flag), DataColumn(name: "p", values: p)
            ],
            predictionColumn: "p")
    }

    /// Produces one message from a file (or text) with kcat.
    static func kcat(
        _ brokers: String, topic: String, key: String? = nil, headers: [String: String] = [:], file: String
    ) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["kcat", "-P", "-b", brokers, "-t", topic]
        if let key { arguments += ["-k", key] }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name)=\(value)"] }
        process.arguments = arguments + [file]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw DaemonError(.kafka, "kcat failed (\(process.terminationStatus)): \(message)")
        }
    }

    @Test(
        "cloudevents, oip-v2, kserve-logger and seldon-v2 messages produced with kcat are applied; malformed ones dead-lettered with their reason"
    )
    func allFormats() async throws {
        let harness = try PipelineHarness(partitions: 1)
        let cluster = harness.cluster
        for topic in ["ce", "oip", "logger", Self.seldonInputs, Self.seldonOutputs] {
            try cluster.createTopic(topic, partitions: 1)
        }
        let baseline = try Self.baseline()
        let mapping = TensorMapping(
            inputs: [.init(tensor: "input0", columns: ["a", "b"]), .init(tensor: "input1", columns: ["flag"])],
            prediction: .init(tensor: "output0"))
        var configuration = harness.configuration()
        configuration.kafka.inputTopics = ["ce", "oip", "logger", Self.seldonInputs, Self.seldonOutputs]
        configuration.kafka.inputFormats = [
            InputTopic(topic: "ce", format: .cloudevents), InputTopic(topic: "oip", format: .oipV2, model: "mymodel"),
            InputTopic(topic: "logger", format: .kserveLogger),
            InputTopic(topic: Self.seldonInputs, format: .seldonV2),
            InputTopic(topic: Self.seldonOutputs, format: .seldonV2)
        ]
        configuration.models = [
            ModelConfiguration(
                baselinePath: "(memory)", baseline: baseline, window: .count(events: 1_000, panes: 4), tensors: mapping)
        ]
        let running = try harness.start(configuration)

        let scratch = NSTemporaryDirectory() + "driftd-formats-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        func file(_ name: String, _ text: String) throws -> String {
            let path = scratch + "/" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        func fixture(_ name: String) -> String { Self.fixtures + "/" + name }
        let brokers = cluster.bootstrapServers
        let ce = ["ce_specversion": "1.0", "ce_id": "c-1", "ce_source": "/test", "ce_type": "com.example.inference"]
        var request = [
            "ce_specversion": "1.0", "ce_id": "k-1", "ce_source": "http://localhost:9081/",
            "ce_type": "org.kubeflow.serving.inference.request", "ce_inferenceservicename": "mymodel"
        ]
        var response = request
        response["ce_type"] = "org.kubeflow.serving.inference.response"

        // Valid: 1 + 1 + 2 + 2 + 2 events.
        try Self.kcat(
            brokers, topic: "ce", headers: ce,
            file: file("binary.json", #"{"model":"mymodel","features":{"a":1,"b":2,"flag":true},"prediction":1}"#))
        try Self.kcat(
            brokers, topic: "ce",
            file: file(
                "structured.json",
                #"{"specversion":"1.0","id":"c-2","source":"/test","type":"t","data":{"model":"mymodel","features":{"a":3,"b":4,"flag":false},"prediction":2}}"#
            ))
        try Self.kcat(brokers, topic: "oip", file: fixture("oip-v2-request.json"))
        try Self.kcat(brokers, topic: "oip", file: fixture("oip-v2-response.json"))
        try Self.kcat(brokers, topic: "logger", headers: request, file: fixture("oip-v2-request.json"))
        try Self.kcat(brokers, topic: "logger", headers: response, file: fixture("oip-v2-response.json"))
        try Self.kcat(brokers, topic: Self.seldonInputs, key: "42", file: fixture("seldon-request.pb"))
        try Self.kcat(brokers, topic: Self.seldonOutputs, key: "42", file: fixture("seldon-response.pb"))
        // Malformed: one per format.
        try Self.kcat(
            brokers, topic: "ce",
            file: file("nodata.json", #"{"specversion":"1.0","id":"c-3","source":"/test","type":"t"}"#))
        try Self.kcat(brokers, topic: "oip", file: fixture("oip-v2-spec-request.json"))
        request["ce_type"] = "org.kubeflow.serving.inference.other"
        try Self.kcat(brokers, topic: "logger", headers: request, file: fixture("oip-v2-request.json"))
        try Self.kcat(brokers, topic: Self.seldonInputs, file: file("garbage.pb", "\u{7F}\u{7F}\u{7F}"))

        let applied = await running.wait {
            running.counter("driftd_events_processed_total", labelContains: "mymodel") >= 8
        }
        let deadLetters = try await harness.read(harness.topics.deadLetter) { $0.count >= 4 }
        let lagged = await running.wait(seconds: 30) {
            running.metrics.registry.emitToString().contains(#"driftd_consumer_lag{topic="oip",partition="0"} 0"#)
        }
        try await running.stop()

        #expect(applied)
        #expect(running.counter("driftd_events_processed_total", labelContains: "mymodel") == 8)
        #expect(
            Set(deadLetters.compactMap { $0.headers["driftd-reason"] })
                == ["missing_data", "invalid_tensor", "unknown_event_type", "invalid_protobuf"])
        #expect(
            Set(deadLetters.compactMap { $0.headers["driftd-source-topic"] }) == [
                "ce", "oip", "logger", Self.seldonInputs
            ])
        #expect(running.counter("driftd_events_rejected_total", labelContains: "invalid_tensor") == 1)
        #expect(running.counter("driftd_join_unmatched_total") == 0)
        #expect(lagged)
    }
}
