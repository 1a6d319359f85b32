/// Numeric two-sample tests computed from histograms over the same ordered bins, in O(bins).
///
/// The streaming evaluator only has counts per bin. KS, Cramér-von Mises and Anderson-Darling are
/// computed exactly *on the binned data* (every value replaced by its bin): KS and Anderson-Darling
/// equal scipy's `ks_2samp` and `anderson_ksamp(midrank=True)` on the bin indexes; Cramér-von Mises
/// uses the tie-aware ECDF form (see `cramerVonMises(_:)`). Against the same tests on the raw values:
/// - KS: `binned <= exact <= binned + max_i max(p_i, q_i)` (p, q the baseline and window bin
///   shares): the ECDF difference at bin boundaries is exact, and inside bin `i` it can move by
///   at most `p_i` up or `q_i` down.
/// - Cramér-von Mises: `|exact - binned| <= n m / N² Σ_i l_i s_i (2 |D_i| + s_i)`, with `D_i` the
///   ECDF difference at the end of bin `i`, `l_i` its pooled count and `s_i = max(p_i, q_i)`:
///   inside bin `i` the ECDF difference at a raw value is within `s_i` of `D_i`.
/// - Anderson-Darling: the exact `A2akN` lies in an interval computed from the bins (each raw
///   value's midrank is known from its bin, its ECDF difference only to within what either side
///   has accumulated inside the bin); docs/statistics.md section 1.
/// - Wasserstein: see `wasserstein(_:edges:)`.
/// P-values treat the bin counts as if untied, which is conservative (ties lower the statistic).
public enum BinnedNumericTests {
    /// Binned two-sample KS statistic with scipy's asymptotic p-value `kstwo.sf(D, round(n m / (n + m)))`.
    public static func kolmogorovSmirnov(_ pair: HistogramPair) -> StatisticResult {
        guard pair.isComparable else { return StatisticResult(statistic: 0, pValue: 1) }
        let groups = TiedGroups(binnedFirst: pair.baseline, second: pair.window)
        let d = groups.kolmogorovSmirnovStatistic()
        let p = TwoSampleTests.asymptoticKolmogorovSmirnovPValue(d: d, n1: pair.baselineTotal, n2: pair.windowTotal)
        return StatisticResult(statistic: d, pValue: p)
    }

    /// Binned two-sample Cramér-von Mises criterion with its asymptotic p-value.
    ///
    /// Uses the tie-aware ECDF form `T = n m / N² Σ_bins l (F_b - F_w)²` (equal to scipy's statistic on
    /// untied data). scipy's midrank formula is not used here: with every value tied into a few
    /// bins it is biased upward (two identical 10-bin histograms of 50,000 and 10,000 values give
    /// T ≈ 105 instead of 0).
    public static func cramerVonMises(_ pair: HistogramPair) -> StatisticResult {
        guard pair.isComparable else { return StatisticResult(statistic: 0, pValue: 1) }
        let groups = TiedGroups(binnedFirst: pair.baseline, second: pair.window)
        let t = groups.cramerVonMisesECDFStatistic()
        let p = CramerVonMisesDistribution.twoSampleAsymptoticPValue(
            statistic: t, n: pair.baselineTotal, m: pair.windowTotal)
        return StatisticResult(statistic: t, pValue: p)
    }

    /// Binned two-sample Anderson-Darling: standardised `A2akN` with the capped p-value.
    public static func andersonDarling(_ pair: HistogramPair) -> StatisticResult {
        guard pair.isComparable else { return StatisticResult(statistic: 0, pValue: 1) }
        let groups = TiedGroups(binnedFirst: pair.baseline, second: pair.window)
        return AndersonDarlingDistribution.standardize(
            a2kN: groups.andersonDarlingA2akN(), sizes: [pair.baselineTotal, pair.windowTotal])
    }

    /// The unstandardised binned `A2akN` (used for the effect size `sqrt(A2akN / n_eff)`).
    public static func andersonDarlingA2akN(_ pair: HistogramPair) -> Double {
        guard pair.isComparable else { return 0 }
        return TiedGroups(binnedFirst: pair.baseline, second: pair.window).andersonDarlingA2akN()
    }

    /// Binned Wasserstein-1 distance `∫ |F_b - F_w| dx`, in the units of the edges.
    ///
    /// Inside each inner bin `[e(i-1), e(i))` both CDFs are taken as linear (values uniform within
    /// the bin), and `∫|D|` is integrated exactly (split where D changes sign). The open outer
    /// bins have no width: their mass is placed at the outermost edge, so the distance a value
    /// travels beyond the training range is not counted (the out-of-range share is reported
    /// separately). Error against the exact distance on the raw values:
    /// `|binned - exact| <= Σ_inner (e(i) - e(i-1)) (p_i + q_i) + mean distance of the values of
    /// either side that lie beyond the outer edges to those edges`.
    /// - Parameters:
    ///   - pair: histograms with `edges.count + 1` bins.
    ///   - edges: strictly ascending finite edges.
    /// - Throws: `StatisticsError` `.badEdges` if the edges do not fit the bins or are not ascending and finite.
    public static func wasserstein(_ pair: HistogramPair, edges: [Double]) throws(StatisticsError) -> Double {
        try validate(edges: edges, binCount: pair.binCount)
        guard pair.isComparable else { return 0 }
        let p = pair.baselineProportions
        let q = pair.windowProportions
        var cumP = p[0]
        var cumQ = q[0]
        var total = 0.0
        for i in 1..<(pair.binCount - 1) {
            let width = edges[i] - edges[i - 1]
            let left = cumP - cumQ
            cumP += p[i]
            cumQ += q[i]
            let right = cumP - cumQ
            total += width * integralOfAbsoluteLinear(left, right)
        }
        return total
    }

    /// `∫_0^1 |a + (b - a) t| dt`.
    static func integralOfAbsoluteLinear(_ a: Double, _ b: Double) -> Double {
        if (a >= 0) == (b >= 0) || a == 0 || b == 0 { return (abs(a) + abs(b)) / 2 }
        return (a * a + b * b) / (2 * (abs(a) + abs(b)))
    }

    static func validate(edges: [Double], binCount: Int) throws(StatisticsError) {
        guard edges.count + 1 == binCount, !edges.isEmpty else {
            throw StatisticsError(.badEdges, "\(edges.count) edges do not delimit \(binCount) bins")
        }
        for i in edges.indices {
            guard edges[i].isFinite, i == 0 || edges[i] > edges[i - 1] else {
                throw StatisticsError(.badEdges, "edge \(i) (\(edges[i])) is not finite or not above the previous one")
            }
        }
    }
}
