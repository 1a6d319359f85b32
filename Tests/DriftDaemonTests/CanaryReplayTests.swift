import DriftConfig
import DriftCore
import DriftDaemon
import DriftDecode
import Foundation
import Testing

/// Canary comparisons end to end through `driftd replay` and the event processor's checkpoints.
@Suite("Canary: replay and checkpoints")
struct CanaryReplayTests {
    static func replay(_ lines: [String], batchSize: Int = 500) throws -> (
        records: [OutboundRecord], summary: ReplaySummary
    ) {
        let path = try ReplayRunnerTests.file(lines)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let runner = try ReplayRunner(configuration: CanaryTraffic.configuration(batchSize: batchSize))
        var records: [OutboundRecord] = []
        let summary = try runner.run(path: path) { records.append($0) }
        return (records, summary)
    }

    @Test("the candidate's predictions shift and its latency doubles: exactly one rollback naming both")
    func rollback() throws {
        #expect(CanaryTraffic.baselines.count == 2)
        let (records, summary) = try Self.replay(CanaryTraffic.events(30_000, logitShift: 0.8, latencyFactor: 2))
        let decisions = CanaryTraffic.decisions(records)
        #expect(decisions.count == 1 && summary.canaryDecisions == 1)
        let decision = try #require(decisions.first)
        #expect(decision.type == "io.driftd.rollback")
        let data = decision.data
        #expect(
            data["model"] as? String == "churn" && data["incumbent"] as? String == "3"
                && data["candidate"] as? String == "4")
        let worse = Set(data["worse"] as? [String] ?? [])
        #expect(worse.contains("prediction") && worse.contains("latency"), "\(worse)")
        #expect(worse.allSatisfy { $0 == "prediction" || $0 == "latency" }, "features did not move: \(worse)")
        #expect(data["metric"] as? String != nil && (data["interval"] as? [Double])?.count == 2)
        #expect(data["incumbent_value"] is Double && data["candidate_value"] is Double)
        let p99 = try #require(data["latency_p99_ms"] as? [String: Double])
        #expect((p99["candidate"] ?? 0) / (p99["incumbent"] ?? 1) > 1.7)
        let events = try #require(data["events"] as? [String: Int])
        print(
            "canary rollback after \(events["candidate"] ?? 0) candidate and \(events["incumbent"] ?? 0) incumbent events"
        )
        #expect((events["candidate"] ?? 0) >= CanaryRule.warmupEvents && (events["candidate"] ?? 0) < 3_000)
        #expect(
            !records.contains { record in
                (try? JSONSerialization.jsonObject(with: Data(record.value)) as? [String: Any])?["type"] as? String
                    == "io.driftd.promote"
            })
    }

    @Test("an equal candidate: exactly one promote, no rollback")
    func promote() throws {
        let (records, _) = try Self.replay(CanaryTraffic.events(60_000))
        let decisions = CanaryTraffic.decisions(records)
        #expect(decisions.map(\.type) == ["io.driftd.promote"])
        let data = try #require(decisions.first?.data)
        let events = try #require(data["events"] as? [String: Int])
        print(
            "canary promote after \(events["candidate"] ?? 0) candidate and \(events["incumbent"] ?? 0) incumbent events"
        )
        #expect((events["candidate"] ?? 0) >= CanaryTraffic.rule.minEvents)
        #expect((data["worse"] as? [String])?.isEmpty == true && data["metric"] == nil)
    }

    @Test("the decision and its id do not depend on batch boundaries")
    func batching() throws {
        let lines = CanaryTraffic.events(12_000, logitShift: 0.8, latencyFactor: 2)
        let ids = try [137, 500, 2_000].map { size in
            try CanaryTraffic.decisions(Self.replay(lines, batchSize: size).records).map(\.id)
        }
        #expect(ids[0].count == 1 && ids.allSatisfy { $0 == ids[0] }, "\(ids)")
    }

    @Test(
        "checkpointed decisions: a replay from the checkpoint before it re-makes it with the same id; after it, never again"
    )
    func checkpoints() throws {
        let lines = CanaryTraffic.events(12_000, logitShift: 0.8, latencyFactor: 2).map { Array($0.utf8) }
        let factory = RecordFactory(
            source: "driftd/test", alertTopic: "alerts", retrainTopic: "retrain", deadLetterTopic: "dlq")
        func processor() throws -> EventProcessor {
            try EventProcessor(
                models: CanaryTraffic.models(), maxEventBytes: 65_536, maxFutureSkew: nil,
                versions: VersionPolicy(canaries: [CanaryTraffic.rule]))
        }
        func decisions(_ p: EventProcessor, _ chunk: ArraySlice<[UInt8]>) -> [String] {
            let result = Array(chunk).withUnsafeBufferPointers { buffers in
                p.process(count: buffers.count, now: WallClockTime(millisecondsSinceEpoch: 0)) {
                    EventPayload(bytes: buffers[$0], fallbackTimestampMs: 0)
                }
            }
            return result.outputs.compactMap { output in
                if case .canary = output { factory.record(for: output)?.eventID } else { nil }
            }
        }
        let chunks = stride(from: 0, to: lines.count, by: 400).map { lines[$0..<min($0 + 400, lines.count)] }
        // The uninterrupted run: states after every chunk, and the chunk that decided.
        let first = try processor()
        var states: [[String: ModelMonitor.State]] = []
        var decided: (chunk: Int, id: String)?
        for (k, chunk) in chunks.enumerated() {
            let ids = decisions(first, chunk)
            #expect(ids.count <= 1)
            if let id = ids.first {
                #expect(decided == nil)
                decided = (k, id)
            }
            states.append(first.state)
        }
        let decision = try #require(decided)
        #expect(decision.chunk > 0)
        // Crash after the decision was published but before its checkpoint: restore the
        // checkpoint of the chunk before, replay the rest: the same decision, the same id, once.
        let again = try processor()
        again.restore(
            try JSONDecoder().decode(
                [String: ModelMonitor.State].self, from: JSONEncoder().encode(states[decision.chunk - 1])))
        let replayed = chunks[decision.chunk...].flatMap { decisions(again, $0) }
        #expect(replayed == [decision.id])
        // Restored after the decision: it is part of the state; nothing is published again.
        let after = try processor()
        after.restore(
            try JSONDecoder().decode(
                [String: ModelMonitor.State].self, from: JSONEncoder().encode(states[decision.chunk])))
        #expect(chunks[(decision.chunk + 1)...].flatMap { decisions(after, $0) }.isEmpty)
        #expect(after.canaries.first?.isDecided == true)
    }

    @Test("a candidate whose events are rejected (5 %) is rolled back on its reject rate")
    func rejectRate() throws {
        var lines = CanaryTraffic.events(20_000)
        var corrupted = 0
        for i in lines.indices where lines[i].contains(#""version":"4""#) && i % 20 == 0 {
            lines[i] = lines[i].replacingOccurrences(of: #""tenure_months":"#, with: #""tenure_months":"many","x":"#)
            corrupted += 1
        }
        #expect(corrupted > 100)
        var configuration = CanaryTraffic.configuration()
        var rule = CanaryTraffic.rule
        rule.margins = [.rejectRate: 0.01, .prediction: 0.02]
        configuration.versions = VersionPolicy(canaries: [rule])
        let path = try ReplayRunnerTests.file(lines)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var records: [OutboundRecord] = []
        let summary = try ReplayRunner(configuration: configuration).run(path: path) { records.append($0) }
        #expect(summary.rejected == corrupted)
        let decisions = CanaryTraffic.decisions(records)
        #expect(decisions.map(\.type) == ["io.driftd.rollback"])
        let data = try #require(decisions.first?.data)
        #expect(data["worse"] as? [String] == ["reject_rate"], "\(data["worse"] ?? "")")
        let candidate = try #require(data["candidate_value"] as? Double)
        #expect(candidate > 0.03 && candidate < 0.08 && data["incumbent_value"] as? Double == 0)
    }
}
