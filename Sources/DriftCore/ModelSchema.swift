/// The runtime view of a baseline that decoding and windowing work against:
/// feature order, bin layout and category lookup, all fixed when the baseline is loaded.
public struct ModelSchema: Sendable {
    /// One monitored column (a feature or the prediction).
    public struct Column: Sendable {
        /// Name in the event (`features.<name>`, or `prediction`).
        public let name: String
        public let type: FeatureType
        /// Numeric: bin edges; empty for categorical.
        public let edges: [Double]
        /// Categorical: category -> bin index; unknown categories go to `otherBin`.
        public let categoryIndex: [String: Int]
        /// Number of bins including outer / "other" bins.
        public let binCount: Int
        /// Offset of this column's first bin in the model's flattened histogram.
        public let binOffset: Int

        /// Categorical: the bin index for categories not seen in training.
        public var otherBin: Int { binCount - 1 }
    }

    /// Model identifier.
    public let model: String
    /// Model version of the baseline.
    public let version: String
    /// Baseline identifier.
    public let baselineID: String
    /// Feature columns in baseline order.
    public let features: [Column]
    /// The prediction column, when the baseline profiles it.
    public let prediction: Column?
    /// Feature name -> index into `features`.
    public let featureIndex: [String: Int]
    /// Total bins of all columns (features then prediction): the flattened histogram size.
    public let totalBins: Int

    /// Columns in histogram order: features, then the prediction if present.
    public var allColumns: [Column] { prediction.map { features + [$0] } ?? features }

    /// Builds the schema; throws the first validation error of the baseline.
    public init(baseline: Baseline) throws(BaselineError) {
        if let first = baseline.validationErrors().first { throw first }
        var offset = 0
        func column(_ profile: FeatureProfile) -> Column {
            var index: [String: Int] = [:]
            for (i, c) in (profile.categories ?? []).enumerated() { index[c] = i }
            let col = Column(
                name: profile.name, type: profile.type, edges: profile.edges ?? [],
                categoryIndex: index, binCount: profile.binCount, binOffset: offset)
            offset += profile.binCount
            return col
        }
        self.features = baseline.features.map(column)
        self.prediction = baseline.prediction.map(column)
        self.totalBins = offset
        self.model = baseline.model
        self.version = baseline.version
        self.baselineID = baseline.id
        var fi: [String: Int] = [:]
        for (i, f) in features.enumerated() { fi[f.name] = i }
        self.featureIndex = fi
    }
}
