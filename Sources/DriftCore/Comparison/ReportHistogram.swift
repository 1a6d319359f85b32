import Foundation

/// One feature's baseline and current counts on the baseline's bins, for the charts of the HTML
/// report (`DriftReportHTML`): the batch comparison's file, or the daemon's current window.
///
/// Numeric bins are the baseline's edges with the open outer bins (values below the training
/// minimum and at or above the training maximum); categorical bins are the baseline's
/// categories plus "other" (categories unseen in training). The outer bins and "other" are the
/// bins whose values are new: the charts mark them.
public struct ReportHistogram: Sendable, Equatable {
    /// What a bin holds.
    public enum BinKind: String, Sendable, Equatable {
        /// A value range or category seen in training.
        case value
        /// Numeric: the open bin below the first edge (below the training range).
        case belowRange = "below_range"
        /// Numeric: the open bin at or above the last edge (above the training range).
        case aboveRange = "above_range"
        /// Categorical: the "other" bin (categories unseen in training).
        case unseen

        /// Whether values in this bin are new: outside the training range or unseen.
        public var isNew: Bool { self != .value }
    }

    /// Numeric or categorical.
    public var type: FeatureType
    /// Numeric: the baseline's edges (`bins.count - 1` of them); empty for categorical.
    public var edges: [Double]
    /// Categorical: the baseline's categories (`bins.count - 1` of them); empty for numeric.
    public var categories: [String]
    /// The kind of every bin, in bin order.
    public var kinds: [BinKind]
    /// Baseline (training) counts per bin.
    public var baselineCounts: [Double]
    /// Current (file or window) counts per bin.
    public var currentCounts: [Double]
    /// Baseline rows where the value was missing.
    public var baselineMissing: Double
    /// Current rows where the value was missing (wrong-type values included).
    public var currentMissing: Double

    /// The histogram of a feature, or `nil` when the counts do not fit the profile's bins.
    /// - Parameters:
    ///   - profile: The feature's baseline profile (bins, baseline counts, missing count).
    ///   - currentCounts: Current counts on the profile's bins.
    ///   - currentMissing: Current missing count.
    public init?(profile: FeatureProfile, currentCounts: [Double], currentMissing: Double) {
        let bins = profile.binCount
        guard bins >= 1, profile.counts.count == bins, currentCounts.count == bins else { return nil }
        type = profile.type
        switch profile.type {
        case .numeric:
            edges = profile.edges ?? []
            categories = []
            var kinds = [BinKind](repeating: .value, count: bins)
            kinds[0] = .belowRange
            if bins > 1 { kinds[bins - 1] = .aboveRange }
            self.kinds = kinds
        case .categorical:
            edges = []
            categories = profile.categories ?? []
            var kinds = [BinKind](repeating: .value, count: bins)
            kinds[bins - 1] = .unseen
            self.kinds = kinds
        }
        baselineCounts = profile.counts
        self.currentCounts = currentCounts
        baselineMissing = profile.missingCount
        self.currentMissing = currentMissing
    }

    /// Number of bins.
    public var binCount: Int { kinds.count }

    /// Baseline values present (sum of `baselineCounts`).
    public var baselinePresent: Double { baselineCounts.reduce(0, +) }

    /// Current values present (sum of `currentCounts`).
    public var currentPresent: Double { currentCounts.reduce(0, +) }

    /// Shares of present values per bin (all 0 when nothing is present).
    /// - Parameter counts: `baselineCounts` or `currentCounts`.
    public static func shares(_ counts: [Double]) -> [Double] {
        let total = counts.reduce(0, +)
        return total > 0 ? counts.map { $0 / total } : counts.map { _ in 0 }
    }

    /// A readable label of bin `index`: the category, `unseen`, or the value range.
    /// - Parameter index: A bin index.
    public func label(of index: Int) -> String {
        switch type {
        case .categorical:
            return index < categories.count ? categories[index] : "other (unseen)"
        case .numeric:
            guard !edges.isEmpty else { return "all values" }
            if index == 0 { return "< \(Self.compact(edges[0]))" }
            if index >= edges.count { return "≥ \(Self.compact(edges[edges.count - 1]))" }
            return "[\(Self.compact(edges[index - 1])), \(Self.compact(edges[index])))"
        }
    }

    /// A short rendering of a bin edge: at most four significant digits, thousands and millions
    /// abbreviated (`12.35`, `1.235k`, `-3.2M`, `1.2e-05`).
    /// - Parameter x: The number.
    public static func compact(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "∞" : "-∞") }
        if x == 0 { return "0" }
        let magnitude = abs(x)
        func trimmed(_ value: Double, digits: Int) -> String {
            var text = String(format: "%.\(digits)f", value)
            if text.contains(".") {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            return text == "-0" ? "0" : text
        }
        func significant(_ value: Double) -> String {
            let a = abs(value)
            let digits = a >= 100 ? 1 : a >= 10 ? 2 : 3
            return trimmed(value, digits: digits)
        }
        switch magnitude {
        case 1e12...: return String(format: "%.3g", x)
        case 1e9...: return significant(x / 1e9) + "G"
        case 1e6...: return significant(x / 1e6) + "M"
        case 1e4...: return significant(x / 1e3) + "k"
        case 1e-3...: return significant(x)
        default: return String(format: "%.2g", x)
        }
    }
}
