import Dispatch

/// Builds a `Baseline` from in-memory training columns. Pure: no file access.
///
/// Per column:
/// - **Type**: the column's `typeOverride`, else numeric when every present value is a
///   number and there are more than `categoricalMaxDistinct` distinct values, else
///   categorical. A column with no present value is categorical.
/// - **Numeric**: edges `[min, quantiles at 1/k ... (k-1)/k, nextUp(max)]` (numpy's default
///   linear quantiles, duplicates removed), counts per bin with `BinSearch`, so the two
///   open outer bins have training count 0; `summary`; a seeded uniform `sample` of at most
///   `sampleSize` values, sorted ascending.
/// - **Categorical**: labels (`DataValue.categoryLabel`) ranked by count, the first
///   `maxCategories` become categories, the rest are counted in the "other" bin.
/// - Missing values (`missing`, NaN) are counted in `missingCount`.
///
/// Degenerate columns give valid profiles: a constant numeric column gets edges
/// `[c, nextUp(c)]` and counts `[0, n, 0]`; an all-missing column is categorical with no
/// categories and counts `[0]` (or, when forced numeric, edges `[0]`, counts `[0, 0]`, no
/// summary and an empty sample).
public struct BaselineBuilder: Sendable {
    /// Binning, inference and sampling settings.
    public var options: BaselineBuildOptions

    /// Creates a builder.
    /// - Parameter options: Binning, inference and sampling settings.
    public init(options: BaselineBuildOptions = BaselineBuildOptions()) {
        self.options = options
    }

    /// Builds a baseline.
    /// - Parameters:
    ///   - model: Model identifier (matched against inference events' `model`).
    ///   - version: Model version.
    ///   - columns: Training columns, all of the same length; every column except the
    ///     prediction column becomes a feature, in this order.
    ///   - predictionColumn: Name of the column holding the model's output, if any.
    ///   - createdAt: RFC 3339 creation time to record (not part of the id).
    ///   - labelColumn: Column of 0/1 labels (binary classifiers with a numeric prediction): fits
    ///     the `performanceReference` for label-free estimates; not profiled as a feature.
    ///   - positiveThreshold: Class boundary of the reference metrics.
    /// - Returns: A baseline that passes `Baseline.validationErrors()`, with
    ///   `id = "<model>@<version>:<BaselineFingerprint.shortHex>"`.
    /// - Throws: `BaselineBuildError` for bad options, identity or columns.
    public func build(
        model: String, version: String, columns: [DataColumn], predictionColumn: String? = nil,
        createdAt: String? = nil, labelColumn: String? = nil, positiveThreshold: Double = 0.5
    ) throws(BaselineBuildError) -> Baseline {
        if let first = options.validationErrors().first { throw first }
        if model.isEmpty { throw BaselineBuildError(.invalidIdentity, "model name is empty") }
        if version.isEmpty { throw BaselineBuildError(.invalidIdentity, "model version is empty") }
        var names = Set<String>()
        for column in columns {
            if column.name.isEmpty { throw BaselineBuildError(.emptyColumnName, "a column has an empty name") }
            if !names.insert(column.name).inserted {
                throw BaselineBuildError(.duplicateColumn, column: column.name, "column appears twice")
            }
        }
        if let predictionColumn, !names.contains(predictionColumn) {
            throw BaselineBuildError(
                .predictionColumnNotFound, column: predictionColumn, "prediction column not found among the columns")
        }
        if let labelColumn {
            guard names.contains(labelColumn) else {
                throw BaselineBuildError(
                    .unknownColumn, column: labelColumn, "label column not found among the columns")
            }
            guard predictionColumn != nil, labelColumn != predictionColumn else {
                throw BaselineBuildError(
                    .invalidLabel, column: labelColumn, "a label column needs a separate prediction column")
            }
        }
        let featureColumns = columns.filter { $0.name != predictionColumn && $0.name != labelColumn }
        guard let rowCount = columns.first?.count, !featureColumns.isEmpty else {
            throw BaselineBuildError(.noFeatures, "no feature columns")
        }
        if let ragged = columns.first(where: { $0.count != rowCount }) {
            throw BaselineBuildError(
                .columnLengthMismatch, column: ragged.name,
                "column has \(ragged.count) values, '\(columns[0].name)' has \(rowCount)")
        }
        if rowCount == 0 { throw BaselineBuildError(.noRows, "the columns have no rows") }

        var features = try profiles(featureColumns)
        let prediction = try columns.first { $0.name == predictionColumn }.map { (c) throws(BaselineBuildError) in
            try profile(c)
        }
        if let prediction, prediction.type == .numeric,
            let column = columns.first(where: { $0.name == predictionColumn })
        {
            let scores = (0..<rowCount).map { row -> Double in
                if case .number(let x) = column[row] { return x }
                return .nan
            }
            for (i, featureColumn) in featureColumns.enumerated() {
                features[i].predictionMeans = Self.predictionMeans(
                    of: features[i], column: featureColumn, predictions: scores)
            }
        }
        var baseline = Baseline(
            id: "", model: model, version: version, createdAt: createdAt, rowCount: rowCount,
            features: features, prediction: prediction)
        if let labelColumn, let labels = columns.first(where: { $0.name == labelColumn }),
            let scores = columns.first(where: { $0.name == predictionColumn })
        {
            guard prediction?.type == .numeric else {
                throw BaselineBuildError(
                    .invalidLabel, column: labelColumn, "estimated performance needs a numeric prediction (a score)")
            }
            var y: [Double] = []
            var s: [Double] = []
            for row in 0..<rowCount {
                let label: Double
                switch labels[row] {
                case .missing: label = .nan
                case .bool(let b): label = b ? 1 : 0
                case .number(let x) where x == 0 || x == 1 || x.isNaN: label = x
                case .string(let text) where ["true", "1"].contains(text.lowercased()): label = 1
                case .string(let text) where ["false", "0"].contains(text.lowercased()): label = 0
                default:
                    throw BaselineBuildError(
                        .invalidLabel, column: labelColumn, row: row,
                        "label \(Self.describe(labels[row])) is not 0/1 or true/false")
                }
                y.append(label)
                if case .number(let x) = scores[row] { s.append(x) } else { s.append(.nan) }
            }
            guard
                let reference = PerformanceReference(
                    labelColumn: labelColumn, scores: s, labels: y, threshold: positiveThreshold)
            else {
                throw BaselineBuildError(.invalidLabel, column: labelColumn, "no row has both a label and a prediction")
            }
            baseline.performanceReference = reference
        }
        baseline.id = BaselineFingerprint.identifier(of: baseline)
        return baseline
    }

    /// Profiles one column on its own.
    /// - Parameter column: The column.
    /// - Returns: Its feature profile.
    /// - Throws: `BaselineBuildError` for an infinite number, or a non-number in a column
    ///   forced numeric.
    /// Per bin of a feature's profile, the mean prediction of the training rows in the bin (nil
    /// for bins without rows); rows missing the feature or the prediction are left out.
    /// - Parameters:
    ///   - profile: The feature's profile.
    ///   - column: The feature's training values.
    ///   - predictions: The prediction per row (NaN when missing).
    /// - Returns: The means, one per bin.
    static func predictionMeans(of profile: FeatureProfile, column: DataColumn, predictions: [Double]) -> [Double?] {
        var sums = [Double](repeating: 0, count: profile.binCount)
        var counts = [Double](repeating: 0, count: profile.binCount)
        var codes: [String: Int] = [:]
        for (i, name) in (profile.categories ?? []).enumerated() where codes[name] == nil { codes[name] = i }
        for row in 0..<min(column.count, predictions.count) where !predictions[row].isNaN {
            let bin: Int
            switch profile.type {
            case .numeric:
                guard case .number(let x) = column[row], !x.isNaN, let edges = profile.edges else { continue }
                bin = BinSearch.bin(of: x, edges: edges)
            case .categorical:
                guard let label = column[row].categoryLabel else { continue }
                bin = codes[label] ?? profile.binCount - 1
            }
            guard bin >= 0, bin < sums.count else { continue }
            sums[bin] += predictions[row]
            counts[bin] += 1
        }
        return zip(sums, counts).map { $1 > 0 ? $0 / $1 : nil }
    }

    public func profile(_ column: DataColumn) throws(BaselineBuildError) -> FeatureProfile {
        if let cells = column.storedCells { return try profile(cells, of: column) }
        var missing = 0
        var allNumbers = true
        for (row, value) in column.values.enumerated() {
            switch value {
            case .missing: missing += 1
            case .number(let x):
                if x.isNaN {
                    missing += 1
                } else if !x.isFinite {
                    throw BaselineBuildError(
                        .nonFiniteValue, column: column.name, row: row, "number \(x) is not finite")
                }
            case .string, .bool:
                allNumbers = false
                if column.typeOverride == .numeric {
                    throw BaselineBuildError(
                        .nonNumericValue, column: column.name, row: row,
                        "column is declared numeric but holds \(Self.describe(value))")
                }
            }
        }
        let present = column.values.count - missing
        let type = column.typeOverride ?? inferType(column.values, present: present, allNumbers: allNumbers)
        switch type {
        case .numeric:
            var numbers: [Double] = []
            numbers.reserveCapacity(present)
            for case .number(let x) in column.values where !x.isNaN { numbers.append(x) }
            return NumericProfiler.profile(name: column.name, values: numbers, missing: missing, options: options)
        case .categorical:
            return CategoricalProfiler.profile(
                name: column.name, labels: column.values.compactMap(\.categoryLabel), missing: missing,
                maxCategories: options.maxCategories)
        }
    }

    // MARK: - Private

    /// `profile(_:)` of a typed column (as read from a file): the same checks and profile,
    /// without building a `DataValue` per row.
    private func profile(_ cells: DataColumn.Cells, of column: DataColumn) throws(BaselineBuildError) -> FeatureProfile
    {
        let firstLabelRow = cells.labelIndexes.firstIndex { $0 >= 0 }
        let firstInfiniteRow = cells.numbers.firstIndex { $0.isInfinite }
        // The first offending row in row order, as the value path reports it.
        if column.typeOverride == .numeric, let row = firstLabelRow, firstInfiniteRow.map({ row < $0 }) ?? true {
            throw BaselineBuildError(
                .nonNumericValue, column: column.name, row: row,
                "column is declared numeric but holds \(Self.describe(cells[row]))")
        }
        if let row = firstInfiniteRow {
            throw BaselineBuildError(
                .nonFiniteValue, column: column.name, row: row, "number \(cells.numbers[row]) is not finite")
        }
        var numbers: [Double] = []
        numbers.reserveCapacity(cells.numbers.count)
        for x in cells.numbers where !x.isNaN { numbers.append(x) }
        let labelRows = cells.labelIndexes.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        let present = numbers.count + labelRows
        let missing = cells.count - present
        let type: FeatureType
        if let forced = column.typeOverride {
            type = forced
        } else if labelRows == 0, present > options.categoricalMaxDistinct {
            var distinct = Set<Double>()
            for x in numbers where distinct.count <= options.categoricalMaxDistinct { distinct.insert(x) }
            type = distinct.count > options.categoricalMaxDistinct ? .numeric : .categorical
        } else {
            type = .categorical
        }
        switch type {
        case .numeric:
            return NumericProfiler.profile(name: column.name, values: numbers, missing: missing, options: options)
        case .categorical:
            // Rows counted per label index and per distinct number, then each distinct value's
            // label text once (a text and a number with the same label share its count).
            var perLabel = [Int](repeating: 0, count: cells.labels.count)
            for index in cells.labelIndexes where index >= 0 { perLabel[Int(index)] += 1 }
            var perNumber: [Double: Int] = [:]
            for x in numbers { perNumber[x, default: 0] += 1 }
            var frequency: [String: Int] = [:]
            for (label, rows) in zip(cells.labels, perLabel) where rows > 0 {
                frequency[label.categoryLabel ?? "", default: 0] += rows
            }
            for (x, rows) in perNumber { frequency[CategoryLabel.number(x), default: 0] += rows }
            return CategoricalProfiler.profile(
                name: column.name, frequency: frequency, missing: missing, maxCategories: options.maxCategories)
        }
    }

    /// Profiles the columns, in parallel when there is enough work; the first error in column
    /// order is thrown, as a serial loop would.
    private func profiles(_ columns: [DataColumn]) throws(BaselineBuildError) -> [FeatureProfile] {
        let rows = columns.first?.count ?? 0
        guard columns.count > 1, rows * columns.count >= 100_000 else {
            var out: [FeatureProfile] = []
            out.reserveCapacity(columns.count)
            for column in columns { out.append(try profile(column)) }
            return out
        }
        var results = [Result<FeatureProfile, BaselineBuildError>?](repeating: nil, count: columns.count)
        results.withUnsafeMutableBufferPointer { target in
            nonisolated(unsafe) let target = target
            // Each iteration writes only its own slot: no locks.
            DispatchQueue.concurrentPerform(iterations: columns.count) { i in
                target[i] = Result { () throws(BaselineBuildError) in try profile(columns[i]) }
            }
        }
        var out: [FeatureProfile] = []
        out.reserveCapacity(columns.count)
        for result in results {
            guard let result else { continue }
            out.append(try result.get())
        }
        return out
    }

    private func inferType(_ values: [DataValue], present: Int, allNumbers: Bool) -> FeatureType {
        guard allNumbers, present > options.categoricalMaxDistinct else { return .categorical }
        var distinct = Set<Double>()
        for case .number(let x) in values where !x.isNaN {
            distinct.insert(x)
            if distinct.count > options.categoricalMaxDistinct { return .numeric }
        }
        return .categorical
    }

    private static func describe(_ value: DataValue) -> String {
        switch value {
        case .string(let s): return "the string \"\(s)\""
        case .bool(let b): return "the boolean \(b)"
        case .number(let x): return "the number \(x)"
        case .missing: return "a missing value"
        }
    }
}
