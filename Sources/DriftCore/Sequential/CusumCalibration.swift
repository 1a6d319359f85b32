import Foundation

/// Thresholds of one-sided CUSUMs on log-likelihood-ratio increments from a target in-control
/// run length, with corrections for serially correlated data and for the baseline's own
/// sampling error.
///
/// **Independent data.** A CUSUM `W = max(0, W + w)` whose increments `w` are the log-likelihood
/// ratio of an alternative against the baseline alarms when `W > h`. Siegmund's approximation of
/// its in-control average run length (events between false alarms) is
/// `ARL ≈ (exp(x) - x - 1) / m`, `x = h + ρ`, with `m = -E₀[w]` (the Kullback-Leibler divergence
/// of the alternative from the baseline, per event) and `ρ` the correction for the overshoot of
/// the discrete sum over the two barriers. For normal increments `ρ = 2 · 0.583 · sd(w)`
/// (Siegmund 1985; with `w = δ z - δ²/2` this is `PageHinkleyDetector.averageRunLength`). For
/// other increments the overshoot over the upper barrier cannot exceed the largest upward step,
/// so `ρ = 1.166 · min(sd(w), max w)`; tested by simulation for every kind of lane
/// (`DetectionCalibrationTests`). Lorden's bound `ARL ≥ exp(h)` always holds for exact
/// likelihood ratios; Siegmund's value is 6-120 times larger at the lanes used, i.e. up to 4.8
/// nats lower thresholds.
///
/// **Correlated data.** When the increments are serially correlated with long-run variance
/// `D · Var(w)` (`D` the design effect; `(1 + φ)/(1 - φ)` for an AR(1) score), the sum behaves
/// like a random walk with `D` times the variance: in the diffusion approximation the walk
/// scaled by `1/D` has drift `m/D`, variance `Var(w)/D` per event and again exponent 1. The
/// threshold is `h = D · h'` with `h'` the independent threshold for drift `m/D` and overshoot
/// `ρ/√D`. Simulated on AR(1) streams this is conservative (run lengths 1.2-2.8 times the target
/// at φ = 0.3-0.7, γ = 10⁴), where scaling the whole threshold by `D` would be 2-8 times.
///
/// **Baseline error.** The baseline's probabilities are estimates; an error `ε` in the null mean
/// of the increments changes the tilt from 1 to about `1 - ε / I₁` (`I₁ = E₁[w]`, the
/// divergence the other way), and the false-alarm rate by `exp(h ε / I₁)`. The threshold is
/// divided by the tilt `θ = 1 - k · SE / I₁` (`k` = 2 standard errors, `θ ≥ 0.5`).
public enum CusumCalibration {
    /// Siegmund's overshoot constant for normal increments over two barriers, in standard deviations.
    public static let overshootFactor = 1.166

    /// Siegmund's approximation of the in-control run length of a CUSUM with threshold `h`,
    /// overshoot correction `rho` and null drift `-m` per event (`m > 0`).
    public static func runLength(threshold h: Double, overshoot rho: Double, drift m: Double) -> Double {
        let x = h + rho
        return (Foundation.exp(x) - x - 1) / m
    }

    /// The threshold whose run length is `runLength`, for increments with null drift `-drift`,
    /// overshoot correction `overshoot`, design effect `dependence` (>= 1) and baseline tilt
    /// `tilt` (in (0, 1]); 0 when even `h = 0` reaches the run length.
    public static func threshold(
        runLength gamma: Double, overshoot rho: Double, drift m: Double, dependence: Double = 1, tilt: Double = 1
    ) -> Double {
        guard gamma.isFinite, gamma > 0, m.isFinite, m > 0 else { return .infinity }
        let d = max(1, dependence.isFinite ? dependence : 1)
        let scaledDrift = m / d
        let scaledOvershoot = rho / d.squareRoot()
        // Solve exp(x) - x - 1 = gamma m' for x > 0 by Newton's method from log(1 + gamma m'),
        // where the left side is below the target: the first step lands above the root, and
        // from there the iterates fall monotonically (the function is convex and increasing).
        let target = gamma * scaledDrift
        var x = Foundation.log1p(target)
        for _ in 0..<100 {
            let ex = Foundation.exp(x)
            let step = (ex - x - 1 - target) / max(ex - 1, 1e-300)
            x -= step
            if abs(step) <= 1e-14 * max(1, x) { break }
        }
        let h = max(0, x - scaledOvershoot)
        return d * h / min(1, max(tilt, 0.5))
    }
}
