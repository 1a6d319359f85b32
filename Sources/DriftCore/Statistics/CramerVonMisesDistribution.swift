import Foundation

/// Null distribution of the two-sample Cramér-von Mises criterion, as scipy computes it.
///
/// - Limiting CDF: the series of Csörgő & Faraway (1996), eq. 1.2, summed until a term falls
///   below 1e-7 (scipy's stopping rule, kept so that p-values agree to 1e-9).
/// - Asymptotic two-sample p-value: Anderson (1962) moment correction (eq. 11, 14, 15) then the
///   limiting distribution.
/// - Exact two-sample p-value (both samples of at most 20): Xiao, Gordon & Yakovlev (2006).
public enum CramerVonMisesDistribution {
    /// Limiting (infinite sample) CDF of the Cramér-von Mises statistic.
    public static func limitingCDF(_ x: Double) -> Double {
        guard x > 0 else { return 0 }
        var total = 0.0
        var k = 0
        while k < 1_000 {
            let y = Double(4 * k + 1)
            let q = y * y / (16 * x)
            let u =
                Foundation.exp(SpecialFunctions.logGamma(Double(k) + 0.5) - SpecialFunctions.logGamma(Double(k) + 1))
                / (Foundation.pow(Double.pi, 1.5) * x.squareRoot())
            let term = u * y.squareRoot() * Foundation.exp(-q) * SpecialFunctions.besselK(order: 0.25, q)
            total += term
            if abs(term) < 1e-7 { break }
            k += 1
        }
        return total
    }

    /// Asymptotic p-value of the two-sample statistic `t` for sample sizes `n` and `m`.
    public static func twoSampleAsymptoticPValue(statistic t: Double, n nx: Double, m ny: Double) -> Double {
        let k = nx * ny
        let total = nx + ny
        guard k > 0 else { return 1 }
        let et = (1 + 1 / total) / 6
        var vt = (total + 1) * (4 * k * total - 3 * (nx * nx + ny * ny) - 2 * k)
        vt /= 45 * total * total * 4 * k
        guard vt > 0 else { return 1 }
        let tn = 1.0 / 6 + (t - et) / (45 * vt).squareRoot()
        if !(tn >= 0.003) { return 1 }
        return limitingSurvival(tn)
    }

    /// Beyond this value the limiting CDF series (truncated at 1e-7, evaluated as `1 - cdf`) no
    /// longer resolves the tail; scipy documents it as inaccurate above about 4.
    public static let seriesTailLimit = 3.0

    /// Limiting survival function `1 - cdf(x)`; above `seriesTailLimit` it continues the value at the
    /// limit with the leading-eigenvalue tail `x^(-1/2) exp(-π² x / 2)` (the largest eigenvalue of
    /// the ω² kernel is `1/π²`), so it keeps decreasing to 0 instead of returning rounding noise.
    public static func limitingSurvival(_ x: Double) -> Double {
        if x <= seriesTailLimit { return min(1, max(0, 1 - limitingCDF(x))) }
        let atLimit = max(0, 1 - limitingCDF(seriesTailLimit))
        let decay =
            (seriesTailLimit / x).squareRoot() * Foundation.exp(-Double.pi * Double.pi * (x - seriesTailLimit) / 2)
        return atLimit * decay
    }

    /// Exact p-value `P(U >= u)` for the rank statistic `u` of two samples of sizes `m` and `n`.
    ///
    /// Enumerates the frequency table of Xiao et al.; practical for sizes up to about 20 each
    /// (scipy's automatic choice). Returns `nil` for sizes outside `1...50`.
    public static func twoSampleExactPValue(u: Double, m: Int, n: Int) -> Double? {
        guard (1...50).contains(m), (1...50).contains(n) else { return nil }
        let g = KolmogorovSmirnovDistribution.gcd(m, n)
        let lcm = m / g * n
        let a = lcm / m
        let b = lcm / n
        let mn = Double(m * n)
        let zetaNumerator = Double(lcm * lcm * (m + n)) * (6 * u - mn * (4 * mn - 1))
        let zeta = floorDivide(zetaNumerator, 6 * mn * mn)
        var gs: [[Int: Double]] = [[0: 1]] + Array(repeating: [:], count: m)
        for uIndex in 0...n {
            var next: [[Int: Double]] = []
            next.reserveCapacity(m + 1)
            var tmp: [Int: Double] = [:]
            for (v, g) in gs.enumerated() {
                for (value, frequency) in g { tmp[value, default: 0] += frequency }
                let shift = (a * v - b * uIndex) * (a * v - b * uIndex)
                var shifted: [Int: Double] = [:]
                shifted.reserveCapacity(tmp.count)
                for (value, frequency) in tmp { shifted[value + shift] = frequency }
                tmp = shifted
                next.append(tmp)
            }
            gs = next
        }
        var hits = 0.0
        var all = 0.0
        for (value, frequency) in gs[m] {
            all += frequency
            if Double(value) >= zeta { hits += frequency }
        }
        return all > 0 ? hits / all : nil
    }

    /// Python's float floor division `a // b` (exact floor of the true quotient).
    static func floorDivide(_ a: Double, _ b: Double) -> Double {
        let mod = Foundation.fmod(a, b)
        var div = (a - mod) / b
        if mod != 0 && ((b < 0) != (mod < 0)) { div -= 1 }
        if div == 0 { return 0 }
        var floored = div.rounded(.down)
        if div - floored > 0.5 { floored += 1 }
        return floored
    }
}
