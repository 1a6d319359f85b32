/// A model's training baseline: the profile of every monitored feature and of its prediction.
///
/// This is a public contract (`docs/baseline.md`, `docs/schemas/baseline.schema.json`):
/// training pipelines write it, driftd reads it. Field names are snake_case in JSON.
public struct Baseline: Codable, Sendable, Equatable {
    /// The format tag every baseline file carries.
    public static let currentFormat = "driftd.baseline/v1"

    /// Format tag; must be `driftd.baseline/v1`.
    public var format: String
    /// Stable identifier of this baseline (e.g. `churn@3:1a2b3c4d`); alert events carry it.
    public var id: String
    /// Model identifier, matched against the inference event's `model`.
    public var model: String
    /// Model version this baseline was computed for.
    public var version: String
    /// RFC 3339 creation time, informational.
    public var createdAt: String?
    /// Number of training rows profiled.
    public var rowCount: Int
    /// One profile per monitored feature.
    public var features: [FeatureProfile]
    /// Profile of the model's output, when the training data had it.
    public var prediction: FeatureProfile?
    /// Built with a label column (binary classifiers): the calibration and reference metrics
    /// for estimating performance without labels. Not part of the id.
    public var performanceReference: PerformanceReference?

    public init(
        format: String = Baseline.currentFormat, id: String, model: String, version: String,
        createdAt: String? = nil, rowCount: Int, features: [FeatureProfile], prediction: FeatureProfile? = nil
    ) {
        self.format = format
        self.id = id
        self.model = model
        self.version = version
        self.createdAt = createdAt
        self.rowCount = rowCount
        self.features = features
        self.prediction = prediction
    }

    enum CodingKeys: String, CodingKey {
        case format, id, model, version, features, prediction
        case performanceReference = "performance_reference"
        case createdAt = "created_at"
        case rowCount = "row_count"
    }
}
