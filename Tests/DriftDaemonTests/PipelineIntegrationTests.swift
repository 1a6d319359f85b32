import DriftConfig
import DriftCore
import DriftDaemon
import DriftKafka
import Foundation
import Testing

/// The daemon's whole path on an embedded Kafka-protocol broker: events in, alerts out.
@Suite("Pipeline on the embedded broker", .serialized)
struct PipelineIntegrationTests {
    @Test("a drifted feature produces a firing alert that a separate consumer reads from the alert topic")
    func driftProducesAlert() async throws {
        let harness = try PipelineHarness()
        let running = try harness.start(harness.configuration())
        try harness.produce(4_000)
        try harness.produce(6_000, shift: 1.5)
        let alerts = try await harness.read(harness.topics.alerts) { records in
            records.contains { ($0.json?["data"] as? [String: Any])?["status"] as? String == "firing" }
        }
        try await running.stop()

        let firing = try #require(
            alerts.first { ($0.json?["data"] as? [String: Any])?["status"] as? String == "firing" })
        let event = try #require(firing.json)
        let data = try #require(event["data"] as? [String: Any])
        #expect(event["specversion"] as? String == "1.0")
        #expect(event["type"] as? String == "io.driftd.alert")
        #expect(event["source"] as? String == "driftd/test")
        #expect(event["subject"] as? String == "m/x")
        #expect(firing.key == "m")
        #expect(data["model"] as? String == "m")
        #expect(data["version"] as? String == "1")
        #expect(data["feature"] as? String == "x")
        #expect(data["baseline_id"] as? String == harness.baseline.id)
        #expect((data["fingerprint"] as? String)?.count == 16)
        let score = try #require(data["score"] as? Double)
        let threshold = try #require(data["threshold"] as? Double)
        #expect(score >= threshold)
        // Sequential detection is on by default: the 1.5 sd shift of the numeric `x` alarms within
        // some dozens of events, and the alert's window is the run since the estimated change point.
        // After only 4,000 events the detectors' dependence estimate is young and its margin wide
        // (thresholds about twice the settled ones), and the three partitions interleave the
        // stationary and shifted events around the change: up to a few hundred events.
        #expect(data["method"] as? String == "cusum")
        #expect((data["reason"] as? String)?.contains("mean rose") == true)
        let window = try #require(data["window"] as? [String: Any])
        let events = try #require(window["events"] as? Int)
        #expect(events >= 1 && events <= 300)
        // The categorical feature did not move: no alert for it.
        #expect(!alerts.contains { ($0.json?["data"] as? [String: Any])?["feature"] as? String == "c" })
        #expect(running.counter("driftd_alerts_published_total") >= 1)
    }

    @Test("a stationary stream produces no alert")
    func stationaryIsQuiet() async throws {
        let harness = try PipelineHarness()
        let running = try harness.start(harness.configuration())
        try harness.produce(12_000)
        let processedAll = await running.wait { running.counter("driftd_events_processed_total") >= 12_000 }
        #expect(processedAll)
        #expect(running.evaluations == 24)
        try await running.stop()
        let alerts = try await harness.read(harness.topics.alerts, timeoutSeconds: 3) { _ in false }
        #expect(alerts.isEmpty)
    }

    @Test("a restarted daemon resumes from the committed offsets and its saved windows")
    func restartResumes() async throws {
        let harness = try PipelineHarness()
        let configuration = harness.configuration(stateDirectory: harness.stateDirectory)
        let first = try harness.start(configuration)
        try harness.produce(3_000)
        let firstDone = await first.wait { first.counter("driftd_events_processed_total") >= 3_000 }
        #expect(firstDone)
        try await first.stop()
        #expect(first.counter("driftd_events_processed_total") == 3_000)
        #expect(first.counter("driftd_checkpoints_total", labelContains: "ok") >= 1)

        // While it is down, more events arrive.
        try harness.produce(2_000)
        let second = try harness.start(configuration)
        let secondDone = await second.wait { second.counter("driftd_events_processed_total") >= 2_000 }
        #expect(secondDone)
        // Give a redelivery, if any, time to show up.
        try await Task.sleep(for: .seconds(1))
        try await second.stop()
        // The second run started at the committed offsets: it read only the new messages (the
        // state file's offsets would also keep old ones from being applied twice, so the
        // consumed count, not the applied one, shows the commit)...
        #expect(second.counter("driftd_messages_consumed_total") == 2_000)
        // ...and only the new events were applied...
        #expect(second.counter("driftd_events_processed_total") == 2_000)
        // ...and the restored windows continued: 5,000 events in panes of 500 close 10 panes in all,
        // 6 in the first run and 4 in the second.
        #expect(first.evaluations == 6)
        #expect(second.evaluations == 4)
    }

    @Test("malformed events reach the dead-letter topic with their reason; good events in the same batch count")
    func deadLetters() async throws {
        let harness = try PipelineHarness(partitions: 1)
        let running = try harness.start(harness.configuration())
        let now = WallClock.nowMillis()
        let good = #"{"model":"m","version":"1","timestamp":\#(now),"features":{"x":0.5,"c":"a"}}"#
        let bad = [
            #"{"model":"m","features":{"x":0.5"#,  // truncated JSON
            #"{"model":"m","features":{"x":"high"}}"#,  // wrong type
            #"{"model":"m","features":{"x":NaN}}"#,  // NaN is not JSON
            #"{"model":"m","features":{"x":1e999}}"#,  // infinity
            #"{"model":"nobody","features":{"x":1}}"#,  // unknown model
            #"{"features":{"x":1}}"#,  // no model
            #"{"model":"m","timestamp":\#(now + 86_400_000),"features":{"x":1}}"#,  // a day in the future
            #"{"model":"m","features":{"x":1},"pad":""# + String(repeating: "z", count: 70_000) + #""}"#  // oversized
        ]
        var values: [String] = []
        for b in bad { values += [good, b] }
        values.append(good)
        try harness.produceRaw(values)
        let letters = try await harness.read(harness.topics.deadLetter) { $0.count >= bad.count }
        let applied = await running.wait { running.counter("driftd_events_processed_total") >= Double(bad.count + 1) }
        try await running.stop()
        #expect(applied)
        #expect(running.counter("driftd_events_processed_total") == Double(bad.count + 1))
        #expect(letters.count == bad.count)
        // The original value is kept unchanged.
        #expect(Set(letters.map(\.value)) == Set(bad))
        #expect(running.counter("driftd_events_rejected_total") == Double(bad.count))
        for reason in [
            "invalid_json", "wrong_type", "non_finite", "unknown_model", "missing_model", "timestamp_out_of_range",
            "oversized"
        ] {
            #expect(
                running.counter("driftd_events_rejected_total", labelContains: "\"\(reason)\"") >= 1, "reason \(reason)"
            )
        }
        // Each dead letter says why, where it came from, and when.
        let reasons = Dictionary(letters.map { ($0.value, $0.headers["driftd-reason"] ?? "none") }) { first, _ in first
        }
        #expect(reasons[bad[0]] == "invalid_json")
        #expect(reasons[bad[1]] == "wrong_type")
        #expect(reasons[bad[2]] == "non_finite", "NaN is not JSON, and named as a non-finite number")
        #expect(reasons[bad[3]] == "non_finite")
        #expect(reasons[bad[4]] == "unknown_model")
        #expect(reasons[bad[5]] == "missing_model")
        #expect(reasons[bad[6]] == "timestamp_out_of_range")
        #expect(reasons[bad[7]] == "oversized")
        for letter in letters {
            #expect(letter.headers["driftd-source-topic"] == harness.topics.input, "\(letter.headers)")
            #expect(letter.headers["driftd-source-partition"] == "0", "\(letter.headers)")
            #expect(
                letter.headers["driftd-source-offset"].flatMap(Int64.init).map { $0 % 2 == 1 } == true,
                "\(letter.headers)")
            #expect(
                letter.headers["driftd-rejected-at"]?.hasPrefix(String(RFC3339.format(millis: now).prefix(4))) == true,
                "\(letter.headers)")
        }
        #expect(letters.first { $0.value == bad[1] }?.headers["driftd-field"] == "features.x")
    }

    @Test("invalid UTF-8 in an event: dead-lettered with invalid_json; the events around it apply once")
    func invalidUTF8() async throws {
        let harness = try PipelineHarness(partitions: 1)
        let running = try harness.start(harness.configuration())
        let now = WallClock.nowMillis()
        let good = Array(#"{"model":"m","version":"1","timestamp":\#(now),"features":{"x":0.5,"c":"a"}}"#.utf8)
        let bad: [[UInt8]] = [
            // bad 2-byte sequence
            Array(#"{"model":"m","features":{"x":0.5,"c":""#.utf8) + [0xC3, 0x28] + Array(#""}}"#.utf8),
            Array(#"{"model":"m"#.utf8) + [0xFF] + Array(#"","features":{"x":1}}"#.utf8),  // 0xFF never occurs in UTF-8
            // an encoded surrogate as a key
            Array(#"{"model":"m","features":{""#.utf8) + [0xED, 0xA0, 0x80] + Array(#"":1}}"#.utf8)
        ]
        try harness.produceBytes([good] + bad.flatMap { [$0, good] })
        let letters = try await harness.read(harness.topics.deadLetter) { $0.count >= bad.count }
        let applied = await running.wait { running.counter("driftd_events_applied_total") >= Double(bad.count + 1) }
        try await running.stop()
        #expect(applied)
        #expect(running.counter("driftd_events_applied_total") == Double(bad.count + 1))
        #expect(letters.count == bad.count)
        #expect(letters.allSatisfy { $0.headers["driftd-reason"] == "invalid_json" }, "\(letters.map(\.headers))")
        #expect(running.counter("driftd_events_rejected_total", labelContains: "\"invalid_json\"") == Double(bad.count))
    }
}
