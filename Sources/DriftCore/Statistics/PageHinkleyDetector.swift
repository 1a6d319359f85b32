import Foundation

/// Two-sided Page-Hinkley change detector on a standardised stream (a CUSUM with reference `delta`).
///
/// Each value is standardised with the baseline's mean and standard deviation,
/// `z = (x - mean) / std`, then two cumulative sums run:
/// `up = max(0, up + z - delta)` and `down = max(0, down - z - delta)`
/// (the Page-Hinkley statistic `m_t - min m_s` written recursively). An alarm is raised when either
/// exceeds `lambda`; both sums then restart at 0 so the next alarm needs fresh evidence.
/// Detects a mean shift of about `2 delta` standard deviations fastest.
public struct PageHinkleyDetector: Sendable, Equatable, Codable {
    /// Baseline mean used to standardise.
    public let mean: Double
    /// Baseline standard deviation used to standardise (> 0).
    public let std: Double
    /// Allowed drift per observation, in standard deviations (the CUSUM reference value k).
    public let delta: Double
    /// Alarm threshold on the cumulative sums, in standard deviations.
    public let lambda: Double
    /// Upward cumulative sum.
    public private(set) var upward: Double = 0
    /// Downward cumulative sum.
    public private(set) var downward: Double = 0
    /// Values seen since the last alarm (or the start).
    public private(set) var count: Int = 0

    /// Creates a detector.
    /// - Parameters:
    ///   - mean: baseline mean.
    ///   - std: baseline standard deviation; must be finite and > 0.
    ///   - delta: reference value in standard deviations, >= 0 (River's default is 0.005 on raw values).
    ///   - lambda: threshold in standard deviations, > 0; see `lambda(forDelta:averageRunLength:)`.
    /// - Throws: `StatisticsError` `.badParameter` for a parameter outside its domain.
    public init(mean: Double, std: Double, delta: Double, lambda: Double) throws(StatisticsError) {
        guard mean.isFinite else { throw StatisticsError(.badParameter, "mean \(mean) is not finite") }
        guard std.isFinite, std > 0 else { throw StatisticsError(.badParameter, "std \(std) must be finite and > 0") }
        guard delta.isFinite, delta >= 0 else { throw StatisticsError(.badParameter, "delta \(delta) must be >= 0") }
        guard lambda.isFinite, lambda > 0 else { throw StatisticsError(.badParameter, "lambda \(lambda) must be > 0") }
        self.mean = mean
        self.std = std
        self.delta = delta
        self.lambda = lambda
    }

    /// Adds one observation; returns `true` when it raises an alarm (the sums then restart).
    /// NaN (missing) values are ignored; infinities count as a very large deviation.
    @discardableResult
    public mutating func update(_ x: Double) -> Bool {
        guard !x.isNaN else { return false }
        let z = max(-1e12, min(1e12, (x - mean) / std))
        upward = max(0, upward + z - delta)
        downward = max(0, downward - z - delta)
        count += 1
        if upward > lambda || downward > lambda {
            reset()
            return true
        }
        return false
    }

    /// Restarts both sums.
    public mutating func reset() {
        upward = 0
        downward = 0
        count = 0
    }

    /// Siegmund's approximation of the one-sided in-control average run length (standardised
    /// normal data, mean 0): `ARL ≈ (exp(2 k b) - 2 k b - 1) / (2 k^2)` with `b = lambda + 1.166`
    /// (`b^2` when `k = 0`). The two-sided detector alarms about twice as often: `ARL / 2`.
    public static func averageRunLength(delta k: Double, lambda: Double) -> Double {
        let b = lambda + 1.166
        if k < 1e-8 { return b * b / 2 }
        let x = 2 * k * b
        return (Foundation.exp(x) - x - 1) / (2 * k * k) / 2
    }

    /// The threshold whose two-sided in-control average run length is `targetRunLength`
    /// (bisection on `averageRunLength(delta:lambda:)`, which increases with lambda).
    /// - Throws: `StatisticsError` `.badParameter` if delta < 0 or the target is not above the
    ///   run length at lambda = 0.
    public static func lambda(forDelta delta: Double, averageRunLength targetRunLength: Double) throws(StatisticsError)
        -> Double
    {
        guard delta.isFinite, delta >= 0 else { throw StatisticsError(.badParameter, "delta \(delta) must be >= 0") }
        guard targetRunLength.isFinite, targetRunLength > averageRunLength(delta: delta, lambda: 0) else {
            throw StatisticsError(.badParameter, "run length \(targetRunLength) is not reachable with delta \(delta)")
        }
        var low = 0.0
        var high = 1.0
        while averageRunLength(delta: delta, lambda: high) < targetRunLength { high *= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if averageRunLength(delta: delta, lambda: mid) < targetRunLength { low = mid } else { high = mid }
            if high - low < 1e-12 * high { break }
        }
        return (low + high) / 2
    }
}
