import DriftCore
import Foundation
import Testing

@Suite("Binned drift statistics against numpy/scipy goldens")
struct BinnedStatisticsGoldenTests {
    static func allCases() throws -> [[String: Any]] { try StatisticsFixtures.cases("binned") }

    @Test func distancesMatch() throws {
        let cases = try Self.allCases()
        #expect(cases.count >= 12)
        var identicalCases = 0
        for c in cases {
            let name = c["name"] as? String ?? "?"
            let e = try #require(c["expected"] as? [String: Any])
            let pair = try HistogramPair(
                baseline: StatisticsFixtures.doubles(c["baseline"]), window: StatisticsFixtures.doubles(c["window"]))
            let checks: [(String, Double)] = [
                ("psi", HistogramDistance.psi(pair)),
                ("kl_divergence", HistogramDistance.klDivergence(pair)),
                ("jensen_shannon", HistogramDistance.jensenShannonDistance(pair)),
                ("jensen_shannon_divergence", HistogramDistance.jensenShannonDivergence(pair)),
                ("hellinger", HistogramDistance.hellinger(pair)),
                ("total_variation", HistogramDistance.totalVariation(pair)),
                ("l_infinity", HistogramDistance.lInfinity(pair))
            ]
            // Equal proportions: the unsmoothed distances are exactly 0, and the golden is 0 only up to
            // rounding (scipy's JS takes the square root of a rounding-level divergence and can give
            // ~1e-8). Only there an absolute floor applies; everywhere else (including the smoothed
            // PSI and KL of equal shapes with different totals, which are not 0) 1e-9 relative, nothing absolute.
            let sameShape = pair.baselineProportions == pair.windowProportions
            for (key, actual) in checks {
                let expected = try #require(StatisticsFixtures.double(e[key]), "\(name).\(key)")
                if sameShape && abs(expected) <= 2e-8 {
                    #expect(abs(actual) <= 2e-8, "\(name).\(key): \(actual) vs \(expected) (equal shapes)")
                } else {
                    #expect(close(actual, expected, rel: 1e-9, abs: 0), "\(name).\(key): \(actual) vs \(expected)")
                }
            }
            if sameShape { identicalCases += 1 }
        }
        // The floor covers exactly the equal-shape cases (identical_histograms, constant_same).
        #expect(identicalCases == 2)
    }

    @Test func contingencyTestsMatch() throws {
        for c in try Self.allCases() {
            let name = c["name"] as? String ?? "?"
            let e = try #require(c["expected"] as? [String: Any])
            let pair = try HistogramPair(
                baseline: StatisticsFixtures.doubles(c["baseline"]), window: StatisticsFixtures.doubles(c["window"]))
            // Equal shapes: statistic and effect are 0 up to rounding; elsewhere 1e-9 relative only.
            let floor = pair.baselineProportions == pair.windowProportions ? 1e-9 : 0
            for (key, result) in [
                ("chi_square", ContingencyTest.chiSquare(pair)), ("g_test", ContingencyTest.gTest(pair))
            ] {
                let golden = try #require(e[key] as? [String: Any])
                let statistic = try #require(StatisticsFixtures.double(golden["statistic"]))
                let p = try #require(StatisticsFixtures.double(golden["p"]))
                let effect = try #require(StatisticsFixtures.double(golden["effect"]))
                #expect(result.degreesOfFreedom == (golden["df"] as? Int), "\(name).\(key).df")
                #expect(
                    close(result.statistic, statistic, rel: 1e-9, abs: floor),
                    "\(name).\(key): \(result.statistic) vs \(statistic)")
                #expect(close(result.pValue, p, rel: 1e-9, abs: 1e-300), "\(name).\(key).p: \(result.pValue) vs \(p)")
                #expect(close(result.effectSize, effect, rel: 1e-9, abs: floor), "\(name).\(key).effect")
            }
        }
    }

    @Test func orderedTestsMatch() throws {
        for c in try Self.allCases() {
            guard let edges = c["edges"] as? [Any] else { continue }
            let name = c["name"] as? String ?? "?"
            let e = try #require(c["expected"] as? [String: Any])
            let pair = try HistogramPair(
                baseline: StatisticsFixtures.doubles(c["baseline"]), window: StatisticsFixtures.doubles(c["window"]))
            let floor = pair.baselineProportions == pair.windowProportions ? 1e-9 : 0
            let ks = BinnedNumericTests.kolmogorovSmirnov(pair)
            let ksGolden = try #require(e["ks"] as? [String: Any])
            #expect(
                close(ks.statistic, try #require(StatisticsFixtures.double(ksGolden["statistic"])), rel: 1e-12),
                "\(name).ks")
            #expect(
                close(
                    try #require(ks.pValue), try #require(StatisticsFixtures.double(ksGolden["p"])), rel: 1e-9,
                    abs: 1e-300),
                "\(name).ks.p: \(ks.pValue ?? -1) vs \(ksGolden["p"] ?? "")")
            if let cvmGolden = e["cramer_von_mises"] as? [String: Any] {
                let cvm = BinnedNumericTests.cramerVonMises(pair)
                let t = try #require(StatisticsFixtures.double(cvmGolden["statistic"]))
                #expect(close(cvm.statistic, t, rel: 1e-9, abs: floor), "\(name).cvm: \(cvm.statistic) vs \(t)")
                if let p = StatisticsFixtures.double(cvmGolden["p"]) {
                    #expect(
                        close(try #require(cvm.pValue), p, rel: 1e-9, abs: 1e-12),
                        "\(name).cvm.p: \(cvm.pValue ?? -1) vs \(p)")
                } else {
                    // Past the series' range (normalised T > 3) scipy returns rounding noise; ours is the tail bound.
                    #expect(try #require(cvm.pValue) < 1e-7, "\(name).cvm.p far tail")
                }
            }
            let ad = BinnedNumericTests.andersonDarling(pair)
            if let adGolden = e["anderson_darling"] as? [String: Any] {
                let a2 = try #require(StatisticsFixtures.double(adGolden["statistic"]))
                #expect(close(ad.statistic, a2, rel: 1e-9, abs: floor), "\(name).ad: \(ad.statistic) vs \(a2)")
                let p = try #require(StatisticsFixtures.double(adGolden["p"]))
                #expect(close(try #require(ad.pValue), p, rel: 1e-9), "\(name).ad.p: \(ad.pValue ?? -1) vs \(p)")
            } else {
                #expect(
                    ad.pValue == AndersonDarlingDistribution.pValueCap, "\(name): one distinct value is no evidence")
                #expect(ad.statistic.isFinite)
            }
            let w = try BinnedNumericTests.wasserstein(pair, edges: StatisticsFixtures.doubles(edges))
            let wGolden = try #require(StatisticsFixtures.double(e["wasserstein"]))
            #expect(close(w, wGolden, rel: 1e-9, abs: 1e-12), "\(name).wasserstein: \(w) vs \(wGolden)")
        }
    }
}
