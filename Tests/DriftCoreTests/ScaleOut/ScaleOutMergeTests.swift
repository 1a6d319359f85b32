import DriftCore
import Foundation
import Testing

@Suite("Scale-out: partial panes, merging, one verdict")
struct ScaleOutMergeTests {
    struct Event {
        var time: Int64
        var values: [Double]
    }

    static let rule = AlertRule(cooldown: .zero, minSamples: 1_000)

    static func monitor(_ baseline: Baseline) throws -> ModelMonitor {
        try ModelMonitor(
            baseline: baseline, window: .time(duration: .seconds(10), panes: 5), rule: { _ in rule },
            retrain: RetrainRule())
    }

    /// `count` events, one per ms from 0, x shifted by 1 sd from event `driftAt` on.
    static func events(count: Int, driftAt: Int, seed: UInt64) -> [Event] {
        var r = SeededRandom(seed: seed)
        return (0..<count).map { i in
            Event(
                time: Int64(i),
                values: [r.normal() + (i >= driftAt ? 1 : 0), -log(1 - r.unit()), r.unit() < 0.6 ? 0 : 1])
        }
    }

    /// Runs the two stages: events spread over `partitions` (by `assign`), each partition ingested
    /// in batches cut at random, partials delivered to the evaluator in a random interleaving
    /// (order kept per partition), with `repeats` re-deliveries of already merged partials.
    static func run(
        _ events: [Event], partitions: Int, assign: (Int) -> Int, batchSeed: UInt64, repeats: Int, baseline: Baseline
    ) throws -> (outputs: [MonitorOutput], merger: PaneMerger, partials: [PartialPane]) {
        let template = try monitor(baseline)
        let model = try #require(PartitionIngest.Model(monitor: template))
        var perPartition = [[Event]](repeating: [], count: partitions)
        for (i, e) in events.enumerated() { perPartition[assign(i)].append(e) }
        // A sentinel far ahead in every partition closes every pane of the real events.
        let end = (events.last?.time ?? 0) + 100_000
        var r = SeededRandom(seed: batchSeed)
        var queues: [[PartialPane]] = []
        for p in 0..<partitions {
            var ingest = PartitionIngest(
                topic: "in", partition: Int32(p), models: [model], allowedLateness: .zero, flushEvents: 700)
            let list = perPartition[p] + [Event(time: end, values: [0, 1, 0])]
            var out: [PartialPane] = []
            var start = 0
            while start < list.count {
                let n = min(list.count - start, 1 + Int(r.unit() * 900))
                var batch = ColumnarBatch(schema: template.schema, capacity: n)
                for e in list[start..<start + n] { batch.append(timestamp: e.time, values: e.values, prediction: .nan) }
                let rows = (0..<n).map { PartitionIngest.Row(offset: Int64(start + $0), model: 0, row: $0) }
                // Through the checkpoint format half of the time: a restored state continues alike.
                if r.unit() < 0.5 {
                    let state = try JSONDecoder().decode(
                        PartitionIngest.State.self, from: JSONEncoder().encode(ingest.state))
                    ingest = PartitionIngest(
                        topic: "in", partition: Int32(p), models: [model], allowedLateness: .zero, flushEvents: 700,
                        state: state)
                }
                out += ingest.ingest(rows, batches: [batch])
                start += n
            }
            queues.append(out.map { PartialPane(decoding: $0.encoded)! })
        }
        var evaluator = MergedModelMonitor(monitor: template, sources: (0..<partitions).map { "in[\($0)]" })
        var outputs: [MonitorOutput] = []
        var delivered: [PartialPane] = []
        var repeatsLeft = repeats
        var heads = [Int](repeating: 0, count: partitions)
        while heads.enumerated().contains(where: { $0.element < queues[$0.offset].count }) {
            if repeatsLeft > 0, !delivered.isEmpty, r.unit() < 0.05 {
                let again = delivered[Int(r.unit() * Double(delivered.count))]
                #expect(evaluator.accept(again).outcome == .repeated)
                repeatsLeft -= 1
                continue
            }
            let open = heads.indices.filter { heads[$0] < queues[$0].count }
            let p = open[Int(r.unit() * Double(open.count))]
            let partial = queues[p][heads[p]]
            heads[p] += 1
            let (outcome, produced) = evaluator.accept(partial)
            #expect(outcome == .merged)
            outputs += produced
            delivered.append(partial)
        }
        return (outputs, evaluator.merger, queues.flatMap { $0 })
    }

    static func decisions(_ outputs: [MonitorOutput]) -> [String] {
        outputs.compactMap {
            guard case .alert(let a) = $0 else { return nil }
            return
                "\(a.feature ?? a.target) \(a.status.rawValue) \(a.method) \(a.window.start)..\(a.window.end) n=\(a.window.events)"
        }
    }

    static func evaluations(_ outputs: [MonitorOutput]) -> [String] {
        outputs.compactMap {
            guard case .evaluation(let e) = $0 else { return nil }
            return "\(e.windowEnd.millisecondsSinceEpoch) \(e.window.events) "
                + e.columns.map { "\($0.evaluation.score)" }.joined(separator: ",")
        }
    }

    @Test("a partial pane survives its binary codec; garbage and truncations are refused")
    func codec() throws {
        let p = PartialPane(
            baselineID: "m@1/abc", topic: "inference", partition: 11, sequence: 42, fromOffset: 1_000_000_007,
            toOffset: 1_000_000_100,
            paneIndex: -3, watermarkPane: 17, events: 93, minEventMillis: 1_700_000_000_000,
            maxEventMillis: 1_700_000_001_999,
            lateEvents: 2, slots: [.init(index: 0, count: 5), .init(index: 7, count: 88)],
            cells: [.init(column: 0, cell: 3, count: 90), .init(column: 2, cell: 0, count: 3)])
        let bytes = p.encoded
        #expect(PartialPane(decoding: bytes) == p)
        #expect(bytes.count < 80)
        let empty = PartialPane(
            baselineID: "m", topic: "t", partition: 0, sequence: 1, fromOffset: 0, toOffset: 0, paneIndex: 4,
            watermarkPane: 5,
            events: 0, minEventMillis: .max, maxEventMillis: .min, lateEvents: 0, slots: [], cells: [])
        #expect(PartialPane(decoding: empty.encoded) == empty)
        #expect(PartialPane(decoding: Array(bytes.dropLast())) == nil)
        #expect(PartialPane(decoding: Array("{\"x\":1}".utf8)) == nil)
        #expect(PartialPane(decoding: bytes + [0]) == nil)
    }

    @Test(
        "12 partitions at random, batches cut at random, partials interleaved and repeated: the same panes, evaluations and alerts as one partition"
    )
    func oneVerdict() throws {
        let baseline = try SequentialDetectionTests.baseline()
        let events = Self.events(count: 60_000, driftAt: 36_000, seed: 5)
        var r = SeededRandom(seed: 9)
        let spread = (0..<events.count).map { _ in Int(r.unit() * 12) }
        let one = try Self.run(events, partitions: 1, assign: { _ in 0 }, batchSeed: 1, repeats: 0, baseline: baseline)
        let twelve = try Self.run(
            events, partitions: 12, assign: { spread[$0] }, batchSeed: 2, repeats: 40, baseline: baseline)
        let again = try Self.run(
            events, partitions: 12, assign: { spread[$0] }, batchSeed: 3, repeats: 0, baseline: baseline)
        // Every event counted once.
        #expect(one.merger.eventsMerged == Int64(events.count))
        #expect(twelve.merger.eventsMerged == Int64(events.count))
        #expect(twelve.merger.lateEvents == 0)
        // One pane per 2 s of event time, all closed (the sentinels' pane stays open).
        #expect(Self.evaluations(one.outputs).count == 30)
        #expect(Self.evaluations(twelve.outputs) == Self.evaluations(one.outputs))
        #expect(Self.evaluations(again.outputs) == Self.evaluations(one.outputs))
        let decisions = Self.decisions(one.outputs)
        #expect(Self.decisions(twelve.outputs) == decisions)
        #expect(Self.decisions(again.outputs) == decisions)
        // The drift is found on x, not before it starts, by the window test and the pane CUSUM.
        let firing = one.outputs.compactMap { o -> AlertPayload? in
            if case .alert(let a) = o, a.status == .firing { a } else { nil }
        }
        #expect(firing.contains { $0.feature == "x" && $0.method == "cusum" })
        #expect(firing.allSatisfy { $0.feature == "x" })
        #expect(firing.allSatisfy { $0.window.end >= RFC3339.format(millis: 36_000) })
        // The same partials whatever the batches: the sequence numbers name the same content.
        let bySource = Dictionary(grouping: twelve.partials, by: \.source)
        let bySourceAgain = Dictionary(grouping: again.partials, by: \.source)
        #expect(bySource == bySourceAgain)
        #expect(bySource.values.allSatisfy { list in list.map(\.sequence) == Array(1...Int64(list.count)) })
    }

    @Test(
        "a pane waits for the slowest partition's watermark; a partial after a gap is refused until the gap is filled")
    func watermarksAndGaps() {
        var merger = PaneMerger(sources: ["t[0]", "t[1]"])
        func partial(_ p: Int32, _ seq: Int64, pane: Int64, watermark: Int64, events: Int) -> PartialPane {
            PartialPane(
                baselineID: "m", topic: "t", partition: p, sequence: seq, fromOffset: 0, toOffset: 0, paneIndex: pane,
                watermarkPane: watermark, events: events, minEventMillis: pane * 10, maxEventMillis: pane * 10 + 9,
                lateEvents: 0,
                slots: events > 0 ? [.init(index: 0, count: events)] : [], cells: [])
        }
        #expect(merger.accept(partial(0, 1, pane: 0, watermark: 1, events: 3), slotCount: 2, cellCounts: []) == .merged)
        #expect(merger.takeReady().isEmpty)
        #expect(merger.accept(partial(1, 2, pane: 0, watermark: 1, events: 4), slotCount: 2, cellCounts: []) == .gap)
        #expect(merger.accept(partial(1, 1, pane: 0, watermark: 1, events: 4), slotCount: 2, cellCounts: []) == .merged)
        #expect(
            merger.accept(partial(1, 1, pane: 0, watermark: 1, events: 4), slotCount: 2, cellCounts: []) == .repeated)
        let ready = merger.takeReady()
        #expect(ready.map(\.index) == [0])
        #expect(ready.first?.events == 7)
        #expect(ready.first?.slots == [7, 0])
        #expect(
            merger.accept(partial(1, 2, pane: 0, watermark: 2, events: 1), slotCount: 2, cellCounts: []) == .tooLate)
        #expect(merger.eventsMerged == 7)
    }
}
