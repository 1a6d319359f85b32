import DriftCore
import Foundation
import Testing

@Suite("Model monitor: sequential detection")
struct SequentialDetectionTests {
    /// Baseline of x ~ N(0,1), y ~ Exp(1) (skewed), c in {a, b}, no prediction.
    static func baseline() throws -> Baseline {
        var r = SeededRandom(seed: 11)
        var x: [DataValue] = []
        var y: [DataValue] = []
        var c: [DataValue] = []
        for _ in 0..<50_000 {
            x.append(.number(r.normal()))
            y.append(.number(-log(1 - r.unit())))
            c.append(.string(r.unit() < 0.6 ? "a" : "b"))
        }
        return try BaselineBuilder().build(
            model: "m", version: "1",
            columns: [
                DataColumn(name: "x", values: x), DataColumn(name: "y", values: y), DataColumn(name: "c", values: c)
            ])
    }

    static func monitor(
        _ baseline: Baseline, rule: AlertRule = AlertRule(cooldown: .zero, minSamples: 1_000)
    ) throws
        -> ModelMonitor
    {
        try ModelMonitor(
            baseline: baseline, window: .count(events: 5_000, panes: 5), rule: { _ in rule }, retrain: RetrainRule())
    }

    /// `rows` events from the training distribution with x shifted by `shift` sd; event time = index.
    static func batch(_ schema: ModelSchema, rows: Int, shift: Double, start: Int64, random r: inout SeededRandom)
        -> ColumnarBatch
    {
        var b = ColumnarBatch(schema: schema, capacity: rows)
        for i in 0..<rows {
            b.append(
                timestamp: start + Int64(i), values: [r.normal() + shift, -log(1 - r.unit()), r.unit() < 0.6 ? 0 : 1],
                prediction: .nan)
        }
        return b
    }

    static func alerts(_ outputs: [MonitorOutput]) -> [AlertPayload] {
        outputs.compactMap { if case .alert(let a) = $0 { a } else { nil } }
    }

    /// Feeds `events` events in batches of `size`, starting at event `t`.
    static func feed(
        _ monitor: inout ModelMonitor, events: Int, size: Int, shift: Double, t: inout Int64,
        random r: inout SeededRandom
    ) -> [MonitorOutput] {
        var out: [MonitorOutput] = []
        var left = events
        while left > 0 {
            let n = min(size, left)
            out += monitor.ingest(batch(monitor.schema, rows: n, shift: shift, start: t, random: &r))
            t += Int64(n)
            left -= n
        }
        return out
    }

    @Test("a 1 sd mean shift fires a cusum alert within 100 events, at the alarming event")
    func fastAlarm() throws {
        var monitor = try Self.monitor(try Self.baseline())
        #expect(monitor.sequentialDetectors.map { $0?.alarming } == [true, true, true])
        var r = SeededRandom(seed: 3)
        var t: Int64 = 0
        let quiet = Self.alerts(Self.feed(&monitor, events: 20_000, size: 500, shift: 0, t: &t, random: &r))
        #expect(quiet.isEmpty)
        let change = t
        let drifted = Self.alerts(Self.feed(&monitor, events: 500, size: 100, shift: 1, t: &t, random: &r))
        let alert = try #require(drifted.first)
        #expect(drifted.count == 1)
        #expect(alert.feature == "x")
        #expect(alert.status == .firing)
        #expect(alert.method == "cusum")
        #expect(alert.score > alert.threshold)
        #expect(alert.pValue == nil)
        #expect(alert.reason.contains("mean rose"))
        #expect(alert.firedAt == alert.window.end)
        let end = RFC3339.format(millis: change + 100)
        #expect(alert.window.end < end, "alarm at \(alert.window.end), change at \(RFC3339.format(millis: change))")
        #expect(alert.window.end >= RFC3339.format(millis: change))
        #expect(alert.window.events > 0 && alert.window.events <= 150)
        // The run starts near the change point, not at the beginning of the stream.
        #expect(alert.window.start >= RFC3339.format(millis: change - 100))
    }

    @Test("10^6 stationary events on a normal and a skewed feature: alarms within the run-length bound")
    func stationary() throws {
        let baseline = try Self.baseline()
        // Detectors only (the window adds nothing here and is slow in debug builds).
        let x = try #require(baseline.features.first { $0.name == "x" })
        let y = try #require(baseline.features.first { $0.name == "y" })
        var r = SeededRandom(seed: 2_024)
        let events = 1_000_000
        var xs = [Double](repeating: 0, count: events)
        var ys = [Double](repeating: 0, count: events)
        for i in 0..<events {
            xs[i] = r.normal()
            ys[i] = -log(1 - r.unit())
        }
        let times = (0..<Int64(events)).map { $0 }
        func alarms(_ profile: FeatureProfile, _ values: [Double], columnRunLength: Double) throws -> Int {
            var d = try #require(ColumnDetector(profile: profile, runLength: 2))
            d.setRunLength(columnRunLength * Double(d.lanes.count))
            var series = AlertStateMachine()
            return d.scan(
                values[...], timestamps: times[...], alerts: &series, rule: AlertRule(cooldown: .zero)
            )
            .count
        }
        // Run length 2e6 per column: 1e6 events on 2 features expect <= 1 false alarm (union
        // bound); Poisson(1) exceeds 4 with probability 0.4 %.
        #expect(try alarms(x, xs, columnRunLength: 2e6) + alarms(y, ys, columnRunLength: 2e6) <= 4)
        // Run length 1e8: expect 0.02 alarms in 2e6 feature-events.
        #expect(try alarms(x, xs, columnRunLength: 1e8) == 0)
        #expect(try alarms(y, ys, columnRunLength: 1e8) == 0)
    }

    @Test("detector state survives an encode/decode restore; state without detectors still loads")
    func restore() throws {
        let baseline = try Self.baseline()
        var a = try Self.monitor(baseline)
        var r = SeededRandom(seed: 8)
        var t: Int64 = 0
        _ = Self.feed(&a, events: 6_300, size: 700, shift: 0.1, t: &t, random: &r)
        let sums = a.sequentialDetectors.compactMap { $0 }.flatMap(\.state.sums)
        #expect(sums.contains { $0 > 0 })
        let data = try JSONEncoder().encode(a.state)
        let decoded = try JSONDecoder().decode(ModelMonitor.State.self, from: data)
        #expect(decoded == a.state)
        var b = try Self.monitor(baseline)
        let restoredB = b.restore(decoded)
        #expect(restoredB)
        #expect(b.sequentialDetectors.map { $0?.state } == a.sequentialDetectors.map { $0?.state })
        var r1 = r
        var r2 = r
        var t1 = t
        var t2 = t
        let outA = Self.feed(&a, events: 3_000, size: 300, shift: 1, t: &t1, random: &r1)
        let outB = Self.feed(&b, events: 3_000, size: 300, shift: 1, t: &t2, random: &r2)
        #expect(outA == outB)
        #expect(!Self.alerts(outA).isEmpty)

        // State written before these detectors existed: no "detectors" key (and the old bank's
        // "sequential" key, which is ignored).
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object.removeValue(forKey: "detectors")
        object.removeValue(forKey: "eventRate")
        object["sequential"] = [NSNull(), NSNull(), NSNull()]
        let old = try JSONDecoder().decode(
            ModelMonitor.State.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(old.detectors == nil)
        var c = try Self.monitor(baseline)
        let restoredC = c.restore(old)
        #expect(restoredC)
        #expect(
            c.sequentialDetectors.map { $0?.state }
                == (try Self.monitor(baseline)).sequentialDetectors.map { $0?.state })

        // Detectors with other lanes start fresh (here: one column disabled, so its detectors
        // are gone); a wrong column count is refused.
        var d = try ModelMonitor(
            baseline: baseline, window: .count(events: 5_000, panes: 5),
            rule: {
                $0 == "x"
                    ? AlertRule(cooldown: .zero, minSamples: 1_000, sequential: false)
                    : AlertRule(cooldown: .zero, minSamples: 1_000)
            },
            retrain: RetrainRule())
        let restoredD = d.restore(decoded)
        #expect(restoredD)
        #expect(d.sequentialDetectors[1]?.state == decoded.detectors?[1])
        var broken = decoded
        broken.detectors = [nil]
        var e = try Self.monitor(baseline)
        let restoredE = e.restore(broken)
        #expect(!restoredE)
    }

    @Test("count windows: the same stream in different batch sizes gives the same outputs")
    func batchSizeInvariance() throws {
        let baseline = try Self.baseline()
        func run(_ size: Int) throws -> [MonitorOutput] {
            var m = try Self.monitor(baseline)
            var r = SeededRandom(seed: 21)
            var t: Int64 = 0
            var out = Self.feed(&m, events: 9_000, size: size, shift: 0, t: &t, random: &r)
            out += Self.feed(&m, events: 3_000, size: size, shift: 0.5, t: &t, random: &r)
            out += Self.feed(&m, events: 12_000, size: size, shift: 0, t: &t, random: &r)
            return out
        }
        // Random draws are per event, so both runs see the same values whatever the batch size.
        let whole = try run(1_000)
        let small = try run(137)
        #expect(whole == small)
        let statuses = Self.alerts(whole).map(\.status)
        #expect(statuses == [.firing, .resolved])
        #expect(Self.alerts(whole).first?.method == "cusum")
    }

    @Test("sequential: false is the window alone: no alarms, the alert comes from a window evaluation")
    func disabled() throws {
        var monitor = try Self.monitor(
            try Self.baseline(), rule: AlertRule(cooldown: .zero, minSamples: 1_000, sequential: false))
        // The detectors still estimate the serial dependence the window test corrects for.
        #expect(monitor.sequentialDetectors.allSatisfy { $0?.alarming == false })
        var r = SeededRandom(seed: 3)
        var t: Int64 = 0
        _ = Self.feed(&monitor, events: 20_000, size: 500, shift: 0, t: &t, random: &r)
        let alerts = Self.alerts(Self.feed(&monitor, events: 10_000, size: 500, shift: 1, t: &t, random: &r))
        let alert = try #require(alerts.first)
        #expect(alert.method != "cusum")
        #expect(alert.window.events == 5_000)
        #expect(monitor.sequentialDetectors.allSatisfy { ($0?.alarmCount ?? 0) == 0 })
    }

    @Test("a firing series: alarms keep it firing; cooldown holds an alarm back; resolving resets the detectors")
    func alertSeries() throws {
        let rule = AlertRule(forEvaluations: 2, cooldown: .seconds(1))
        var s = AlertStateMachine()
        #expect(s.observeAlarm(rule: rule, now: EventTime(millisecondsSinceEpoch: 10)) == .fire)
        #expect(s.firedAt?.millisecondsSinceEpoch == 10)
        #expect(s.observe(.clear, rule: rule, now: EventTime(millisecondsSinceEpoch: 20)) == nil)
        #expect(s.phase == .resolving)
        #expect(s.observeAlarm(rule: rule, now: EventTime(millisecondsSinceEpoch: 25)) == nil)
        #expect(s.phase == .firing)
        #expect(s.observe(.clear, rule: rule, now: EventTime(millisecondsSinceEpoch: 30)) == nil)
        #expect(s.observe(.clear, rule: rule, now: EventTime(millisecondsSinceEpoch: 40)) == .resolve)
        #expect(s.observeAlarm(rule: rule, now: EventTime(millisecondsSinceEpoch: 500)) == nil)
        #expect(s.phase == .pending)
        #expect(s.observeAlarm(rule: rule, now: EventTime(millisecondsSinceEpoch: 1_040)) == .fire)

        // Through the monitor: after the shift ends, the window resolves and the sums restart.
        var monitor = try Self.monitor(try Self.baseline())
        var r = SeededRandom(seed: 4)
        var t: Int64 = 0
        _ = Self.feed(&monitor, events: 10_000, size: 500, shift: 0, t: &t, random: &r)
        let drift = Self.alerts(Self.feed(&monitor, events: 5_000, size: 500, shift: 1, t: &t, random: &r))
        #expect(drift.map(\.status) == [.firing])
        var resolvedAt: Int64?
        var step = 0
        while resolvedAt == nil && step < 40 {
            let out = Self.alerts(Self.feed(&monitor, events: 1_000, size: 1_000, shift: 0, t: &t, random: &r))
            if out.contains(where: { $0.status == .resolved }) { resolvedAt = t }
            step += 1
        }
        #expect(resolvedAt != nil)
        // The pane closed on the batch's last event, so the reset happened after every scanned value.
        let x = try #require(monitor.sequentialDetectors[0])
        #expect(x.state.sums.allSatisfy { $0 == 0 })
    }
}
