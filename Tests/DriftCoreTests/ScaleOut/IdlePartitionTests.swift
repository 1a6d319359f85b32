import DriftCore
import Foundation
import Testing

@Suite("Scale-out: idle input partitions")
struct IdlePartitionTests {
    /// Ingests `events` into one partition in a single run; returns the partials.
    static func ingest(
        _ ingest: inout PartitionIngest, _ events: [ScaleOutMergeTests.Event], schema: ModelSchema, from offset: Int
    ) -> [PartialPane] {
        var batch = ColumnarBatch(schema: schema, capacity: events.count)
        for e in events { batch.append(timestamp: e.time, values: e.values, prediction: .nan) }
        let rows = events.indices.map { PartitionIngest.Row(offset: Int64(offset + $0), model: 0, row: $0) }
        return ingest.ingest(rows, batches: [batch])
    }

    @Test(
        "a partition without events holds every pane back until its idle move; then the panes equal those of the partitions that had events"
    )
    func idleMoveReleasesPanes() throws {
        let baseline = try SequentialDetectionTests.baseline()
        let template = try ScaleOutMergeTests.monitor(baseline)
        let model = try #require(PartitionIngest.Model(monitor: template))
        let events = ScaleOutMergeTests.events(count: 20_000, driftAt: 12_000, seed: 3)
        func make(_ p: Int32) -> PartitionIngest {
            PartitionIngest(topic: "in", partition: p, models: [model], allowedLateness: .zero, flushEvents: 100_000)
        }
        // Partitions 0 and 1 share the events (even and odd); partition 2 gets none.
        var zero = make(0)
        var one = make(1)
        var idle = make(2)
        let evens = events.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        let odds = events.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        let partials =
            Self.ingest(&zero, evens, schema: template.schema, from: 0)
            + Self.ingest(&one, odds, schema: template.schema, from: 0)
        var three = MergedModelMonitor(monitor: template, sources: ["in[0]", "in[1]", "in[2]"])
        var two = MergedModelMonitor(monitor: template, sources: ["in[0]", "in[1]"])
        var outputsThree: [MonitorOutput] = []
        var outputsTwo: [MonitorOutput] = []
        for p in partials {
            outputsThree += three.accept(p).outputs
            outputsTwo += two.accept(p).outputs
        }
        #expect(outputsThree.isEmpty, "no pane is evaluated while partition 2 has reported no watermark")
        #expect(three.merger.lowWatermark == nil)
        #expect(!ScaleOutMergeTests.evaluations(outputsTwo).isEmpty)

        // Nothing to move to below the partition's own events: no partial, no state change.
        #expect(idle.advanceIdle(to: .distantPast).isEmpty)
        let latest = try #require([zero.state.maxEventMillis, one.state.maxEventMillis].compactMap { $0 }.max())
        let moved = idle.advanceIdle(to: EventTime(millisecondsSinceEpoch: latest))
        #expect(moved.count == 1)
        #expect(moved.allSatisfy { $0.events == 0 && $0.sequence == 1 })
        #expect(idle.state.events == 0, "an idle move counts no event")
        // Moving again to the same time emits nothing (the watermark is already there).
        #expect(idle.advanceIdle(to: EventTime(millisecondsSinceEpoch: latest)).isEmpty)
        for p in moved { outputsThree += three.accept(p).outputs }
        #expect(ScaleOutMergeTests.evaluations(outputsThree) == ScaleOutMergeTests.evaluations(outputsTwo))
        #expect(ScaleOutMergeTests.decisions(outputsThree) == ScaleOutMergeTests.decisions(outputsTwo))
        #expect(three.merger.eventsMerged == two.merger.eventsMerged)
    }

    @Test(
        "a partition that went quiet: the idle move emits its open partials (final); its later events below the new watermark are late"
    )
    func quietPartition() throws {
        let baseline = try SequentialDetectionTests.baseline()
        let template = try ScaleOutMergeTests.monitor(baseline)
        let model = try #require(PartitionIngest.Model(monitor: template))
        var ingest = PartitionIngest(
            topic: "in", partition: 0, models: [model], allowedLateness: .milliseconds(500), flushEvents: 100_000)
        let first = (0..<100).map { ScaleOutMergeTests.Event(time: 2_500 + Int64($0), values: [0, 1, 0]) }
        // Pane 1 (2 s panes) is open: the watermark (2599 − 500) has not passed it.
        #expect(Self.ingest(&ingest, first, schema: template.schema, from: 0).map(\.events) == [0])
        let moved = ingest.advanceIdle(to: EventTime(millisecondsSinceEpoch: 9_000))
        #expect(moved.map(\.paneIndex) == [1])
        #expect(moved.map(\.events) == [100])
        #expect(moved.first?.watermarkPane == 4)
        // An event of pane 3 (below the watermark pane 4) arrives later: late, reported in the next partial.
        let late = [ScaleOutMergeTests.Event(time: 7_000, values: [0, 1, 0])]
        #expect(Self.ingest(&ingest, late, schema: template.schema, from: 100).isEmpty)
        #expect(ingest.state.lateEvents == 1)
        let next = [ScaleOutMergeTests.Event(time: 10_600, values: [0, 1, 0])]
        let after = Self.ingest(&ingest, next, schema: template.schema, from: 101)
        #expect(after.map(\.lateEvents) == [1])
        #expect(after.map(\.sequence) == [3])
    }
}
