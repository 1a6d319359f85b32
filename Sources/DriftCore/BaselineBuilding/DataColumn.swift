/// One column of in-memory training data: the input of `BaselineBuilder`.
public struct DataColumn: Sendable, Equatable {
    /// Column name; becomes the feature name in the baseline.
    public var name: String
    /// One value per row.
    public var values: [DataValue]
    /// Forces the feature type instead of inferring it from the values.
    public var typeOverride: FeatureType?

    /// Creates a column.
    /// - Parameters:
    ///   - name: Column (feature) name.
    ///   - values: One value per row.
    ///   - typeOverride: Feature type to use instead of the inferred one.
    public init(name: String, values: [DataValue], typeOverride: FeatureType? = nil) {
        self.name = name
        self.values = values
        self.typeOverride = typeOverride
    }
}
