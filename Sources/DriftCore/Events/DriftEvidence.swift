import Foundation

/// Where a column's distribution moved: the bins or categories whose share moved most, with
/// their baseline and window shares and their contribution to the score.
///
/// Carried by drift alerts as `evidence` (docs/published-events.md) and printed by
/// `driftd compare`. Shares are over the present (non-missing) values. `measure` names what the
/// contributions add up to: the method's own per-bin terms where the score is a sum over bins
/// (`psi`, `kl_divergence`, `jensen_shannon_divergence` — for the Jensen-Shannon distance,
/// whose square it is —, `hellinger_squared`, `total_variation`), otherwise `total_variation`
/// (`|window share - baseline share| / 2` per bin) as the method-free measure of the move.
public struct DriftEvidence: Sendable, Codable, Equatable {
    /// One bin or category.
    public struct Bin: Sendable, Codable, Equatable {
        /// The bin as text: `[20, 35.5)`, `(-inf, 3)`, `[90, inf)`, a category, or `other (unseen)`.
        public var bin: String
        /// Share of the baseline's present values in the bin.
        public var baselineShare: Double
        /// Share of the window's present values in the bin.
        public var windowShare: Double
        /// The bin's term of `measure`.
        public var contribution: Double

        /// Creates a bin.
        /// - Parameters:
        ///   - bin: Bin text.
        ///   - baselineShare: Baseline share.
        ///   - windowShare: Window share.
        ///   - contribution: Contribution.
        public init(bin: String, baselineShare: Double, windowShare: Double, contribution: Double) {
            self.bin = bin
            self.baselineShare = baselineShare
            self.windowShare = windowShare
            self.contribution = contribution
        }

        enum CodingKeys: String, CodingKey {
            case bin, contribution
            case baselineShare = "baseline_share"
            case windowShare = "window_share"
        }
    }

    /// Most bins listed.
    public static let maxBins = 3

    /// What the contributions are terms of.
    public var measure: String
    /// The bins that moved most (largest |window share - baseline share|), at most `maxBins`.
    public var bins: [Bin]

    /// Creates evidence.
    /// - Parameters:
    ///   - measure: Measure name.
    ///   - bins: Bins.
    public init(measure: String, bins: [Bin]) {
        self.measure = measure
        self.bins = bins
    }

    /// The evidence of a column: its profile, the window's counts per bin, and the method that
    /// scored it; nil when either side has no present values or the counts do not fit the bins.
    /// - Parameters:
    ///   - profile: The baseline profile.
    ///   - counts: Window counts per bin.
    ///   - method: The scoring method's name.
    ///   - limit: Most bins listed.
    public init?(profile: FeatureProfile, counts: [Double], method: String, limit: Int = DriftEvidence.maxBins) {
        guard counts.count == profile.counts.count,
            let pair = try? HistogramPair(baseline: profile.counts, window: counts),
            pair.isComparable
        else { return nil }
        let p = pair.baselineProportions
        let q = pair.windowProportions
        let terms: [Double]
        switch DriftMethod(rawValue: method) {
        case .psi?, .klDivergence?:
            let k = Double(p.count)
            let pseudo = HistogramDistance.defaultPseudoCount
            let bt = profile.counts.reduce(0, +) + pseudo * k
            let wt = counts.reduce(0, +) + pseudo * k
            let ps = profile.counts.map { ($0 + pseudo) / bt }
            let qs = counts.map { ($0 + pseudo) / wt }
            let kl = DriftMethod(rawValue: method) == .klDivergence
            terms = p.indices.map { kl ? qs[$0] * log(qs[$0] / ps[$0]) : (qs[$0] - ps[$0]) * log(qs[$0] / ps[$0]) }
            measure = method
        case .jensenShannon?, .jensenShannonDivergence?:
            terms = p.indices.map { i in
                let m = (p[i] + q[i]) / 2
                return ((p[i] > 0 ? p[i] * log(p[i] / m) : 0) + (q[i] > 0 ? q[i] * log(q[i] / m) : 0)) / 2
            }
            measure = "jensen_shannon_divergence"
        case .hellinger?:
            terms = p.indices.map { i in
                let d = p[i].squareRoot() - q[i].squareRoot()
                return d * d / 2
            }
            measure = "hellinger_squared"
        default:
            terms = p.indices.map { abs(q[$0] - p[$0]) / 2 }
            measure = "total_variation"
        }
        let order = p.indices.sorted {
            abs(q[$0] - p[$0]) > abs(q[$1] - p[$1]) || (abs(q[$0] - p[$0]) == abs(q[$1] - p[$1]) && $0 < $1)
        }
        bins = order.prefix(max(0, limit)).filter { q[$0] != p[$0] }.map {
            Bin(bin: Self.label(of: $0, in: profile), baselineShare: p[$0], windowShare: q[$0], contribution: terms[$0])
        }
    }

    /// A bin of a profile as text.
    /// - Parameters:
    ///   - bin: Bin index.
    ///   - profile: The profile.
    /// - Returns: `[a, b)` with open outer bins `(-inf, a)` and `[b, inf)`, or the category
    ///   (`other (unseen)` for the last bin).
    public static func label(of bin: Int, in profile: FeatureProfile) -> String {
        switch profile.type {
        case .categorical:
            let names = profile.categories ?? []
            return bin < names.count ? names[bin] : "other (unseen)"
        case .numeric:
            let edges = profile.edges ?? []
            func text(_ x: Double) -> String { EvaluationExplanation.format(x) }
            if edges.isEmpty { return "all" }
            if bin == 0 { return "(-inf, \(text(edges[0])))" }
            if bin >= edges.count { return "[\(text(edges[edges.count - 1])), inf)" }
            return "[\(text(edges[bin - 1])), \(text(edges[bin])))"
        }
    }
}
