import DriftCore
import Foundation
import Testing

@Suite("Exact binomial test")
struct BinomialTestTests {
    /// Reference values: exact rational sums (Python fractions, math.comb).
    @Test(
        "lower tail matches exact sums",
        arguments: [
            (0, 10, 0.8, 1.024e-07),
            (5, 10, 0.8, 0.0327934976),
            (75, 100, 0.8, 0.1313532173329888),
            (80, 100, 0.8, 0.5398386299354271),
            (95, 100, 0.8, 0.9999962968269427),
            (620, 1000, 0.8, 2.224571078966439e-39),
            (780, 1000, 0.8, 0.06284149528161402),
            (3, 4, 0.5, 0.9375),
            (0, 1, 0.3, 0.7)
        ])
    func exact(k: Int, n: Int, p: Double, expected: Double) {
        let value = BinomialTest.lowerTail(successes: k, trials: n, probability: p)
        #expect(abs(value - expected) <= 1e-10 * expected, "k=\(k) n=\(n) p=\(p): \(value) vs \(expected)")
    }

    @Test("limits: no trials, all successes, impossible counts, degenerate probabilities")
    func limits() {
        #expect(BinomialTest.lowerTail(successes: 0, trials: 0, probability: 0.5) == 1)
        #expect(BinomialTest.lowerTail(successes: 10, trials: 10, probability: 0.99) == 1)
        #expect(BinomialTest.lowerTail(successes: -1, trials: 10, probability: 0.5) == 0)
        #expect(BinomialTest.lowerTail(successes: 3, trials: 10, probability: 0) == 1)
        #expect(BinomialTest.lowerTail(successes: 3, trials: 10, probability: 1) == 0)
        #expect(BinomialTest.lowerTail(successes: 3, trials: 10, probability: .nan).isNaN)
    }

    @Test("large windows stay finite and monotone in the count")
    func large() {
        var previous = 0.0
        for k in stride(from: 7_000_000, through: 8_100_000, by: 50_000) {
            let value = BinomialTest.lowerTail(successes: k, trials: 10_000_000, probability: 0.8)
            #expect(value.isFinite && value >= previous)
            previous = value
        }
        #expect(previous > 0.999)
    }
}
