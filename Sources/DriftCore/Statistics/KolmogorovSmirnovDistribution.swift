import Foundation

/// Null distributions of the Kolmogorov-Smirnov statistics.
///
/// - `oneSampleSurvival(n:d:)`: `P(D_n >= d)` for the one-sample two-sided statistic
///   (scipy's `kstwo.sf`), following Simard & L'Ecuyer (2011) as scipy does: Ruben-Gambino
///   closed forms at the ends, the Durbin matrix (Marsaglia-Tsang-Wang) for small `n d`,
///   Pelz-Good in the middle and twice the exact one-sided Smirnov tail in the upper tail.
/// - `twoSampleExactSurvival(n1:n2:d:)`: the exact two-sample tail by lattice-path counting
///   (Hodges; Viehmann's 1-p recursion), as scipy's `ks_2samp(method="exact")`.
public enum KolmogorovSmirnovDistribution {
    // MARK: - One-sample two-sided: kstwo

    /// `P(D_n >= d)` for the two-sided one-sample Kolmogorov-Smirnov statistic with `n` observations.
    ///
    /// Returns 1 for `d <= 0`, 0 for `d >= 1`; `n < 1` is treated as `n = 1`.
    public static func oneSampleSurvival(n: Int, d x: Double) -> Double {
        if x.isNaN { return .nan }
        let n = max(1, n)
        let nd = Double(n)
        if x >= 1 { return 0 }
        if x <= 0 { return 1 }
        let t = nd * x
        if t <= 1 {
            // Ruben-Gambino: for 1/(2n) <= x <= 1/n, CDF = n!/n^n (2t - 1)^n.
            if t <= 0.5 { return 1 }
            let logCdf = SpecialFunctions.logGamma(nd + 1) - nd * Foundation.log(nd) + nd * Foundation.log(2 * t - 1)
            return clip(1 - Foundation.exp(logCdf))
        }
        if t >= nd - 1 { return clip(2 * Foundation.pow(1 - x, nd)) }
        if x >= 0.5 { return clip(2 * smirnovSurvival(n: n, d: x)) }
        let nxSquared = t * x
        if n <= 140 {
            if nxSquared <= 4 { return clip(1 - durbinMatrixCDF(n: n, d: x)) }
            return clip(2 * smirnovSurvival(n: n, d: x))
        }
        if nxSquared >= 370 { return 0 }
        if nxSquared >= 2.2 { return clip(2 * smirnovSurvival(n: n, d: x)) }
        if n <= 100_000 && nd * Foundation.pow(x, 1.5) <= 1.4 {
            return clip(1 - durbinMatrixCDF(n: n, d: x))
        }
        return clip(pelzGoodSurvival(n: n, d: x))
    }

    /// Exact one-sided Smirnov tail `P(D_n^+ >= d)` (Birnbaum-Tingey sum, evaluated in log space).
    public static func smirnovSurvival(n: Int, d x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 { return 1 }
        if x >= 1 { return 0 }
        let nd = Double(n)
        let last = Int((nd * (1 - x)).rounded(.down))
        let logNFactorial = SpecialFunctions.logGamma(nd + 1)
        var logTerms: [Double] = []
        logTerms.reserveCapacity(last + 1)
        var maxLog = -Double.infinity
        for j in 0...max(0, last) {
            let jd = Double(j)
            let upper = 1 - x - jd / nd
            if upper <= 0 && nd - jd > 0 { continue }
            let logBinomial = logNFactorial - SpecialFunctions.logGamma(jd + 1) - SpecialFunctions.logGamma(nd - jd + 1)
            let logUpper = nd - jd > 0 ? (nd - jd) * Foundation.log(upper) : 0
            let term = logBinomial + logUpper + (jd - 1) * Foundation.log(x + jd / nd)
            logTerms.append(term)
            maxLog = max(maxLog, term)
        }
        guard maxLog > -.infinity else { return 0 }
        var sum = 0.0
        for term in logTerms { sum += Foundation.exp(term - maxLog) }
        return clip(x * sum * Foundation.exp(maxLog))
    }

    // MARK: - Two-sample exact

    /// Exact `P(D_{n1,n2} >= d)` for the two-sided two-sample statistic, no ties.
    ///
    /// `d` is first rounded to the lattice `h / lcm(n1, n2)` as scipy does; the rounded value is
    /// returned with the probability. Cost `O(n1 * n2 / gcd)` in the worst case, `O(n)` when
    /// `n1 == n2`. Returns `nil` if the sizes are not positive or the lattice is too large.
    public static func twoSampleExactSurvival(n1: Int, n2: Int, d: Double) -> (d: Double, pValue: Double)? {
        guard n1 > 0, n2 > 0, d.isFinite else { return nil }
        let g = gcd(n1, n2)
        let (lcm, overflow) = (n1 / g).multipliedReportingOverflow(by: n2)
        guard !overflow, lcm < Int(Int32.max) else { return nil }
        let h = Int((d * Double(lcm)).rounded(.toNearestOrEven))
        let rounded = Double(h) / Double(lcm)
        if h <= 0 { return (rounded, 1) }
        let p = n1 == n2 ? probabilityOutsideSquare(n: n1, h: h) : outerProbabilityInside(n1, n2, g: g, h: h)
        guard p.isFinite, p >= 0, p <= 1 else { return nil }
        return (rounded, p)
    }

    // MARK: - Internals

    private static func clip(_ p: Double) -> Double { p.isNaN ? 1 : min(1, max(0, p)) }

    static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (abs(a), abs(b))
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    /// `P(D_{n,n} >= h/n)` by the alternating-sum formula in Horner form.
    private static func probabilityOutsideSquare(n: Int, h: Int) -> Double {
        var p = 0.0
        var k = n / h
        while k >= 0 {
            var p1 = 1.0
            for j in 0..<h {
                p1 = Double(n - k * h - j) * p1 / Double(n + k * h + j + 1)
            }
            p = p1 * (1 - p)
            k -= 1
        }
        return 2 * p
    }

    /// Proportion of lattice paths leaving the band `|x/m - y/n| < h / lcm`, computed as 1 - p
    /// directly (Viehmann 2021) so that small p-values keep their precision.
    private static func outerProbabilityInside(_ a: Int, _ b: Int, g: Int, h: Int) -> Double {
        let (m, n) = a >= b ? (a, b) : (b, a)
        let mg = m / g
        let ng = n / g
        var minj = 0
        var maxj = min(Int((Double(h) / Double(mg)).rounded(.up)), n + 1)
        var curlen = maxj - minj
        let lenA = min(2 * maxj + 2, n + 1)
        var values = [Double](repeating: 1, count: max(lenA, 1))
        for j in minj..<maxj { values[j] = 0 }
        for i in 1...m {
            let lastminj = minj
            let lastlen = curlen
            minj = max(Int((Double(ng * i - h) / Double(mg)).rounded(.down)) + 1, 0)
            minj = min(minj, n)
            maxj = min(Int((Double(ng * i + h) / Double(mg)).rounded(.up)), n + 1)
            if maxj <= minj { return 1 }
            var val = minj == 0 ? 0.0 : 1.0
            let id = Double(i)
            for jj in 0..<(maxj - minj) {
                let j = Double(jj + minj)
                val = (values[jj + minj - lastminj] * id + val * j) / (id + j)
                values[jj] = val
            }
            curlen = maxj - minj
            if lastlen > curlen {
                for index in (maxj - minj)..<min(maxj - minj + lastlen - curlen, values.count) { values[index] = 1 }
            }
        }
        return values[maxj - minj - 1]
    }

    /// `P(D_n < d)` by the Durbin matrix method (Marsaglia, Tsang & Wang 2003), with exponent
    /// tracking so that `n!/n^n * H^n` neither overflows nor underflows.
    static func durbinMatrixCDF(n: Int, d: Double) -> Double {
        if d >= 1 { return 1 }
        let nd = Double(n) * d
        if nd <= 0.5 { return 0 }
        let k = Int(nd.rounded(.up))
        let h = Double(k) - nd
        let m = 2 * k - 1
        var v = [Double](repeating: 0, count: m)
        var w = [Double](repeating: 0, count: m)
        var factorial = 1.0
        for j in 1...m {
            w[j - 1] = factorial
            factorial /= Double(j)
            v[j - 1] = (1 - Foundation.pow(h, Double(j))) * factorial
        }
        let tt = Foundation.pow(max(2 * h - 1, 0), Double(m)) - 2 * Foundation.pow(h, Double(m))
        v[m - 1] = (1 + tt) * factorial
        var matrix = [Double](repeating: 0, count: m * m)
        for i in 1..<max(m, 1) where i < m {
            for r in (i - 1)..<m { matrix[r * m + i] = w[r - (i - 1)] }
        }
        for r in 0..<m { matrix[r * m] = v[r] }
        for c in 0..<m { matrix[(m - 1) * m + c] = v[m - 1 - c] }

        var power = [Double](repeating: 0, count: m * m)
        for i in 0..<m { power[i * m + i] = 1 }
        var exponent = 0
        var matrixExponent = 0
        var remaining = n
        let scale = Foundation.scalbn(1.0, 128)
        while remaining > 0 {
            if remaining % 2 == 1 {
                power = multiply(power, matrix, m)
                exponent += matrixExponent
            }
            matrix = multiply(matrix, matrix, m)
            matrixExponent *= 2
            if abs(matrix[(k - 1) * m + (k - 1)]) > scale {
                for index in matrix.indices { matrix[index] /= scale }
                matrixExponent += 128
            }
            remaining /= 2
        }
        var p = power[(k - 1) * m + (k - 1)]
        let small = Foundation.scalbn(1.0, -128)
        for i in 1...n {
            p = Double(i) * p / Double(n)
            if abs(p) < small {
                p *= scale
                exponent -= 128
            }
        }
        if exponent != 0 { p = Foundation.scalbn(p, exponent) }
        return min(1, max(0, p))
    }

    private static func multiply(_ a: [Double], _ b: [Double], _ m: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            for l in 0..<m {
                let ail = a[i * m + l]
                if ail == 0 { continue }
                for j in 0..<m { c[i * m + j] += ail * b[l * m + j] }
            }
        }
        return c
    }

    /// Pelz-Good asymptotic expansion of `P(D_n >= d)` (four terms in `1/sqrt(n)`).
    static func pelzGoodSurvival(n: Int, d x: Double) -> Double {
        if x <= 0 { return 1 }
        if x >= 1 { return 0 }
        let pi2 = Double.pi * Double.pi
        let pi4 = pi2 * pi2
        let pi6 = pi4 * pi2
        let sqrt2pi = (2 * Double.pi).squareRoot()
        let z = Double(n).squareRoot() * x
        let z2 = z * z
        let z3 = z2 * z
        let z4 = z2 * z2
        let z6 = z4 * z2
        let qlog = -pi2 / 8 / z2
        if qlog < -708 { return 1 }
        var q = Foundation.exp(qlog)
        let k1a = -z2
        let k1b = pi2 / 4
        let k2a = 6 * z6 + 2 * z4
        let k2b = (2 * z4 - 5 * z2) * pi2 / 4
        let k2c = pi4 * (1 - 2 * z2) / 16
        let k3d = pi6 * (5 - 30 * z2) / 64
        let k3c = pi4 * (-60 * z2 + 212 * z4) / 16
        let k3b = pi2 * (135 * z4 - 96 * z6) / 4
        let k3a = -30 * z6 - 90 * z4 * z4
        var terms = [0.0, 0.0, 0.0, 0.0]
        let maxk = Int((16 * z / Double.pi).rounded(.up))
        if maxk >= 1 {
            for k in stride(from: maxk, through: 1, by: -1) {
                let m = Double(2 * k - 1)
                let m2 = m * m
                let m4 = m2 * m2
                let m6 = m4 * m2
                let qpower = Foundation.pow(q, Double(8 * k))
                let coefficients = [
                    1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6
                ]
                for i in 0..<4 { terms[i] = terms[i] * qpower + coefficients[i] }
            }
        }
        let divisors = [z, 6 * z4, 72 * z4 * z3, 6480 * z4 * z6]
        for i in 0..<4 { terms[i] = terms[i] * q * sqrt2pi / divisors[i] }
        q = Foundation.exp(-pi2 / 2 / z2)
        var k2extra = 0.0
        var k3extra = 0.0
        let sqrt3z = 3.0.squareRoot() * z
        if maxk >= 1 {
            for k in stride(from: maxk, through: 1, by: -1) {
                let kd = Double(k)
                let qp = Foundation.pow(q, kd * kd)
                k2extra += kd * kd * qp
                let kspi = Double.pi * kd
                k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * kd * kd * qp
            }
        }
        terms[2] += k2extra * pi2 * sqrt2pi / (-36 * z3)
        terms[3] += k3extra * pi2 * sqrt2pi / (216 * z6)
        let nd = Double(n)
        for i in 0..<4 { terms[i] /= Foundation.pow(nd, Double(i) / 2) }
        // Survival: 1 - K0 - K1 - K2 - K3.
        return 1 - terms[0] - terms[1] - terms[2] - terms[3]
    }
}
