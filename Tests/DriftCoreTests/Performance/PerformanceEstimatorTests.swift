import DriftCore
import Foundation
import Testing

@Suite("Estimated performance without labels (CBPE)")
struct PerformanceEstimatorTests {
    @Test("the isotonic calibration map agrees with scikit-learn's IsotonicRegression to 1e-9")
    func calibrationMatchesScikitLearn() throws {
        let cases = try PerformanceFixtures.list("calibration", "cases")
        #expect(cases.count == 3)
        for c in cases {
            let name = c["name"] as? String ?? "?"
            let map = try #require(
                CalibrationMap(
                    fitting: StatisticsFixtures.doubles(c["scores"]), labels: StatisticsFixtures.doubles(c["labels"])))
            let queries = StatisticsFixtures.doubles(c["queries"])
            let expected = StatisticsFixtures.doubles(c["predictions"])
            #expect(queries.count == expected.count && !queries.isEmpty)
            for (q, e) in zip(queries, expected) {
                #expect(abs(map.probability(q) - e) <= 1e-9, "\(name) at \(q): \(map.probability(q)) vs \(e)")
            }
            #expect(zip(map.probabilities, map.probabilities.dropFirst()).allSatisfy { $0 <= $1 })
        }
    }

    /// Calibrated scores: score ~ Beta-like via u^shape, label ~ Bernoulli(score).
    static func pairs(_ n: Int, _ r: inout SplitMix64, shape: Double = 1) -> (scores: [Double], labels: [Double]) {
        var scores: [Double] = []
        var labels: [Double] = []
        for _ in 0..<n {
            let u = r.nextUnitInterval()
            let s = u < 0.5 ? 0.5 * pow(2 * u, shape) : 1 - 0.5 * pow(2 * (1 - u), shape)
            scores.append(s)
            labels.append(r.nextUnitInterval() < s ? 1 : 0)
        }
        return (scores, labels)
    }

    @Test("on calibrated data the realised metric lies inside the estimate's 98% interval at about that rate")
    func coverage() throws {
        var r = SplitMix64(seed: 31)
        let training = Self.pairs(20_000, &r)
        let reference = try #require(
            PerformanceReference(labelColumn: "y", scores: training.scores, labels: training.labels))
        var covered = [PerformanceMetric: Int]()
        var errors = [PerformanceMetric: Double]()
        let replicates = 200
        for _ in 0..<replicates {
            let window = Self.pairs(1_000, &r)
            let estimate = PerformanceEstimate(
                scores: window.scores, calibration: reference.calibration, threshold: 0.5, alpha: 0.01)
            let realised = PerformanceMetrics(task: .binary, predictions: window.scores, labels: window.labels)
            for metric in PerformanceEstimate.metrics {
                let e = try #require(estimate[metric])
                let value = try #require(realised[metric])
                if e.lower <= value && value <= e.upper { covered[metric, default: 0] += 1 }
                errors[metric, default: 0] += abs(e.value - value) / Double(replicates)
            }
        }
        let rates = PerformanceEstimate.metrics.map { Double(covered[$0] ?? 0) / Double(replicates) }
        print(
            "estimate coverage (nominal 0.98):",
            zip(PerformanceEstimate.metrics.map(\.rawValue), rates).map { "\($0) \($1)" }.joined(separator: ", "),
            "; mean |estimate - realised|:",
            PerformanceEstimate.metrics.map { "\($0.rawValue) \(errors[$0] ?? 0)" }.joined(separator: ", "))
        // 200 windows: a 98% interval covers 196 +- 2; allow four sd below.
        for (metric, rate) in zip(PerformanceEstimate.metrics, rates) {
            #expect(rate >= 0.94, "\(metric.rawValue): \(rate)")
        }
        #expect(abs((reference.metrics["accuracy"] ?? 0) - 0.75) < 0.01)
    }

    @Test("a covariate shift to less confident scores lowers the estimate before any label arrives")
    func covariateShift() throws {
        var r = SplitMix64(seed: 32)
        let training = Self.pairs(20_000, &r)
        var baseline = try BaselineBuilder().build(
            model: "m", version: "1",
            columns: [
                DataColumn(name: "x", values: training.scores.map { .number($0) }),
                DataColumn(name: "score", values: training.scores.map { .number($0) }),
                DataColumn(name: "y", values: training.labels.map { .number($0) })
            ],
            predictionColumn: "score", labelColumn: "y")
        let reference = try #require(baseline.performanceReference)
        #expect(reference.format == "driftd.cbpe/v1" && reference.labelColumn == "y" && reference.rows == 20_000)
        #expect(baseline.features.map(\.name) == ["x"])
        #expect(baseline.validationErrors().isEmpty)
        // The baseline round-trips through JSON with its reference.
        let decoded = try JSONDecoder().decode(Baseline.self, from: JSONEncoder().encode(baseline))
        #expect(decoded == baseline)

        // A rule on the estimate: fires on the predictions alone, and asks for retraining.
        let rule = AccuracyRule(
            enabled: true, windowEvents: 2_000, panes: 4,
            rules: [
                PerformanceRule(metric: .accuracy, bound: .below, threshold: 0.7, retrain: true, estimated: true)
            ])
        var monitor = try AccuracyMonitor(baseline: baseline, rule: rule)
        var estimatedAlerts: [AlertPayload] = []
        var estimatedRetrains: [PerformanceRetrainRequest] = []
        func feed(_ scores: [Double], from start: Int) throws -> [PerformanceEstimate] {
            var batch = ColumnarBatch(schema: try ModelSchema(baseline: baseline))
            for (i, s) in scores.enumerated() { batch.append(timestamp: Int64(start + i), values: [s], prediction: s) }
            monitor.record(batch, ids: scores.indices.map { "e\(start + $0)" })
            let outputs = monitor.takeEstimatedOutputs()
            estimatedAlerts += outputs.alerts
            estimatedRetrains += outputs.retrain
            return monitor.takeEstimates()
        }
        let before = try feed(Self.pairs(4_000, &r).scores, from: 0)
        // Shape 1/3 pulls the scores towards 0.5: the model is less sure, so less often right (0.625).
        let after = try feed(Self.pairs(4_000, &r, shape: 1.0 / 3).scores, from: 4_000)
        #expect(before.count == 8 && after.count == 8)
        let accuracyBefore = try #require(before.last?[.accuracy])
        let accuracyAfter = try #require(after.last?[.accuracy])
        #expect(abs(accuracyBefore.value - 0.75) < 0.02)
        #expect(accuracyAfter.value < 0.65 && accuracyAfter.upper < accuracyBefore.lower)
        #expect(monitor.tracker.labelled == 0)  // no label has arrived
        #expect(estimatedAlerts.map(\.status) == [.firing] && estimatedRetrains.count == 1)
        let alert = try #require(estimatedAlerts.first)
        #expect(alert.target == "performance" && alert.method == "estimated_accuracy" && alert.pValue == nil)
        #expect(alert.performance?.interval?.method == "cbpe_normal" && (alert.performance?.interval?.upper ?? 1) < 0.7)
        #expect(alert.window.events == 2_000 && alert.reason.contains("(no labels)"))
        #expect(estimatedRetrains.first?.evidence == alert.performance)
        // Without a performance reference, rules on estimates are refused.
        var plain = baseline
        plain.performanceReference = nil
        #expect(throws: AccuracyError.self) { try AccuracyMonitor(baseline: plain, rule: rule) }

        // Labels that come later: the labelled evaluation carries the estimate beside the realised figure.
        var last: AccuracyEvaluation?
        for i in 0..<2_000 {
            let label = r.nextUnitInterval() < (monitor.store.prediction(for: "e\(6_000 + i)")?.score ?? 0) ? "1" : "0"
            if let e = monitor.join(
                id: "e\(6_000 + i)", label: label, at: EventTime(millisecondsSinceEpoch: Int64(10_000 + i))
            ).evaluation {
                last = e
            }
        }
        let evaluation = try #require(last)
        let estimated = try #require(evaluation.estimate?[.accuracy])
        #expect(estimated.lower <= evaluation.accuracy && evaluation.accuracy <= estimated.upper)

        // Without a numeric prediction, or with labels that are not binary, the builder refuses.
        #expect(throws: BaselineBuildError.self) {
            try BaselineBuilder().build(
                model: "m", version: "1",
                columns: [
                    DataColumn(name: "x", values: [.number(1), .number(2)]),
                    DataColumn(name: "s", values: [.number(0.2), .number(0.7)]),
                    DataColumn(name: "y", values: [.number(2), .number(0)])
                ],
                predictionColumn: "s", labelColumn: "y")
        }
        baseline.performanceReference?.format = "driftd.cbpe/v9"
        #expect(baseline.validationErrors().contains { $0.code == .unsupportedFormat })
    }
}
