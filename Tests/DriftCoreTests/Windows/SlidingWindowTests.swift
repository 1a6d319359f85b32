import DriftCore
import Testing

@Suite("Sliding windows")
struct SlidingWindowTests {
    @Test("count window over a stream equals numpy's histogram of the last panes")
    func countWindowMatchesNumpy() throws {
        let c = try #require(try HistogramFixtures.load().cases.first { $0.name == "count_window" })
        let w = try #require(c.window)
        let schema = try numericSchema(edges: c.edges)
        var window = SlidingWindow(schema: schema, spec: .count(events: w.events, panes: w.panes))
        let column = c.column
        // Feed in uneven batches so pane boundaries fall inside batches.
        var start = 0
        var sizes = [1, 999, 1500, 37, 4096, 3]
        var snapshots: [WindowSnapshot] = []
        while start < column.count {
            let size = min(sizes.first ?? 2000, column.count - start)
            sizes = Array(sizes.dropFirst()) + [sizes.first ?? 2000]
            snapshots += window.ingest(batch(schema, column[start..<start + size], start: Int64(start)))
            start += size
        }
        let last = try #require(snapshots.last)
        let layout = HistogramLayout(schema: schema)
        #expect(Array(last.binCounts(column: 0, layout: layout)) == w.counts)
        #expect(last.missing(column: 0, layout: layout) == w.missing)
        #expect(last.events == w.window_events)
        // One snapshot per closed pane: 23,456 events in panes of 1,000.
        #expect(snapshots.count == column.count / (w.events / w.panes))
        #expect(snapshots.map(\.closedPane) == (0..<Int64(snapshots.count)).map { $0 })
    }

    @Test("parallel binning across columns gives the same counters as serial")
    func parallelEqualsSerial() throws {
        var features: [FeatureProfile] = []
        for f in 0..<24 {
            let edges = (0..<(4 + f % 5 * 4)).map { Double($0) - 2 }
            features.append(
                FeatureProfile(
                    name: "f\(f)", type: .numeric, edges: edges, counts: [Double](repeating: 1, count: edges.count + 1))
            )
        }
        let schema = try ModelSchema(
            baseline: Baseline(id: "m", model: "m", version: "1", rowCount: 1, features: features))
        var b = ColumnarBatch(schema: schema, capacity: 5000)
        var generator = SystemRandomNumberGenerator()
        for i in 0..<5000 {
            let row = (0..<24).map { _ in Double.random(in: -4...12, using: &generator) }
            b.append(timestamp: Int64(i), values: row, prediction: .nan)
        }
        var serial = SlidingWindow(schema: schema, spec: .count(events: 2000, panes: 4))
        serial.parallelThreshold = .max
        var parallel = SlidingWindow(schema: schema, spec: .count(events: 2000, panes: 4))
        parallel.parallelThreshold = 0
        let s = serial.ingest(b)
        let p = parallel.ingest(b)
        #expect(s == p)
        #expect(s.count == 10)
    }

    @Test("time window: panes by event time, late events join their pane or are dropped")
    func timeWindow() throws {
        let schema = try numericSchema(edges: [0, 10])
        // 4 panes of 1 second.
        var window = SlidingWindow(schema: schema, spec: .time(duration: .milliseconds(4000), panes: 4))
        let layout = HistogramLayout(schema: schema)
        // Pane 0: three values at t = 0..2 ms.
        let opened = window.ingest(batch(schema, [1, 2, 3], start: 0))
        #expect(opened.isEmpty)
        // Pane 1 opens: pane 0 closes.
        let first = window.ingest(batch(schema, [20], start: 1000))
        #expect(first.count == 1)
        #expect(first[0].events == 3)
        #expect(Array(first[0].binCounts(column: 0, layout: layout)) == [0, 3, 0])
        // A late event for pane 0 (still in the window) joins it.
        let late = window.ingest(batch(schema, [-5], start: 500))
        #expect(late.isEmpty)
        #expect(window.snapshot?.events == 4)
        // Jump to pane 6: closes pane 1, evaluated on its own window (panes 0 and 1: 4 + 1
        // events, ending at pane 1's event); then the window slides to panes 2...5 and both leave.
        let jump = window.ingest(batch(schema, [5], start: 6000))
        #expect(jump.count == 1)
        #expect(jump[0].events == 5)
        #expect(jump[0].closedPane == 1)
        #expect(jump[0].end == EventTime(millisecondsSinceEpoch: 1000))
        #expect(Array(jump[0].binCounts(column: 0, layout: layout)) == [1, 3, 1])
        #expect(window.events == 0)
        // An event for pane 0, now outside the window, is dropped and counted.
        let tooLate = window.ingest(batch(schema, [5], start: 10))
        #expect(tooLate.isEmpty)
        #expect(window.lateEvents == 1)
        // Idle stream: wall clock passes pane 6's end.
        let idle = window.advance(to: EventTime(millisecondsSinceEpoch: 7001))
        #expect(idle.count == 1)
        #expect(idle[0].events == 1)
    }

    @Test("a batch spanning several time panes is split by pane, in time order")
    func timeBatchSplit() throws {
        let schema = try numericSchema(edges: [0])
        var window = SlidingWindow(schema: schema, spec: .time(duration: .milliseconds(300), panes: 3))
        var b = ColumnarBatch(schema: schema)
        // Out of order within the batch: panes 2, 0, 1, 0.
        for (t, v) in [(250, 1.0), (10, -1.0), (150, 1.0), (20, -1.0)] {
            b.append(timestamp: Int64(t), values: [v], prediction: .nan)
        }
        let snapshots = window.ingest(b)
        #expect(snapshots.map(\.closedPane) == [0, 1])
        #expect(snapshots.map(\.events) == [2, 3])
        #expect(window.pendingEvents == 1)
    }

    @Test(
        "ingesting a batch in row ranges equals ingesting it whole, for count and time windows",
        arguments: [
            WindowSpec.count(events: 1_000, panes: 4), WindowSpec.time(duration: .milliseconds(1_200), panes: 4)
        ])
    func rowRanges(spec: WindowSpec) throws {
        let schema = try numericSchema(edges: [-1, 0, 1])
        var generator = SystemRandomNumberGenerator()
        let values = (0..<3_000).map { _ in Double.random(in: -2...2, using: &generator) }
        let whole = batch(schema, values[...], start: 0, step: 1)
        var a = SlidingWindow(schema: schema, spec: spec)
        var b = SlidingWindow(schema: schema, spec: spec)
        let once = a.ingest(whole)
        var pieces: [WindowSnapshot] = []
        var start = 0
        for size in [1, 249, 250, 500, 1_000, 999, 1] {
            pieces += b.ingest(whole, rows: start..<start + size)
            start += size
        }
        #expect(start == 3_000)
        #expect(once == pieces)
        #expect(a.snapshot == b.snapshot)
        #expect(b.ingest(whole, rows: 10..<10).isEmpty)
    }

    @Test("state round-trips; a state that does not fit the layout is refused")
    func persistence() throws {
        let schema = try numericSchema(edges: [0, 1, 2])
        var window = SlidingWindow(schema: schema, spec: .count(events: 100, panes: 5))
        for start in stride(from: 0, to: 250, by: 50) {
            _ = window.ingest(batch(schema, (start..<start + 50).map { Double($0 % 4) }[...], start: Int64(start)))
        }
        let restored = try #require(
            SlidingWindow(schema: schema, spec: .count(events: 100, panes: 5), state: window.state))
        #expect(restored.snapshot == window.snapshot)
        #expect(restored.pendingEvents == window.pendingEvents)
        var a = window
        var b = restored
        let more = batch(schema, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], start: 300)
        let fromLive = a.ingest(more)
        let fromRestored = b.ingest(more)
        #expect(fromLive == fromRestored)
        let other = try numericSchema(edges: [0, 1])
        #expect(SlidingWindow(schema: other, spec: .count(events: 100, panes: 5), state: window.state) == nil)
    }
}
