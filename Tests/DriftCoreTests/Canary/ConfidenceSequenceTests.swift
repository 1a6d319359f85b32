import DriftCore
import Foundation
import Testing

/// The normal-mixture confidence sequence against scipy (scripts/generate_canary_fixtures.py):
/// the mixture ratio by numerical integration, the half-width by root finding.
@Suite("Confidence sequence (normal mixture) against scipy")
struct ConfidenceSequenceTests {
    struct Fixtures: Decodable {
        struct Mixture: Decodable {
            let variance: Double
            let mixing_variance: Double
            let alpha: Double
            let difference: Double
            let ratio: Double
            let half_width: Double
        }

        struct TwoSample: Decodable {
            let name: String
            let incumbent: [Double]
            let candidate: [Double]
            let margin: Double
            let alpha: Double
            let quantities: Int
            let difference: Double
            let variance: Double
            let half_width: Double
        }

        let mixture: [Mixture]
        let two_sample: [TwoSample]

        static func load() throws -> Fixtures {
            let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
            let data = try Data(contentsOf: root.appendingPathComponent("canary/confidence_sequence.json"))
            return try JSONDecoder().decode(Fixtures.self, from: data)
        }
    }

    private static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(b))
    }

    @Test("mixture ratio and half-width match numerical integration and root finding")
    func mixture() throws {
        let fixtures = try Fixtures.load()
        #expect(fixtures.mixture.count == 6)
        for m in fixtures.mixture {
            let ratio = ConfidenceSequence.mixtureRatio(
                difference: m.difference, variance: m.variance, mixingVariance: m.mixing_variance)
            let h = ConfidenceSequence.halfWidth(
                variance: m.variance, mixingVariance: m.mixing_variance, alpha: m.alpha)
            #expect(Self.close(ratio, m.ratio), "ratio \(ratio) vs \(m.ratio)")
            #expect(Self.close(h, m.half_width), "half-width \(h) vs \(m.half_width)")
            // The boundary is where the ratio reaches 1/alpha.
            let atBoundary = ConfidenceSequence.mixtureRatio(
                difference: h, variance: m.variance, mixingVariance: m.mixing_variance)
            #expect(Self.close(atBoundary, 1 / m.alpha, 1e-9))
        }
    }

    @Test("two samples: difference, variance and half-width as numpy computes them")
    func twoSample() throws {
        for c in try Fixtures.load().two_sample {
            var inc = RunningMoments()
            var cand = RunningMoments()
            c.incumbent.forEach { inc.add($0) }
            // Merged halves give the same moments as one pass.
            let half = c.candidate.count / 2
            var first = RunningMoments()
            var second = RunningMoments()
            c.candidate[..<half].forEach { first.add($0) }
            c.candidate[half...].forEach { second.add($0) }
            cand = first
            cand.merge(second)
            let d = cand.mean - inc.mean
            let v = cand.variance / cand.count + inc.variance / inc.count
            #expect(Self.close(d, c.difference), "\(c.name)")
            #expect(Self.close(v, c.variance), "\(c.name)")
            let h = ConfidenceSequence.halfWidth(
                variance: v, mixingVariance: c.margin * c.margin, alpha: c.alpha / Double(c.quantities))
            #expect(Self.close(h, c.half_width, 1e-8), "\(c.name): \(h) vs \(c.half_width)")
        }
    }
}
