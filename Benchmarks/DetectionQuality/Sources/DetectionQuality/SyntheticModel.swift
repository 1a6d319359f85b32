import DriftCore

/// The synthetic model every stream belongs to: its feature names and labels, its training
/// data, and the mapping of categorical labels onto the baseline's bins (what the daemon's
/// decoder does with category strings).
struct SyntheticModel: Sendable {
    /// Feature names in baseline (and batch column) order.
    static let featureNames = ["x", "y", "c", "f"]
    /// Labels of `c`; the last one, `e`, never occurs in training (a "new category").
    static let categoryLabels = ["a", "b", "c", "d", "e"]
    /// Labels of the binary feature `f`.
    static let binaryLabels = ["no", "yes"]
    /// Column indexes in `featureNames`.
    static let x = 0, y = 1, c = 2, f = 3

    /// The baseline built from the training data with default `BaselineBuildOptions`.
    let baseline: Baseline
    /// The schema derived from it.
    let schema: ModelSchema
    /// Bin index (as a `Double`, the `ColumnarBatch` convention) of each label of `c`.
    let categoryBins: [Double]
    /// Bin index of each label of `f`.
    let binaryBins: [Double]

    /// Draws `trainingRows` stationary events and builds the baseline from them, as
    /// `driftd baseline build` would from a training file.
    init(trainingRows: Int, seed: UInt64) throws(BenchmarkError) {
        var generator = StreamGenerator(scenario: nil, changeIndex: Int.max, seed: seed)
        let events = generator.next(trainingRows)
        let columns = [
            DataColumn(name: "x", values: events.x.map { $0.isNaN ? .missing : .number($0) }),
            DataColumn(name: "y", values: events.y.map { .number($0) }),
            DataColumn(name: "c", values: events.category.map { .string(Self.categoryLabels[$0]) }),
            DataColumn(name: "f", values: events.binary.map { .string(Self.binaryLabels[$0]) })
        ]
        do {
            baseline = try BaselineBuilder(options: BaselineBuildOptions()).build(
                model: "synthetic", version: "1", columns: columns)
            schema = try ModelSchema(baseline: baseline)
        } catch {
            throw BenchmarkError(.baselineFailed, "\(error)")
        }
        guard schema.features.map(\.name) == Self.featureNames,
            schema.features[Self.x].type == .numeric, schema.features[Self.y].type == .numeric,
            schema.features[Self.c].type == .categorical, schema.features[Self.f].type == .categorical
        else {
            throw BenchmarkError(
                .baselineFailed, "unexpected baseline layout: \(schema.features.map { "\($0.name):\($0.type)" })")
        }
        let categorical = schema.features[Self.c]
        let binary = schema.features[Self.f]
        categoryBins = Self.categoryLabels.map { Double(categorical.categoryIndex[$0] ?? categorical.otherBin) }
        binaryBins = Self.binaryLabels.map { Double(binary.categoryIndex[$0] ?? binary.otherBin) }
    }

    /// Cuts encoded columns (see `encodedColumns`) into batches of `size` events; event `i`
    /// of the stream gets timestamp `firstIndex + i` milliseconds (1,000 events per second).
    func batches(_ columns: [[Double]], firstIndex: Int, size: Int) -> [ColumnarBatch] {
        let count = columns.first?.count ?? 0
        return stride(from: 0, to: count, by: max(1, size)).map { start in
            let end = min(count, start + max(1, size))
            var batch = ColumnarBatch(schema: schema, capacity: end - start)
            batch.features = columns.map { Array($0[start..<end]) }
            batch.predictions = [Double](repeating: .nan, count: end - start)
            batch.timestamps = (start..<end).map { Int64(firstIndex + $0) }
            return batch
        }
    }

    /// Columns in schema order: numeric values (NaN = missing) and categorical bin indexes.
    func encodedColumns(_ events: SyntheticEvents) -> [[Double]] {
        [events.x, events.y, events.category.map { categoryBins[$0] }, events.binary.map { binaryBins[$0] }]
    }
}
