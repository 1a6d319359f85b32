import DriftCore
import Testing

@Suite("Histogram statistics on degenerate input")
struct HistogramEdgeCaseTests {
    @Test func emptyOrConstantNeverNaN() throws {
        let cases: [([Double], [Double])] = [
            ([0, 0, 0], [0, 0, 0]), ([10, 0, 0], [0, 0, 0]), ([0, 0, 0], [4, 1, 0]), ([0, 7, 0], [0, 7, 0]),
            ([0, 7, 0], [0, 0, 3]), ([5], [9])
        ]
        for (b, w) in cases {
            let pair = try HistogramPair(baseline: b, window: w)
            for method in DriftMethod.allCases {
                let edges: [Double]? = b.count > 1 ? (0..<(b.count - 1)).map(Double.init) : nil
                guard let edges else { continue }
                let score = try method.score(pair, edges: edges, scale: 0.5)
                #expect(score.score.isFinite, "\(method) on \(b) vs \(w)")
                #expect(score.statistic.isFinite, "\(method) statistic on \(b) vs \(w)")
                if let p = score.pValue { #expect((0...1).contains(p), "\(method) p on \(b) vs \(w)") }
            }
            let chi = ContingencyTest.chiSquare(pair)
            #expect(chi.pValue.isFinite && chi.statistic.isFinite)
        }
    }

    @Test func categoryOnlyInProductionKeepsChiSquareFinite() throws {
        let pair = try HistogramPair(baseline: [500, 300, 200, 0], window: [200, 150, 100, 50])
        let chi = ContingencyTest.chiSquare(pair)
        #expect(chi.statistic.isFinite && chi.statistic > 50)
        #expect(chi.degreesOfFreedom == 3)
        #expect(chi.pValue < 1e-10)
        #expect(HistogramDistance.psi(pair).isFinite)
        #expect(HistogramDistance.klDivergence(pair).isFinite)
    }

    @Test func identicalHistogramsScoreZero() throws {
        let pair = try HistogramPair(baseline: [10, 20, 30, 40], window: [1, 2, 3, 4])
        #expect(HistogramDistance.jensenShannonDistance(pair) < 1e-7)
        #expect(HistogramDistance.hellinger(pair) == 0)
        #expect(HistogramDistance.totalVariation(pair) < 1e-15)
        #expect(abs(HistogramDistance.psi(pair)) < 0.01)
        #expect(ContingencyTest.chiSquare(pair).pValue > 0.99)
    }

    @Test func malformedHistogramsThrowStableCodes() {
        do {
            _ = try HistogramPair(baseline: [1, 2], window: [1])
            Issue.record("mismatch accepted")
        } catch {
            #expect(error.code == .binCountMismatch)
            #expect(error.description.hasPrefix("statistics.bin_count_mismatch"))
        }
        do {
            _ = try HistogramPair(baseline: [1, -2], window: [1, 1])
            Issue.record("negative accepted")
        } catch {
            #expect(error.code == .badCount)
        }
        do {
            let pair = try HistogramPair(baseline: [1, 2, 3], window: [1, 1, 1])
            _ = try BinnedNumericTests.wasserstein(pair, edges: [2, 1])
            Issue.record("descending edges accepted")
        } catch {
            #expect(error.code == .badEdges)
        }
    }
}
