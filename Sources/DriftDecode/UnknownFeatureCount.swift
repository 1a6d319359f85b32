/// How often accepted events of one schema carried a feature the baseline does not monitor.
/// Unknown features are ignored; these counts let operators see schema drift.
public struct UnknownFeatureCount: Sendable, Equatable {
    /// Model of the schema the events decoded with.
    public var model: String
    /// Version of that schema.
    public var version: String
    /// The feature name as it appeared in `features`.
    public var name: String
    /// Number of accepted events of the batch that carried it.
    public var count: Int

    /// Creates a count.
    /// - Parameters:
    ///   - model: Schema model.
    ///   - version: Schema version.
    ///   - name: Unknown feature name.
    ///   - count: Occurrences.
    public init(model: String, version: String, name: String, count: Int) {
        self.model = model
        self.version = version
        self.name = name
        self.count = count
    }
}
