import DriftCore
import Foundation
import Testing

/// Closed forms of the sequential detectors against scipy (scripts/generate_detection_fixtures.py).
@Suite("Sequential detectors: closed forms against scipy")
struct DetectionGoldenTests {
    static func cases() throws -> [String: Any] {
        try #require(try StatisticsFixtures.load("detection") as? [String: Any])
    }

    @Test("normal quantile (AS 241) equals scipy's ndtri to 1e-14 relative, from 1e-300 to 1 - 1e-13")
    func normalQuantile() throws {
        let cases = try #require(try Self.cases()["ndtri"] as? [[String: Any]])
        #expect(cases.count >= 15)
        for c in cases {
            let p = try #require(StatisticsFixtures.double(c["p"]))
            let x = try #require(StatisticsFixtures.double(c["x"]))
            #expect(close(SpecialFunctions.normalQuantile(p), x, rel: 1e-14, abs: 1e-15), "p=\(p)")
            // And back through the CDF.
            if p > 1e-300 && p < 0.9 { #expect(close(SpecialFunctions.normalCDF(x), p, rel: 1e-12)) }
        }
        #expect(SpecialFunctions.normalQuantile(0) == -.infinity)
        #expect(SpecialFunctions.normalQuantile(1) == .infinity)
        #expect(SpecialFunctions.normalQuantile(.nan).isNaN)
    }

    @Test("mean and scale lanes of a numeric profile: increments, null mean and variance as scipy computes them")
    func numericLanes() throws {
        let fixture = try #require(try Self.cases()["numeric_lanes"] as? [String: Any])
        let edges = StatisticsFixtures.doubles(fixture["edges"])
        let counts = StatisticsFixtures.doubles(fixture["counts"])
        let profile = FeatureProfile(name: "v", type: .numeric, edges: edges, counts: counts, summary: nil, sample: nil)
        let detector = try #require(ColumnDetector(profile: profile, runLength: 1e6))
        let missing = detector.cells.missingProbability
        // Half a row's worth of missing values when the baseline has none.
        #expect(close(missing, 0.5 / 1_000.5, rel: 1e-15))
        let lanes = try #require(fixture["lanes"] as? [[String: Any]])
        for golden in lanes {
            let kind = try #require(golden["kind"] as? String)
            let shift = try #require(StatisticsFixtures.double(golden["shift"]))
            let scale = try #require(StatisticsFixtures.double(golden["scale"]))
            let parameter = kind.hasPrefix("mean") ? abs(shift) : scale
            let lane = try #require(
                detector.lanes.first { $0.kind.rawValue == kind && abs($0.parameter - parameter) < 1e-12 })
            let expected = StatisticsFixtures.doubles(golden["increments"])
            #expect(lane.increments.count == expected.count + 1)
            #expect(lane.increments[0] == 0, "missing values are neutral")
            for (c, w) in expected.enumerated() {
                #expect(close(lane.increments[c + 1], w, rel: 1e-12, abs: 1e-14), "\(kind) \(parameter) cell \(c + 1)")
            }
            // Per event (missing included, neutral) = (1 - missing share) x per present value.
            let nullMean = try #require(StatisticsFixtures.double(golden["null_mean"]))
            #expect(close(lane.nullMean, (1 - missing) * nullMean, rel: 1e-12))
            let alternative = try #require(StatisticsFixtures.double(golden["alternative_mean"]))
            #expect(close(lane.alternativeMean, (1 - missing) * alternative, rel: 1e-12))
            let variance = try #require(StatisticsFixtures.double(golden["null_variance"]))
            // Var over all events: (1 - s) E[w^2] - ((1 - s) E[w])^2.
            let eventVariance = (1 - missing) * (variance + nullMean * nullMean) - pow((1 - missing) * nullMean, 2)
            #expect(close(lane.nullVariance, eventVariance, rel: 1e-11))
        }
    }

    @Test("thresholds invert Siegmund's run length (scipy brentq), with and without a design effect")
    func siegmund() throws {
        let cases = try #require(try Self.cases()["siegmund"] as? [[String: Any]])
        for c in cases {
            let gamma = try #require(StatisticsFixtures.double(c["run_length"]))
            let rho = try #require(StatisticsFixtures.double(c["overshoot"]))
            let m = try #require(StatisticsFixtures.double(c["drift"]))
            let d = try #require(StatisticsFixtures.double(c["dependence"]))
            let h = try #require(StatisticsFixtures.double(c["threshold"]))
            #expect(
                close(
                    CusumCalibration.threshold(runLength: gamma, overshoot: rho, drift: m, dependence: d), h, rel: 1e-12
                ))
            if d == 1 {
                #expect(close(CusumCalibration.runLength(threshold: h, overshoot: rho, drift: m), gamma, rel: 1e-10))
            }
        }
        // The baseline-error tilt divides the threshold.
        #expect(
            close(
                CusumCalibration.threshold(runLength: 1e6, overshoot: 0.3, drift: 0.03, tilt: 0.8),
                CusumCalibration.threshold(runLength: 1e6, overshoot: 0.3, drift: 0.03) / 0.8, rel: 1e-15))
    }

    @Test("a normal-score mean lane is Page-Hinkley's CUSUM: the same run length formula")
    func pageHinkleyConsistency() {
        // In sd units the CUSUM with reference delta/2 and threshold h/delta is the LLR CUSUM of a
        // shift delta with threshold h; its two-sided run length is half the one-sided one.
        for (delta, h) in [(0.25, 20.0), (0.5, 12.5), (1.0, 7.0)] {
            let oneSided = CusumCalibration.runLength(threshold: h, overshoot: 1.166 * delta, drift: delta * delta / 2)
            let twoSided = PageHinkleyDetector.averageRunLength(delta: delta / 2, lambda: h / delta)
            #expect(close(oneSided, 2 * twoSided, rel: 1e-12))
        }
    }

    @Test("share lanes: two increments, ln(p1/p0) and ln((1-p1)/(1-p0)), neutral cells 0")
    func shareLanes() throws {
        // 20 % missing, categories a 50 %, b 30 %, c 20 % of the present values, no unseen.
        let profile = FeatureProfile(
            name: "c", type: .categorical, categories: ["a", "b", "c"], counts: [4_000, 2_400, 1_600, 0],
            missingCount: 2_000)
        let detector = try #require(ColumnDetector(profile: profile, runLength: 1e6))
        let cells = detector.cells
        // Good-Turing: the unseen cell holds (0 + 0 + 1) / (N + 1) of the present values.
        #expect(close(cells.presentProbabilities[cells.unseenCell], 1 / 8_001, rel: 1e-12))
        let up = try #require(detector.lanes.first { $0.kind == .missingUp && abs($0.parameter - 0.25) < 1e-9 })
        #expect(close(up.baselineShare, 0.2, rel: 1e-12))
        #expect(close(up.increments[0], log(0.25 / 0.2), rel: 1e-12))
        #expect(close(up.increments[1], log(0.75 / 0.8), rel: 1e-12))
        // KL(Ber(0.2) || Ber(0.25)) per event.
        #expect(close(-up.nullMean, 0.2 * log(0.2 / 0.25) + 0.8 * log(0.8 / 0.75), rel: 1e-12))
        let a = try #require(
            detector.lanes.first {
                $0.kind == .categoryUp && $0.categoryName == "a" && abs($0.parameter - $0.baselineShare - 0.05) < 1e-9
            })
        let pa = cells.presentProbabilities[1]
        #expect(a.increments[0] == 0)
        #expect(close(a.increments[1], log((pa + 0.05) / pa), rel: 1e-12))
        #expect(close(a.increments[2], log((1 - pa - 0.05) / (1 - pa)), rel: 1e-12))
        #expect(a.increments[3] == a.increments[2] && a.increments[4] == a.increments[2])
        #expect(a.name == "category_up:\"a\"")
        // Lanes: each category up by 0.05 and 0.15, down by 0.05 from a share of 10 % and by 0.15
        // from 30 % (a only: b holds 29.996 %), unseen, missing up x2 and down x1.
        let names = detector.lanes.map { "\($0.name)" }
        #expect(names.filter { $0.hasPrefix("category_down:\"a\"") }.count == 2)
        #expect(names.filter { $0.hasPrefix("category_down:\"c\"") }.count == 1)
        #expect(names.filter { $0 == "unseen" }.count == 1)
        #expect(detector.lanes.first { $0.kind == .unseen }?.declustered == true)
        #expect(names.filter { $0 == "missing_down" }.count == 1)
        #expect(detector.lanes.first { $0.kind == .missingUp }?.declustered == false)
    }

    @Test("the budget in user terms: one false alert per 30 days, 40 columns at 1,000 events/s")
    func budgetArithmetic() {
        let budget = FalseAlertBudget.default
        #expect(budget.description == "1/30d")
        // 2.592e9 events in 30 days; 40 columns as 40 shares: ln(gamma) = 25.37, the "about 25".
        let perColumn = budget.runLength(detectors: 40, eventsPerMillisecond: 1)
        #expect(close(perColumn, 40 * 2.592e9, rel: 1e-15))
        #expect(abs(log(perColumn) - 25.3645) < 1e-4)
        // 30 numeric columns of 10 lanes, 10 categorical of 16, and 40 window tests: 500 shares.
        let lanes = budget.runLength(detectors: 30 * 10 + 10 * 16 + 40, eventsPerMillisecond: 1)
        #expect(abs(log(lanes) - 27.8903) < 1e-4)
        // A window evaluated every 1,000 events: 2.592e6 evaluations per 30 days per column.
        #expect(
            close(
                budget.evaluationLevel(detectors: 500, evaluationsPerPeriod: 2.592e6), 1 / (500 * 2.592e6), rel: 1e-15))
    }
}
