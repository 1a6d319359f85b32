/// A (model, version) pair: the unit that has its own baseline, windows, alerts and metric series.
public struct ModelVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Model name.
    public var model: String
    /// Model version.
    public var version: String

    /// Creates a pair.
    public init(model: String, version: String) {
        self.model = model
        self.version = version
    }

    public static func < (a: ModelVersion, b: ModelVersion) -> Bool {
        (a.model, a.version) < (b.model, b.version)
    }

    public var description: String { "\(model)@\(version)" }
}
