import DriftConfig
import DriftCore
import DriftDaemon
import Foundation
import Testing

/// Canary comparisons through the real pipeline on the embedded broker.
@Suite("Canary: embedded broker")
struct CanaryPipelineTests {
    @Test(
        "two versions live, the candidate's predictions shift and its latency doubles: exactly one io.driftd.rollback")
    func rollbackOnTheBroker() async throws {
        // One partition: the events reach the daemon in the order produced, as in a replay (with
        // several partitions their interleaving, and so which events are too late for a closed
        // pane, depends on timing; the decision is then still one rollback, but what it names
        // may differ).
        let harness = try PipelineHarness(partitions: 1)
        var configuration = harness.configuration(stateDirectory: harness.stateDirectory)
        configuration.models = CanaryTraffic.models()
        configuration.versions = VersionPolicy(canaries: [CanaryTraffic.rule])
        let running = try harness.start(configuration)
        let events = CanaryTraffic.events(12_000, logitShift: 0.8, latencyFactor: 2)
        try harness.produceRaw(events)
        let applied = await running.wait { running.counter("driftd_events_processed_total") >= 12_000 }
        #expect(applied)
        try await running.stop()
        #expect(running.counter("driftd_canary_decisions_total", labelContains: #"decision="rollback""#) == 1)
        #expect(running.counter("driftd_canary_decisions_total", labelContains: #"decision="promote""#) == 0)
        #expect(running.counter("driftd_canary_verdict", labelContains: #"version="4""#) == -1)
        // Both versions have their own series.
        #expect(running.counter("driftd_events_processed_total", labelContains: #"version="3""#) > 0)
        #expect(running.counter("driftd_events_processed_total", labelContains: #"version="4""#) > 0)

        let records = try await harness.read(harness.topics.alerts, timeoutSeconds: 10) { records in
            records.contains { $0.headers["ce_type"] == "io.driftd.rollback" }
        }
        let decisions = records.filter {
            $0.headers["ce_type"] == "io.driftd.rollback" || $0.headers["ce_type"] == "io.driftd.promote"
        }
        #expect(decisions.count == 1)
        let decision = try #require(decisions.first)
        #expect(decision.key == "churn" && decision.headers["driftd-decision"] == "rollback")
        let data = try #require(decision.json?["data"] as? [String: Any])
        #expect(data["incumbent"] as? String == "3" && data["candidate"] as? String == "4")
        let worse = Set(data["worse"] as? [String] ?? [])
        #expect(worse.contains("prediction") && worse.contains("latency"), "\(worse)")
        #expect(decision.json?["subject"] as? String == "churn/4")
    }
}
