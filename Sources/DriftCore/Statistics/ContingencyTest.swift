import Foundation

/// Significance tests on counts: chi-square and G tests of homogeneity, two-proportion z-test.
///
/// Chi-square and G compare the two histograms as a 2 x k contingency table (test of
/// homogeneity, `scipy.stats.chi2_contingency(table, correction=False)`), not the window against
/// the baseline proportions taken as exact: the baseline is itself a finite sample, and treating
/// its proportions as exact inflates the statistic by about `1 + n/N` (doubling it for a baseline
/// as large as the window, which turns rare tail levels into routine alarms). Bins empty on both sides are
/// dropped; a bin seen only in the window (a new category, a value beyond the training range)
/// is an ordinary column with expected counts from the pooled share, so the statistic stays
/// finite. With the baseline much larger than the window the test reduces to the goodness-of-fit
/// test against the baseline proportions.
public enum ContingencyTest {
    /// Pearson chi-square test of homogeneity; `p = Q(df/2, X²/2)`.
    public static func chiSquare(_ pair: HistogramPair) -> ContingencyTestResult {
        homogeneity(pair) { observed, expected in
            let d = observed - expected
            return d * d / expected
        }
    }

    /// G-test (log-likelihood ratio) of homogeneity, `G = 2 Σ O ln(O / E)`.
    public static func gTest(_ pair: HistogramPair) -> ContingencyTestResult {
        homogeneity(pair) { observed, expected in
            observed > 0 ? 2 * observed * Foundation.log(observed / expected) : 0
        }
    }

    /// Two-proportion z-test with pooled variance: are `successes1/total1` and `successes2/total2`
    /// the same share? A zero total, or a pooled share of exactly 0 or 1, gives z = 0 and p = 1.
    public static func twoProportionZTest(
        successes1: Double, total1: Double, successes2: Double, total2: Double
    ) -> TwoProportionTestResult {
        let share1 = total1 > 0 ? min(1, max(0, successes1 / total1)) : 0
        let share2 = total2 > 0 ? min(1, max(0, successes2 / total2)) : 0
        guard total1 > 0, total2 > 0 else {
            return TwoProportionTestResult(firstShare: share1, secondShare: share2, z: 0, pValue: 1)
        }
        let pooled = (successes1 + successes2) / (total1 + total2)
        let variance = pooled * (1 - pooled) * (1 / total1 + 1 / total2)
        guard variance > 0, variance.isFinite else {
            return TwoProportionTestResult(firstShare: share1, secondShare: share2, z: 0, pValue: 1)
        }
        let z = (share2 - share1) / variance.squareRoot()
        return TwoProportionTestResult(
            firstShare: share1, secondShare: share2, z: z, pValue: SpecialFunctions.normalTwoSidedPValue(z))
    }

    private static func homogeneity(
        _ pair: HistogramPair, cell: (_ observed: Double, _ expected: Double) -> Double
    ) -> ContingencyTestResult {
        guard pair.isComparable else { return .noEvidence }
        let total = pair.baselineTotal + pair.windowTotal
        var statistic = 0.0
        var columns = 0
        for i in 0..<pair.binCount {
            let column = pair.baseline[i] + pair.window[i]
            guard column > 0 else { continue }
            columns += 1
            statistic += cell(pair.baseline[i], pair.baselineTotal * column / total)
            statistic += cell(pair.window[i], pair.windowTotal * column / total)
        }
        guard columns >= 2 else { return .noEvidence }
        statistic = max(0, statistic)
        let df = columns - 1
        let p = SpecialFunctions.chiSquareSurvival(statistic, degreesOfFreedom: Double(df))
        let effect = (statistic / pair.effectiveSize).squareRoot()
        return ContingencyTestResult(statistic: statistic, degreesOfFreedom: df, pValue: p, effectSize: effect)
    }
}
