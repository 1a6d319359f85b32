import DriftConfig
import DriftCore
import DriftKafka
import Foundation
import Logging
import Testing

@testable import DriftDaemon

/// The ingest stage's idle moves (docs/architecture.md, "Idle input partitions"): due only after
/// `idle_timeout` caught up, made inside a checkpoint into an outbox that is saved with the
/// partition's state and handed out only afterwards; a restore (next owner, rollback) hands the
/// saved outbox out again.
@Suite("Scale-out ingest: idle moves go through the checkpoint")
struct IngestIdleOutboxTests {
    static let latest: Int64 = 1_780_000_009_500

    static func logic(idle: Int64?) throws -> IngestStageLogic {
        var configuration = ScaleOutTests.configuration(
            brokers: "localhost:1", baseline: try PipelineHarness.makeBaseline(), run: "unit")
        configuration.scaleOut.idleTimeout = idle.map { .milliseconds($0) }
        return try IngestStageLogic(
            configuration: configuration,
            factory: RecordFactory(source: "t", alertTopic: "a", retrainTopic: "r", deadLetterTopic: "d"),
            metrics: DaemonMetrics(), logger: Logger(label: "test"))
    }

    @Test(
        "an idle partition is moved after idle_timeout, its partials saved before they are handed out and again after a restore"
    )
    func outbox() throws {
        let logic = try Self.logic(idle: 1_000)
        let active = TopicPartition(topic: "inference", partition: 0)
        let idle = TopicPartition(topic: "inference", partition: 1)
        var state = PartitionIngest.State()
        state.maxEventMillis = Self.latest
        // A checkpoint in the format saved before idle moves existed (the plain accumulator state).
        logic.assign(active, saved: try JSONEncoder().encode(state))
        logic.assign(idle, saved: nil)
        #expect(logic.watchesIdle)
        #expect(!logic.idleDue(nowMillis: 10_000, caughtUp: [active, idle]))
        #expect(!logic.idleDue(nowMillis: 10_999, caughtUp: [active, idle]))
        #expect(logic.idleDue(nowMillis: 11_000, caughtUp: [active, idle]))
        #expect(logic.takeOutbox().isEmpty, "nothing is handed out before the checkpoint saved it")
        logic.prepareCheckpoint(nowMillis: 11_000)
        let saved = logic.save(idle)
        let decoded = try JSONDecoder().decode(IngestStageLogic.SavedPartition.self, from: saved)
        #expect(decoded.outbox?.count == 1)
        #expect(decoded.ingest.maxEventMillis == Self.latest)
        #expect(logic.save(active).count > 0)

        let records = logic.takeOutbox()
        #expect(records.count == 1)
        let partial = try #require(records.first.flatMap { PartialPane(decoding: $0.value) })
        #expect(partial.events == 0 && partial.sequence == 1 && partial.partition == 1)
        #expect(partial.watermarkPane == Self.latest / 2_000)
        #expect(records.first?.key == Array(partial.baselineID.utf8))
        #expect(records.first?.topic == "partials-unit")
        // Handed out once; the next checkpoint saves no outbox; nothing more to move.
        #expect(logic.takeOutbox().isEmpty)
        #expect(try JSONDecoder().decode(IngestStageLogic.SavedPartition.self, from: logic.save(idle)).outbox == nil)
        #expect(!logic.idleDue(nowMillis: 20_000, caughtUp: [active, idle]))

        // The next owner (or a rollback) restores the saved outbox and hands it out again.
        let next = try Self.logic(idle: 1_000)
        next.assign(idle, saved: saved)
        #expect(next.takeOutbox().map(\.value) == records.map(\.value))
        // A partition that is read again is not idle: its timer starts over.
        #expect(!next.idleDue(nowMillis: 30_000, caughtUp: []))
    }

    @Test("without idle_timeout nothing is watched or moved")
    func off() throws {
        let logic = try Self.logic(idle: nil)
        let p = TopicPartition(topic: "inference", partition: 0)
        logic.assign(p, saved: nil)
        #expect(!logic.watchesIdle)
        #expect(!logic.idleDue(nowMillis: 1_000_000, caughtUp: [p]))
    }
}
