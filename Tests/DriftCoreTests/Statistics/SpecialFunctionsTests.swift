import DriftCore
import Foundation
import Testing

@Suite("Special functions against scipy")
struct SpecialFunctionsTests {
    @Test func incompleteGammaMatchesScipy() throws {
        let special = try #require(try StatisticsFixtures.load("special") as? [String: Any])
        let rows = try #require(special["gamma_q"] as? [[String: Any]])
        #expect(rows.count >= 10)
        for row in rows {
            let a = try #require(StatisticsFixtures.double(row["a"]))
            let x = try #require(StatisticsFixtures.double(row["x"]))
            let q = try #require(StatisticsFixtures.double(row["q"]))
            let p = try #require(StatisticsFixtures.double(row["p"]))
            #expect(close(SpecialFunctions.regularizedGammaQ(a, x), q, rel: 1e-12, abs: 1e-300), "Q(\(a), \(x))")
            #expect(close(SpecialFunctions.regularizedGammaP(a, x), p, rel: 1e-12, abs: 1e-300), "P(\(a), \(x))")
        }
    }

    @Test func chiSquareAndNormalTailsMatchScipy() throws {
        let special = try #require(try StatisticsFixtures.load("special") as? [String: Any])
        for row in try #require(special["chi2_sf"] as? [[String: Any]]) {
            let x = try #require(StatisticsFixtures.double(row["x"]))
            let df = try #require(StatisticsFixtures.double(row["df"]))
            let sf = try #require(StatisticsFixtures.double(row["sf"]))
            #expect(
                close(SpecialFunctions.chiSquareSurvival(x, degreesOfFreedom: df), sf, rel: 1e-12),
                "chi2.sf(\(x), \(df))")
        }
        for row in try #require(special["normal_sf"] as? [[String: Any]]) {
            let z = try #require(StatisticsFixtures.double(row["z"]))
            let sf = try #require(StatisticsFixtures.double(row["sf"]))
            // glibc erfc and scipy's ndtr differ by ~2e-13 relative at z = 30 (sf ~ 5e-198).
            #expect(close(SpecialFunctions.normalSurvival(z), sf, rel: 1e-12, abs: 1e-300), "norm.sf(\(z))")
        }
    }

    @Test func besselKMatchesScipy() throws {
        let special = try #require(try StatisticsFixtures.load("special") as? [String: Any])
        for row in try #require(special["bessel_k"] as? [[String: Any]]) {
            let nu = try #require(StatisticsFixtures.double(row["nu"]))
            let x = try #require(StatisticsFixtures.double(row["x"]))
            let k = try #require(StatisticsFixtures.double(row["k"]))
            #expect(close(SpecialFunctions.besselK(order: nu, x), k, rel: 1e-12, abs: 1e-300), "K_\(nu)(\(x))")
        }
    }

    @Test func kolmogorovDistributionsMatchScipy() throws {
        let special = try #require(try StatisticsFixtures.load("special") as? [String: Any])
        for row in try #require(special["kstwo_sf"] as? [[String: Any]]) {
            let n = try #require(StatisticsFixtures.double(row["n"]))
            let d = try #require(StatisticsFixtures.double(row["d"]))
            let sf = try #require(StatisticsFixtures.double(row["sf"]))
            let actual = KolmogorovSmirnovDistribution.oneSampleSurvival(n: Int(n), d: d)
            #expect(close(actual, sf, rel: 1e-9, abs: 1e-15), "kstwo.sf(\(d), \(Int(n))) = \(actual), scipy \(sf)")
        }
        for row in try #require(special["smirnov"] as? [[String: Any]]) {
            let n = try #require(StatisticsFixtures.double(row["n"]))
            let d = try #require(StatisticsFixtures.double(row["d"]))
            let sf = try #require(StatisticsFixtures.double(row["sf"]))
            let actual = KolmogorovSmirnovDistribution.smirnovSurvival(n: Int(n), d: d)
            #expect(close(actual, sf, rel: 1e-9, abs: 1e-300), "smirnov(\(Int(n)), \(d)) = \(actual), scipy \(sf)")
        }
    }

    @Test func cramerVonMisesLimitMatchesScipy() throws {
        let special = try #require(try StatisticsFixtures.load("special") as? [String: Any])
        for row in try #require(special["cvm_limit_cdf"] as? [[String: Any]]) {
            let x = try #require(StatisticsFixtures.double(row["x"]))
            let cdf = try #require(StatisticsFixtures.double(row["cdf"]))
            let actual = CramerVonMisesDistribution.limitingCDF(x)
            #expect(close(actual, cdf, rel: 1e-10), "cvm cdf(\(x)) = \(actual), scipy \(cdf)")
        }
    }

    @Test func twoProportionZTestMatchesScipy() throws {
        let special = try #require(try StatisticsFixtures.load("special") as? [String: Any])
        for row in try #require(special["z_test"] as? [[String: Any]]) {
            let r = ContingencyTest.twoProportionZTest(
                successes1: try #require(StatisticsFixtures.double(row["s1"])),
                total1: try #require(StatisticsFixtures.double(row["n1"])),
                successes2: try #require(StatisticsFixtures.double(row["s2"])),
                total2: try #require(StatisticsFixtures.double(row["n2"])))
            #expect(close(r.z, try #require(StatisticsFixtures.double(row["z"])), rel: 1e-12))
            #expect(close(r.pValue, try #require(StatisticsFixtures.double(row["p"])), rel: 1e-10, abs: 1e-300))
        }
    }

    @Test func domainEdgesNeverGiveNaN() {
        #expect(SpecialFunctions.regularizedGammaQ(2, 0) == 1)
        #expect(SpecialFunctions.regularizedGammaQ(2, .infinity) == 0)
        #expect(SpecialFunctions.chiSquareSurvival(5, degreesOfFreedom: 0) == 0)
        #expect(SpecialFunctions.besselK(order: 0.25, 0) == .infinity)
        #expect(KolmogorovSmirnovDistribution.oneSampleSurvival(n: 10, d: 0) == 1)
        #expect(KolmogorovSmirnovDistribution.oneSampleSurvival(n: 10, d: 1.5) == 0)
        #expect(CramerVonMisesDistribution.limitingCDF(0) == 0)
    }
}
