/// The distribution score of a numeric feature computed on raw values: every finite current value
/// against the baseline's stored sample, with the exact two-sample tests of `TwoSampleTests`.
///
/// Scores are the same effect sizes the binned methods report (docs/statistics.md), so the same
/// thresholds apply: `ks` the statistic D; `cramer_von_mises` `sqrt(T / n_eff)`;
/// `anderson_darling` `sqrt(A2akN / n_eff)` (unstandardised); `wasserstein` the distance divided
/// by the baseline standard deviation (0.001 for a constant feature). Samples are passed as
/// (baseline, current), as `scipy.stats.ks_2samp(baseline, current)`.
struct RawSampleScore: Sendable, Equatable {
    /// Effect-size score.
    var score: Double
    /// The test's own p-value; `nil` for `wasserstein`.
    var pValue: Double?
    /// The p-value the decision uses: `pValue`, or for `wasserstein` the chi-square test of
    /// homogeneity on the baseline bins.
    var significance: Double
    /// Baseline sample values compared.
    var baselineSampleSize: Int

    /// Scores `current` against `baselineSample` with a numeric-only method.
    /// - Parameters:
    ///   - method: `ks`, `cramer_von_mises`, `anderson_darling` or `wasserstein`.
    ///   - baselineSample: The profile's raw sample (finite values).
    ///   - current: Every finite current value.
    ///   - profile: The profile (its `summary.std` scales Wasserstein).
    ///   - binnedSignificance: Chi-square p-value on the bins, used by `wasserstein`.
    /// - Throws: `StatisticsError` from the tests (too few or non-finite values), or
    ///   `.unsupportedMethod` for a method without a raw-sample form.
    static func compute(
        method: DriftMethod, baselineSample: [Double], current: [Double], profile: FeatureProfile,
        binnedSignificance: Double?
    ) throws(StatisticsError) -> RawSampleScore {
        let n = Double(baselineSample.count)
        let m = Double(current.count)
        let neff = n + m > 0 ? n * m / (n + m) : 0
        func rootNormalized(_ statistic: Double) -> Double { neff > 0 ? (max(0, statistic) / neff).squareRoot() : 0 }
        switch method {
        case .ks:
            let r = try TwoSampleTests.kolmogorovSmirnov(baselineSample, current)
            let p = r.pValue ?? 1
            return RawSampleScore(
                score: r.statistic, pValue: p, significance: p, baselineSampleSize: baselineSample.count)
        case .cramerVonMises:
            let r = try TwoSampleTests.cramerVonMises(baselineSample, current)
            let p = r.pValue ?? 1
            return RawSampleScore(
                score: rootNormalized(r.statistic), pValue: p, significance: p, baselineSampleSize: baselineSample.count
            )
        case .andersonDarling:
            // Validates (count, finiteness) like the public test, then keeps the unstandardised A2akN
            // for the effect size without sorting twice.
            if let bad = baselineSample.first(where: { !$0.isFinite }) ?? current.first(where: { !$0.isFinite }) {
                throw StatisticsError(.nonFiniteValue, "Anderson-Darling got \(bad)")
            }
            guard !baselineSample.isEmpty, !current.isEmpty, baselineSample.count + current.count >= 4 else {
                throw StatisticsError(
                    .tooFewValues,
                    "Anderson-Darling needs non-empty samples and 4 values in all, got \(baselineSample.count) and \(current.count)"
                )
            }
            let groups = TiedGroups(
                sortedFirst: DoubleRadixSort.sorted(baselineSample), sortedSecond: DoubleRadixSort.sorted(current))
            let a2 = groups.andersonDarlingA2akN()
            let r = AndersonDarlingDistribution.standardize(a2kN: a2, sizes: [n, m])
            let p = r.pValue ?? 1
            return RawSampleScore(
                score: rootNormalized(a2), pValue: p, significance: p, baselineSampleSize: baselineSample.count)
        case .wasserstein:
            let distance = try TwoSampleTests.wasserstein(baselineSample, current)
            let std = profile.summary?.std ?? 1
            let scale = std.isFinite && std > 0 ? std : 1e-3
            return RawSampleScore(
                score: distance / scale, pValue: nil, significance: binnedSignificance ?? 1,
                baselineSampleSize: baselineSample.count)
        case .psi, .klDivergence, .jensenShannon, .jensenShannonDivergence, .hellinger, .chiSquare, .gTest, .lInfinity,
            .totalVariation, .zTest:
            throw StatisticsError(.unsupportedMethod, "\(method.rawValue) has no raw-sample form")
        }
    }
}
