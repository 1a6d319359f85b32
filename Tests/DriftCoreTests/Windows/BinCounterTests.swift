import DriftCore
import Foundation
import Testing

@Suite("Bin counting")
struct BinCounterTests {
    @Test("counts match numpy.searchsorted on every fixture case")
    func matchesNumpy() throws {
        for c in try HistogramFixtures.load().cases {
            let schema = try numericSchema(edges: c.edges)
            let counter = BinCounter(column: schema.features[0])
            var slots = [Double](repeating: 0, count: c.edges.count + 2)
            let column = c.column
            column.withUnsafeBufferPointer { values in
                slots.withUnsafeMutableBufferPointer { counter.accumulate(values, into: $0, base: 0) }
            }
            #expect(Array(slots.dropLast()) == c.counts, "case \(c.name)")
            #expect(slots.last == c.missing, "case \(c.name) missing")
        }
    }

    @Test("SIMD kernel agrees with the scalar binary search, value by value")
    func agreesWithScalar() throws {
        let edges = [-3.0, -1.5, -0.5, 0, 0.25, 0.5, 1, 2, 4]
        let schema = try numericSchema(edges: edges)
        let counter = BinCounter(column: schema.features[0])
        var generator = SystemRandomNumberGenerator()
        for n in [1, 7, 8, 9, 63, 64, 1000] {
            let values = (0..<n).map { _ in Double.random(in: -5...5, using: &generator).rounded(toPlaces: 1) }
            var expected = [Double](repeating: 0, count: edges.count + 2)
            for v in values { expected[BinSearch.bin(of: v, edges: edges)] += 1 }
            var slots = [Double](repeating: 0, count: edges.count + 2)
            values.withUnsafeBufferPointer { v in
                slots.withUnsafeMutableBufferPointer { counter.accumulate(v, into: $0, base: 0) }
            }
            #expect(slots == expected, "n = \(n)")
        }
    }

    @Test("categorical bin indexes count directly; out-of-range indexes count as missing")
    func categorical() throws {
        let profile = FeatureProfile(name: "c", type: .categorical, categories: ["a", "b"], counts: [1, 1, 0])
        let schema = try ModelSchema(
            baseline: Baseline(id: "m", model: "m", version: "1", rowCount: 2, features: [profile]))
        let counter = BinCounter(column: schema.features[0])
        let values: [Double] = [0, 1, 1, 2, .nan, 7, -1]
        var slots = [Double](repeating: 0, count: 4)
        values.withUnsafeBufferPointer { v in
            slots.withUnsafeMutableBufferPointer { counter.accumulate(v, into: $0, base: 0) }
        }
        #expect(slots == [1, 2, 1, 3])
    }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10.0, Double(places))
        return (self * scale).rounded() / scale
    }
}
