import DriftCore
import Foundation
import Testing

/// The three verdicts of large samples against scipy (scripts/generate_small_shift_fixtures.py):
/// expected counts of two 200,000-row samples on the 10 quantile bins of N(0, 1), the current one
/// shifted by 0 to 0.5 sd.
@Suite("Small but certain shift: scipy goldens")
struct SmallShiftGoldenTests {
    private struct Fixture {
        var edges: [Double]
        var baseline: [Double]
        var cases: [[String: Any]]
    }

    private func fixture() throws -> Fixture {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: root.appendingPathComponent("statistics/small_shift.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return Fixture(
            edges: StatisticsFixtures.doubles(object["edges"]),
            baseline: StatisticsFixtures.doubles(object["baseline"]),
            cases: try #require(object["cases"] as? [[String: Any]]))
    }

    @Test("score, p-value and verdict per shift; a 0.05 sd shift is a small shift, not drift")
    func verdicts() throws {
        let f = try fixture()
        #expect(f.cases.count == 8)
        let profile = FeatureProfile(
            name: "x", type: .numeric, edges: f.edges, counts: f.baseline,
            summary: NumericSummary(min: f.edges[0], max: f.edges[f.edges.count - 1], mean: 0, std: 1))
        var seen: Set<FeatureVerdict> = []
        for c in f.cases {
            let shift = try #require(StatisticsFixtures.double(c["shift_sd"]))
            let e = FeatureEvaluator.evaluate(
                profile: profile, counts: StatisticsFixtures.doubles(c["current"]), missing: 0, rule: AlertRule())
            let js = try #require(StatisticsFixtures.double(c["jensen_shannon"]))
            let p = try #require(StatisticsFixtures.double(c["p"]))
            #expect(e.method == "jensen_shannon")
            #expect(close(e.score, js, rel: 1e-9, abs: 1e-12), "shift \(shift): JS \(e.score) vs scipy \(js)")
            let pValue = try #require(e.pValue)
            // Below 1e-300 scipy reports 0; relative agreement above.
            #expect(
                p == 0 ? pValue < 1e-290 : close(pValue, p, rel: 1e-6, abs: 1e-300),
                "shift \(shift): p \(pValue) vs scipy \(p)")
            let name = try #require(c["verdict"] as? String)
            let expected = try #require(FeatureVerdict(rawValue: name))
            #expect(e.verdict == expected, "shift \(shift): \(e.reason)")
            #expect(e.smallShift == (expected == .smallShift))
            if expected == .smallShift {
                #expect(e.status == .ok, "a small shift is not drift")
                #expect(e.reason.hasPrefix("small shift: jensen_shannon"), "\(e.reason)")
            }
            seen.insert(e.verdict)
        }
        #expect(seen == [.drift, .smallShift, .noShift])
        let half = try #require(f.cases.first { StatisticsFixtures.double($0["shift_sd"]) == 0.05 })
        #expect(half["verdict"] as? String == "small_shift")
    }

    @Test("the strict level is 1e-6, or the rule's alpha when stricter (the daemon's budget)")
    func strictLevel() throws {
        #expect(FeatureEvaluator.smallShiftLevel(alpha: 0.01) == 1e-6)
        #expect(FeatureEvaluator.smallShiftLevel(alpha: 1e-9) == 1e-9)
        let f = try fixture()
        let profile = FeatureProfile(
            name: "x", type: .numeric, edges: f.edges, counts: f.baseline,
            summary: NumericSummary(min: f.edges[0], max: f.edges[f.edges.count - 1], mean: 0, std: 1))
        // 0.03 sd: p = 8.8e-14. A small shift at alpha 1e-9, none at alpha 1e-15.
        let c = try #require(f.cases.first { StatisticsFixtures.double($0["shift_sd"]) == 0.03 })
        let counts = StatisticsFixtures.doubles(c["current"])
        #expect(
            FeatureEvaluator.evaluate(profile: profile, counts: counts, missing: 0, rule: AlertRule(alpha: 1e-9))
                .verdict == .smallShift)
        #expect(
            FeatureEvaluator.evaluate(profile: profile, counts: counts, missing: 0, rule: AlertRule(alpha: 1e-15))
                .verdict == .noShift)
    }
}
