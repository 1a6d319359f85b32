import DriftCore
import Foundation
import Testing

@Suite("Scale-out against the single path on the same events")
struct ScaleOutSinglePathTests {
    /// The single path: one monitor, the events in event-time order, in batches of `batch`.
    static func single(_ events: [ScaleOutMergeTests.Event], baseline: Baseline, batch: Int) throws -> [MonitorOutput] {
        var monitor = try ScaleOutMergeTests.monitor(baseline)
        var outputs: [MonitorOutput] = []
        var start = 0
        let all = events + [ScaleOutMergeTests.Event(time: (events.last?.time ?? 0) + 100_000, values: [0, 1, 0])]
        while start < all.count {
            let n = min(batch, all.count - start)
            var b = ColumnarBatch(schema: monitor.schema, capacity: n)
            for e in all[start..<start + n] { b.append(timestamp: e.time, values: e.values, prediction: .nan) }
            outputs += monitor.ingest(b)
            start += n
        }
        return outputs
    }

    /// Per evaluation: window end, events, and per column status and score.
    static func windows(_ outputs: [MonitorOutput]) -> [String] {
        outputs.compactMap {
            guard case .evaluation(let e) = $0 else { return nil }
            return "\(e.windowEnd.millisecondsSinceEpoch) \(e.window.events) "
                + e.columns.map { "\($0.evaluation.status) \($0.evaluation.score)" }.joined(separator: ",")
        }
    }

    static func pValues(_ outputs: [MonitorOutput]) -> [[Double]] {
        outputs.compactMap {
            guard case .evaluation(let e) = $0 else { return nil }
            return e.columns.map { $0.evaluation.pValue ?? 1 }
        }
    }

    @Test(
        "12 partitions against one monitor on the events in time order: the same windows and scores, p-values no smaller, the same alerts but the pane CUSUM's (a pane later at most)"
    )
    func againstSinglePath() throws {
        let baseline = try SequentialDetectionTests.baseline()
        let events = ScaleOutMergeTests.events(count: 60_000, driftAt: 36_000, seed: 5)
        var r = SeededRandom(seed: 9)
        let spread = (0..<events.count).map { _ in Int(r.unit() * 12) }
        let twelve = try ScaleOutMergeTests.run(
            events, partitions: 12, assign: { spread[$0] }, batchSeed: 2, repeats: 0, baseline: baseline)
        let one = try Self.single(events, baseline: baseline, batch: 1_000)
        // Window contents and scores are equal pane by pane, the last pane before the jump to the
        // sentinel included (evaluated on its own window on both paths).
        let singleWindows = Self.windows(one)
        let scaleWindows = Self.windows(twelve.outputs)
        #expect(scaleWindows.count == 30)
        #expect(singleWindows == scaleWindows)
        #expect(scaleWindows.last?.hasPrefix("59999 10000 ") == true)
        // The window test's design effect at the evaluator is the fresh detector's (conservative):
        // p-values no smaller, so a window verdict "drifted" there is "drifted" on the single path.
        for (a, b) in zip(Self.pValues(one), Self.pValues(twelve.outputs)) {
            for (p, q) in zip(a, b) { #expect(q >= p * (1 - 1e-9), "single \(p), scale-out \(q)") }
        }
        #expect(zip(Self.pValues(one), Self.pValues(twelve.outputs)).contains { $0 != $1 }, "the design effects differ")
        // Alerts: the same (feature, status, method); the per-event CUSUM fires inside a pane, the
        // pane CUSUM at the end of that pane or of the next.
        let single = one.compactMap { o -> AlertPayload? in if case .alert(let a) = o { a } else { nil } }
        let scale = twelve.outputs.compactMap { o -> AlertPayload? in if case .alert(let a) = o { a } else { nil } }
        #expect(!single.isEmpty)
        #expect(
            single.map { "\($0.feature ?? "") \($0.status) \($0.method)" }
                == scale.map {
                    "\($0.feature ?? "") \($0.status) \($0.method)"
                })
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func pane(_ text: String) -> Int64 {
            Int64(((format.date(from: text)?.timeIntervalSince1970 ?? -1) * 1000).rounded()) / 2_000
        }
        for (a, b) in zip(single, scale) where a.method == ModelMonitor.sequentialMethod {
            #expect(pane(b.window.end) >= pane(a.window.end) && pane(b.window.end) <= pane(a.window.end) + 1)
        }
        for (a, b) in zip(single, scale) where a.method != ModelMonitor.sequentialMethod {
            #expect(a.window == b.window)
        }
    }
}
