/// A baseline and a window histogram over the same bins, validated once.
///
/// Counts are `Double` (see architecture conventions) and need not be integers.
public struct HistogramPair: Sendable, Equatable {
    /// Baseline (reference) counts per bin.
    public let baseline: [Double]
    /// Window (current) counts per bin, same bins.
    public let window: [Double]
    /// Sum of `baseline`.
    public let baselineTotal: Double
    /// Sum of `window`.
    public let windowTotal: Double

    /// Validates and wraps two histograms.
    /// - Throws: `StatisticsError` `.binCountMismatch` if the lengths differ or are zero,
    ///   `.badCount` for a negative, NaN or infinite count.
    public init(baseline: [Double], window: [Double]) throws(StatisticsError) {
        guard baseline.count == window.count, !baseline.isEmpty else {
            throw StatisticsError(
                .binCountMismatch, "baseline has \(baseline.count) bins, window has \(window.count) (need equal, > 0)")
        }
        if let i = baseline.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw StatisticsError(.badCount, "baseline count \(baseline[i]) at bin \(i)")
        }
        if let i = window.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw StatisticsError(.badCount, "window count \(window[i]) at bin \(i)")
        }
        self.baseline = baseline
        self.window = window
        self.baselineTotal = baseline.reduce(0, +)
        self.windowTotal = window.reduce(0, +)
    }

    /// Number of bins.
    public var binCount: Int { baseline.count }

    /// Whether both sides have at least one count (otherwise every distance is defined as 0).
    public var isComparable: Bool { baselineTotal > 0 && windowTotal > 0 }

    /// `n m / (n + m)`: the effective sample size of a two-sample comparison (0 if a side is empty).
    public var effectiveSize: Double {
        isComparable ? baselineTotal * windowTotal / (baselineTotal + windowTotal) : 0
    }

    /// Baseline proportions (all 0 if the baseline is empty).
    public var baselineProportions: [Double] {
        baselineTotal > 0 ? baseline.map { $0 / baselineTotal } : baseline.map { _ in 0 }
    }

    /// Window proportions (all 0 if the window is empty).
    public var windowProportions: [Double] {
        windowTotal > 0 ? window.map { $0 / windowTotal } : window.map { _ in 0 }
    }

    /// Proportions after adding `pseudoCount` to every bin of both sides (additive smoothing).
    func smoothedProportions(pseudoCount: Double) -> (baseline: [Double], window: [Double]) {
        let k = Double(binCount)
        let bt = baselineTotal + pseudoCount * k
        let wt = windowTotal + pseudoCount * k
        return (baseline.map { ($0 + pseudoCount) / bt }, window.map { ($0 + pseudoCount) / wt })
    }
}
