import DriftConfig
import DriftCore
import DriftDaemon
import Foundation
import Testing

@Suite("Replay")
struct ReplayRunnerTests {
    /// Writes `lines` to a temporary file and returns its path.
    static func file(_ lines: [String]) throws -> String {
        let path = NSTemporaryDirectory() + "replay-\(UUID().uuidString).jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func configuration() throws -> DaemonConfiguration {
        let baseline = try PipelineHarness.makeBaseline()
        return DaemonConfiguration(
            kafka: KafkaSettings(brokers: "localhost:9092", batchSize: 300),
            models: [
                ModelConfiguration(
                    baselinePath: "(memory)", baseline: baseline, window: .count(events: 2_000, panes: 4),
                    defaultRule: AlertRule(forEvaluations: 2, cooldown: .zero, minSamples: 1_000),
                    retrain: RetrainRule(driftShare: 0.5, cooldown: .milliseconds(3_600_000)))
            ])
    }

    static func events(_ count: Int, shift: Double, start: Int, random r: inout SplitMix64) -> [String] {
        (0..<count).map { i in
            let x = PipelineHarness.normal(&r) + shift
            let c = r.nextUnitInterval() < 0.6 ? "a" : "b"
            return
                #"{"model":"m","version":"1","id":"e\#(start + i)","timestamp":\#(1_795_300_000_000 + Int64(start + i)),"features":{"x":\#(x),"c":"\#(c)"}}"#
        }
    }

    @Test("replaying a file makes the daemon's decisions: alert, retrain, resolve, dead letters, in order")
    func replay() throws {
        var r = SplitMix64(seed: 3)
        var lines = Self.events(4_000, shift: 0, start: 0, random: &r)
        lines += Self.events(4_000, shift: 1.2, start: 4_000, random: &r)
        lines.insert("not json", at: 100)
        lines.insert("", at: 200)  // blank lines are skipped, not rejected
        lines += Self.events(6_000, shift: 0, start: 8_000, random: &r)
        let path = try Self.file(lines)
        defer { try? FileManager.default.removeItem(atPath: path) }

        let runner = try ReplayRunner(configuration: try Self.configuration())
        var records: [OutboundRecord] = []
        let summary = try runner.run(path: path) { records.append($0) }
        #expect(summary.lines == 14_001)
        #expect(summary.applied == 14_000)
        #expect(summary.rejected == 1)
        #expect(summary.evaluations == 28)
        let kinds = records.map(\.kind)
        #expect(kinds.first == .deadLetter)
        #expect(kinds.filter { $0 == .alert }.count == 2)  // x fires, then resolves
        #expect(kinds.filter { $0 == .retrain }.count == 1)  // 1 of 2 features = 0.5
        let letter = try #require(records.first)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(ReplayRunner.line(for: letter))) as? [String: Any])
        let headers = try #require(json["headers"] as? [String: String])
        #expect(headers["driftd-reason"] == "invalid_json")
        #expect(headers["driftd-source-offset"] == "101")  // the line number
        #expect(json["payload"] as? String == "not json")

        // Same input, same output: decisions are a function of the data alone.
        var again: [OutboundRecord] = []
        _ = try runner.run(path: path) { again.append($0) }
        #expect(again.count == records.count)
        #expect(again.map(\.value) == records.map(\.value), "a second run must start from empty windows")
    }

    @Test("a missing file is a clear error")
    func missingFile() throws {
        let runner = try ReplayRunner(configuration: try Self.configuration())
        #expect(throws: DaemonError.self) { try runner.run(path: "/nonexistent/events.jsonl") { _ in } }
    }
}
