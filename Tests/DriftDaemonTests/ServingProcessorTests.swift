import DriftConfig
import DriftCore
import DriftDaemon
import DriftDecode
import Foundation
import Testing

@Suite("Event processor: latency and cost")
struct ServingProcessorTests {
    /// A processor over the harness baseline: count window of 1,000 events in 10 panes, a p99
    /// objective of 200 ms (for 2) and a price of 0.4 per 1,000 predictions.
    static func processor() throws -> EventProcessor {
        let objective = ServingObjective(
            kind: .latency(.p99), threshold: 200, resolveThreshold: 180,
            rule: AlertRule(forEvaluations: 2, cooldown: .zero, minSamples: 500))
        let model = ModelConfiguration(
            baselinePath: "(memory)", baseline: try PipelineHarness.makeBaseline(),
            window: .count(events: 1000, panes: 10),
            defaultRule: AlertRule(forEvaluations: 1, cooldown: .zero, minSamples: 10_000),
            serving: ServingRule(costPer1000Predictions: 0.4, objectives: [objective]))
        return try EventProcessor(models: [model], maxEventBytes: 65_536, maxFutureSkew: nil)
    }

    /// Sends `count` events with latencies `latency(i)` (nil: no latency_ms) and an optional cost.
    static func send(_ p: EventProcessor, from start: Int, count: Int, cost: Double? = nil, latency: (Int) -> Double?)
        -> ProcessingResult
    {
        let messages = (start..<start + count).map { i -> [UInt8] in
            let l = latency(i).map { ",\"latency_ms\":\($0)" } ?? ""
            let c = cost.map { ",\"cost\":\($0)" } ?? ""
            return Array(
                #"{"model":"m","timestamp":\#(1_795_000_000_000 + Int64(i) * 100),"features":{"x":0.1,"c":"a"}\#(l)\#(c)}"#
                    .utf8)
        }
        return messages.withUnsafeBufferPointers { buffers in
            p.process(count: buffers.count, now: WallClockTime(millisecondsSinceEpoch: 0)) {
                EventPayload(bytes: buffers[$0], fallbackTimestampMs: 0)
            }
        }
    }

    static func latencyAlerts(_ result: ProcessingResult) -> [AlertPayload] {
        result.outputs.compactMap { if case .alert(let a) = $0, a.target == "latency" { a } else { nil } }
    }

    @Test("latency_ms reaches the serving monitor: p99 doubles past the objective, one firing, then one resolve")
    func latencyObjective() throws {
        let p = try Self.processor()
        var fired: [AlertPayload] = []
        // 2,000 events at 100-150 ms, a fifth without latency_ms.
        for b in 0..<4 {
            let r = Self.send(p, from: b * 500, count: 500) { i in i % 5 == 0 ? nil : 100 + Double(i % 50) }
            fired += Self.latencyAlerts(r)
            #expect(r.serving.count == 1)
            #expect(r.serving.first?.latencies.count == 400)
            #expect(abs((r.serving.first?.cost ?? 0) - 0.2) < 1e-12)  // 500 events at the configured price
        }
        #expect(fired.isEmpty)
        let evaluation = try #require(p.servingMonitors[0].latest)
        #expect(abs(evaluation.latency[.p99]! - 149) / 149 <= 0.01)
        #expect(evaluation.latency[.max] == 149)
        #expect(abs(evaluation.costPer1000! - 0.4) < 1e-12)
        // The latency doubles: one firing alert naming p99.
        for b in 4..<8 {
            fired += Self.latencyAlerts(Self.send(p, from: b * 500, count: 500) { i in 200 + Double(2 * (i % 50)) })
        }
        #expect(fired.map(\.status) == [.firing])
        #expect(fired.first?.method == "p99")
        #expect(fired.first?.model == "m")
        // Recovery: one resolve.
        var resolved: [AlertPayload] = []
        for b in 8..<12 {
            resolved += Self.latencyAlerts(Self.send(p, from: b * 500, count: 500) { i in 100 + Double(i % 50) })
        }
        #expect(resolved.map(\.status) == [.resolved])
        #expect(resolved.first?.fingerprint == fired.first?.fingerprint)
    }

    @Test("event cost fields override the configured price; serving state round-trips")
    func costAndState() throws {
        let p = try Self.processor()
        let r = Self.send(p, from: 0, count: 1000, cost: 0.001) { _ in 10 }
        #expect(abs((r.serving.first?.cost ?? 0) - 1.0) < 1e-9)
        let evaluation = try #require(p.servingMonitors[0].latest)
        #expect(abs(evaluation.costPer1000! - 1.0) < 1e-9)
        // 1,000 events 100 ms apart: a 99.9 s span, so 1.0 per 99.9 s = 36.04 per hour.
        #expect(abs(evaluation.costPerHour! - 1.0 / (99_900.0 / 3_600_000)) < 1e-9)
        // The serving state travels in the monitor state (checkpoints, rollbacks, reloads).
        let saved = try JSONDecoder().decode(
            [String: ModelMonitor.State].self, from: JSONEncoder().encode(p.state))
        #expect(saved.values.first?.serving != nil)
        let fresh = try Self.processor()
        #expect(fresh.restore(saved) == [p.servingMonitors[0].baselineID])
        #expect(fresh.servingMonitors[0].latest == p.servingMonitors[0].latest)
        // State without serving (saved before it existed) restores the drift window and starts serving empty.
        var old = saved
        for key in old.keys { old[key]?.serving = nil }
        #expect(fresh.restore(old) == [p.servingMonitors[0].baselineID])
        #expect(fresh.servingMonitors[0].latest == nil)
    }
}

@Suite("Metrics: latency and cost")
struct ServingMetricsTests {
    @Test("a batch's latencies fill the driftd_latency_ms histogram; an evaluation sets percentile and cost gauges")
    func exported() throws {
        let p = try ServingProcessorTests.processor()
        let result = ServingProcessorTests.send(p, from: 0, count: 1000, cost: 0.001) { i in i < 980 ? 15 : 700 }
        let metrics = DaemonMetrics()
        metrics.serving(result.serving)
        let text = metrics.registry.emitToString()
        #expect(text.contains(#"driftd_latency_ms_bucket{model="m",version="1",le="10.0"} 0"#))
        #expect(text.contains(#"driftd_latency_ms_bucket{model="m",version="1",le="20.0"} 980"#))
        #expect(text.contains(#"driftd_latency_ms_bucket{model="m",version="1",le="1000.0"} 1000"#))
        #expect(text.contains(#"driftd_latency_ms_count{model="m",version="1"} 1000"#))
        #expect(text.contains(#"driftd_latency_percentile_ms{model="m",version="1",percentile="max"} 700.0"#))
        #expect(text.contains(#"driftd_cost_total{model="m",version="1",unit="USD"} 1.0"#))
        #expect(text.contains(#"driftd_cost_per_1000_predictions{model="m",version="1",unit="USD"} 1.0"#))
        // 20 of 1,000 at 700 ms: the order statistic of rank 989 is one of them.
        let p99 = try #require(
            text.split(separator: "\n").first {
                $0.hasPrefix(#"driftd_latency_percentile_ms{model="m",version="1",percentile="p99"}"#)
            })
        let value = try #require(Double(p99.split(separator: " ").last ?? ""))
        #expect(abs(value - 700) / 700 <= 0.01)
    }
}
