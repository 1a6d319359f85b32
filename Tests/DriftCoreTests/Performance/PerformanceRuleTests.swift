import DriftCore
import Foundation
import Testing

/// `monitor.join` outside the `#expect` macro, which cannot call mutating members.
private func join(_ monitor: inout AccuracyMonitor, id: String, label: String, timestampMillis: Int64) -> LabelJoin {
    monitor.join(id: id, label: label, at: EventTime(millisecondsSinceEpoch: timestampMillis))
}

@Suite("Performance rules: significance, hysteresis, retrain requests")
struct PerformanceRuleTests {
    static func numericBaseline() -> Baseline {
        Baseline(
            id: "m@1:abc", model: "m", version: "1", rowCount: 10,
            features: [FeatureProfile(name: "x", type: .numeric, edges: [0], counts: [5, 5])],
            prediction: FeatureProfile(name: "prediction", type: .numeric, edges: [0.5], counts: [5, 5]))
    }

    /// The seed rule of the issue: accuracy below 0.92 over 10,000 labels, with retraining.
    static let seed = AccuracyRule(
        enabled: true, windowEvents: 10_000, panes: 10,
        rules: [
            PerformanceRule(metric: .accuracy, bound: .below, threshold: 0.92, retrain: true)
        ])

    /// Feeds `count` predictions of score 0.9 (class 1) and labels agreeing at `accuracy`
    /// (deterministically spread: label i disagrees when floor(i x (1 - accuracy)) moves).
    static func feed(
        _ monitor: inout AccuracyMonitor, from start: Int, count: Int, accuracy: Double,
        score: (Int) -> Double = { _ in 0.9 }
    ) throws -> [LabelJoin] {
        var batch = ColumnarBatch(schema: try ModelSchema(baseline: numericBaseline()))
        var ids: [String?] = []
        for i in start..<start + count {
            batch.append(timestamp: Int64(i), values: [0], prediction: score(i))
            ids.append("e\(i)")
        }
        monitor.record(batch, ids: ids)
        var joins: [LabelJoin] = []
        for i in start..<start + count {
            let wrong = Int(Double(i + 1) * (1 - accuracy)) != Int(Double(i) * (1 - accuracy))
            let predicted = score(i) >= 0.5
            let label = (predicted != wrong) ? "1" : "0"
            joins.append(
                monitor.join(id: "e\(i)", label: label, at: EventTime(millisecondsSinceEpoch: 1_000_000 + Int64(i))))
        }
        return joins
    }

    @Test(
        "the seed rule: accuracy from 0.95 to 0.88 fires once, with one retrain request; the interval holds the value")
    func seedRuleFiresOnce() throws {
        var monitor = try AccuracyMonitor(baseline: Self.numericBaseline(), rule: Self.seed)
        let healthy = try Self.feed(&monitor, from: 0, count: 20_000, accuracy: 0.95)
        #expect(healthy.allSatisfy { $0.ruleAlerts.isEmpty && $0.retrain.isEmpty })
        let last = try #require(healthy.compactMap(\.evaluation).last)
        #expect(abs((last.performance?[.accuracy] ?? 0) - 0.95) < 1e-3)
        #expect(last.rules.first?.verdict == .clear)
        let degraded = try Self.feed(&monitor, from: 20_000, count: 20_000, accuracy: 0.88)
        let alerts = degraded.flatMap(\.ruleAlerts)
        let retrains = degraded.flatMap(\.retrain)
        #expect(alerts.count == 1 && retrains.count == 1)
        let alert = try #require(alerts.first)
        #expect(alert.target == "performance" && alert.method == "accuracy" && alert.status == .firing)
        #expect(alert.score < 0.92 && alert.threshold == 0.92)
        #expect(alert.fingerprint == Fingerprint.of("m", "1", "performance", "accuracy", "below"))
        let evidence = try #require(alert.performance)
        let interval = try #require(evidence.interval)
        #expect(
            interval.method == "clopper_pearson" && interval.lower <= evidence.value && evidence.value <= interval.upper
        )
        #expect(interval.upper < 0.92)
        #expect(abs(interval.confidence - 0.98) < 1e-12)
        #expect(try #require(evidence.pValue) < 0.01)
        #expect(evidence.windowEvents == 10_000)
        let retrain = try #require(retrains.first)
        #expect(retrain.evidence == evidence)
        #expect(retrain.reason.hasPrefix("performance: accuracy"))
        // The data to retrain on: the inference event times of the window's labelled predictions.
        #expect(retrain.dataRange.events == 10_000)
        #expect(retrain.dataRange.end == RFC3339.format(millis: Int64(alertIndex(degraded) + 20_000)))
        // Firing on the second significant evaluation (for: 2), after the window turned below 0.92.
        #expect(monitor.tracker.ruleAlerts.first?.isFiring == true)
    }

    private func alertIndex(_ joins: [LabelJoin]) -> Int { joins.firstIndex { !$0.ruleAlerts.isEmpty } ?? -1 }

    @Test("a small window below the floor is not significant: hold, no alert; recovery resolves once")
    func significanceAndResolve() throws {
        let rule = AccuracyRule(
            enabled: true, windowEvents: 200, panes: 2,
            rules: [
                PerformanceRule(metric: .accuracy, bound: .below, threshold: 0.92, retrain: true)
            ])
        var monitor = try AccuracyMonitor(baseline: Self.numericBaseline(), rule: rule)
        // 0.9 on 200 labels against 0.92: p ~ 0.2, not below alpha 0.01.
        let borderline = try Self.feed(&monitor, from: 0, count: 1_000, accuracy: 0.9)
        let outcomes = borderline.compactMap(\.evaluation).compactMap(\.rules.first)
        #expect(!outcomes.isEmpty && outcomes.allSatisfy { $0.verdict == .hold })
        #expect(outcomes.allSatisfy { ($0.pValue ?? 0) > 0.01 })
        #expect(borderline.allSatisfy { $0.ruleAlerts.isEmpty })
        let bad = try Self.feed(&monitor, from: 1_000, count: 1_000, accuracy: 0.7)
        #expect(bad.flatMap(\.ruleAlerts).map(\.status) == [.firing])
        #expect(bad.flatMap(\.retrain).count == 1)
        // Back to 0.95: above the default resolve level 0.92 + 0.2 x 0.08 = 0.936.
        let good = try Self.feed(&monitor, from: 2_000, count: 1_000, accuracy: 0.95)
        #expect(good.flatMap(\.ruleAlerts).map(\.status) == [.resolved])
        #expect(good.flatMap(\.retrain).isEmpty)
        #expect(
            abs(PerformanceRule(metric: .accuracy, bound: .below, threshold: 0.92).effectiveResolve - 0.936) < 1e-12)
        #expect(abs(PerformanceRule(metric: .logLoss, bound: .above, threshold: 0.5).effectiveResolve - 0.4) < 1e-12)
    }

    @Test("a ceiling on log loss uses the batch-means t interval over the panes")
    func ceilingWithBatchMeans() throws {
        let rule = AccuracyRule(
            enabled: true, windowEvents: 2_000, panes: 10,
            rules: [
                PerformanceRule(metric: .logLoss, bound: .above, threshold: 0.3)
            ])
        var monitor = try AccuracyMonitor(baseline: Self.numericBaseline(), rule: rule)
        // Confident and mostly right: log loss about 0.1 x 0.95 + 2.3 x 0.05 ~ 0.21.
        let fine = try Self.feed(&monitor, from: 0, count: 4_000, accuracy: 0.95)
        #expect(fine.allSatisfy { $0.ruleAlerts.isEmpty })
        // Confident and often wrong: log loss ~ 0.1 x 0.8 + 2.3 x 0.2 ~ 0.54.
        let worse = try Self.feed(&monitor, from: 4_000, count: 4_000, accuracy: 0.8)
        let alert = try #require(worse.flatMap(\.ruleAlerts).first)
        #expect(alert.method == "log_loss" && alert.score > 0.3)
        let interval = try #require(alert.performance?.interval)
        #expect(interval.method == "batch_means_t" && interval.lower > 0.3)
        #expect(worse.flatMap(\.retrain).isEmpty)
    }

    @Test("a regressor scores numeric labels; a ceiling on MAE fires")
    func regressionRule() throws {
        let rule = AccuracyRule(
            enabled: true, windowEvents: 500, panes: 5, task: .regression,
            rules: [
                PerformanceRule(metric: .mae, bound: .above, threshold: 1.0)
            ])
        var monitor = try AccuracyMonitor(baseline: Self.numericBaseline(), rule: rule)
        #expect(monitor.task == .regression)
        var batch = ColumnarBatch(schema: try ModelSchema(baseline: Self.numericBaseline()))
        for i in 0..<2_000 { batch.append(timestamp: Int64(i), values: [0], prediction: Double(i % 10)) }
        monitor.record(batch, ids: (0..<2_000).map { "r\($0)" })
        var statuses: [AlertPayload.Status] = []
        var last: AccuracyEvaluation?
        for i in 0..<2_000 {
            // Errors of 0.5 for the first half, 2 for the second.
            let label = Double(i % 10) + (i < 1_000 ? 0.5 : 2)
            let j = join(&monitor, id: "r\(i)", label: String(label), timestampMillis: Int64(10_000 + i))
            statuses += j.ruleAlerts.map(\.status)
            if let e = j.evaluation { last = e }
            #expect(j.outcome == .joined && j.correct == nil)
        }
        #expect(statuses == [.firing])
        #expect(abs((last?.performance?[.mae] ?? 0) - 2) < 1e-12)
        #expect(last?.performance?[.accuracy] == nil)
        #expect(join(&monitor, id: "r0", label: "x", timestampMillis: 1).outcome == .duplicate)
    }

    @Test("rules on metrics the task lacks, and a task that does not fit the prediction, are refused")
    func refusals() {
        let auc = AccuracyRule(
            enabled: true, task: .regression, rules: [PerformanceRule(metric: .rocAUC, bound: .below, threshold: 0.7)])
        #expect(throws: AccuracyError.self) { try AccuracyMonitor(baseline: Self.numericBaseline(), rule: auc) }
        let multi = AccuracyRule(enabled: true, task: .multiclass)
        #expect(throws: AccuracyError.self) { try AccuracyMonitor(baseline: Self.numericBaseline(), rule: multi) }
        #expect(PerformanceRule(metric: .f1, bound: .below, threshold: 0.5).problems(for: .multiclass).count == 1)
        #expect(
            PerformanceRule(metric: .f1Macro, bound: .below, threshold: 0.5, resolve: 0.4).problems(for: .multiclass)
                .count == 1)
    }

    @Test("performance and drift-share retrain requests share the model's cooldown")
    func sharedCooldown() throws {
        var machine = RetrainStateMachine()
        let rule = RetrainRule(driftShare: 0.5, cooldown: .seconds(1))
        var granted: [Bool] = []
        granted.append(machine.request(rule: rule, now: EventTime(millisecondsSinceEpoch: 10_000)))
        granted.append(machine.observe(firingShare: 1, rule: rule, now: EventTime(millisecondsSinceEpoch: 10_500)))
        granted.append(machine.request(rule: rule, now: EventTime(millisecondsSinceEpoch: 10_999)))
        granted.append(machine.observe(firingShare: 1, rule: rule, now: EventTime(millisecondsSinceEpoch: 11_000)))
        granted.append(machine.request(rule: rule, now: EventTime(millisecondsSinceEpoch: 11_500)))
        granted.append(
            machine.request(rule: RetrainRule(enabled: false), now: EventTime(millisecondsSinceEpoch: 99_000)))
        #expect(granted == [true, false, false, true, false, false])
        // Label time may run behind inference time: a request stamped before the last one is
        // held by the same distance, and does not move the clock back.
        var behind = RetrainStateMachine()
        let noCooldown = RetrainRule(cooldown: .zero)
        var order: [Bool] = []
        order.append(behind.observe(firingShare: 1, rule: rule, now: EventTime(millisecondsSinceEpoch: 21_000)))
        order.append(behind.request(rule: rule, now: EventTime(millisecondsSinceEpoch: 20_500)))
        order.append(behind.request(rule: noCooldown, now: EventTime(millisecondsSinceEpoch: 20_500)))
        #expect(order == [true, false, true])
        #expect(behind.lastRequest?.millisecondsSinceEpoch == 21_000)

        var monitor = try ModelMonitor(
            baseline: Self.numericBaseline(), window: .count(events: 100, panes: 1), rule: { _ in AlertRule() },
            retrain: RetrainRule(cooldown: .seconds(5)))
        let evidence = PerformanceEvidence(
            metric: "accuracy", bound: "below", threshold: 0.92, value: 0.88, interval: nil, pValue: 1e-9,
            windowEvents: 10_000,
            task: "binary")
        let request = PerformanceRetrainRequest(
            evidence: evidence, dataRange: EventWindow(start: "a", end: "b", events: 10_000),
            at: EventTime(millisecondsSinceEpoch: 50_000),
            reason: "performance: x")
        let first = monitor.requestRetrain(request)
        let payload = try #require(first)
        #expect(payload.trigger == .performance && payload.performance == evidence && payload.evidence.isEmpty)
        #expect(payload.driftShare == 0 && payload.version == "1" && payload.dataRange.events == 10_000)
        var later = request
        later.at = EventTime(millisecondsSinceEpoch: 54_999)
        let early = monitor.requestRetrain(later)
        later.at = EventTime(millisecondsSinceEpoch: 55_000)
        let due = monitor.requestRetrain(later)
        #expect(early == nil && due != nil)
        // The cooldown is part of the persisted monitor state.
        var resumed = try ModelMonitor(
            baseline: Self.numericBaseline(), window: .count(events: 100, panes: 1), rule: { _ in AlertRule() },
            retrain: RetrainRule(cooldown: .seconds(5)))
        let restored = resumed.restore(monitor.state)
        later.at = EventTime(millisecondsSinceEpoch: 59_000)
        let held = resumed.requestRetrain(later)
        #expect(restored && held == nil)
    }

    @Test(
        "state round trip keeps the pairs and the rule alerts; a pre-metrics state restarts the window, keeping the alert"
    )
    func stateRoundTrip() throws {
        let rule = AccuracyRule(
            enabled: true, windowEvents: 200, panes: 2, minAccuracy: 0.9,
            rules: [
                PerformanceRule(metric: .accuracy, bound: .below, threshold: 0.92)
            ])
        var monitor = try AccuracyMonitor(baseline: Self.numericBaseline(), rule: rule)
        _ = try Self.feed(&monitor, from: 0, count: 1_050, accuracy: 0.6)
        #expect(monitor.tracker.ruleAlerts.first?.isFiring == true)
        let state = monitor.state(maxPredictions: 10_000)
        let data = try JSONEncoder().encode(state)
        let decoded = try JSONDecoder().decode(AccuracyMonitor.State.self, from: data)
        #expect(decoded == state)
        var resumed = try AccuracyMonitor(baseline: Self.numericBaseline(), rule: rule)
        let resumedOK = resumed.restore(decoded)
        #expect(resumedOK)
        #expect(resumed.tracker.metrics == monitor.tracker.metrics)
        #expect(resumed.tracker.ruleAlerts == monitor.tracker.ruleAlerts)
        #expect(resumed.store.prediction(for: "e10")?.score == 0.9)

        // A state saved before pairs and rule alerts were kept.
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var tracker = try #require(json["tracker"] as? [String: Any])
        tracker["ruleAlerts"] = nil
        tracker["closed"] = (tracker["closed"] as? [[String: Any]])?.map { pane in
            pane.filter { !["predictions", "labels", "data_min_ms", "data_max_ms"].contains($0.key) }
        }
        json["tracker"] = tracker
        var store = try #require(json["store"] as? [String: Any])
        store["scores"] = nil
        json["store"] = store
        let old = try JSONDecoder().decode(
            AccuracyMonitor.State.self, from: JSONSerialization.data(withJSONObject: json))
        var upgraded = try AccuracyMonitor(baseline: Self.numericBaseline(), rule: rule)
        let upgradedOK = upgraded.restore(old)
        #expect(upgradedOK)
        #expect(upgraded.tracker.labelled == 0)
        #expect(upgraded.tracker.alert == monitor.tracker.alert && upgraded.tracker.alert.isFiring)
        #expect(upgraded.tracker.ruleAlerts == [AlertStateMachine()])
        // Held predictions come back with their class code standing in for the score.
        #expect(upgraded.store.prediction(for: "e10")?.score == 1)
    }
}
