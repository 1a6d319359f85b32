import DriftConfig
import DriftCore
import DriftDaemon
import Foundation
import Testing

@Suite("Replay with labels")
struct AccuracyReplayTests {
    static let start: Int64 = 1_795_300_000_000

    /// 600 events one second apart; the first 300 labelled correctly, the rest at 30% accuracy;
    /// each label 30 s after its event. Label lines are written newest first (replay sorts them).
    static func files() throws -> (events: String, labels: String) {
        var r = SplitMix64(seed: 5)
        var events: [String] = []
        var labels: [String] = []
        for i in 0..<600 {
            let event = AccuracyFixtures.event(id: "e\(i)", timestamp: start + Int64(i) * 1_000, random: &r)
            events.append(event.json)
            let agree = i < 300 || AccuracyFixtures.agrees(i, accuracy: 0.3)
            labels.append(
                AccuracyFixtures.label(
                    id: "e\(i)", positive: event.positive, agree: agree, timestamp: start + Int64(i) * 1_000 + 30_000))
        }
        labels.reverse()
        labels.insert(#"{"model":"scorer","id":"e1","label":}"#, at: 10)  // line 11: invalid JSON
        labels.append(#"{"model":"scorer","id":"nobody","label":1,"timestamp":\#(start)}"#)
        return (try ReplayRunnerTests.file(events), try ReplayRunnerTests.file(labels))
    }

    static func configuration() throws -> DaemonConfiguration {
        DaemonConfiguration(
            kafka: KafkaSettings(brokers: "localhost:9092", batchSize: 300),
            models: [AccuracyFixtures.modelConfiguration(try AccuracyFixtures.baseline())])
    }

    @Test(
        "labels merged by event time: accuracy alert in the output, dead letters with line numbers, same output twice")
    func replayWithLabels() throws {
        let (events, labels) = try Self.files()
        defer {
            try? FileManager.default.removeItem(atPath: events)
            try? FileManager.default.removeItem(atPath: labels)
        }
        let runner = try ReplayRunner(configuration: try Self.configuration())
        var records: [OutboundRecord] = []
        let summary = try runner.run(path: events, labels: labels) { records.append($0) }
        #expect(summary.applied == 600)
        #expect(summary.labelLines == 602)
        #expect(summary.labelsRejected == 1)
        #expect(summary.labels[.joined] == 600)
        #expect(summary.labels[.unmatched] == 1)
        #expect(summary.labels.correct == 300 + 90)
        #expect(summary.accuracyEvaluations == 12)
        #expect(summary.description.contains("602 label lines, 1 rejected, 600 joined, 1 unmatched"))

        let letter = try #require(records.first { $0.kind == .deadLetter })
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(ReplayRunner.line(for: letter))) as? [String: Any])
        let headers = try #require(json["headers"] as? [String: String])
        #expect(headers["driftd-reason"] == "invalid_json")
        #expect(headers["driftd-source-offset"] == "11")
        #expect(headers["driftd-source-topic"] == labels)

        let alerts = records.filter { $0.kind == .alert }.compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.value)) as? [String: Any])?["data"] as? [String: Any]
        }
        #expect(alerts.count == 1)
        let alert = try #require(alerts.first)
        #expect(alert["target"] as? String == "accuracy")
        #expect(alert["status"] as? String == "firing")
        // The window's labels are those of the second half: stamped 30 s after their events.
        let window = try #require(alert["window"] as? [String: Any])
        let end = try #require(window["end"] as? String)
        #expect(end > RFC3339.format(millis: Self.start + 300_000 + 30_000))

        var again: [OutboundRecord] = []
        _ = try runner.run(path: events, labels: labels) { again.append($0) }
        #expect(again.map(\.value) == records.map(\.value))
    }

    @Test("without a labels file the summary line is unchanged and nothing is joined")
    func noLabels() throws {
        let (events, labels) = try Self.files()
        defer {
            try? FileManager.default.removeItem(atPath: events)
            try? FileManager.default.removeItem(atPath: labels)
        }
        let summary = try ReplayRunner(configuration: try Self.configuration()).run(path: events) { _ in }
        #expect(summary.labelLines == 0 && summary.labels.total == 0)
        #expect(!summary.description.contains("label"))
        #expect(throws: DaemonError.self) {
            try ReplayRunner(configuration: try Self.configuration()).run(
                path: events, labels: "/nonexistent/labels.jsonl"
            ) { _ in }
        }
    }
}
