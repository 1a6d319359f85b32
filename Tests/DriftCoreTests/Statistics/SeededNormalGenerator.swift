import DriftCore
import Foundation

/// Deterministic normal variates for tests: SplitMix64 + Box-Muller.
struct SeededNormalGenerator {
    private var bits: SplitMix64
    private var spare: Double?

    init(seed: UInt64) { bits = SplitMix64(seed: seed) }

    mutating func nextUInt64() -> UInt64 { bits.next() }

    /// Uniform in (0, 1).
    mutating func uniform() -> Double { (Double(nextUInt64() >> 11) + 0.5) / 9_007_199_254_740_992.0 }

    mutating func normal(mean: Double = 0, std: Double = 1) -> Double {
        if let s = spare {
            spare = nil
            return mean + std * s
        }
        let r = (-2 * Foundation.log(uniform())).squareRoot()
        let theta = 2 * Double.pi * uniform()
        spare = r * Foundation.sin(theta)
        return mean + std * r * Foundation.cos(theta)
    }

    mutating func normals(_ count: Int, mean: Double = 0, std: Double = 1) -> [Double] {
        (0..<count).map { _ in normal(mean: mean, std: std) }
    }
}

/// Training-style quantile edges (min, inner quantiles, next double above max) and histograms.
enum TestBinning {
    static func quantileEdges(_ sample: [Double], innerBins: Int) -> [Double] {
        let sorted = sample.sorted()
        var edges = [sorted[0]]
        for i in 1..<innerBins {
            let position = Double(i) / Double(innerBins) * Double(sorted.count - 1)
            let lower = Int(position)
            let fraction = position - Double(lower)
            edges.append(sorted[lower] + fraction * (sorted[min(lower + 1, sorted.count - 1)] - sorted[lower]))
        }
        edges.append(sorted[sorted.count - 1].nextUp)
        var unique: [Double] = []
        for e in edges where unique.last.map({ e > $0 }) ?? true { unique.append(e) }
        return unique
    }

    static func histogram(_ values: [Double], edges: [Double]) -> [Double] {
        var counts = [Double](repeating: 0, count: edges.count + 1)
        for v in values {
            var lo = 0
            var hi = edges.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if edges[mid] <= v { lo = mid + 1 } else { hi = mid }
            }
            counts[lo] += 1
        }
        return counts
    }
}
