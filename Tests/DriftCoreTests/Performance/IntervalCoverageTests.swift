import DriftCore
import Foundation
import Testing

/// How often the intervals of performance rules hold the true value, on seeded simulations
/// through `AccuracyTracker` (the code path of the daemon). Measured figures are in
/// docs/accuracy.md ("Significance"); the bounds here leave room for simulation noise.
@Suite("Performance intervals: coverage on simulated windows")
struct IntervalCoverageTests {
    /// Calibrated binary scores: score ~ U(0, 1), label ~ Bernoulli(score).
    static func pairs(_ n: Int, _ r: inout SplitMix64) -> (scores: [Double], labels: [Double]) {
        var scores: [Double] = []
        var labels: [Double] = []
        for _ in 0..<n {
            let s = r.nextUnitInterval()
            scores.append(s)
            labels.append(r.nextUnitInterval() < s ? 1 : 0)
        }
        return (scores, labels)
    }

    /// The last evaluation of a full window of `pairs`, under rules on `metrics`.
    static func evaluate(
        _ pairs: (scores: [Double], labels: [Double]), window: Int, panes: Int, metrics: [PerformanceMetric]
    ) -> AccuracyEvaluation? {
        let rule = AccuracyRule(
            enabled: true, windowEvents: window, panes: panes, minSamples: window,
            rules: metrics.map { PerformanceRule(metric: $0, bound: .below, threshold: 0.5) })
        var tracker = AccuracyTracker(rule: rule, task: .binary)
        var last: AccuracyEvaluation?
        for i in pairs.scores.indices {
            let correct = (pairs.scores[i] >= 0.5) == (pairs.labels[i] == 1)
            if let e = tracker.record(
                correct: correct, at: EventTime(millisecondsSinceEpoch: Int64(i)), prediction: pairs.scores[i],
                label: pairs.labels[i])
            {
                last = e
            }
        }
        return last
    }

    @Test(
        "Clopper-Pearson (accuracy) and batch-means t (log loss, ROC AUC, F1 macro) cover the true value at about their 98%"
    )
    func coverage() throws {
        var r = SplitMix64(seed: 2026)
        // The population values, from one large sample.
        let metrics: [PerformanceMetric] = [.accuracy, .logLoss, .rocAUC, .f1Macro]
        let population = Self.pairs(200_000, &r)
        let truth = PerformanceMetrics(task: .binary, predictions: population.scores, labels: population.labels)
        var covered = [PerformanceMetric: Int]()
        let replicates = 200
        for _ in 0..<replicates {
            let e = try #require(Self.evaluate(Self.pairs(1_000, &r), window: 1_000, panes: 10, metrics: metrics))
            #expect(e.labelled == 1_000)
            for outcome in e.rules {
                let interval = try #require(outcome.interval)
                let value = try #require(truth[outcome.rule.metric])
                if interval.lower <= value && value <= interval.upper { covered[outcome.rule.metric, default: 0] += 1 }
            }
        }
        let rates = metrics.map { Double(covered[$0] ?? 0) / Double(replicates) }
        print(
            "interval coverage (nominal 0.98):",
            zip(metrics.map(\.rawValue), rates).map { "\($0) \($1)" }.joined(separator: ", "))
        // 200 replicates: a 98% interval covers in 196 +- 2 (one sd); allow four sd below (the
        // batch-means t interval is approximate for the non-additive metrics).
        #expect(rates.allSatisfy { $0 >= 0.94 })
        #expect(rates.allSatisfy { $0 <= 1 })
    }
}
