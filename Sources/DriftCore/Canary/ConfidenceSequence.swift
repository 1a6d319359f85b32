import Foundation

/// The normal-mixture confidence sequence behind canary decisions (docs/statistics.md,
/// "Canary comparison").
///
/// For an estimate `d` of a difference whose variance is `v`, mixing the Gaussian likelihood
/// ratio over alternatives `θ ~ N(θ₀, τ²)` gives the mixture likelihood ratio (Robbins 1970;
/// the mixture SPRT of Johari, Koomen, Pekelis and Walsh 2017, "Peeking at A/B tests")
///
///     Λ = sqrt(v / (v + τ²)) · exp(τ² (d − θ₀)² / (2 v (v + τ²)))
///
/// a nonnegative martingale under `θ = θ₀`, so by Ville's inequality `Λ ≥ 1/α` happens at any
/// time with probability at most `α`: the test may be read after every event. Inverting it gives
/// the confidence sequence `d ± h` with
///
///     h = sqrt(v (v + τ²) / τ² · ln((v + τ²) / (v α²)))
///
/// which covers the true difference at all times at once with probability at least `1 − α`
/// (Howard, Ramdas, McAuliffe and Sekhon 2021, normal mixture boundary). With `v` estimated from
/// the data (two arms' sample variances over their counts) the guarantee is asymptotic
/// (Waudby-Smith et al. 2021, time-uniform central limit theory).
public enum ConfidenceSequence {
    /// The mixture likelihood ratio `Λ` of a difference against `θ₀ = 0`.
    /// - Parameters:
    ///   - difference: Observed difference minus the hypothesised one.
    ///   - variance: Variance of the difference (> 0).
    ///   - mixingVariance: `τ²` (> 0).
    /// - Returns: `Λ`.
    public static func mixtureRatio(difference d: Double, variance v: Double, mixingVariance tau2: Double) -> Double {
        (v / (v + tau2)).squareRoot() * exp(tau2 * d * d / (2 * v * (v + tau2)))
    }

    /// The half-width `h` of the confidence sequence.
    /// - Parameters:
    ///   - variance: Variance of the difference (> 0).
    ///   - mixingVariance: `τ²` (> 0).
    ///   - alpha: Error level (0 < alpha < 1).
    /// - Returns: `h`.
    public static func halfWidth(variance v: Double, mixingVariance tau2: Double, alpha: Double) -> Double {
        (v * (v + tau2) / tau2 * log((v + tau2) / (v * alpha * alpha))).squareRoot()
    }
}
