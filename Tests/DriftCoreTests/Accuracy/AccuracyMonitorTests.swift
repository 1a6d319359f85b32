import DriftCore
import Testing

/// `monitor.join` outside the `#expect` macro, which cannot call mutating members.
private func join(_ monitor: inout AccuracyMonitor, id: String, label: String, timestampMillis: Int64) -> LabelJoin {
    monitor.join(id: id, label: label, at: EventTime(millisecondsSinceEpoch: timestampMillis))
}

/// `monitor.restore` outside the `#expect` macro.
private func restore(_ monitor: inout AccuracyMonitor, _ state: AccuracyMonitor.State) -> Bool {
    monitor.restore(state)
}

@Suite("Accuracy monitor: join, classes, alerts")
struct AccuracyMonitorTests {
    static func numericBaseline() -> Baseline {
        Baseline(
            id: "m@1:abc", model: "m", version: "1", rowCount: 10,
            features: [FeatureProfile(name: "x", type: .numeric, edges: [0], counts: [5, 5])],
            prediction: FeatureProfile(name: "prediction", type: .numeric, edges: [0.5], counts: [5, 5]))
    }

    static func categoricalBaseline() -> Baseline {
        Baseline(
            id: "c@1:def", model: "c", version: "1", rowCount: 10,
            features: [FeatureProfile(name: "x", type: .numeric, edges: [0], counts: [5, 5])],
            prediction: FeatureProfile(
                name: "prediction", type: .categorical, categories: ["cat", "dog", "true"], counts: [3, 3, 3, 1]))
    }

    static func batch(_ baseline: Baseline, predictions: [Double], start: Int64 = 1_000) throws -> ColumnarBatch {
        var batch = ColumnarBatch(schema: try ModelSchema(baseline: baseline))
        for (i, p) in predictions.enumerated() { batch.append(timestamp: start + Int64(i), values: [0], prediction: p) }
        return batch
    }

    @Test("numeric predictions split at positive_threshold; true/false/1/0 labels are normalised")
    func numericClasses() throws {
        var monitor = try AccuracyMonitor(
            baseline: Self.numericBaseline(),
            rule: AccuracyRule(enabled: true, windowEvents: 100, panes: 1, positiveThreshold: 0.7))
        let stored = monitor.record(
            try Self.batch(Self.numericBaseline(), predictions: [0.9, 0.7, 0.69, 0.1, .nan, 0.95]),
            ids: ["a", "b", "c", "d", "e", nil])
        // NaN prediction and the row without an id are not held.
        #expect(stored == 4)
        #expect(
            join(&monitor, id: "a", label: "true", timestampMillis: 2_000) == LabelJoin(outcome: .joined, correct: true)
        )
        #expect(
            join(&monitor, id: "b", label: "1", timestampMillis: 2_000) == LabelJoin(outcome: .joined, correct: true))
        #expect(
            join(&monitor, id: "c", label: "TRUE", timestampMillis: 2_000)
                == LabelJoin(outcome: .joined, correct: false))
        #expect(
            join(&monitor, id: "d", label: "0", timestampMillis: 2_000) == LabelJoin(outcome: .joined, correct: true))
        #expect(join(&monitor, id: "d", label: "0", timestampMillis: 2_001).outcome == .duplicate)
        #expect(join(&monitor, id: "e", label: "0", timestampMillis: 2_001).outcome == .unmatched)
        monitor.record(try Self.batch(Self.numericBaseline(), predictions: [0.2]), ids: ["f"])
        #expect(join(&monitor, id: "f", label: "yes", timestampMillis: 2_002).outcome == .unscorable)
        #expect(monitor.tracker.pendingLabels == 4)
    }

    @Test("categorical predictions compare by category name; unseen categories on both sides are unscorable")
    func categoricalClasses() throws {
        let baseline = Self.categoricalBaseline()
        var monitor = try AccuracyMonitor(
            baseline: baseline, rule: AccuracyRule(enabled: true, windowEvents: 100, panes: 1))
        // Bin indexes: 0 cat, 1 dog, 2 "true", 3 other; 7 is not a bin of this column.
        let stored = monitor.record(
            try Self.batch(baseline, predictions: [0, 1, 2, 3, 3, 7]), ids: ["p0", "p1", "p2", "p3", "p4", "p5"])
        #expect(stored == 5)
        #expect(join(&monitor, id: "p0", label: "cat", timestampMillis: 1).correct == true)
        #expect(join(&monitor, id: "p1", label: "cat", timestampMillis: 1).correct == false)
        #expect(join(&monitor, id: "p2", label: "true", timestampMillis: 1).correct == true)
        // Predicted an unseen category, the label is a known one: certainly wrong.
        #expect(join(&monitor, id: "p3", label: "dog", timestampMillis: 1).correct == false)
        // Both outside the categories: cannot tell.
        #expect(join(&monitor, id: "p4", label: "hamster", timestampMillis: 1).outcome == .unscorable)
        #expect(monitor.classes.name(of: 1) == "dog")
        #expect(monitor.classes.name(of: 3) == "other")
    }

    @Test("a falling accuracy publishes one firing alert with target accuracy, then a resolved one")
    func alertPayload() throws {
        let baseline = Self.numericBaseline()
        let rule = AccuracyRule(
            enabled: true, windowEvents: 200, panes: 4, minSamples: 100, minAccuracy: 0.8, forEvaluations: 2,
            cooldown: .zero, severity: .critical)
        var monitor = try AccuracyMonitor(baseline: baseline, rule: rule)
        var alerts: [AlertPayload] = []
        var next = 0
        func round(_ count: Int, wrongEvery: Int) throws {
            let ids = (next..<next + count).map { "r\($0)" }
            monitor.record(
                try Self.batch(baseline, predictions: Array(repeating: 0.9, count: count), start: Int64(next)), ids: ids
            )
            for (i, id) in ids.enumerated() {
                let label = (next + i) % wrongEvery == 0 ? "0" : "1"
                let join = monitor.join(
                    id: id, label: label, at: EventTime(millisecondsSinceEpoch: 1_000_000 + Int64(next + i)))
                #expect(join.outcome == .joined)
                if let alert = join.alert { alerts.append(alert) }
            }
            next += count
        }
        try round(400, wrongEvery: 1_000_000)  // all correct
        #expect(alerts.isEmpty)
        try round(400, wrongEvery: 2)  // half wrong
        #expect(alerts.count == 1)
        let firing = try #require(alerts.first)
        #expect(firing.status == .firing)
        #expect(firing.target == "accuracy" && firing.feature == nil && firing.method == "accuracy")
        #expect(firing.score < firing.threshold && firing.threshold == 0.8)
        #expect(firing.severity == .critical)
        #expect((firing.pValue ?? 1) < 0.01)
        #expect(firing.window.events == 200)
        #expect(firing.fingerprint == Fingerprint.of("m", "1", "accuracy", ""))
        #expect(firing.baselineID == "m@1:abc")
        #expect(firing.reason.contains("min_accuracy 0.8"))
        try round(400, wrongEvery: 1_000_000)
        #expect(alerts.count == 2)
        #expect(alerts.last?.status == .resolved)
        #expect(alerts.last?.firedAt == firing.firedAt)
    }

    @Test("a baseline without prediction profile or a broken rule is refused")
    func refusals() {
        var noPrediction = Self.numericBaseline()
        noPrediction.prediction = nil
        #expect(throws: AccuracyError.self) {
            try AccuracyMonitor(baseline: noPrediction, rule: AccuracyRule(enabled: true))
        }
        let bad = AccuracyRule(enabled: true, windowEvents: 100, panes: 3)
        #expect(bad.validationErrors().count == 1)
        #expect(throws: AccuracyError.self) { try AccuracyMonitor(baseline: Self.numericBaseline(), rule: bad) }
        let many = AccuracyRule(
            windowEvents: 0, panes: 0, minSamples: 0, minAccuracy: 1.5, resolveAccuracy: 0.1, alpha: 2,
            positiveThreshold: .nan, labelTTL: .zero, maxPending: 0, forEvaluations: 0,
            cooldown: .milliseconds(-1))
        #expect(many.validationErrors().count == 11)
    }

    @Test("state round trip restores held predictions and the window")
    func state() throws {
        let baseline = Self.numericBaseline()
        let rule = AccuracyRule(enabled: true, windowEvents: 10, panes: 2, minSamples: 1)
        var monitor = try AccuracyMonitor(baseline: baseline, rule: rule)
        monitor.record(
            try Self.batch(baseline, predictions: Array(repeating: 0.9, count: 20)), ids: (0..<20).map { "i\($0)" })
        for i in 0..<7 { _ = monitor.join(id: "i\(i)", label: "1", at: EventTime(millisecondsSinceEpoch: 5_000)) }
        let saved = monitor.state(maxPredictions: 15)
        var resumed = try AccuracyMonitor(baseline: baseline, rule: rule)
        #expect(restore(&resumed, saved))
        #expect(resumed.tracker.labelled == 5 && resumed.tracker.pendingLabels == 2)
        // The 15 newest were saved: i0...i4 were not, i5 and i6 are labelled.
        #expect(join(&resumed, id: "i4", label: "1", timestampMillis: 5_001).outcome == .unmatched)
        #expect(join(&resumed, id: "i6", label: "1", timestampMillis: 5_001).outcome == .duplicate)
        #expect(join(&resumed, id: "i7", label: "1", timestampMillis: 5_001).outcome == .joined)
        var other = try AccuracyMonitor(baseline: Self.categoricalBaseline(), rule: rule)
        #expect(!restore(&other, saved))
    }
}
