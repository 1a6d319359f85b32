/// Builds the numeric part of a feature profile: quantile edges, counts, summary, sample.
enum NumericProfiler {
    /// Profiles present (non-missing, finite) values; `missing` rows are counted apart.
    static func profile(
        name: String, values: [Double], missing: Int, options: BaselineBuildOptions
    ) -> FeatureProfile {
        guard !values.isEmpty else {
            // All missing: one edge so the profile stays valid; both bins empty.
            return FeatureProfile(
                name: name, type: .numeric, edges: [0], counts: [0, 0],
                missingCount: Double(missing), summary: nil, sample: [])
        }
        // Radix sort (O(n), values are finite) and counts from the sorted order: per edge one
        // binary search instead of one per value.
        let sorted = DoubleRadixSort.sorted(values)
        let edges = quantileEdges(sorted: sorted, binCount: options.binCount)
        let counts = sortedCounts(sorted: sorted, edges: edges)
        return FeatureProfile(
            name: name, type: .numeric, edges: edges, counts: counts, missingCount: Double(missing),
            summary: summary(sorted: sorted),
            sample: sample(values: values, size: options.sampleSize, seed: options.seed, salt: name))
    }

    /// Counts per bin (bin of `x` = number of edges `<= x`) of ascending values: bin `j` holds the
    /// values in `[edges[j-1], edges[j])`, so its count is a difference of two lower bounds.
    static func sortedCounts(sorted: [Double], edges: [Double]) -> [Double] {
        var counts = [Double](repeating: 0, count: edges.count + 1)
        var previous = 0
        for (j, edge) in edges.enumerated() {
            var lo = previous
            var hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid] < edge { lo = mid + 1 } else { hi = mid }
            }
            counts[j] = Double(lo - previous)
            previous = lo
        }
        counts[edges.count] = Double(sorted.count - previous)
        return counts
    }

    /// Edges `[min, q(1/k), ..., q((k-1)/k), nextUp(max)]` with duplicates removed.
    static func quantileEdges(sorted: [Double], binCount: Int) -> [Double] {
        guard let first = sorted.first, let last = sorted.last else { return [0] }
        var edges = [first]
        edges.reserveCapacity(binCount + 1)
        for i in 1..<max(binCount, 1) {
            let q = quantile(sorted: sorted, Double(i) / Double(binCount))
            if q > edges[edges.count - 1] { edges.append(q) }
        }
        // The last edge sits just above the maximum so the maximum lands in the last inner
        // bin. At the largest finite double there is no such edge: the maximum itself becomes
        // the last edge and values equal to it fall in the upper outer bin.
        let upper = last.nextUp.isFinite ? last.nextUp : last
        if upper > edges[edges.count - 1] { edges.append(upper) }
        return edges
    }

    /// Quantile `q` of sorted values by linear interpolation between order statistics
    /// (Hyndman & Fan type 7), computed the way numpy's default `quantile` does so the edges
    /// agree with Python training pipelines bit for bit.
    static func quantile(sorted: [Double], _ q: Double) -> Double {
        let n = sorted.count
        let h = Double(n - 1) * q
        if h >= Double(n - 1) { return sorted[n - 1] }
        if h <= 0 { return sorted[0] }
        let lo = Int(h.rounded(.down))
        let gamma = h - Double(lo)
        let a = sorted[lo]
        let b = sorted[lo + 1]
        let diff = b - a
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma
    }

    /// Min, max, mean and population standard deviation (two-pass, compensated sums).
    static func summary(sorted: [Double]) -> NumericSummary {
        let n = Double(sorted.count)
        let mean = compensatedSum(sorted) / n
        let variance = compensatedSum(sorted.lazy.map { ($0 - mean) * ($0 - mean) }) / n
        return NumericSummary(
            min: sorted[0], max: sorted[sorted.count - 1], mean: mean, std: variance.squareRoot())
    }

    /// Neumaier's compensated summation.
    static func compensatedSum(_ values: some Sequence<Double>) -> Double {
        var sum = 0.0
        var compensation = 0.0
        for x in values {
            let t = sum + x
            if abs(sum) >= abs(x) { compensation += (sum - t) + x } else { compensation += (x - t) + sum }
            sum = t
        }
        return sum + compensation
    }

    /// A uniform sample without replacement of at most `size` values, sorted ascending.
    ///
    /// Selection sampling (Knuth, TAOCP 3.4.2, Algorithm S) driven by SplitMix64 seeded from
    /// `seed` and the feature name, so each feature gets its own but reproducible draw.
    static func sample(values: [Double], size: Int, seed: UInt64, salt: String) -> [Double] {
        guard size > 0 else { return [] }
        guard values.count > size else { return values.sorted() }
        var generator = SplitMix64(seed: seed ^ BaselineFingerprint.fnv1a(salt))
        var chosen: [Double] = []
        chosen.reserveCapacity(size)
        let total = values.count
        for (t, x) in values.enumerated() where chosen.count < size {
            let remaining = Double(total - t)
            if remaining * generator.nextUnitInterval() < Double(size - chosen.count) { chosen.append(x) }
        }
        return chosen.sorted()
    }
}
