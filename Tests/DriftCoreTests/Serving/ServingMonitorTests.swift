import DriftCore
import Foundation
import Testing

@Suite struct ServingMonitorTests {
    private func monitor(_ objectives: [ServingObjective], price: Double? = nil) -> ServingMonitor {
        ServingMonitor(
            model: "churn", version: "3", baselineID: "churn@3:x", window: .count(events: 1000, panes: 10),
            rule: ServingRule(costUnit: "USD", costPer1000Predictions: price, objectives: objectives))
    }

    /// Feeds `panes` panes of 100 events whose latencies are `base` + small jitter; returns the alerts.
    private func feed(_ m: inout ServingMonitor, panes: Int, base: Double, cost: Double = .nan, clock: inout Int64)
        -> [AlertPayload]
    {
        var alerts: [AlertPayload] = []
        for _ in 0..<panes {
            let ts = (0..<100).map { clock + Int64($0) * 10 }
            clock += 1000
            let lat = (0..<100).map { base + Double($0 % 10) }
            alerts += m.ingest(timestamps: ts, latencies: lat, costs: [Double](repeating: cost, count: 100)).alerts
        }
        return alerts
    }

    @Test func p99ObjectiveFiresOnceAndResolvesWithHysteresis() throws {
        let rule = AlertRule(forEvaluations: 2, cooldown: .zero, minSamples: 500)
        var m = monitor([ServingObjective(kind: .latency(.p99), threshold: 200, resolveThreshold: 150, rule: rule)])
        var clock: Int64 = 1_000_000
        let r1 = feed(&m, panes: 12, base: 20, clock: &clock)
        #expect(r1.isEmpty)
        // Latency jumps to about 400 ms: p99 crosses 200 once half the window is slow.
        let fired = feed(&m, panes: 10, base: 400, clock: &clock)
        #expect(fired.count == 1)
        let alert = try #require(fired.first)
        #expect(alert.status == .firing)
        #expect(alert.target == "latency")
        #expect(alert.method == "p99")
        #expect(alert.version == "3")
        #expect(alert.score >= 200)
        // Back to 20 ms: resolves once p99 stays below 150 for 2 evaluations; only once.
        let resolved = feed(&m, panes: 12, base: 20, clock: &clock)
        #expect(resolved.map(\.status) == [.resolved])
        #expect(resolved.first?.fingerprint == alert.fingerprint)
    }

    @Test func objectiveWaitsForMinSamplesAndCooldown() {
        let rule = AlertRule(forEvaluations: 1, cooldown: .seconds(60), minSamples: 800)
        var m = monitor([ServingObjective(kind: .latency(.p50), threshold: 100, rule: rule)])
        var clock: Int64 = 0
        // 700 slow latencies: too few samples for a verdict.
        let r2 = feed(&m, panes: 7, base: 300, clock: &clock)
        #expect(r2.isEmpty)
        let r3 = feed(&m, panes: 1, base: 300, clock: &clock)
        #expect(r3.map(\.status) == [.firing])
        let r4 = feed(&m, panes: 10, base: 10, clock: &clock)
        #expect(r4.map(\.status) == [.resolved])
        // Slow again 10 s of event time later: inside the 60 s cooldown, no new firing yet.
        let r5 = feed(&m, panes: 10, base: 300, clock: &clock)
        #expect(r5.isEmpty)
        // 60 s after the resolve, it fires again.
        let r6 = feed(&m, panes: 50, base: 300, clock: &clock)
        #expect(r6.map(\.status) == [.firing])
    }

    @Test func costBudgetFromConfiguredPrice() throws {
        let rule = AlertRule(forEvaluations: 1, cooldown: .zero, minSamples: 100)
        var m = monitor([ServingObjective(kind: .costPer1000, threshold: 0.5, rule: rule)], price: 0.4)
        var clock: Int64 = 0
        let r7 = feed(&m, panes: 10, base: 10, clock: &clock)
        #expect(r7.isEmpty)
        let e = try #require(m.latest)
        #expect(abs(e.costPer1000! - 0.4) < 1e-12)
        // Events now carry their own cost, 0.0008 each = 0.8 per 1,000: over budget.
        let alerts = feed(&m, panes: 10, base: 10, cost: 0.0008, clock: &clock)
        #expect(alerts.map(\.status) == [.firing])
        #expect(alerts.first?.target == "cost")
        #expect(alerts.first?.method == "cost_per_1000")
        #expect(alerts.first?.reason.contains("USD") == true)
    }

    @Test func evaluationReportsEveryPercentile() throws {
        var m = monitor([])
        var clock: Int64 = 0
        _ = feed(&m, panes: 10, base: 50, clock: &clock)
        let e = try #require(m.latest)
        #expect(e.latency[.max] == 59)
        #expect(abs(e.latency[.p50]! - 54) / 54 <= 0.01)
        #expect(e.costPer1000 == nil)
    }

    @Test func stateRestoresAlertPhase() throws {
        let rule = AlertRule(forEvaluations: 1, cooldown: .zero, minSamples: 100)
        var m = monitor([ServingObjective(kind: .latency(.p99), threshold: 100, rule: rule)])
        var clock: Int64 = 0
        let r8 = feed(&m, panes: 10, base: 300, clock: &clock)
        #expect(r8.count == 1)
        let saved = try JSONDecoder().decode(ServingMonitor.State.self, from: JSONEncoder().encode(m.state))
        var restored = monitor([ServingObjective(kind: .latency(.p99), threshold: 100, rule: rule)])
        let ok = restored.restore(saved)
        #expect(ok)
        // Still firing after the restart: no second firing, a resolve when it recovers.
        let r9 = feed(&restored, panes: 10, base: 300, clock: &clock)
        #expect(r9.isEmpty)
        let r10 = feed(&restored, panes: 10, base: 10, clock: &clock)
        #expect(r10.map(\.status) == [.resolved])
        var other = monitor([])
        let refused = !other.restore(saved)
        #expect(refused)
    }
}
