import Foundation

/// One sequential detector of a column: a CUSUM of the log-likelihood ratio of one alternative
/// distribution of the column's cells against the baseline's.
///
/// Every lane's increment is a function of the event's cell, `w = ln(q(cell) / p(cell))`, so a
/// lane is a table of increments and the statistics of the increments under the baseline
/// (mean, variance, largest step) are exact sums over the cells. Lanes by kind:
/// - `meanUp` / `meanDown` (numeric): the baseline's normal scores shifted by `±δ` (`parameter`),
///   i.e. `q(cell) = Φ((z_hi ∓ δ)) - Φ((z_lo ∓ δ))` on the cell's normal-score interval. For a
///   normal feature this is a mean shift of `δ` standard deviations; for any other shape the
///   same shift after the probability integral transform. Missing values are neutral (`w = 0`).
/// - `scaleUp` / `scaleDown` (numeric): normal scores scaled by `σ` (`parameter`, 1.5 and 1/1.5).
/// - `missingUp` / `missingDown`: the missing share moves from `p₀` to `parameter`.
/// - `outOfRange` (numeric) / `unseen` (categorical): the share of values outside the training
///   range / in categories unseen in training rises to `parameter`.
/// - `categoryUp` / `categoryDown` (categorical): category `category`'s share among present
///   values moves to `parameter`, the others scaled in proportion.
///
/// Lanes whose baseline share is below `rareShare` watch events too rare to estimate their
/// serial dependence from the stream; they are **declustered** instead: an event in the lane's
/// rare cells right after another one counts as nothing (`w = 0`), so a run of repeated rare
/// values is one piece of evidence.
public struct DetectionLane: Sendable, Equatable {
    /// What the lane's alternative is.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case meanUp = "mean_up"
        case meanDown = "mean_down"
        case scaleUp = "scale_up"
        case scaleDown = "scale_down"
        case missingUp = "missing_up"
        case missingDown = "missing_down"
        case outOfRange = "out_of_range"
        case unseen
        case categoryUp = "category_up"
        case categoryDown = "category_down"
    }

    /// Baseline shares below this are rare: declustered, no dependence estimate.
    public static let rareShare = 0.001

    /// The alternative.
    public let kind: Kind
    /// δ (mean, in normal-score units), σ (scale) or the alternative share.
    public let parameter: Double
    /// Share lanes: the baseline share `p₀`; 0 for mean and scale lanes.
    public let baselineShare: Double
    /// Category lanes: the category's index (bin); -1 otherwise.
    public let category: Int
    /// Category lanes: the category's name; empty otherwise.
    public let categoryName: String
    /// Increment per cell.
    public let increments: [Double]
    /// Share lanes: the cells whose share the lane watches; empty for mean and scale lanes.
    public let targetCells: [Int]
    /// Whether runs of rare cells count once (see type documentation).
    public let declustered: Bool
    /// Mean increment per event under the baseline (< 0: the divergence of the alternative from the baseline).
    public let nullMean: Double
    /// Variance of the increment per event under the baseline.
    public let nullVariance: Double
    /// Excess kurtosis of the increment under the baseline (for the dependence estimate's error).
    public let nullExcessKurtosis: Double
    /// Mean increment per event under the alternative (the divergence the other way).
    public let alternativeMean: Double
    /// Siegmund's overshoot correction, `1.166 · min(sd, largest increment)`.
    public let overshoot: Double
    /// Tilt after the baseline-error margin, in [0.5, 1].
    public let tilt: Double
    /// Standard error of `nullMean` from the baseline's sampling.
    public let baselineError: Double

    /// The lane's name in alerts: the kind, with the category for category lanes
    /// (`category_up:"gold"`).
    public var name: String {
        category >= 0 ? "\(kind.rawValue):\"\(categoryName)\"" : kind.rawValue
    }

    /// Whether an increment in `cell` is evidence for the alternative (the lane's rare cells when declustered).
    /// A mean or scale lane of a numeric column: normal scores shifted by `shift` and scaled by
    /// `scale` (`kind` and `parameter` name which); missing values are neutral.
    static func normalScores(kind: Kind, parameter: Double, shift: Double, scale: Double, cells: DetectionCells)
        -> DetectionLane?
    {
        guard cells.type == .numeric else { return nil }
        let p = cells.presentProbabilities
        var w = [Double](repeating: 0, count: p.count)
        var alternativeMean = 0.0
        for c in 1..<p.count where p[c] > 0 {
            let zLower = SpecialFunctions.normalQuantile(cells.uLower[c])
            let zUpper = SpecialFunctions.normalQuantile(cells.uUpper[c])
            let a = (zLower - shift) / scale
            let b = (zUpper - shift) / scale
            // The smaller of the two tail forms keeps precision far out in either tail.
            let q =
                a > 0
                ? SpecialFunctions.normalSurvival(a) - SpecialFunctions.normalSurvival(b)
                : SpecialFunctions.normalCDF(b) - SpecialFunctions.normalCDF(a)
            let qq = max(q, 1e-300)
            w[c] = Foundation.log(qq / p[c])
            alternativeMean += qq * w[c]
        }
        return DetectionLane(
            kind: kind, parameter: parameter, baselineShare: 0, category: -1, categoryName: "", increments: w,
            targetCells: [], alternativeEventMean: alternativeMean * (1 - cells.missingProbability), cells: cells,
            declustered: false)
    }

    /// A share lane: the share of `targets` among the events outside `neutral` moves from the
    /// baseline's to `share`; the others scale in proportion.
    static func share(
        kind: Kind, share p1: Double, targets: [Int], neutral: [Int] = [], category: Int = -1,
        categoryName: String = "",
        cells: DetectionCells, declustered: Bool = false
    ) -> DetectionLane? {
        let p = cells.eventProbabilities
        let population = p.indices.filter { !neutral.contains($0) }.reduce(0) { $0 + p[$1] }
        let p0 = targets.reduce(0) { $0 + p[$1] } / population
        guard population > 0, p0 > 0, p0 < 1, p1 > 0, p1 < 1, abs(p1 - p0) > 1e-9 else { return nil }
        let a = Foundation.log(p1 / p0)
        let b = Foundation.log((1 - p1) / (1 - p0))
        var w = [Double](repeating: b, count: p.count)
        for c in neutral { w[c] = 0 }
        for c in targets { w[c] = a }
        return DetectionLane(
            kind: kind, parameter: p1, baselineShare: p0, category: category, categoryName: categoryName, increments: w,
            targetCells: targets, alternativeEventMean: population * (p1 * a + (1 - p1) * b), cells: cells,
            declustered: declustered)
    }

    /// A lane from its increments (the missing cell's included).
    init?(
        kind: Kind, parameter: Double, baselineShare: Double, category: Int, categoryName: String,
        increments w: [Double], targetCells: [Int], alternativeEventMean alternative: Double,
        cells: DetectionCells, declustered: Bool
    ) {
        let p = cells.eventProbabilities
        var mean = 0.0
        for c in p.indices { mean += p[c] * w[c] }
        var m2 = 0.0
        var m4 = 0.0
        for c in p.indices {
            let d = w[c] - mean
            m2 += p[c] * d * d
            m4 += p[c] * d * d * d * d
        }
        guard mean < 0, m2 > 0, mean.isFinite, m2.isFinite else { return nil }
        guard alternative > 0, alternative.isFinite else { return nil }
        self.kind = kind
        self.parameter = parameter
        self.baselineShare = baselineShare
        self.category = category
        self.categoryName = categoryName
        self.increments = w
        self.targetCells = targetCells
        self.declustered = declustered
        self.nullMean = mean
        self.nullVariance = m2
        self.nullExcessKurtosis = m4 / (m2 * m2) - 3
        self.alternativeMean = alternative
        let largest = w.max() ?? 0
        self.overshoot = CusumCalibration.overshootFactor * min(m2.squareRoot(), max(largest, 0))
        // Baseline error of the null mean, per event.
        let error: Double
        if kind == .missingUp || kind == .missingDown {
            let share = cells.missingProbability
            error = abs(w[0] - (w.count > 1 ? w[1] : 0)) * (share * (1 - share) / cells.totalRows).squareRoot()
        } else {
            error = cells.standardError(of: w) * (1 - cells.missingProbability)
        }
        self.baselineError = error
        self.tilt = max(0.5, 1 - 2 * error / alternative)
    }

    /// Threshold for an in-control run length `runLength` (events) at design effect `dependence`.
    public func threshold(runLength: Double, dependence: Double) -> Double {
        CusumCalibration.threshold(
            runLength: runLength, overshoot: overshoot, drift: -nullMean, dependence: declustered ? 1 : dependence,
            tilt: tilt)
    }

    /// The lane's estimate of the changed quantity from a run of `events` values whose
    /// increments summed to `statistic`: the shift in sd (mean lanes), the sd ratio (scale
    /// lanes) or the share (share and category lanes). Approximate: read in alerts only.
    public func estimate(statistic: Double, events: Int) -> Double {
        guard events > 0 else { return parameter }
        let average = statistic / Double(events)
        switch kind {
        case .meanUp, .meanDown:
            // w ≈ δ z − δ²/2 for a normal feature.
            return average / parameter + parameter / 2
        case .scaleUp, .scaleDown:
            // w ≈ (1 − 1/σ²) z² / 2 − ln σ; mean z² = σ̂².
            let s = parameter
            let square = (average + Foundation.log(s)) * 2 / (1 - 1 / (s * s))
            return max(square, 0).squareRoot()
        default:
            // Two increments: a (an event in the lane's target cells) and b (any other non-neutral event).
            guard let target = targetCells.first else { return parameter }
            let a = increments[target]
            let b = Foundation.log((1 - parameter) / (1 - baselineShare))
            guard abs(a - b) > 0 else { return parameter }
            return min(1, max(0, (average - b) / (a - b)))
        }
    }
}
