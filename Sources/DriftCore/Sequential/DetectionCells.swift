/// A column's values as cells with known baseline probabilities: what the sequential detectors
/// see of each event.
///
/// Cell 0 is "missing". **Numeric** columns: cell 1 holds values below the training range,
/// the last cell values above it, and the cells between are the baseline's inner bins, each
/// split into up to `maximumSplit` sub-cells at quantiles of the baseline's raw sample inside
/// the bin (at least `valuesPerSubcell` sample values each). A bin's probability comes from all
/// training rows (its count); only the split inside a bin comes from the sample. The two
/// outside cells get `(count + 1) / (N + 2)`: for exchangeable continuous data the chance that
/// a new value falls below the minimum of `N` training values is `1 / (N + 1)`.
/// **Categorical** columns: cells 1...k are the baseline's categories and cell k + 1 the
/// "other" bin (categories unseen in training), whose probability is the Good-Turing estimate
/// `(other count + categories seen once + 1) / (N + 1)`.
///
/// Working on cells instead of raw values makes every detector a likelihood ratio of cell
/// probabilities: heavy tails, rounding, ties and integer data cannot break its calibration,
/// because under the baseline an event's cell has exactly the baseline's cell probabilities
/// (up to the baseline's sampling error, which `standardError(of:)` measures).
/// For numeric columns each present cell also has an interval `[uLower, uUpper)` of the
/// baseline's cumulative distribution (the probability integral transform of its values) and
/// hence of normal scores `Φ⁻¹(u)`, on which mean and scale alternatives are defined.
public struct DetectionCells: Sendable, Equatable {
    /// Most sub-cells per numeric bin.
    public static let maximumSplit = 4
    /// Fewest baseline sample values per sub-cell.
    public static let valuesPerSubcell = 50
    /// Cell of missing values.
    public static let missingCell = 0

    /// Numeric or categorical.
    public let type: FeatureType
    /// Numeric: the baseline's bin edges.
    public let edges: [Double]
    /// Numeric: for each inner bin `b` (1 ..< edges.count), at index `b - 1`, the sub-cell edges inside it.
    public let subEdges: [[Double]]
    /// Numeric: for each inner bin, at index `b - 1`, its first cell.
    public let firstCell: [Int]
    /// Categorical: number of baseline categories.
    public let categoryCount: Int
    /// Probability of each cell for a present value (index 0, missing, holds 0); sums to 1.
    public let presentProbabilities: [Double]
    /// Probability that a value is missing: the baseline's share, or half a row's worth when it has none.
    public let missingProbability: Double
    /// Numeric: lower end of each cell's interval of the baseline CDF (0 for missing).
    public let uLower: [Double]
    /// Numeric: upper end of each cell's interval of the baseline CDF.
    public let uUpper: [Double]
    /// Non-missing training rows behind the probabilities.
    public let presentRows: Double
    /// All training rows (present and missing).
    public let totalRows: Double
    /// Group of each cell for the standard errors: the numeric bin (or the category) it belongs to.
    let group: [Int]
    /// Baseline sample values behind each group's split (0 when not split).
    let groupSample: [Double]

    /// Number of cells, missing included.
    public var cellCount: Int { presentProbabilities.count }
    /// Numeric: cell of values below the training range.
    public var belowCell: Int { 1 }
    /// Numeric: cell of values above the training range.
    public var aboveCell: Int { cellCount - 1 }
    /// Categorical: cell of the "other" bin (unseen categories).
    public var unseenCell: Int { cellCount - 1 }

    /// Cells of a numeric or categorical profile; `nil` when the profile has no training values.
    public init?(profile: FeatureProfile) {
        let present = profile.presentCount
        guard present > 0, profile.counts.allSatisfy({ $0.isFinite && $0 >= 0 }), profile.missingCount.isFinite else {
            return nil
        }
        self.type = profile.type
        self.presentRows = present
        self.totalRows = present + max(0, profile.missingCount)
        // A baseline without missing values gets half a row's worth: a share that small cannot
        // be told from zero, and a likelihood ratio against exactly zero would be infinite.
        self.missingProbability = profile.missingCount > 0 ? profile.missingCount / totalRows : 0.5 / (totalRows + 0.5)
        switch profile.type {
        case .numeric:
            guard let edges = profile.edges, !edges.isEmpty, profile.counts.count == edges.count + 1 else { return nil }
            self.edges = edges
            self.categoryCount = 0
            let sample = (profile.sample ?? []).filter(\.isFinite).sorted()
            let last = edges.count
            var masses: [Double] = [0, profile.counts[0] + 1]
            var groups = [0, 0]
            var groupSample: [Double] = [0]
            var subEdges: [[Double]] = []
            var firstCell: [Int] = []
            var fractions: [Double] = []
            for b in 1..<last {
                let lower = edges[b - 1]
                let upper = edges[b]
                let inside = sample.filter { $0 >= lower && $0 < upper }
                let split = Self.split(inside, lower: lower)
                firstCell.append(masses.count)
                subEdges.append(split.edges)
                let binMass = max(profile.counts[b], 0.5)
                for f in split.fractions {
                    masses.append(binMass * f)
                    groups.append(b)
                    fractions.append(f)
                }
                groupSample.append(split.edges.isEmpty ? 0 : Double(inside.count))
            }
            masses.append(profile.counts[last] + 1)
            groups.append(last)
            groupSample.append(0)
            let total = masses.reduce(0, +)
            var probabilities = masses.map { $0 / total }
            probabilities[0] = 0
            var lowerU = [Double](repeating: 0, count: probabilities.count)
            var upperU = [Double](repeating: 0, count: probabilities.count)
            var cumulative = 0.0
            for c in 1..<probabilities.count {
                lowerU[c] = cumulative
                cumulative += probabilities[c]
                upperU[c] = c == probabilities.count - 1 ? 1 : cumulative
            }
            self.subEdges = subEdges
            self.firstCell = firstCell
            self.presentProbabilities = probabilities
            self.uLower = lowerU
            self.uUpper = upperU
            self.group = groups
            self.groupSample = groupSample
        case .categorical:
            let k = profile.categories?.count ?? max(profile.counts.count - 1, 0)
            guard profile.counts.count == k + 1 else { return nil }
            self.edges = []
            self.subEdges = []
            self.firstCell = []
            self.categoryCount = k
            let singletons = profile.counts.prefix(k).filter { $0 == 1 }.count
            var masses: [Double] = [0]
            for j in 0..<k { masses.append(max(profile.counts[j], 0.5)) }
            masses.append(profile.counts[k] + Double(singletons) + 1)
            let total = masses.reduce(0, +)
            var probabilities = masses.map { $0 / total }
            probabilities[0] = 0
            self.presentProbabilities = probabilities
            self.uLower = []
            self.uUpper = []
            self.group = Array(0..<probabilities.count)
            self.groupSample = [Double](repeating: 0, count: probabilities.count)
        }
    }

    /// Sub-cell edges of one bin from its sample values (sorted), and the share of values in
    /// each sub-cell; bins with too few values stay whole.
    private static func split(_ values: [Double], lower: Double) -> (edges: [Double], fractions: [Double]) {
        let m = values.count
        let parts = min(maximumSplit, m / valuesPerSubcell)
        guard parts >= 2 else { return ([], [1]) }
        var edges: [Double] = []
        for j in 1..<parts {
            let candidate = values[j * m / parts]
            if candidate > (edges.last ?? lower) { edges.append(candidate) }
        }
        // Counts per sub-cell (a value's sub-cell is the number of sub-edges <= it); merge empty ones.
        while true {
            var counts = [Int](repeating: 0, count: edges.count + 1)
            for v in values { counts[edges.reduce(0) { $0 + ($1 <= v ? 1 : 0) }] += 1 }
            if let empty = counts.firstIndex(of: 0), !edges.isEmpty {
                edges.remove(at: min(empty, edges.count - 1))
                continue
            }
            return (edges, counts.map { Double($0) / Double(m) })
        }
    }

    /// The cell of a value: for numeric columns the value itself, for categorical columns its
    /// bin index as decoded (an index outside the bins counts as missing, as in the window); NaN is missing.
    @inline(__always)
    public func cell(of value: Double) -> Int {
        if value.isNaN { return Self.missingCell }
        switch type {
        case .categorical:
            guard value >= 0, value < Double(categoryCount + 1) else { return Self.missingCell }
            return Int(value) + 1
        case .numeric:
            let b = BinSearch.bin(of: value, edges: edges)
            if b == 0 { return 1 }
            if b >= edges.count { return cellCount - 1 }
            var c = firstCell[b - 1]
            for e in subEdges[b - 1] where e <= value { c += 1 }
            return c
        }
    }

    /// Probability of each cell for any event (missing included); sums to 1.
    public var eventProbabilities: [Double] {
        var p = presentProbabilities.map { $0 * (1 - missingProbability) }
        p[0] = missingProbability
        return p
    }

    /// Standard error, from the baseline's sampling, of the mean of `increments` (per cell) over
    /// a present value: the bins' (or categories') counts are multinomial over the training rows,
    /// a bin's split multinomial over its sample values.
    public func standardError(of increments: [Double]) -> Double {
        // Groups are small integers (bins or categories): sum in arrays, in group order, so the
        // result is the same in every process.
        let groups = (group.max() ?? 0) + 1
        var groupProbability = [Double](repeating: 0, count: groups)
        var groupMean = [Double](repeating: 0, count: groups)
        var groupSquare = [Double](repeating: 0, count: groups)
        for c in 1..<cellCount {
            let g = group[c]
            let p = presentProbabilities[c]
            let w = increments[c]
            groupProbability[g] += p
            groupMean[g] += p * w
            groupSquare[g] += p * w * w
        }
        var mean = 0.0
        var square = 0.0
        var within = 0.0
        for g in 0..<groups where groupProbability[g] > 0 {
            let pg = groupProbability[g]
            let m = groupMean[g] / pg
            mean += pg * m
            square += pg * m * m
            let n = g < groupSample.count ? groupSample[g] : 0
            if n > 0 { within += pg * pg * max(0, groupSquare[g] / pg - m * m) / n }
        }
        let between = max(0, square - mean * mean) / presentRows
        return (between + within).squareRoot()
    }
}
