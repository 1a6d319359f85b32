/// What kind of model a performance window scores, deciding which metrics exist.
public enum PerformanceTask: String, Sendable, Codable, CaseIterable {
    /// Numeric prediction read as the probability of class 1 (labels `0`/`1`, `true`/`false`).
    case binary
    /// Categorical prediction: the predicted category against the label's category.
    case multiclass
    /// Numeric prediction against a numeric label.
    case regression

    /// The task a baseline's prediction profile implies when the configuration does not name
    /// one: a categorical prediction is `multiclass`, a numeric one `binary` (split at
    /// `positive_threshold`, as accuracy tracking always read numeric predictions). A
    /// regressor needs `task: regression`.
    /// - Parameter prediction: The baseline's prediction profile.
    /// - Returns: The task.
    public static func inferred(from prediction: FeatureProfile) -> PerformanceTask {
        prediction.type == .categorical ? .multiclass : .binary
    }
}
