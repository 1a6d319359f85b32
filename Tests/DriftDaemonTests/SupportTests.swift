import DriftCore
import DriftKafka
import DriftTestSupport
import Foundation
import InMemoryLogging
import Testing

@testable import DriftDaemon

@Suite("Daemon support")
struct SupportTests {
    @Test("state store: atomic save and load; a corrupt file is moved aside and reported")
    func stateStore() throws {
        let directory = NSTemporaryDirectory() + "state-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try StateStore<[String: [String: Int64]]>(directory: directory)
        #expect(store.load().state == nil)
        let state = ["inference": ["0": Int64(42)]]
        try store.save(state)
        #expect(store.load().state == state)
        try Data("{ not json".utf8).write(to: store.url)
        let (loaded, problem) = store.load()
        #expect(loaded == nil)
        #expect(problem?.code == .unreadable)
        #expect(!FileManager.default.fileExists(atPath: store.url.path))
        let aside = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains(".corrupt-") }
        #expect(aside.count == 1)
    }

    @Test("file checkpoints: a new store's first save keeps the checkpoints already in the file")
    func fileCheckpointStoreMerges() throws {
        let directory = NSTemporaryDirectory() + "checkpoints-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let harnessBaseline = try PipelineHarness.makeBaseline()
        let monitor = try ModelMonitor(
            baseline: harnessBaseline, window: .count(events: 100, panes: 2), rule: { _ in AlertRule() },
            retrain: RetrainRule())
        let p0 = TopicPartition(topic: "inference", partition: 0)
        let record = ModelCheckpoint(
            baselineID: harnessBaseline.id, model: "m", sequence: 1, savedAt: "t", coverage: [p0: 10],
            eventPartitions: [p0],
            eventsApplied: 10, monitor: monitor.state, accuracy: nil)
        try FileCheckpointStore(directory: directory).save(models: [record], frontiers: [p0: 10])
        // A restarted daemon saves frontiers before it has read the file.
        let restarted = try FileCheckpointStore(directory: directory)
        try restarted.save(models: [], frontiers: [p0: 12])
        let loaded = try FileCheckpointStore(directory: directory).load()
        #expect(loaded.models[harnessBaseline.id]?.eventsApplied == 10)
        #expect(loaded.frontiers == [p0: 12])
    }

    @Test("rate-limited log: a burst, then one summary line per interval")
    func rateLimitedLog() {
        let recorder = InMemoryLogHandler()
        let logger = recorder.logger(level: .trace)
        var log = RateLimitedLog(burst: 3, interval: .seconds(1))
        for i in 0..<10 {
            log.log(logger, level: .warning, "bad \(i)", now: WallClockTime(millisecondsSinceEpoch: 100 + Int64(i)))
        }
        #expect(recorder.messages == ["bad 0", "bad 1", "bad 2"])
        log.log(logger, level: .warning, "later", now: WallClockTime(millisecondsSinceEpoch: 2_000))
        #expect(recorder.messages.suffix(2) == ["suppressed 7 similar log lines in the last 1 s", "later"])
    }

    @Test("health: live while the loop turns, ready once assigned, not ready when stopping")
    func health() {
        let health = HealthState(stallTimeout: .seconds(1))
        #expect(health.liveness(now: WallClockTime(millisecondsSinceEpoch: 0)).ok)
        #expect(!health.readiness(now: WallClockTime(millisecondsSinceEpoch: 0)).ok)
        health.heartbeat(now: WallClockTime(millisecondsSinceEpoch: 10_000))
        health.setReady(true, detail: "assigned")
        #expect(health.readiness(now: WallClockTime(millisecondsSinceEpoch: 10_500)).ok)
        #expect(!health.liveness(now: WallClockTime(millisecondsSinceEpoch: 12_000)).ok)
        #expect(!health.readiness(now: WallClockTime(millisecondsSinceEpoch: 12_000)).ok)
        health.heartbeat(now: WallClockTime(millisecondsSinceEpoch: 12_000))
        health.setStopping()
        #expect(!health.readiness(now: WallClockTime(millisecondsSinceEpoch: 12_001)).ok)
    }
}
