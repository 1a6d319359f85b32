import DriftConfig
import DriftCore
import DriftDaemon
import DriftDecode
import Foundation
import Testing

@Suite("Event processor")
struct EventProcessorTests {
    /// A processor over the harness baseline with a time window of 4 panes of 1 minute.
    static func processor() throws -> EventProcessor {
        let model = ModelConfiguration(
            baselinePath: "(memory)", baseline: try PipelineHarness.makeBaseline(),
            window: .time(duration: .seconds(240), panes: 4),
            defaultRule: AlertRule(forEvaluations: 1, cooldown: .zero, minSamples: 10))
        return try EventProcessor(models: [model], maxEventBytes: 65_536, maxFutureSkew: .seconds(300))
    }

    static func process(_ processor: EventProcessor, times: [Int64], clock: Int64) -> ProcessingResult {
        let messages = times.map { Array(#"{"model":"m","timestamp":\#($0),"features":{"x":0.1,"c":"a"}}"#.utf8) }
        return messages.withUnsafeBufferPointers { buffers in
            processor.process(count: buffers.count, now: WallClockTime(millisecondsSinceEpoch: clock)) {
                EventPayload(bytes: buffers[$0], fallbackTimestampMs: 0)
            }
        }
    }

    static func evaluations(_ outputs: [MonitorOutput]) -> Int {
        outputs.filter { if case .evaluation = $0 { true } else { false } }.count
    }

    @Test("catching up on old events: the idle slide follows event time, so the backlog is not dropped as late")
    func backfill() throws {
        let p = try Self.processor()
        let weekAgo: Int64 = 1_794_999_960_000  // a whole minute: one pane per minute of events
        let clock = weekAgo + 7 * 86_400_000
        var evaluations = 0
        // Ten minutes of old events, arriving in batches while the clock barely moves.
        for minute in 0..<10 {
            let times = (0..<50).map { weekAgo + Int64(minute) * 60_000 + Int64($0) * 1_000 }
            evaluations += Self.evaluations(Self.process(p, times: times, clock: clock + Int64(minute) * 100).outputs)
            evaluations += Self.evaluations(
                p.advance(clock: WallClockTime(millisecondsSinceEpoch: clock + Int64(minute) * 100 + 50)))
        }
        #expect(p.lateEvents["m"] == 0)
        #expect(evaluations == 9)  // panes 0...8 closed by the next minute's events
        // The stream stops: two minutes later (by the clock) the open pane closes by itself.
        let idle = p.advance(clock: WallClockTime(millisecondsSinceEpoch: clock + 1_000 + 120_000))
        #expect(Self.evaluations(idle) == 1)
    }

    @Test("events stamped too far ahead of the clock are rejected with their message index; the rest apply")
    func futureEvents() throws {
        let p = try Self.processor()
        let clock: Int64 = 1_795_000_000_000
        let result = Self.process(p, times: [clock, clock + 301_000, clock + 1_000, clock + 86_400_000], clock: clock)
        #expect(result.applied == 2)
        #expect(result.rejects.map(\.messageIndex) == [1, 3])
        #expect(result.rejects.allSatisfy { $0.code == "timestamp_out_of_range" && $0.field == "timestamp" })
    }
}

extension Array where Element == [UInt8] {
    /// Calls `body` with stable raw buffers over every element.
    func withUnsafeBufferPointers<R>(_ body: ([UnsafeRawBufferPointer]) -> R) -> R {
        var pointers: [UnsafeMutableRawBufferPointer] = []
        for bytes in self {
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
            bytes.withUnsafeBytes { copy.copyMemory(from: $0) }
            pointers.append(copy)
        }
        defer { pointers.forEach { $0.deallocate() } }
        return body(pointers.map { UnsafeRawBufferPointer($0) })
    }
}
