import Foundation

/// Student's t distribution and the regularized incomplete beta function behind it (used by
/// the batch-means intervals of performance metrics).
public enum StudentT {
    /// `P(T <= t)` for `T` with `degreesOfFreedom` (> 0); NaN for NaN arguments.
    /// - Parameters:
    ///   - t: The quantile.
    ///   - degreesOfFreedom: Degrees of freedom.
    /// - Returns: The distribution function at `t`.
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        if t.isNaN || nu.isNaN || nu <= 0 { return .nan }
        if t == .infinity { return 1 }
        if t == -.infinity { return 0 }
        // P(|T| >= |t|) = I_{nu / (nu + t^2)}(nu / 2, 1 / 2).
        let tail = 0.5 * regularizedBeta(nu / (nu + t * t), nu / 2, 0.5)
        return t < 0 ? tail : 1 - tail
    }

    /// The `probability` quantile (0 < probability < 1) of `T` with `degreesOfFreedom`: the `t`
    /// with `cdf(t) = probability`, found by bisection to the last bit.
    /// - Parameters:
    ///   - probability: Lower-tail probability.
    ///   - degreesOfFreedom: Degrees of freedom (> 0).
    /// - Returns: The quantile (±infinity at probability 1 and 0).
    public static func quantile(_ probability: Double, degreesOfFreedom nu: Double) -> Double {
        if probability.isNaN || nu.isNaN || nu <= 0 { return .nan }
        if probability <= 0 { return -.infinity }
        if probability >= 1 { return .infinity }
        if probability == 0.5 { return 0 }
        var hi = 1.0
        let upper = probability > 0.5
        let target = upper ? probability : 1 - probability
        while cdf(hi, degreesOfFreedom: nu) < target && hi < 1e300 { hi *= 2 }
        var lo = 0.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if mid == lo || mid == hi { break }
            if cdf(mid, degreesOfFreedom: nu) < target { lo = mid } else { hi = mid }
        }
        let q = (lo + hi) / 2
        return upper ? q : -q
    }

    /// Regularized incomplete beta function `I_x(a, b)` for `a, b > 0`, `0 <= x <= 1`:
    /// the continued fraction of Numerical Recipes (modified Lentz), evaluated on the side
    /// (`x` or `1 - x`) where it converges fast.
    /// - Parameters:
    ///   - x: Upper limit of integration.
    ///   - a: First shape.
    ///   - b: Second shape.
    /// - Returns: `I_x(a, b)`.
    public static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x.isNaN || a.isNaN || b.isNaN { return .nan }
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront =
            SpecialFunctions.logGamma(a + b) - SpecialFunctions.logGamma(a) - SpecialFunctions.logGamma(b)
            + a * log(x) + b * log1p(-x)
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x, a, b) / a
        }
        return 1 - exp(logFront) * continuedFraction(1 - x, b, a) / b
    }

    private static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b
        let qap = a + 1
        let qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let md = Double(m)
            let m2 = 2 * md
            var aa = md * (b - md) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + md) * (qab + md) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }
}
