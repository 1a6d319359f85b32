import DriftCore
import Foundation
import Testing

@Suite("CusumThreshold.tilt against scipy root-finds (scripts/generate_cusum_fixtures.py)")
struct CusumThresholdTests {
    @Test func tiltMatchesScipyRoot() throws {
        let cases = try StatisticsFixtures.cases("cusum_tilt")
        #expect(cases.count == 4)
        var roots = 0
        var none = 0
        for c in cases {
            let name = c["name"] as? String ?? "?"
            let values = StatisticsFixtures.doubles(c["values"])
            #expect(values.count >= 200, "\(name)")
            let negated = values.map { -$0 }
            for e in try #require(c["expected"] as? [[String: Any]]) {
                let delta = try #require(StatisticsFixtures.double(e["delta"]))
                let up = (e["direction"] as? String) == "up"
                let actual = CusumThreshold.tilt(values: up ? values : negated, delta: delta)
                let label = "\(name) delta \(delta) \(up ? "up" : "down")"
                if let expected = StatisticsFixtures.double(e["theta"]) {
                    let theta = try #require(actual, "\(label): no root, scipy has \(expected)")
                    #expect(close(theta, expected, rel: 1e-9), "\(label): \(theta) vs \(expected)")
                    roots += 1
                } else {
                    #expect(actual == nil, "\(label): \(actual ?? -1), scipy found no root")
                    none += 1
                }
            }
        }
        #expect(roots == 19 && none == 1)
    }

    @Test func skewedFeatureTiltIsTheDocumentedOne() throws {
        // docs/statistics.md §6: Exp(1) data, delta = 0.5, upward sum: theta ≈ 0.58 instead of 1.
        let c = try #require(
            try StatisticsFixtures.cases("cusum_tilt").first { ($0["name"] as? String) == "exp1_20000_unclipped" })
        let theta = try #require(CusumThreshold.tilt(values: StatisticsFixtures.doubles(c["values"]), delta: 0.5))
        #expect(abs(theta - 0.58) < 0.03, "theta \(theta)")
        // The downward sum of the same data sees the light tail: a tilt above the normal 2 delta.
        let down = try #require(
            CusumThreshold.tilt(values: StatisticsFixtures.doubles(c["values"]).map { -$0 }, delta: 0.5))
        #expect(down > 1)
    }

    @Test func noRootWhenTheSumCannotClimb() {
        #expect(CusumThreshold.tilt(values: [0.2, 0.4, 0.1], delta: 0.5) == nil)  // no value above delta
        #expect(CusumThreshold.tilt(values: [1, 1, 0.6], delta: 0.5) == nil)  // mean not below delta
        #expect(CusumThreshold.tilt(values: [], delta: 0.5) == nil)
        #expect(CusumThreshold.tilt(values: [-1, 1], delta: 0) == nil)
    }
}
