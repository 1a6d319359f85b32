/// Moments and range of a numeric feature's non-missing training values.
public struct NumericSummary: Codable, Sendable, Equatable {
    /// Smallest training value.
    public var min: Double
    /// Largest training value.
    public var max: Double
    /// Arithmetic mean.
    public var mean: Double
    /// Population standard deviation (ddof = 0).
    public var std: Double

    public init(min: Double, max: Double, mean: Double, std: Double) {
        self.min = min
        self.max = max
        self.mean = mean
        self.std = std
    }
}
