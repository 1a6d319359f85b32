/// A latency percentile reported per (model, version) and usable in objectives.
public enum LatencyStatistic: String, Sendable, Codable, CaseIterable, Equatable {
    case p50
    case p90
    case p95
    case p99
    case max

    /// The quantile (0...1) the statistic reads.
    public var quantile: Double {
        switch self {
        case .p50: return 0.5
        case .p90: return 0.9
        case .p95: return 0.95
        case .p99: return 0.99
        case .max: return 1
        }
    }

    /// The statistic's value in `sketch`: within the sketch's relative accuracy of the exact
    /// order statistic (`max` is exact); `nil` when the sketch is empty.
    public func value(in sketch: QuantileSketch) -> Double? { sketch.quantile(quantile) }
}
