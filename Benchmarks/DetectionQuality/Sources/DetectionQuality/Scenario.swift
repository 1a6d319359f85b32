/// A synthetic change: which feature moves, how, and how River's detectors see that feature.
enum Scenario: String, CaseIterable, Codable, Sendable {
    case meanShiftQuarter = "mean_shift_0.25sd"
    case meanShiftHalf = "mean_shift_0.5sd"
    case meanShiftOne = "mean_shift_1sd"
    case gradualDrift = "gradual_drift_1sd"
    case varianceChange = "variance_x1.5"
    case categoryShares = "category_shares"
    case binaryShare = "binary_share"
    case missingValues = "missing_values"
    case newCategory = "new_category"

    /// Length of the gradual drift's linear ramp, events.
    static let rampEvents = 10_000

    /// One line for the table.
    var title: String {
        switch self {
        case .meanShiftQuarter: return "mean shift 0.25 sd (x: N(0,1) → N(0.25,1))"
        case .meanShiftHalf: return "mean shift 0.5 sd"
        case .meanShiftOne: return "mean shift 1 sd"
        case .gradualDrift: return "gradual drift: mean 0 → 1 sd, linear over 10,000 events"
        case .varianceChange: return "variance change: sd 1 → 1.5, mean unchanged"
        case .categoryShares: return "category shares a/b/c/d 40/30/20/10 → 30/30/20/20 %"
        case .binaryShare: return "binary share yes 20 % → 30 %"
        case .missingValues: return "missing values appear: 0 → 20 % of x"
        case .newCategory: return "new category: unseen label e at 10 %"
        }
    }

    /// The feature that changes (the others stay stationary).
    var driftingFeature: Int {
        switch self {
        case .meanShiftQuarter, .meanShiftHalf, .meanShiftOne, .gradualDrift, .varianceChange, .missingValues:
            return SyntheticModel.x
        case .categoryShares, .newCategory: return SyntheticModel.c
        case .binaryShare: return SyntheticModel.f
        }
    }

    /// The distributions `eventsSinceChange` events after the change (0 = the first changed event).
    func distributions(eventsSinceChange k: Int) -> FeatureDistributions {
        var d = FeatureDistributions.stationary
        switch self {
        case .meanShiftQuarter: d.xMean = 0.25
        case .meanShiftHalf: d.xMean = 0.5
        case .meanShiftOne: d.xMean = 1
        case .gradualDrift: d.xMean = min(1, Double(k + 1) / Double(Self.rampEvents))
        case .varianceChange: d.xStd = 1.5
        case .categoryShares: d.categoryShares = [0.3, 0.3, 0.2, 0.2, 0]
        case .binaryShare: d.yesShare = 0.3
        case .missingValues: d.xMissingShare = 0.2
        case .newCategory: d.categoryShares = [0.36, 0.27, 0.18, 0.09, 0.1]
        }
        return d
    }

    /// River's input for the drifting feature: raw values for numeric changes; for
    /// categorical changes the indicator of the label whose share moves most (River's
    /// detectors take one number per event); for missing values the missing indicator.
    func riverInput(_ model: SyntheticModel) -> RiverInput {
        switch self {
        case .meanShiftQuarter, .meanShiftHalf, .meanShiftOne, .gradualDrift, .varianceChange:
            return RiverInput(kind: .raw, note: "x")
        case .categoryShares:
            return RiverInput(
                kind: .indicator, bin: Int(model.categoryBins[3]), note: "indicator of c == \"d\" (10 % → 20 %)")
        case .newCategory:
            return RiverInput(
                kind: .indicator, bin: Int(model.categoryBins[4]), note: "indicator of an unseen label of c (0 → 10 %)")
        case .binaryShare:
            return RiverInput(kind: .indicator, bin: Int(model.binaryBins[1]), note: "indicator of f == \"yes\"")
        case .missingValues:
            return RiverInput(kind: .missing, note: "indicator of x missing")
        }
    }

    /// River's input for each feature of a stationary stream (false-alarm counts), in feature order.
    static func stationaryRiverInputs(_ model: SyntheticModel) -> [RiverInput] {
        [
            RiverInput(kind: .raw, note: "x, N(0,1)"),
            RiverInput(kind: .raw, note: "y, Exp(1)"),
            RiverInput(kind: .indicator, bin: Int(model.categoryBins[3]), note: "indicator of c == \"d\""),
            RiverInput(kind: .indicator, bin: Int(model.binaryBins[1]), note: "indicator of f == \"yes\"")
        ]
    }
}
