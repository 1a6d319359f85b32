/// Exact two-sample tests on raw values, matching scipy.stats (1.17) on the same data.
///
/// Used by `driftd compare` on whole files and against a baseline's stored sample
/// (`FeatureProfile.sample`). Every test sorts both samples and merges them (O((n + m) log(n + m))
/// time, O(n + m) memory); none is O(n m). Inputs must be finite: NaN (missing) values are the
/// caller's to remove and count.
public enum TwoSampleTests {
    /// Samples at or below this size (both) get the exact KS p-value, as scipy's `method="auto"`.
    public static let exactKolmogorovSmirnovLimit = 10_000
    /// Samples at or below this size (both) get the exact Cramér-von Mises p-value, as scipy's `method="auto"`.
    public static let exactCramerVonMisesLimit = 20

    /// Two-sample Kolmogorov-Smirnov test, two-sided: `scipy.stats.ks_2samp(a, b)` (`method="auto"`).
    ///
    /// When both samples have at most 10,000 values the p-value is exact (lattice path count; the
    /// statistic is then reported on the `1/lcm(n, m)` lattice as scipy does); otherwise, or if the
    /// exact computation is not representable, it is `kstwo.sf(D, round(n m / (n + m)))`.
    /// - Throws: `StatisticsError` `.tooFewValues` for an empty sample, `.nonFiniteValue` for NaN or infinity.
    public static func kolmogorovSmirnov(_ a: [Double], _ b: [Double]) throws(StatisticsError) -> StatisticResult {
        let groups = try prepare(a, b, minimumEach: 1, test: "Kolmogorov-Smirnov")
        let d = groups.kolmogorovSmirnovStatistic()
        return kolmogorovSmirnovPValue(d: d, n1: a.count, n2: b.count, allowExact: true)
    }

    /// Two-sample Cramér-von Mises test: `scipy.stats.cramervonmises_2samp(a, b)` (`method="auto"`).
    ///
    /// Midranks for ties; exact p-value when both samples have at most 20 values, else the
    /// asymptotic p-value.
    /// - Throws: `StatisticsError` `.tooFewValues` if a sample has fewer than 2 values, `.nonFiniteValue`.
    public static func cramerVonMises(_ a: [Double], _ b: [Double]) throws(StatisticsError) -> StatisticResult {
        let groups = try prepare(a, b, minimumEach: 2, test: "Cramér-von Mises")
        let t = groups.cramerVonMisesStatistic()
        if max(a.count, b.count) <= exactCramerVonMisesLimit,
            let p = CramerVonMisesDistribution.twoSampleExactPValue(u: groups.cramerVonMisesU(), m: a.count, n: b.count)
        {
            return StatisticResult(statistic: t, pValue: p)
        }
        let p = CramerVonMisesDistribution.twoSampleAsymptoticPValue(
            statistic: t, n: Double(a.count), m: Double(b.count))
        return StatisticResult(statistic: t, pValue: p)
    }

    /// Two-sample Anderson-Darling test: `scipy.stats.anderson_ksamp([a, b])` (midrank variant).
    ///
    /// The statistic is the standardised `A2akN`; the p-value is interpolated and capped to
    /// `[0.001, 0.25]` (see `AndersonDarlingDistribution`). All values tied gives statistic
    /// `-1/sigma` and p 0.25 instead of scipy's NaN.
    /// - Throws: `StatisticsError` `.tooFewValues` if a sample is empty or both hold fewer than 4 values.
    public static func andersonDarling(_ a: [Double], _ b: [Double]) throws(StatisticsError) -> StatisticResult {
        let groups = try prepare(a, b, minimumEach: 1, test: "Anderson-Darling")
        guard a.count + b.count >= 4 else {
            throw StatisticsError(
                .tooFewValues, "Anderson-Darling needs at least 4 values in all, got \(a.count + b.count)")
        }
        return AndersonDarlingDistribution.standardize(
            a2kN: groups.andersonDarlingA2akN(), sizes: [Double(a.count), Double(b.count)])
    }

    /// Wasserstein-1 distance between the empirical distributions: `scipy.stats.wasserstein_distance(a, b)`.
    ///
    /// In the units of the data; divide by the baseline's standard deviation for the
    /// `wasserstein` drift score.
    /// - Throws: `StatisticsError` `.tooFewValues` for an empty sample, `.nonFiniteValue`.
    public static func wasserstein(_ a: [Double], _ b: [Double]) throws(StatisticsError) -> Double {
        try prepare(a, b, minimumEach: 1, test: "Wasserstein").wassersteinDistance()
    }

    // MARK: - Internals

    /// KS p-value for statistic `d` and sizes `n1`, `n2`, with scipy's automatic method choice.
    static func kolmogorovSmirnovPValue(d: Double, n1: Int, n2: Int, allowExact: Bool) -> StatisticResult {
        if allowExact, max(n1, n2) <= exactKolmogorovSmirnovLimit,
            let exact = KolmogorovSmirnovDistribution.twoSampleExactSurvival(n1: n1, n2: n2, d: d)
        {
            return StatisticResult(statistic: exact.d, pValue: exact.pValue)
        }
        let p = asymptoticKolmogorovSmirnovPValue(d: d, n1: Double(n1), n2: Double(n2))
        return StatisticResult(statistic: d, pValue: p)
    }

    /// `kstwo.sf(d, round(n1 n2 / (n1 + n2)))`, scipy's `method="asymp"`.
    static func asymptoticKolmogorovSmirnovPValue(d: Double, n1: Double, n2: Double) -> Double {
        guard n1 > 0, n2 > 0 else { return 1 }
        let effective = (n1 * n2 / (n1 + n2)).rounded(.toNearestOrEven)
        return KolmogorovSmirnovDistribution.oneSampleSurvival(n: max(1, Int(effective)), d: d)
    }

    private static func prepare(
        _ a: [Double], _ b: [Double], minimumEach: Int, test: String
    ) throws(StatisticsError) -> TiedGroups {
        guard a.count >= minimumEach, b.count >= minimumEach else {
            throw StatisticsError(
                .tooFewValues,
                "\(test) needs at least \(minimumEach) value(s) per sample, got \(a.count) and \(b.count)")
        }
        if let index = a.firstIndex(where: { !$0.isFinite }) {
            throw StatisticsError(.nonFiniteValue, "first sample holds \(a[index]) at index \(index)")
        }
        if let index = b.firstIndex(where: { !$0.isFinite }) {
            throw StatisticsError(.nonFiniteValue, "second sample holds \(b[index]) at index \(index)")
        }
        return TiedGroups(sortedFirst: DoubleRadixSort.sorted(a), sortedSecond: DoubleRadixSort.sorted(b))
    }
}
