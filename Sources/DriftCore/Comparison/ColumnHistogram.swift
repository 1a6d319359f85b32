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
    ///   - column: The data column (typed columns are counted without building `DataValue`s).
    ///   - schemaColumn: The baseline column (edges, bin count).
    ///   - keepValues: Whether to keep the finite numbers for raw-sample tests.
    static func numeric(_ column: DataColumn, schemaColumn: ModelSchema.Column, keepValues: Bool) -> ColumnHistogram {
        guard let cells = column.storedCells else {
            return numeric(column.values, column: schemaColumn, keepValues: keepValues)
        }
        guard !cells.numbers.isEmpty else {
            // No number at all: every row is missing or of the wrong type.
            let wrong = cells.labelIndexes.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
            return ColumnHistogram(
                counts: [Double](repeating: 0, count: schemaColumn.binCount), missing: Double(cells.count),
                wrongTypeCount: wrong, firstWrongTypeRow: cells.labelIndexes.firstIndex { $0 >= 0 }, finiteValues: [])
        }
        var wrongType = cells.labelIndexes.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        var firstWrongTypeRow = cells.labelIndexes.firstIndex { $0 >= 0 }
        var infinite = 0
        for x in cells.numbers where x.isInfinite { infinite += 1 }
        var numbers = cells.numbers
        if infinite > 0 {
            // Infinite numbers cannot be binned: wrong type, counted as missing.
            wrongType += infinite
            for row in numbers.indices where numbers[row].isInfinite {
                numbers[row] = .nan
                if firstWrongTypeRow.map({ row < $0 }) ?? true { firstWrongTypeRow = row }
            }
        }
        return binned(
            numbers, column: schemaColumn, keepValues: keepValues, wrongType: wrongType,
            firstWrongTypeRow: firstWrongTypeRow)
    }

    /// Counts a numeric column of values.
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
        return binned(
            numbers, column: column, keepValues: keepValues, wrongType: wrongType, firstWrongTypeRow: firstWrongTypeRow)
    }

    /// Bins numbers (NaN = missing) on the baseline edges.
    private static func binned(
        _ numbers: [Double], column: ModelSchema.Column, keepValues: Bool, wrongType: Int, firstWrongTypeRow: Int?
    ) -> ColumnHistogram {
        var slots = [Double](repeating: 0, count: column.binCount + 1)
        let counter = BinCounter(column: column)
        numbers.withUnsafeBufferPointer { source in
            slots.withUnsafeMutableBufferPointer { counter.accumulate(source, into: $0, base: 0) }
        }
        let missing = slots[column.binCount]
        slots.removeLast()
        var finite: [Double] = []
        if keepValues {
            finite.reserveCapacity(numbers.count - Int(missing))
            for x in numbers where !x.isNaN { finite.append(x) }
        }
        return ColumnHistogram(
            counts: slots, missing: missing, wrongTypeCount: wrongType, firstWrongTypeRow: firstWrongTypeRow,
            finiteValues: finite)
    }

    /// Counts a categorical column.
    /// - Parameters:
    ///   - column: The data column (typed columns are counted per distinct label, not per row).
    ///   - schemaColumn: The baseline column (category index, "other" bin).
    static func categorical(_ column: DataColumn, schemaColumn: ModelSchema.Column) -> ColumnHistogram {
        guard let cells = column.storedCells else { return categorical(column.values, column: schemaColumn) }
        let matcher = CategoryMatcher(schemaColumn)
        var counts = [Int](repeating: 0, count: schemaColumn.binCount)
        var present = 0
        if !cells.labelIndexes.isEmpty {
            // Count rows per label, then each label's bin once.
            var perLabel = [Int](repeating: 0, count: cells.labels.count)
            for index in cells.labelIndexes where index >= 0 { perLabel[Int(index)] += 1 }
            for (label, rows) in zip(cells.labels, perLabel) where rows > 0 {
                counts[matcher.bin(of: label)] += rows
                present += rows
            }
        }
        if !cells.numbers.isEmpty {
            var numberBins: [Double: Int] = [:]
            for x in cells.numbers where !x.isNaN {
                present += 1
                if let known = numberBins[x] {
                    counts[known] += 1
                } else {
                    let b = matcher.bin(of: .number(x))
                    if numberBins.count < Self.numberBinsLimit { numberBins[x] = b }
                    counts[b] += 1
                }
            }
        }
        return ColumnHistogram(
            counts: counts.map(Double.init), missing: Double(cells.count - present), wrongTypeCount: 0,
            firstWrongTypeRow: nil, finiteValues: [])
    }

    /// Distinct numbers whose bin a categorical count remembers.
    private static let numberBinsLimit = 4_096

    /// Counts a categorical column of values.
    /// - Parameters:
    ///   - values: The column.
    ///   - column: The baseline column (category index, "other" bin).
    static func categorical(_ values: [DataValue], column: ModelSchema.Column) -> ColumnHistogram {
        let matcher = CategoryMatcher(column)
        var counts = [Int](repeating: 0, count: column.binCount)
        var missing = 0
        // Numeric codes repeat: remember the bin of the first distinct numbers seen (bounded).
        var numberBins: [Double: Int] = [:]
        for value in values {
            switch value {
            case .missing:
                missing += 1
            case .string, .bool:
                counts[matcher.bin(of: value)] += 1
            case .number(let x):
                if x.isNaN {
                    missing += 1
                } else if let known = numberBins[x] {
                    counts[known] += 1
                } else {
                    let b = matcher.bin(of: value)
                    if numberBins.count < Self.numberBinsLimit { numberBins[x] = b }
                    counts[b] += 1
                }
            }
        }
        return ColumnHistogram(
            counts: counts.map(Double.init), missing: Double(missing), wrongTypeCount: 0, firstWrongTypeRow: nil,
            finiteValues: [])
    }

    /// The bin of a present value in a categorical baseline column.
    private struct CategoryMatcher {
        let other: Int
        let trueBin: Int
        let falseBin: Int
        let linear: Bool
        let labels: [String?]
        let index: [String: Int]

        init(_ column: ModelSchema.Column) {
            other = column.otherBin
            trueBin = column.categoryIndex[CategoryLabel.bool(true)] ?? other
            falseBin = column.categoryIndex[CategoryLabel.bool(false)] ?? other
            // Small category sets are matched by comparing strings (small strings compare by
            // their inline bits), larger ones by hashing.
            linear = column.categoryIndex.count <= 16
            var labels = [String?](repeating: nil, count: max(0, other))
            for (label, index) in column.categoryIndex where index >= 0 && index < labels.count {
                labels[index] = label
            }
            self.labels = labels
            index = column.categoryIndex
        }

        /// The bin of a present value (`.string`, `.bool` or a non-NaN `.number`).
        @inline(__always)
        func bin(of value: DataValue) -> Int {
            switch value {
            case .string(let s): return bin(of: s)
            case .bool(let b): return b ? trueBin : falseBin
            case .number(let x): return bin(of: CategoryLabel.number(x))
            case .missing: return other
            }
        }

        @inline(__always)
        private func bin(of label: String) -> Int {
            if linear {
                for i in 0..<labels.count where labels[i] == label { return i }
                return other
            }
            return index[label] ?? other
        }
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
