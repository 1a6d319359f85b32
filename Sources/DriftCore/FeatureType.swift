/// The kind of values a feature carries, which decides its binning and its drift methods.
public enum FeatureType: String, Codable, Sendable, CaseIterable {
    /// Real-valued: binned on quantile edges of the training data, with open outer bins.
    case numeric
    /// Discrete labels (strings, booleans, integer codes): one bin per known category plus "other".
    case categorical
}
