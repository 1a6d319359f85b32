/// A drift statistic: how a window's distribution is compared with the baseline's.
///
/// Raw values are the names used in config files, CLI flags and alert events.
public enum DriftMethod: String, Codable, Sendable, CaseIterable {
    /// Population stability index, `sum((c - r) * ln(c / r))`, empty bins smoothed.
    case psi
    /// Kullback-Leibler divergence of the window from the baseline, natural log.
    case klDivergence = "kl_divergence"
    /// Jensen-Shannon distance (square root of the divergence), natural log: range [0, sqrt(ln 2)].
    case jensenShannon = "jensen_shannon"
    /// Jensen-Shannon divergence, natural log: range [0, ln 2].
    case jensenShannonDivergence = "jensen_shannon_divergence"
    /// Hellinger distance, range [0, 1].
    case hellinger
    /// Wasserstein-1 distance divided by the baseline's standard deviation (numeric only).
    case wasserstein
    /// Two-sample Kolmogorov-Smirnov statistic, with p-value (numeric only).
    case ks
    /// Two-sample Cramér-von Mises criterion, with p-value (numeric only).
    case cramerVonMises = "cramer_von_mises"
    /// k-sample Anderson-Darling statistic, with p-value (numeric only).
    case andersonDarling = "anderson_darling"
    /// Pearson chi-square test of the window's counts against the baseline proportions, with p-value.
    case chiSquare = "chi_square"
    /// G-test (log-likelihood ratio), with p-value.
    case gTest = "g_test"
    /// L-infinity distance: the largest absolute difference of bin proportions.
    case lInfinity = "l_infinity"
    /// Total variation distance: half the L1 distance of bin proportions.
    case totalVariation = "total_variation"
    /// Two-proportion z-test (binary features), with p-value.
    case zTest = "z_test"

    /// Whether the method only makes sense on ordered (numeric) values.
    public var requiresNumeric: Bool {
        switch self {
        case .wasserstein, .ks, .cramerVonMises, .andersonDarling: return true
        default: return false
        }
    }
}

// MARK: - Defaults and scoring

extension DriftMethod {
    /// Default threshold on the method's score (see docs/statistics.md, "Defaults").
    ///
    /// Every default sits at about 60% of the score a 0.25 standard-deviation mean shift of a
    /// normal feature produces on 10 to 20 quantile bins, and at 1.7x or more the score's
    /// one-in-a-million level on stationary data at a 10,000-event window.
    public var defaultThreshold: Double {
        switch self {
        case .psi: return 0.04
        case .klDivergence: return 0.02
        case .jensenShannon: return 0.05
        case .jensenShannonDivergence: return 0.0025
        case .hellinger: return 0.05
        case .wasserstein: return 0.15
        case .ks: return 0.06
        case .cramerVonMises: return 0.04
        case .andersonDarling: return 0.1
        case .chiSquare, .gTest: return 0.15
        case .lInfinity: return 0.025
        case .totalVariation: return 0.06
        case .zTest: return 0.05
        }
    }

    /// Whether the method comes with its own p-value; the others are judged significant by a
    /// chi-square test of homogeneity on the same bins.
    public var hasOwnPValue: Bool {
        switch self {
        case .ks, .cramerVonMises, .andersonDarling, .chiSquare, .gTest, .zTest: return true
        default: return false
        }
    }

    /// Scores a window histogram against a baseline histogram over the same bins.
    ///
    /// The score is always an effect size that does not grow with the sample size: the distance
    /// itself for distances; for tests, `sqrt(statistic / n_eff)` (`n_eff = n m / (n + m)`; chi-square,
    /// G, Cramér-von Mises with the raw T, Anderson-Darling with the unstandardised A2akN) or the
    /// absolute difference of the first bin's share (z-test). `statistic` and `pValue` are the test's own.
    /// - Parameters:
    ///   - pair: the histograms.
    ///   - edges: numeric bin edges (needed by `wasserstein` only).
    ///   - scale: divisor of the Wasserstein distance (the baseline standard deviation).
    /// - Throws: `StatisticsError` `.badEdges` when `wasserstein` gets unusable edges.
    public func score(_ pair: HistogramPair, edges: [Double]? = nil, scale: Double = 1) throws(StatisticsError)
        -> DriftScore
    {
        let neff = pair.effectiveSize
        func rootNormalized(_ statistic: Double) -> Double { neff > 0 ? (max(0, statistic) / neff).squareRoot() : 0 }
        switch self {
        case .psi: return DriftScore(distance: HistogramDistance.psi(pair))
        case .klDivergence: return DriftScore(distance: HistogramDistance.klDivergence(pair))
        case .jensenShannon: return DriftScore(distance: HistogramDistance.jensenShannonDistance(pair))
        case .jensenShannonDivergence: return DriftScore(distance: HistogramDistance.jensenShannonDivergence(pair))
        case .hellinger: return DriftScore(distance: HistogramDistance.hellinger(pair))
        case .lInfinity: return DriftScore(distance: HistogramDistance.lInfinity(pair))
        case .totalVariation: return DriftScore(distance: HistogramDistance.totalVariation(pair))
        case .wasserstein:
            let w = try BinnedNumericTests.wasserstein(pair, edges: edges ?? [])
            let divisor = scale.isFinite && scale > 0 ? scale : 1
            return DriftScore(distance: w / divisor)
        case .ks:
            let r = BinnedNumericTests.kolmogorovSmirnov(pair)
            return DriftScore(score: r.statistic, statistic: r.statistic, pValue: r.pValue)
        case .cramerVonMises:
            let r = BinnedNumericTests.cramerVonMises(pair)
            return DriftScore(score: rootNormalized(r.statistic), statistic: r.statistic, pValue: r.pValue)
        case .andersonDarling:
            let r = BinnedNumericTests.andersonDarling(pair)
            return DriftScore(
                score: rootNormalized(BinnedNumericTests.andersonDarlingA2akN(pair)), statistic: r.statistic,
                pValue: r.pValue)
        case .chiSquare:
            let r = ContingencyTest.chiSquare(pair)
            return DriftScore(score: r.effectSize, statistic: r.statistic, pValue: r.pValue)
        case .gTest:
            let r = ContingencyTest.gTest(pair)
            return DriftScore(score: r.effectSize, statistic: r.statistic, pValue: r.pValue)
        case .zTest:
            let r = ContingencyTest.twoProportionZTest(
                successes1: pair.baseline.first ?? 0, total1: pair.baselineTotal,
                successes2: pair.window.first ?? 0, total2: pair.windowTotal)
            return DriftScore(score: abs(r.difference), statistic: r.z, pValue: r.pValue)
        }
    }
}
