import Foundation

/// Special functions behind the p-values: incomplete gamma, chi-square and normal tails, Bessel K.
///
/// Accuracy targets are about 1e-13 relative in the ranges the drift tests use; each function
/// documents its algorithm. Arguments outside the domain give the limiting value, never NaN,
/// unless the argument itself is NaN.
public enum SpecialFunctions {
    // MARK: - Gamma family

    /// Natural logarithm of the gamma function, `ln Γ(x)` for `x > 0` (C library `lgamma`).
    public static func logGamma(_ x: Double) -> Double {
        Foundation.lgamma(x)
    }

    /// Regularized lower incomplete gamma function `P(a, x) = γ(a, x) / Γ(a)`.
    ///
    /// Series expansion for `x < a + 1`, Lentz continued fraction otherwise (the branch whose
    /// result needs no subtraction from 1). `x <= 0` gives 0, `x = +inf` gives 1.
    /// - Parameters:
    ///   - a: shape, `a > 0`.
    ///   - x: upper limit of integration.
    public static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        if a.isNaN || x.isNaN { return .nan }
        if x <= 0 || a <= 0 { return a <= 0 ? 1 : 0 }
        if x == .infinity { return 1 }
        if x < a + 1 { return gammaSeries(a, x) }
        return 1 - gammaContinuedFraction(a, x)
    }

    /// Regularized upper incomplete gamma function `Q(a, x) = Γ(a, x) / Γ(a) = 1 - P(a, x)`.
    ///
    /// Computed directly by the continued fraction for `x >= a + 1`, so tail values far
    /// below machine epsilon keep full relative precision (down to the underflow limit).
    /// - Parameters:
    ///   - a: shape, `a > 0`.
    ///   - x: lower limit of integration.
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        if a.isNaN || x.isNaN { return .nan }
        if x <= 0 || a <= 0 { return a <= 0 ? 0 : 1 }
        if x == .infinity { return 0 }
        if x < a + 1 { return 1 - gammaSeries(a, x) }
        return gammaContinuedFraction(a, x)
    }

    /// Survival function of the chi-square distribution, `P(X >= x)` with `degreesOfFreedom`.
    ///
    /// `Q(k / 2, x / 2)`; zero degrees of freedom is a point mass at 0 (survival 0 for `x > 0`, 1 otherwise).
    public static func chiSquareSurvival(_ x: Double, degreesOfFreedom: Double) -> Double {
        if degreesOfFreedom <= 0 { return x > 0 ? 0 : 1 }
        return regularizedGammaQ(degreesOfFreedom / 2, x / 2)
    }

    /// Survival function of the standard normal distribution, `P(Z >= z) = erfc(z / sqrt 2) / 2`.
    public static func normalSurvival(_ z: Double) -> Double {
        0.5 * Foundation.erfc(z / 2.0.squareRoot())
    }

    /// Cumulative distribution function of the standard normal distribution, `P(Z <= z)`.
    public static func normalCDF(_ z: Double) -> Double {
        0.5 * Foundation.erfc(-z / 2.0.squareRoot())
    }

    /// Quantile function of the standard normal distribution, `Φ⁻¹(p)` (scipy `ndtri`).
    ///
    /// Wichura's algorithm AS 241 (`PPND16`, Applied Statistics 37, 1988): rational
    /// approximations of degree 7 in three regions, relative error about 1e-16. `p <= 0` gives
    /// `-inf`, `p >= 1` gives `+inf`, NaN gives NaN.
    public static func normalQuantile(_ p: Double) -> Double {
        if p.isNaN { return .nan }
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        let q = p - 0.5
        if Swift.abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            let num =
                (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r
                    + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
                    + 133.14166789178437745) * r + 3.387132872796366608)
            let den =
                (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r
                    + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
                    + 42.313330701600911252) * r + 1.0)
            return q * num / den
        }
        var r = q < 0 ? p : 1 - p
        r = (-Foundation.log(r)).squareRoot()
        var value: Double
        if r <= 5 {
            r -= 1.6
            let num =
                (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
                    + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r
                    + 4.6303378461565452959) * r + 1.42343711074968357734)
            let den =
                (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
                    + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r
                    + 2.05319162663775882187) * r + 1.0)
            value = num / den
        } else {
            r -= 5
            let num =
                (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r
                    + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r
                    + 5.4637849111641143699) * r + 6.6579046435011037772)
            let den =
                (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
                    + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r
                    + 0.59983220655588793769) * r + 1.0)
            value = num / den
        }
        return q < 0 ? -value : value
    }

    /// Two-sided normal p-value, `P(|Z| >= |z|)`.
    public static func normalTwoSidedPValue(_ z: Double) -> Double {
        if z.isNaN { return 1 }
        return min(1, Foundation.erfc(abs(z) / 2.0.squareRoot()))
    }

    // MARK: - Bessel

    /// Modified Bessel function of the second kind `K_nu(x)` for real order and `x > 0`.
    ///
    /// Trapezoid rule on `K_nu(x) = ∫_0^∞ exp(-x cosh t) cosh(nu t) dt`. The integrand is entire
    /// and decays double-exponentially, so the trapezoid rule converges geometrically; the step
    /// `min(0.1, 0.5 / sqrt(x))` resolves the peak at `t = 0` (error well below 1e-15 relative).
    /// Returns `+inf` at `x <= 0` and 0 once `exp(-x)` underflows.
    public static func besselK(order nu: Double, _ x: Double) -> Double {
        if x.isNaN || nu.isNaN { return .nan }
        if x <= 0 { return .infinity }
        if x > 745 { return 0 }
        // Scaled integrand exp(-x (cosh t - 1)) cosh(nu t); the factor exp(-x) is applied at the end.
        let step = min(0.1, 0.5 / x.squareRoot())
        var sum = 0.5  // t = 0 term, halved by the trapezoid rule
        var t = step
        while true {
            let exponent = -x * (Foundation.cosh(t) - 1) + abs(nu) * t
            if exponent < -40 { break }
            sum += Foundation.exp(-x * (Foundation.cosh(t) - 1)) * Foundation.cosh(nu * t)
            t += step
        }
        return Foundation.exp(-x) * sum * step
    }

    // MARK: - Internals

    /// `ln(x^a e^-x / Γ(a))`, the common prefactor of the incomplete gamma expansions.
    private static func gammaPrefactorLog(_ a: Double, _ x: Double) -> Double {
        a * Foundation.log(x) - x - logGamma(a)
    }

    /// Series for P(a, x); converges fast for `x < a + 1`.
    private static func gammaSeries(_ a: Double, _ x: Double) -> Double {
        var term = 1 / a
        var sum = term
        var ap = a
        let maxIterations = 100_000
        for _ in 0..<maxIterations {
            ap += 1
            term *= x / ap
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return min(1, sum * Foundation.exp(gammaPrefactorLog(a, x)))
    }

    /// Modified Lentz continued fraction for Q(a, x); converges fast for `x >= a + 1`.
    private static func gammaContinuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        let maxIterations = 100_000
        for i in 1...maxIterations {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return max(0, min(1, Foundation.exp(gammaPrefactorLog(a, x)) * h))
    }
}
