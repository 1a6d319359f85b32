import Foundation

/// Thresholds of one-sided CUSUM (Page-Hinkley) sums from a target in-control average run length,
/// for normal data and for the data's own distribution.
///
/// A one-sided sum `S = max(0, S + w)` with increments `w = s z - delta` (`s` = +1 upward, -1
/// downward) alarms when `S > lambda`. Siegmund's approximation of its in-control run length is
/// `ARL ≈ (exp(theta b) - theta b - 1) / (theta m)` with `b = lambda + 1.166`, `m = -E[w]` and
/// `theta` the positive root of `E[exp(theta w)] = 1` (the exponential tilt that makes the
/// increments a martingale). For standard normal `z`, `theta = 2 delta` and `m = delta`, which
/// is `PageHinkleyDetector.averageRunLength(delta:lambda:)` doubled (that one is two-sided).
/// A heavy tail in the direction of the sum makes `theta` smaller: the same `lambda` is crossed
/// far sooner, so the threshold for a given run length must be larger. `tilt(values:delta:)`
/// estimates `theta` from the baseline's raw sample.
public enum CusumThreshold {
    /// Siegmund's overshoot correction for normal increments, in standard deviations.
    public static let overshoot = 1.166

    /// One-sided in-control average run length of a sum with tilt `theta` (> 0), mean
    /// increment `-drift` (`drift` > 0) and threshold `lambda` (>= 0).
    public static func runLength(theta: Double, drift: Double, lambda: Double) -> Double {
        let x = theta * (lambda + overshoot)
        return (Foundation.exp(x) - x - 1) / (theta * drift)
    }

    /// The threshold at which `runLength(theta:drift:lambda:)` equals `target`, or 0 when
    /// even `lambda = 0` gives a run length of at least `target`.
    /// - Throws: `StatisticsError` `.badParameter` unless `theta` and `drift` are finite and
    ///   > 0 and `target` is finite and > 0.
    public static func lambda(theta: Double, drift: Double, runLength target: Double) throws(StatisticsError) -> Double
    {
        guard theta.isFinite, theta > 0 else {
            throw StatisticsError(.badParameter, "tilt \(theta) must be finite and > 0")
        }
        guard drift.isFinite, drift > 0 else {
            throw StatisticsError(.badParameter, "drift \(drift) must be finite and > 0")
        }
        guard target.isFinite, target > 0 else {
            throw StatisticsError(.badParameter, "run length \(target) must be finite and > 0")
        }
        if runLength(theta: theta, drift: drift, lambda: 0) >= target { return 0 }
        var low = 0.0
        var high = 1.0
        while runLength(theta: theta, drift: drift, lambda: high) < target { high *= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if runLength(theta: theta, drift: drift, lambda: mid) < target { low = mid } else { high = mid }
            if high - low < 1e-12 * high { break }
        }
        return (low + high) / 2
    }

    /// The positive root `theta` of `mean(exp(theta (v - delta))) = 1` over `values`, the
    /// tilt of a one-sided sum fed those values; `nil` when there is none (the mean is not
    /// below `delta`, or no value exceeds `delta`, so the empirical sum never climbs).
    /// `values` should be bounded (clipped) so that a few extreme values cannot dominate.
    public static func tilt(values: [Double], delta: Double) -> Double? {
        guard !values.isEmpty, delta.isFinite, delta > 0 else { return nil }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        guard mean < delta, values.contains(where: { $0 > delta }) else { return nil }
        func excess(_ theta: Double) -> Double {
            var sum = 0.0
            for v in values { sum += Foundation.exp(theta * (v - delta)) }
            return sum / n - 1
        }
        // excess(0) = 0, excess'(0) < 0, convex and eventually positive: bracket the second zero.
        var high = 2 * delta
        var steps = 0
        while excess(high) < 0 {
            high *= 2
            steps += 1
            if steps > 60 || !high.isFinite { return nil }
        }
        var low = 0.0
        // The minimum of excess lies in (0, high); bisect on the side where excess changes sign.
        var probe = high / 2
        while excess(probe) >= 0 {
            probe /= 2
            if probe < 1e-12 { return nil }
        }
        low = probe
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if excess(mid) < 0 { low = mid } else { high = mid }
            if high - low < 1e-12 * high { break }
        }
        return (low + high) / 2
    }
}
