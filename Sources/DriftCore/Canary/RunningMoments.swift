/// Count, mean and sum of squared deviations of a stream (Welford), mergeable (Chan et al.).
public struct RunningMoments: Sendable, Codable, Equatable {
    /// Values seen.
    public private(set) var count: Double = 0
    /// Their mean (0 before any).
    public private(set) var mean: Double = 0
    /// Sum of squared deviations from the mean.
    public private(set) var m2: Double = 0

    /// Empty moments.
    public init() {}

    /// Adds a value.
    public mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / count
        m2 += delta * (x - mean)
    }

    /// Adds another stream's moments.
    public mutating func merge(_ other: RunningMoments) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other
            return
        }
        let n = count + other.count
        let delta = other.mean - mean
        mean += delta * other.count / n
        m2 += other.m2 + delta * delta * count * other.count / n
        count = n
    }

    /// Sample variance (n − 1 denominator); 0 below two values.
    public var variance: Double { count > 1 ? m2 / (count - 1) : 0 }
}
