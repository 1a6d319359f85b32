import DriftCore
import Foundation
import Testing

/// A seeded generator for reproducible synthetic streams (xorshift64*).
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func unit() -> Double {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Double((state &* 0x2545_F491_4F6C_DD1D) >> 11) * 0x1.0p-53
    }
    mutating func normal() -> Double {
        let u1 = 1 - unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * unit())
    }
}

@Suite("Model monitor")
struct ModelMonitorTests {
    /// Baseline of x ~ N(0,1), c in {a: 0.6, b: 0.4}, prediction ~ U(0,1).
    static func baseline() throws -> Baseline {
        var r = SeededRandom(seed: 7)
        var x: [DataValue] = []
        var c: [DataValue] = []
        var p: [DataValue] = []
        for _ in 0..<20_000 {
            x.append(.number(r.normal()))
            c.append(.string(r.unit() < 0.6 ? "a" : "b"))
            p.append(.number(r.unit()))
        }
        return try BaselineBuilder().build(
            model: "m", version: "1",
            columns: [
                DataColumn(name: "x", values: x), DataColumn(name: "c", values: c), DataColumn(name: "score", values: p)
            ],
            predictionColumn: "score")
    }

    /// A batch from the training distribution, with x shifted by `shift` sd.
    static func batch(_ schema: ModelSchema, rows: Int, shift: Double, start: Int64, random r: inout SeededRandom)
        -> ColumnarBatch
    {
        var b = ColumnarBatch(schema: schema, capacity: rows)
        let a = Double(schema.features[1].categoryIndex["a"]!)
        let bb = Double(schema.features[1].categoryIndex["b"]!)
        for i in 0..<rows {
            b.append(
                timestamp: start + Int64(i), values: [r.normal() + shift, r.unit() < 0.6 ? a : bb], prediction: r.unit()
            )
        }
        return b
    }

    static func monitor(sequential: Bool = false) throws -> ModelMonitor {
        try ModelMonitor(
            baseline: try baseline(), window: .count(events: 5_000, panes: 5),
            rule: { _ in
                AlertRule(forEvaluations: 2, cooldown: .zero, minSamples: 1_000, sequential: sequential)
            },
            retrain: RetrainRule(driftShare: 0.5, cooldown: .milliseconds(1_000_000)))
    }

    @Test("stationary traffic raises nothing; a 1 sd shift fires, recovery resolves, retrain is requested once")
    func lifecycle() throws {
        var monitor = try Self.monitor()
        var r = SeededRandom(seed: 99)
        var t: Int64 = 0
        func feed(_ events: Int, shift: Double) -> [MonitorOutput] {
            var out: [MonitorOutput] = []
            for _ in 0..<events / 500 {
                out += monitor.ingest(Self.batch(monitor.schema, rows: 500, shift: shift, start: t, random: &r))
                t += 500
            }
            return out
        }
        func alerts(_ outputs: [MonitorOutput]) -> [AlertPayload] {
            outputs.compactMap { if case .alert(let a) = $0 { a } else { nil } }
        }
        let quiet = feed(30_000, shift: 0)
        #expect(alerts(quiet).isEmpty)
        let evaluations = quiet.filter { if case .evaluation = $0 { true } else { false } }
        #expect(evaluations.count == 30)

        let drifted = feed(10_000, shift: 1)
        let fired = alerts(drifted)
        #expect(fired.count == 1)
        let alert = try #require(fired.first)
        #expect(alert.feature == "x")
        #expect(alert.status == .firing)
        #expect(alert.target == "feature")
        #expect(alert.score >= alert.threshold)
        #expect(alert.baselineID == monitor.baseline.id)
        #expect(alert.window.events == 5_000)
        let retrains = drifted.compactMap { if case .retrain(let p) = $0 { p } else { nil } }
        #expect(retrains.count == 1)
        #expect(retrains.first?.evidence.map(\.feature) == ["x"])

        let recovered = alerts(feed(15_000, shift: 0))
        #expect(recovered.map(\.status) == [.resolved])
        #expect(recovered.first?.fingerprint == alert.fingerprint)
        #expect(recovered.first?.firedAt == alert.firedAt)
    }

    /// A batch whose features follow training and whose prediction is U(lift, 1) instead of U(0, 1).
    static func predictionBatch(
        _ schema: ModelSchema, rows: Int, lift: Double, start: Int64, random r: inout SeededRandom
    ) -> ColumnarBatch {
        var b = ColumnarBatch(schema: schema, capacity: rows)
        let a = Double(schema.features[1].categoryIndex["a"]!)
        let bb = Double(schema.features[1].categoryIndex["b"]!)
        for i in 0..<rows {
            b.append(
                timestamp: start + Int64(i), values: [r.normal(), r.unit() < 0.6 ? a : bb],
                prediction: lift + (1 - lift) * r.unit())
        }
        return b
    }

    @Test(
        "a shift of the prediction alone fires an alert on the prediction, window and sequential detection alike",
        arguments: [false, true])
    func predictionDrift(sequential: Bool) throws {
        var monitor = try Self.monitor(sequential: sequential)
        var r = SeededRandom(seed: 123)
        var t: Int64 = 0
        func feed(_ events: Int, lift: Double) -> [AlertPayload] {
            var out: [MonitorOutput] = []
            for _ in 0..<events / 500 {
                out += monitor.ingest(Self.predictionBatch(monitor.schema, rows: 500, lift: lift, start: t, random: &r))
                t += 500
            }
            return out.compactMap { if case .alert(let a) = $0 { a } else { nil } }
        }
        #expect(feed(20_000, lift: 0).isEmpty)
        // Scores move from U(0, 1) to U(0.3, 1): the features are untouched.
        let fired = feed(10_000, lift: 0.3)
        #expect(!fired.isEmpty)
        for alert in fired {
            #expect(alert.target == "prediction", "alert on \(alert.target) \(alert.feature ?? "-"): \(alert.reason)")
            #expect(alert.feature == nil)
            #expect(alert.status == .firing)
        }
        let first = try #require(fired.first)
        #expect(first.method == (sequential ? "cusum" : "jensen_shannon"))
        #expect(first.score >= first.threshold)
        #expect(first.fingerprint == Fingerprint.of(monitor.baseline.model, monitor.baseline.version, "prediction", ""))
    }

    @Test("restored state continues exactly where the original left off; another baseline's state is refused")
    func restore() throws {
        var a = try Self.monitor()
        var r = SeededRandom(seed: 5)
        for i in 0..<13 {
            _ = a.ingest(Self.batch(a.schema, rows: 700, shift: i > 8 ? 1 : 0, start: Int64(i * 700), random: &r))
        }
        var b = try Self.monitor()
        let restored = b.restore(a.state)
        #expect(restored)
        var r1 = r
        var r2 = r
        for i in 13..<20 {
            let outA = a.ingest(Self.batch(a.schema, rows: 700, shift: 1, start: Int64(i * 700), random: &r1))
            let outB = b.ingest(Self.batch(b.schema, rows: 700, shift: 1, start: Int64(i * 700), random: &r2))
            #expect(outA == outB)
        }
        var other = a.state
        other.baselineID = "something-else"
        var c = try Self.monitor()
        let refused = !c.restore(other)
        #expect(refused)
    }
}
