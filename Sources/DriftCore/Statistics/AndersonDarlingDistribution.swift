import Foundation

/// Standardisation and p-value of the k-sample Anderson-Darling statistic (Scholz & Stephens 1987),
/// as `scipy.stats.anderson_ksamp` computes them without a permutation method.
///
/// The p-value interpolates the log significance levels 0.25 ... 0.001 over the table-2 critical
/// values with a quadratic least-squares fit, and is capped to `[0.001, 0.25]` outside the table.
public enum AndersonDarlingDistribution {
    /// Largest p-value reported; statistics below the smallest critical value get it.
    public static let pValueCap = 0.25
    /// Smallest p-value reported; statistics above the largest critical value get it.
    public static let pValueFloor = 0.001

    /// The standardised statistic `(A2kN - (k - 1)) / sigma_N` and its (capped) p-value.
    /// - Parameters:
    ///   - a2kN: the unstandardised statistic (`A2akN` for the midrank variant).
    ///   - sizes: the sample sizes (k >= 2, total >= 4).
    public static func standardize(a2kN: Double, sizes: [Double]) -> StatisticResult {
        let k = Double(sizes.count)
        let total = sizes.reduce(0, +)
        guard sizes.count >= 2, total >= 4, sizes.allSatisfy({ $0 > 0 }) else {
            return StatisticResult(statistic: 0, pValue: 1)
        }
        let bigH = sizes.reduce(0) { $0 + 1 / $1 }
        // hs_cs = cumsum(1 / (N-1, N-2, ..., 2)); h = hs_cs[-1] + 1; g = sum(hs_cs / (2, ..., N-1)).
        let count = Int(total.rounded())
        var cumulative = 0.0
        var g = 0.0
        var index = 0
        var denominator = count - 1
        while denominator >= 2 {
            cumulative += 1 / Double(denominator)
            g += cumulative / Double(index + 2)
            index += 1
            denominator -= 1
        }
        let h = cumulative + 1
        let a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * bigH
        let b = (2 * g - 4) * k * k + 8 * h * k + (2 * g - 14 * h - 4) * bigH - 8 * h + 4 * g - 6
        let c = (6 * h + 2 * g - 2) * k * k + (4 * h - 4 * g + 6) * k + (2 * h - 6) * bigH + 4 * h
        let d = (2 * h + 6) * k * k - 4 * h * k
        let sigmaSquared =
            (a * total * total * total + b * total * total + c * total + d)
            / ((total - 1) * (total - 2) * (total - 3))
        guard sigmaSquared > 0 else { return StatisticResult(statistic: 0, pValue: 1) }
        let m = k - 1
        let a2 = (a2kN - m) / sigmaSquared.squareRoot()
        return StatisticResult(statistic: a2, pValue: pValue(standardized: a2, m: m))
    }

    /// Interpolated p-value of a standardised statistic with `m = k - 1`.
    static func pValue(standardized a2: Double, m: Double) -> Double {
        let b0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085]
        let b1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615]
        let b2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154]
        let significance = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001]
        let critical = (0..<7).map { b0[$0] + b1[$0] / m.squareRoot() + b2[$0] / m }
        guard let low = critical.min(), let high = critical.max() else { return pValueCap }
        if a2.isNaN || a2 < low { return pValueCap }
        if a2 > high { return pValueFloor }
        let coefficients = quadraticLeastSquares(x: critical, y: significance.map { Foundation.log($0) })
        let fitted = (coefficients.0 * a2 + coefficients.1) * a2 + coefficients.2
        return Foundation.exp(fitted)
    }

    /// Least-squares `y ≈ c0 x^2 + c1 x + c2` by modified Gram-Schmidt QR on the scaled Vandermonde matrix.
    static func quadraticLeastSquares(x: [Double], y: [Double]) -> (Double, Double, Double) {
        var columns = [x.map { $0 * $0 }, x, x.map { _ in 1.0 }]
        let scales = columns.map { column in column.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        for j in 0..<3 { columns[j] = columns[j].map { $0 / scales[j] } }
        var r = [[Double]](repeating: [0, 0, 0], count: 3)
        var q = columns
        for j in 0..<3 {
            for i in 0..<j {
                let dot = zip(q[i], q[j]).reduce(0) { $0 + $1.0 * $1.1 }
                r[i][j] = dot
                q[j] = zip(q[j], q[i]).map { $0 - dot * $1 }
            }
            let norm = q[j].reduce(0) { $0 + $1 * $1 }.squareRoot()
            r[j][j] = norm
            q[j] = q[j].map { $0 / norm }
        }
        var qty = (0..<3).map { j in zip(q[j], y).reduce(0) { $0 + $1.0 * $1.1 } }
        var solution = [0.0, 0.0, 0.0]
        for j in stride(from: 2, through: 0, by: -1) {
            var value = qty[j]
            for l in (j + 1)..<3 { value -= r[j][l] * solution[l] }
            solution[j] = value / r[j][j]
            qty[j] = value
        }
        return (solution[0] / scales[0], solution[1] / scales[1], solution[2] / scales[2])
    }
}
