/// One feature's share of a prediction move (`PredictionAttribution`): the shift of the mean
/// prediction that this feature's move alone would cause.
public struct FeatureAttribution: Sendable, Codable, Equatable {
    /// Feature name.
    public var feature: String
    /// `Σ_bins (window share - baseline share) x baseline mean prediction`.
    public var predictionShift: Double

    /// Creates an attribution.
    /// - Parameters:
    ///   - feature: Feature.
    ///   - predictionShift: Shift.
    public init(feature: String, predictionShift: Double) {
        self.feature = feature
        self.predictionShift = predictionShift
    }

    enum CodingKeys: String, CodingKey {
        case feature
        case predictionShift = "prediction_shift"
    }
}
