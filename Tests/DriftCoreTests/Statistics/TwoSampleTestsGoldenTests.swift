import DriftCore
import Foundation
import Testing

@Suite("Raw-sample tests against scipy goldens")
struct TwoSampleTestsGoldenTests {
    @Test func matchScipy() throws {
        let cases = try StatisticsFixtures.cases("samples")
        #expect(cases.count >= 10)
        for c in cases {
            let name = c["name"] as? String ?? "?"
            let a = StatisticsFixtures.doubles(c["a"])
            let b = StatisticsFixtures.doubles(c["b"])
            let e = try #require(c["expected"] as? [String: Any])

            let ks = try TwoSampleTests.kolmogorovSmirnov(a, b)
            let ksGolden = try #require(e["ks"] as? [String: Any])
            let ksStatistic = try #require(StatisticsFixtures.double(ksGolden["statistic"]))
            let ksP = try #require(StatisticsFixtures.double(ksGolden["p"]))
            #expect(close(ks.statistic, ksStatistic, rel: 1e-12), "\(name).ks: \(ks.statistic) vs \(ksStatistic)")
            #expect(
                close(try #require(ks.pValue), ksP, rel: 1e-9, abs: 1e-300),
                "\(name).ks.p: \(ks.pValue ?? -1) vs \(ksP)")

            let w = try TwoSampleTests.wasserstein(a, b)
            let wGolden = try #require(StatisticsFixtures.double(e["wasserstein"]))
            #expect(close(w, wGolden, rel: 1e-9, abs: 1e-13), "\(name).wasserstein: \(w) vs \(wGolden)")

            if let g = e["cramer_von_mises"] as? [String: Any] {
                let cvm = try TwoSampleTests.cramerVonMises(a, b)
                let t = try #require(StatisticsFixtures.double(g["statistic"]))
                #expect(close(cvm.statistic, t, rel: 1e-9, abs: 1e-10), "\(name).cvm: \(cvm.statistic) vs \(t)")
                if let p = StatisticsFixtures.double(g["p"]) {
                    #expect(
                        close(try #require(cvm.pValue), p, rel: 1e-9, abs: 1e-12),
                        "\(name).cvm.p: \(cvm.pValue ?? -1) vs \(p)")
                } else {
                    #expect(try #require(cvm.pValue) < 1e-7, "\(name).cvm.p far tail")
                }
            }
            if let g = e["anderson_darling"] as? [String: Any] {
                let ad = try TwoSampleTests.andersonDarling(a, b)
                let a2 = try #require(StatisticsFixtures.double(g["statistic"]))
                let p = try #require(StatisticsFixtures.double(g["p"]))
                #expect(close(ad.statistic, a2, rel: 1e-9, abs: 1e-10), "\(name).ad: \(ad.statistic) vs \(a2)")
                #expect(close(try #require(ad.pValue), p, rel: 1e-9), "\(name).ad.p: \(ad.pValue ?? -1) vs \(p)")
            }
        }
    }

    @Test func badInputThrowsWithCodes() {
        #expect(
            throws: StatisticsError(
                .tooFewValues, "Kolmogorov-Smirnov needs at least 1 value(s) per sample, got 0 and 2")
        ) {
            try TwoSampleTests.kolmogorovSmirnov([], [1, 2])
        }
        do {
            _ = try TwoSampleTests.cramerVonMises([1, .nan, 3], [1, 2, 3])
            Issue.record("NaN accepted")
        } catch {
            #expect(error.code == .nonFiniteValue)
        }
        do {
            _ = try TwoSampleTests.andersonDarling([1], [2, 3])
            Issue.record("3 values accepted")
        } catch {
            #expect(error.code == .tooFewValues)
        }
    }
}
