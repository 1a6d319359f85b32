import DriftCore
import Foundation
import Testing

@Suite struct QuantileSketchTests {
    /// Relative distance of `x` from `reference` (absolute when the reference is 0).
    private func relativeError(_ x: Double, _ reference: Double) -> Double {
        reference == 0 ? abs(x) : abs(x - reference) / reference
    }

    @Test(arguments: [0.005, 0.01, 0.05])
    func percentilesWithinStatedErrorOfNumpy(alpha: Double) throws {
        let fixtures = try LatencyFixtures.load()
        var worstLower = 0.0
        var worstLinear = 0.0
        for c in fixtures.cases {
            var sketch = QuantileSketch(relativeAccuracy: alpha)
            for v in c.values { sketch.add(v) }
            #expect(sketch.count == Double(c.values.count))
            for (i, q) in fixtures.quantiles.enumerated() {
                let value = try #require(sketch.quantile(q))
                let error = relativeError(value, c.lower[i])
                worstLower = max(worstLower, error)
                worstLinear = max(worstLinear, relativeError(value, c.linear[i]))
                if q == 1 {
                    #expect(value == c.lower[i], "\(c.name): max must be exact")
                } else {
                    #expect(
                        error <= alpha * (1 + 1e-9),
                        "\(c.name) q=\(q): sketch \(value), numpy lower \(c.lower[i]), error \(error) > \(alpha)")
                }
            }
        }
        print(
            "QuantileSketch alpha=\(alpha): worst relative error vs numpy lower \(worstLower), vs numpy linear \(worstLinear)"
        )
    }

    @Test func mergeEqualsOneSketchOfAllValues() throws {
        let fixtures = try LatencyFixtures.load()
        for c in fixtures.cases {
            var whole = QuantileSketch()
            var left = QuantileSketch()
            var right = QuantileSketch()
            for (i, v) in c.values.enumerated() {
                whole.add(v)
                if i % 3 == 0 { left.add(v) } else { right.add(v) }
            }
            left.merge(right)
            for q in [0.5, 0.9, 0.95, 0.99, 1.0] { #expect(left.quantile(q) == whole.quantile(q), "\(c.name) q=\(q)") }
            #expect(left.count == whole.count)
            #expect(left.max == whole.max)
            #expect(left.min == whole.min)
        }
    }

    @Test func codableRoundTripKeepsQuantiles() throws {
        var sketch = QuantileSketch()
        for v in [0.0, 0.5, 3, 7, 7, 12.25, 400, 10_000] { sketch.add(v) }
        let decoded = try JSONDecoder().decode(QuantileSketch.self, from: JSONEncoder().encode(sketch))
        #expect(decoded == sketch)
        #expect(decoded.quantile(0.5) == sketch.quantile(0.5))
        let empty = try JSONDecoder().decode(QuantileSketch.self, from: JSONEncoder().encode(QuantileSketch()))
        #expect(empty == QuantileSketch())
    }

    @Test func bucketCapCollapsesLowestValuesOnly() {
        var sketch = QuantileSketch(relativeAccuracy: 0.01, maxBuckets: 64)
        // Values spanning far more than 64 buckets: the cap holds, the top quantiles keep the bound.
        var values: [Double] = []
        var x = 0.001
        while x < 1_000_000 {
            values.append(x)
            x *= 1.01
        }
        for v in values { sketch.add(v) }
        #expect(sketch.bucketCount <= 64)
        let n = values.count
        let q = 0.99
        let exact = values[Int((q * Double(n - 1)).rounded(.down))]
        let got = sketch.quantile(q) ?? .nan
        #expect(abs(got - exact) / exact <= 0.01 * (1 + 1e-9))
        #expect(sketch.quantile(1) == values.last)
    }

    @Test func emptyAndInvalidInput() {
        var sketch = QuantileSketch()
        #expect(sketch.quantile(0.5) == nil)
        sketch.add(.nan)
        sketch.add(-1)
        sketch.add(.infinity)
        #expect(sketch.isEmpty)
        sketch.add(0)
        #expect(sketch.quantile(0.99) == 0)
    }
}
