/// The training-time profile of one feature (or of the model's prediction): its bins and counts.
///
/// Numeric bins are defined by `edges` (strictly ascending, at least one):
/// bin 0 is `(-inf, edges[0])`, bin `i` is `[edges[i-1], edges[i])`, and the last bin is
/// `[edges[last], +inf)`. Bins 0 and last are the *open outer bins*: a training pipeline
/// puts the training minimum as `edges[0]` and the next double above the training maximum
/// as the last edge, so values outside the training range land there (baseline count 0).
///
/// Categorical bins are one per entry of `categories`, in order, plus a final "other" bin
/// for categories not seen in training.
public struct FeatureProfile: Codable, Sendable, Equatable {
    /// Feature name as it appears in the inference event's `features` object.
    public var name: String
    /// Numeric or categorical.
    public var type: FeatureType
    /// Numeric only: ascending bin edges (see type documentation).
    public var edges: [Double]?
    /// Categorical only: the known categories, one bin each, in bin order.
    public var categories: [String]?
    /// Training counts per bin; `edges.count + 1` or `categories.count + 1` entries.
    public var counts: [Double]
    /// Number of training rows where the feature was null or absent.
    public var missingCount: Double
    /// Numeric only: min, max, mean and standard deviation of the training values.
    public var summary: NumericSummary?
    /// Numeric only: a uniform random sample of training values (at most a few thousand),
    /// used by the tests that need raw values (KS, Cramér-von Mises, Anderson-Darling).
    public var sample: [Double]?
    /// Per bin, the mean of the model's (numeric) prediction over the training rows in the bin;
    /// `nil` for a bin without training rows. Absent when the baseline has no numeric
    /// prediction, and on the prediction's own profile. Used to attribute a prediction shift to
    /// features (`PredictionAttribution`); not part of the baseline id.
    public var predictionMeans: [Double?]?

    public init(
        name: String, type: FeatureType, edges: [Double]? = nil, categories: [String]? = nil,
        counts: [Double], missingCount: Double = 0, summary: NumericSummary? = nil, sample: [Double]? = nil
    ) {
        self.name = name
        self.type = type
        self.edges = edges
        self.categories = categories
        self.counts = counts
        self.missingCount = missingCount
        self.summary = summary
        self.sample = sample
    }

    /// Number of bins, outer and "other" bins included.
    public var binCount: Int {
        switch type {
        case .numeric: return (edges?.count ?? 0) + 1
        case .categorical: return (categories?.count ?? 0) + 1
        }
    }

    /// Non-missing training rows (sum of `counts`).
    public var presentCount: Double { counts.reduce(0, +) }

    /// Share of training rows that were missing.
    public var missingRate: Double {
        let total = presentCount + missingCount
        return total > 0 ? missingCount / total : 0
    }

    enum CodingKeys: String, CodingKey {
        case name, type, edges, categories, counts, summary, sample
        case missingCount = "missing_count"
        case predictionMeans = "prediction_means"
    }
}
