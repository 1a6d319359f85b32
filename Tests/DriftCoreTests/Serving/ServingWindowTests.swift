import DriftCore
import Foundation
import Testing

@Suite struct ServingWindowTests {
    @Test func countWindowPercentilesMatchNumpyOnTheLastWindow() throws {
        let fixtures = try LatencyFixtures.load()
        let c = try #require(fixtures.cases.first { $0.window != nil })
        let w = try #require(c.window)
        var window = ServingWindow(spec: .count(events: try #require(w.events), panes: try #require(w.panes)))
        var snapshots: [ServingSnapshot] = []
        var start = 0
        while start < c.values.count {  // uneven batches across pane boundaries
            let end = min(c.values.count, start + 777)
            let ts = (start..<end).map { Int64($0) }
            snapshots += window.ingest(
                timestamps: ts, latencies: Array(c.values[start..<end]),
                costs: [Double](repeating: .nan, count: ts.count))
            start = end
        }
        #expect(snapshots.count == c.values.count / (w.events! / w.panes!))
        let last = try #require(snapshots.last)
        #expect(last.events == w.events)
        for (i, q) in fixtures.quantiles.enumerated() {
            let value = try #require(last.sketch.quantile(q))
            let error = abs(value - w.lower[i]) / w.lower[i]
            #expect(error <= 0.01 * (1 + 1e-9), "q=\(q): window \(value), numpy \(w.lower[i])")
        }
        // The window slid: its median is far above the whole stream's (the latency doubled).
        #expect(try #require(last.value(of: .p50)) > c.lower[0] * 1.3)
    }

    @Test func timeWindowDropsOldPanesAndCountsLateEvents() {
        var window = ServingWindow(spec: .time(duration: .milliseconds(3000), panes: 3))
        let nan = Double.nan
        _ = window.ingest(timestamps: [0, 500, 1000, 1500], latencies: [10, 10, 20, 20], costs: [nan, nan, nan, nan])
        // Pane 2 starts: panes 0 and 1 closed.
        _ = window.ingest(timestamps: [2000], latencies: [30], costs: [nan])
        // Pane 5 starts: the window is panes 2...4; panes 0 and 1 are gone.
        let snapshots = window.ingest(timestamps: [5000], latencies: [40], costs: [nan])
        #expect(snapshots.last?.sketch.count == 1)
        #expect(snapshots.last?.sketch.max == 30)
        // A late event of pane 3 (still in the window, had no event) joins the window.
        _ = window.ingest(timestamps: [3500], latencies: [35], costs: [nan])
        #expect(window.snapshot?.sketch.count == 2)
        // A late event of pane 0 is dropped and counted.
        _ = window.ingest(timestamps: [100], latencies: [99], costs: [nan])
        #expect(window.lateEvents == 1)
        // An idle stream: advancing the clock closes the open pane.
        let advanced = window.advance(to: EventTime(millisecondsSinceEpoch: 6100))
        #expect(advanced.last?.sketch.max == 40)
        #expect(advanced.last?.sketch.count == 2)
    }

    @Test func costRatesFromEventCostsAndConfiguredPrice() {
        var window = ServingWindow(spec: .count(events: 4, panes: 1))
        let snapshots = window.ingest(
            timestamps: [0, 1_200_000, 2_400_000, 3_600_000], latencies: [1, 1, 1, 1], costs: [0.002, .nan, 0.004, .nan]
        )
        let s = snapshots[0]
        #expect(s.costEvents == 2)
        #expect(abs(s.costSum - 0.006) < 1e-15)
        // Only event costs: per 1,000 over the 2 costed events; per hour over the 1 h span.
        #expect(abs(s.costPer1000(costPer1000Predictions: nil)! - 3) < 1e-12)
        #expect(abs(s.costPerHour(costPer1000Predictions: nil, windowLength: nil)! - 0.006) < 1e-15)
        // A configured price of 1 per 1,000 fills the two events without a cost.
        #expect(abs(s.totalCost(costPer1000Predictions: 1)! - 0.008) < 1e-15)
        #expect(abs(s.costPer1000(costPer1000Predictions: 1)! - 2) < 1e-12)
        // Time windows use their configured length: 0.008 over 30 minutes = 0.016 per hour.
        #expect(abs(s.costPerHour(costPer1000Predictions: 1, windowLength: .milliseconds(1_800_000))! - 0.016) < 1e-15)
    }

    @Test func stateRoundTripsThroughJSON() throws {
        var window = ServingWindow(spec: .count(events: 100, panes: 4))
        _ = window.ingest(
            timestamps: Array(0..<60), latencies: (0..<60).map { Double($0) },
            costs: [Double](repeating: 0.5, count: 60))
        let decoded = try JSONDecoder().decode(ServingWindow.self, from: JSONEncoder().encode(window))
        #expect(decoded == window)
    }
}
