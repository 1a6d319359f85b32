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
