import Testing

@testable import DriftCore

@Suite("Radix sort used by the raw-sample tests")
struct DoubleRadixSortTests {
    @Test func matchesStandardSortIncludingSignsAndZeros() {
        var rng = SeededNormalGenerator(seed: 31)
        var values = rng.normals(10_000, std: 1e6)
        values += [
            0.0, -0.0, Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude,
            -Double.greatestFiniteMagnitude, 1, 1, 1
        ]
        values += (0..<3_000).map { Double($0 % 7) - 3 }
        let radix = DoubleRadixSort.sorted(values)
        let reference = values.sorted()
        #expect(radix.count == reference.count)
        #expect(zip(radix, reference).allSatisfy { $0 == $1 })
        #expect(zip(radix, radix.dropFirst()).allSatisfy { $0 <= $1 })
    }
}
