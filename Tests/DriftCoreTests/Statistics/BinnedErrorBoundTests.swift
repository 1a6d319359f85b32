import DriftCore
import Foundation
import Testing

@Suite("Binned statistics stay within their documented bound of the exact values")
struct BinnedErrorBoundTests {
    @Test(arguments: [(UInt64(1), 0.0, 1.0), (2, 0.3, 1.0), (3, -0.5, 2.0), (4, 1.5, 0.5), (5, 0.05, 1.0)])
    func kolmogorovSmirnovBound(seed: UInt64, shift: Double, spread: Double) throws {
        var rng = SeededNormalGenerator(seed: seed)
        for bins in [5, 10, 20, 40] {
            let baseline = rng.normals(4_000)
            let window = rng.normals(2_500, mean: shift, std: spread)
            let edges = TestBinning.quantileEdges(baseline, innerBins: bins)
            let pair = try HistogramPair(
                baseline: TestBinning.histogram(baseline, edges: edges), window: TestBinning.histogram(window, edges: edges))
            let binned = BinnedNumericTests.kolmogorovSmirnov(pair).statistic
            // Raw statistic (not the lattice-rounded one the exact p-value path reports).
            let exact = try TwoSampleTests.kolmogorovSmirnov(baseline, window).statistic
            let p = pair.baselineProportions
            let q = pair.windowProportions
            let slack = zip(p, q).map { max($0, $1) }.max() ?? 0
            #expect(binned <= exact + 1e-12, "binned KS \(binned) above exact \(exact)")
            #expect(exact <= binned + slack + 1e-12, "exact KS \(exact) beyond bound \(binned) + \(slack)")
        }
    }

    @Test(arguments: [UInt64(11), 12, 13, 14])
    func wassersteinBound(seed: UInt64) throws {
        var rng = SeededNormalGenerator(seed: seed)
        let baseline = rng.normals(5_000)
        let window = rng.normals(3_000, mean: Double(seed % 3) * 0.4, std: 1 + Double(seed % 2) * 0.5)
        for bins in [8, 16, 32] {
            let edges = TestBinning.quantileEdges(baseline, innerBins: bins)
            let pair = try HistogramPair(
                baseline: TestBinning.histogram(baseline, edges: edges), window: TestBinning.histogram(window, edges: edges))
            let binned = try BinnedNumericTests.wasserstein(pair, edges: edges)
            let exact = try TwoSampleTests.wasserstein(baseline, window)
            let p = pair.baselineProportions
            let q = pair.windowProportions
            var bound = 0.0
            for i in 1..<(edges.count) { bound += (edges[i] - edges[i - 1]) * (p[i] + q[i]) }
            let low = edges[0]
            let high = edges[edges.count - 1]
            func excess(_ values: [Double]) -> Double {
                values.reduce(0) { $0 + max(0, low - $1) + max(0, $1 - high) } / Double(values.count)
            }
            bound += excess(baseline) + excess(window)
            #expect(abs(binned - exact) <= bound + 1e-12, "bins \(bins): |\(binned) - \(exact)| > \(bound)")
            // And the bound is useful: with 32 bins the binned value is close.
            if bins == 32 { #expect(abs(binned - exact) <= 0.1 * max(exact, 0.05) + 0.02) }
        }
    }

    @Test func rawTestsHandleLargeSamplesQuickly() throws {
        var rng = SeededNormalGenerator(seed: 99)
        let a = rng.normals(200_000)
        let b = rng.normals(200_000, mean: 0.01)
        let clock = ContinuousClock()
        var results: [StatisticResult] = []
        let elapsed = try clock.measure {
            results.append(try TwoSampleTests.kolmogorovSmirnov(a, b))
            results.append(try TwoSampleTests.cramerVonMises(a, b))
            results.append(try TwoSampleTests.andersonDarling(a, b))
        }
        for r in results {
            #expect(r.statistic.isFinite)
            #expect((0...1).contains(try #require(r.pValue)))
        }
        // Sort + merge: far below a second even in a debug build (O(n m) would take minutes).
        #expect(elapsed < .seconds(10), "200k x 200k tests took \(elapsed)")
    }
}
