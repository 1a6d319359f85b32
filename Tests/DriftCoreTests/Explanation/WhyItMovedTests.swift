import DriftCore
import Foundation
import Testing

@Suite("Why it moved: bin evidence and prediction attribution")
struct WhyItMovedTests {
    /// Training data of a model whose prediction is additive in independent features, so the
    /// true attribution of a shift is known: prediction = 0.3 + 0.1 x1 + 0.05 x2 + 0.2 [c = b].
    static func truth(x1: Double, x2: Double, c: String) -> Double { 0.3 + 0.1 * x1 + 0.05 * x2 + (c == "b" ? 0.2 : 0) }

    static func rows(_ n: Int, seed: UInt64, x1Shift: Double = 0, bShare: Double = 0.3) -> (
        x1: [Double], x2: [Double], c: [String]
    ) {
        var r = SplitMix64(seed: seed)
        var x1: [Double] = []
        var x2: [Double] = []
        var c: [String] = []
        for _ in 0..<n {
            x1.append(r.nextStandardNormal() + x1Shift)
            x2.append(r.nextStandardNormal())
            let u = r.nextUnitInterval()
            c.append(u < bShare ? "b" : (u < bShare + (1 - bShare) / 2 ? "a" : "d"))
        }
        return (x1, x2, c)
    }

    static func baseline() throws -> Baseline {
        let train = rows(40_000, seed: 11)
        let predictions = train.x1.indices.map { truth(x1: train.x1[$0], x2: train.x2[$0], c: train.c[$0]) }
        return try BaselineBuilder().build(
            model: "additive", version: "1",
            columns: [
                DataColumn(name: "x1", values: train.x1.map(DataValue.number)),
                DataColumn(name: "x2", values: train.x2.map(DataValue.number)),
                DataColumn(name: "c", values: train.c.map(DataValue.string)),
                DataColumn(name: "prediction", values: predictions.map(DataValue.number))
            ],
            predictionColumn: "prediction")
    }

    /// Window counts per bin of each feature, through the baseline's own bins.
    static func counts(_ baseline: Baseline, _ window: (x1: [Double], x2: [Double], c: [String])) -> [[Double]] {
        func numeric(_ profile: FeatureProfile, _ values: [Double]) -> [Double] {
            var counts = [Double](repeating: 0, count: profile.binCount)
            for v in values { counts[BinSearch.bin(of: v, edges: profile.edges ?? [])] += 1 }
            return counts
        }
        let categories = baseline.features[2].categories ?? []
        var c = [Double](repeating: 0, count: baseline.features[2].binCount)
        for v in window.c { c[categories.firstIndex(of: v) ?? categories.count] += 1 }
        return [numeric(baseline.features[0], window.x1), numeric(baseline.features[1], window.x2), c]
    }

    @Test("the baseline keeps per-bin mean predictions; the attribution recovers a known additive shift")
    func attributionOnKnownGenerator() throws {
        let baseline = try Self.baseline()
        #expect(baseline.features.allSatisfy { $0.predictionMeans?.count == $0.binCount })
        #expect(baseline.prediction?.predictionMeans == nil)
        let b = try #require(baseline.features[2].categories?.firstIndex(of: "b"))
        #expect(abs((baseline.features[2].predictionMeans?[b] ?? nil ?? 0) - 0.5) < 0.01)
        // Window: x1 up by 0.5 sd (true shift 0.1 x 0.5 = 0.05), c's share of "b" from 0.3 to 0.6
        // (true shift 0.2 x 0.3 = 0.06), x2 unchanged (0).
        let window = Self.rows(20_000, seed: 12, x1Shift: 0.5, bShare: 0.6)
        let ranked = PredictionAttribution.rank(profiles: baseline.features, counts: Self.counts(baseline, window))
        #expect(ranked.map(\.feature).prefix(2) == ["c", "x1"])
        let shifts = Dictionary(uniqueKeysWithValues: ranked.map { ($0.feature, $0.predictionShift) })
        #expect(abs((shifts["c"] ?? 0) - 0.06) < 0.004, "\(shifts)")
        #expect(abs((shifts["x1"] ?? 0) - 0.05) < 0.004, "\(shifts)")
        #expect(abs(shifts["x2"] ?? 0) < 0.002, "\(shifts)")
        // The sum explains the observed move of the mean prediction.
        let observed =
            window.x1.indices.map { Self.truth(x1: window.x1[$0], x2: window.x2[$0], c: window.c[$0]) }
            .reduce(0, +) / Double(window.x1.count) - (baseline.prediction?.summary?.mean ?? 0)
        #expect(abs(ranked.map(\.predictionShift).reduce(0, +) - observed) < 0.006, "\(observed)")
        // An unchanged stream explains nothing.
        let same = PredictionAttribution.rank(
            profiles: baseline.features, counts: Self.counts(baseline, Self.rows(20_000, seed: 13)))
        #expect(same.allSatisfy { abs($0.predictionShift) < 0.003 })
    }

    @Test("evidence lists the bins that moved most; contributions are the method's per-bin terms")
    func evidenceDecomposesTheScore() throws {
        let profile = FeatureProfile(
            name: "plan", type: .categorical, categories: ["basic", "pro", "enterprise"], counts: [500, 300, 200, 0])
        let window: [Double] = [300, 280, 220, 150]
        let pair = try HistogramPair(baseline: profile.counts, window: window)
        let checks: [(String, String, Double)] = [
            ("psi", "psi", HistogramDistance.psi(pair)),
            ("kl_divergence", "kl_divergence", HistogramDistance.klDivergence(pair)),
            ("jensen_shannon", "jensen_shannon_divergence", HistogramDistance.jensenShannonDivergence(pair)),
            ("hellinger", "hellinger_squared", pow(HistogramDistance.hellinger(pair), 2)),
            ("chi_square", "total_variation", HistogramDistance.totalVariation(pair))
        ]
        for (method, measure, score) in checks {
            let all = try #require(DriftEvidence(profile: profile, counts: window, method: method, limit: 10))
            #expect(all.measure == measure)
            #expect(abs(all.bins.map(\.contribution).reduce(0, +) - score) < 1e-12, "\(method)")
        }
        let top = try #require(DriftEvidence(profile: profile, counts: window, method: "jensen_shannon"))
        #expect(top.bins.count == 3)
        #expect(top.bins.map(\.bin) == ["basic", "other (unseen)", "enterprise"])
        #expect(top.bins[0].baselineShare == 0.5 && abs(top.bins[0].windowShare - 300.0 / 950) < 1e-15)
        #expect(top.bins[1].baselineShare == 0 && abs(top.bins[1].windowShare - 150.0 / 950) < 1e-15)
        let numeric = FeatureProfile(name: "x", type: .numeric, edges: [0, 10, 20.5], counts: [0, 50, 50, 0])
        let moved = try #require(DriftEvidence(profile: numeric, counts: [10, 20, 50, 20], method: "ks"))
        #expect(Set(moved.bins.map(\.bin)) == ["[0, 10)", "(-inf, 0)", "[20.5, inf)"])
        #expect(DriftEvidence(profile: numeric, counts: [0, 0, 0, 0], method: "ks") == nil)
    }

    @Test("a prediction drift alert carries its evidence and the features that explain it")
    func predictionAlertCarriesAttribution() throws {
        let baseline = try Self.baseline()
        var monitor = try ModelMonitor(
            baseline: baseline, window: .count(events: 4_000, panes: 2),
            rule: { _ in AlertRule(forEvaluations: 1, minSamples: 1_000, sequential: false) },
            retrain: RetrainRule(enabled: false))
        var batch = ColumnarBatch(schema: try ModelSchema(baseline: baseline))
        let window = Self.rows(8_000, seed: 14, x1Shift: 0.8)
        let categories = baseline.features[2].categories ?? []
        for i in window.x1.indices {
            let c = Double(categories.firstIndex(of: window.c[i]) ?? categories.count)
            batch.append(
                timestamp: Int64(i), values: [window.x1[i], window.x2[i], c],
                prediction: Self.truth(x1: window.x1[i], x2: window.x2[i], c: window.c[i]))
        }
        let alerts = monitor.ingest(batch).compactMap { output -> AlertPayload? in
            if case .alert(let alert) = output { return alert }
            return nil
        }
        let prediction = try #require(alerts.first { $0.target == "prediction" })
        #expect(prediction.attribution?.first?.feature == "x1")
        // True shift 0.1 x 0.8 = 0.08; the bin means under-credit a move within the outer bins a little.
        #expect(
            abs((prediction.attribution?.first?.predictionShift ?? 0) - 0.08) < 0.01, "\(prediction.attribution ?? [])")
        #expect(prediction.evidence?.bins.isEmpty == false)
        let x1 = try #require(alerts.first { $0.feature == "x1" })
        #expect(x1.evidence?.bins.first.map { $0.windowShare > $0.baselineShare } == true)
        #expect(x1.attribution == nil)
        let json = String(decoding: try JSONEncoder().encode(prediction), as: UTF8.self)
        #expect(json.contains("\"prediction_shift\"") && json.contains("\"baseline_share\""))
    }
}
