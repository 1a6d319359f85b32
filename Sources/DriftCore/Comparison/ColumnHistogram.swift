/// One input column counted on a baseline column's bins, for `BatchComparison`.
///
/// Numeric columns: numbers are binned on the baseline edges (`BinCounter`, SIMD); `missing` and
/// NaN are missing; strings, booleans and infinite numbers cannot be binned and are counted as
/// wrong-type values, which the comparison treats as missing. Categorical columns: every present
/// value is matched by its `DataValue.categoryLabel`; labels not among the baseline categories go to
/// the "other" bin, so a categorical column has no wrong-type values.
struct ColumnHistogram: Sendable {
    /// Count per bin, in the profile's bin order.
    var counts: [Double]
    /// Missing values, wrong-type values included.
    var missing: Double
    /// Values of a type the feature cannot bin (numeric feature only).
    var wrongTypeCount: Int
    /// Zero-based row of the first wrong-type value.
    var firstWrongTypeRow: Int?
    /// The finite numbers of a numeric column, in row order; empty unless requested.
    var finiteValues: [Double]

    /// Counts a numeric column.
    /// - Parameters:
    ///   - values: The column.
    ///   - column: The baseline column (edges, bin count).
    ///   - keepValues: Whether to keep the finite numbers for raw-sample tests.
    static func numeric(_ values: [DataValue], column: ModelSchema.Column, keepValues: Bool) -> ColumnHistogram {
        var numbers = [Double](repeating: .nan, count: values.count)
        var wrongType = 0
        var firstWrongTypeRow: Int?
        for (row, value) in values.enumerated() {
            switch value {
            case .number(let x) where x.isFinite:
                numbers[row] = x
            case .number(let x) where x.isNaN:
                break
            case .missing:
                break
            case .number, .string, .bool:
                wrongType += 1
                if firstWrongTypeRow == nil { firstWrongTypeRow = row }
            }
        }
        var slots = [Double](repeating: 0, count: column.binCount + 1)
        let counter = BinCounter(column: column)
        numbers.withUnsafeBufferPointer { source in
            slots.withUnsafeMutableBufferPointer { counter.accumulate(source, into: $0, base: 0) }
        }
        let missing = slots[column.binCount]
        slots.removeLast()
        var finite: [Double] = []
        if keepValues {
            finite.reserveCapacity(values.count - Int(missing))
            for x in numbers where !x.isNaN { finite.append(x) }
        }
        return ColumnHistogram(
            counts: slots, missing: missing, wrongTypeCount: wrongType, firstWrongTypeRow: firstWrongTypeRow,
            finiteValues: finite)
    }

    /// Counts a categorical column.
    /// - Parameters:
    ///   - values: The column.
    ///   - column: The baseline column (category index, "other" bin).
    static func categorical(_ values: [DataValue], column: ModelSchema.Column) -> ColumnHistogram {
        let other = column.otherBin
        var counts = [Int](repeating: 0, count: column.binCount)
        var missing = 0
        let trueBin = column.categoryIndex[CategoryLabel.bool(true)] ?? other
        let falseBin = column.categoryIndex[CategoryLabel.bool(false)] ?? other
        // Small category sets are matched by comparing strings (small strings compare by their
        // inline bits), larger ones by hashing.
        let linear = column.categoryIndex.count <= 16
        var labels = [String?](repeating: nil, count: max(0, other))
        for (label, index) in column.categoryIndex where index >= 0 && index < labels.count { labels[index] = label }
        // Numeric codes repeat: remember the bin of the first distinct numbers seen (bounded).
        var numberBins: [Double: Int] = [:]
        let numberBinsLimit = 4_096

        @inline(__always) func bin(of label: String) -> Int {
            if linear {
                for i in 0 ..< labels.count where labels[i] == label { return i }
                return other
            }
            return column.categoryIndex[label] ?? other
        }

        for value in values {
            switch value {
            case .missing:
                missing += 1
            case .string(let s):
                counts[bin(of: s)] += 1
            case .bool(let b):
                counts[b ? trueBin : falseBin] += 1
            case .number(let x):
                if x.isNaN {
                    missing += 1
                } else if let known = numberBins[x] {
                    counts[known] += 1
                } else {
                    let b = bin(of: CategoryLabel.number(x))
                    if numberBins.count < numberBinsLimit { numberBins[x] = b }
                    counts[b] += 1
                }
            }
        }
        return ColumnHistogram(
            counts: counts.map(Double.init), missing: Double(missing), wrongTypeCount: 0, firstWrongTypeRow: nil,
            finiteValues: [])
    }

    /// A column absent from the input: every row missing.
    /// - Parameters:
    ///   - rowCount: Rows in the input.
    ///   - binCount: Bins of the baseline column.
    static func absent(rowCount: Int, binCount: Int) -> ColumnHistogram {
        ColumnHistogram(
            counts: [Double](repeating: 0, count: binCount), missing: Double(rowCount), wrongTypeCount: 0,
            firstWrongTypeRow: nil, finiteValues: [])
    }
}
