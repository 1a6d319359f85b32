import DriftCore
import Foundation
import Testing

@Suite("Canary comparison: rollback, promote, false rollbacks")
struct CanaryComparisonTests {
    @Test("shifted predictions and doubled latency: one rollback naming both, with values and intervals")
    func rollback() throws {
        let run = try CanarySimulation(predictionShift: 0.1, latencyFactor: 2).run(seed: 7)
        let decision = try #require(run.decision)
        #expect(decision.decision == "rollback")
        #expect(decision.incumbent == "1" && decision.candidate == "2" && decision.model == "m")
        #expect(Set(decision.worse) == ["prediction", "latency"], "\(decision.worse)")
        let latency = try #require(decision.comparisons.first { $0.quantity == "latency" })
        #expect(latency.worse && latency.lower > 1.2 && latency.difference > 1.7 && latency.difference < 2.3)
        let p99 = try #require(decision.latencyP99)
        #expect(p99.candidate / p99.incumbent > 1.6 && p99.candidate / p99.incumbent < 2.5)
        let prediction = try #require(decision.comparisons.first { $0.quantity == "prediction" })
        #expect(prediction.worse && prediction.lower > 0.02 && prediction.candidateValue > prediction.incumbentValue)
        #expect(decision.interval?.count == 2 && decision.metric != nil && decision.incumbentValue != nil)
        #expect(
            decision.events.incumbent >= CanaryRule.warmupEvents && decision.events.candidate >= CanaryRule.warmupEvents
        )
        // x did not move: its interval holds 0.
        let x = try #require(decision.comparisons.first { $0.quantity == "feature:x" })
        #expect(!x.worse && x.lower < 0 && x.upper > 0)
        // Decided once: more traffic changes nothing.
        var comparison = run.comparison
        #expect(comparison.advance(to: EventTime(millisecondsSinceEpoch: 10_000_000_000)) == nil)
        #expect(comparison.isDecided)
    }

    @Test("an equal candidate is promoted after the minimum of events, never rolled back")
    func promote() throws {
        for seed: UInt64 in [1, 2, 3] {
            let run = try CanarySimulation().run(seed: seed)
            let decision = try #require(run.decision, "seed \(seed)")
            #expect(decision.decision == "promote", "seed \(seed): \(decision.reason)")
            #expect(decision.events.candidate >= 2000 && decision.events.incumbent >= 2000)
            #expect(decision.worse.isEmpty && decision.metric == nil)
            #expect(decision.comparisons.count == 3)
        }
    }

    @Test("the state round-trips through JSON; a state made under another rule is refused")
    func checkpoint() throws {
        let simulation = CanarySimulation(predictionShift: 0.1, latencyFactor: 2, maxPanes: 1)
        let partial = try simulation.run(seed: 7)
        #expect(partial.decision == nil)
        let data = try JSONEncoder().encode(partial.comparison.state)
        let state = try JSONDecoder().decode(CanaryComparison.State.self, from: data)
        #expect(state == partial.comparison.state)
        var restored = try CanaryComparison(
            rule: CanarySimulation.rule, incumbent: CanarySimulation.baseline(version: "1"),
            candidate: CanarySimulation.baseline(version: "2"))
        let accepted = restored.restore(state)
        #expect(accepted && restored.state == state)
        var other = CanarySimulation.rule
        other.alpha = 0.01
        var mismatched = try CanaryComparison(
            rule: other, incumbent: CanarySimulation.baseline(version: "1"),
            candidate: CanarySimulation.baseline(version: "2"))
        let refused = mismatched.restore(state)
        #expect(!refused)
    }

    /// Equal versions, many seeds: the share of runs that ever publish a rollback stays at or
    /// below alpha. The margins are tiny (a hundredth of the example's), so the test is nearly
    /// the bare "interval excludes zero" test. `DRIFTD_CANARY_SEEDS` raises the seed count for
    /// the larger run reported in docs/statistics.md (1,000 seeds).
    @Test("false-rollback rate on equal versions over seeds is at most alpha")
    func falseRollbackRate() throws {
        let seeds = Int(ProcessInfo.processInfo.environment["DRIFTD_CANARY_SEEDS"] ?? "") ?? 40
        let rule = CanaryRule(
            model: "m", incumbent: "1", candidate: "2",
            margins: [.prediction: 0.0002, .features: 0.001, .latency: 1.002],
            alpha: 0.05, minEvents: 1_000_000, step: .seconds(60))
        var rollbacks = 0
        var panes = 0
        for seed in 0..<seeds {
            let run = try CanarySimulation(perPane: 100, maxPanes: 100).run(seed: UInt64(1000 + seed), rule: rule)
            if run.decision?.decision == "rollback" { rollbacks += 1 }
            #expect(run.decision?.decision != "promote")
            panes += run.candidateEvents / 100
        }
        let rate = Double(rollbacks) / Double(seeds)
        print(
            "canary false-rollback rate: \(rollbacks)/\(seeds) = \(rate) (alpha 0.05, \(panes) panes of 100+100 events watched)"
        )
        #expect(rate <= rule.alpha)
    }

    @Test(
        "reject rate and accuracy on labels: a candidate rejecting 5 % or right 80 % of the time is rolled back on it")
    func rejectsAndAccuracy() throws {
        func run(_ margins: [CanaryMetric: Double]) throws -> CanaryPayload? {
            let rule = CanaryRule(model: "m", incumbent: "1", candidate: "2", margins: margins, minEvents: 1_000)
            var comparison = try CanaryComparison(
                rule: rule, incumbent: CanarySimulation.baseline(version: "1"),
                candidate: CanarySimulation.baseline(version: "2"))
            let schema = try ModelSchema(baseline: CanarySimulation.baseline(version: "1"))
            for pane in 0..<50 {
                for arm in [CanaryComparison.Arm.incumbent, .candidate] {
                    var batch = ColumnarBatch(schema: schema, capacity: 200)
                    for i in 0..<200 {
                        let t = Int64(pane) * 60_000 + Int64(i) * 300
                        batch.append(timestamp: t, values: [0], prediction: 0.3)
                        let right = arm == .candidate ? i % 5 != 0 : i % 20 != 0
                        comparison.recordLabel(arm, correct: right, at: EventTime(millisecondsSinceEpoch: t))
                    }
                    comparison.ingest(arm, batch: batch, latencies: [])
                    if arm == .candidate {
                        comparison.recordRejects(
                            .candidate, count: 10, at: EventTime(millisecondsSinceEpoch: Int64(pane) * 60_000 + 30_000))
                    }
                }
                if let decision = comparison.advance(
                    to: EventTime(millisecondsSinceEpoch: Int64(pane + 1) * 60_000 - 1))
                {
                    return decision
                }
            }
            return nil
        }
        let onAccuracy = try #require(try run([.accuracy: 0.02]))
        #expect(onAccuracy.decision == "rollback" && onAccuracy.worse == ["accuracy"])
        let accuracy = try #require(onAccuracy.comparisons.first)
        #expect(
            accuracy.direction == "lower_is_worse" && abs(accuracy.incumbentValue - 0.95) < 1e-9
                && abs(accuracy.candidateValue - 0.8) < 1e-9)
        let onRejects = try #require(try run([.rejectRate: 0.01]))
        #expect(onRejects.decision == "rollback" && onRejects.worse == ["reject_rate"])
        let rejects = try #require(onRejects.comparisons.first)
        #expect(
            rejects.direction == "higher_is_worse" && rejects.incumbentValue == 0
                && abs(rejects.candidateValue - 10.0 / 210) < 1e-9)
        // Within a wide margin (0.15 below, margin 0.5): promoted after the minimum of events.
        #expect(try run([.accuracy: 0.5, .prediction: 0.1])?.decision == "promote")
    }
}
