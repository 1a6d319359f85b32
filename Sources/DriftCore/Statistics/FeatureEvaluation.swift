/// The verdict on one feature (or the prediction) for one window: scores, shares, decision, reason.
public struct FeatureEvaluation: Sendable, Equatable {
    /// Outcome of an evaluation.
    public enum Status: String, Sendable, Equatable, Codable {
        /// Enough data, no drift.
        case ok
        /// Drift: effect size at or above threshold and significant, or a missing / unseen /
        /// out-of-range share that rose significantly past its level.
        case drifted
        /// Too few window events (below `AlertRule.minSamples`), an empty baseline, or unusable
        /// input; never counts as drift.
        case insufficientData = "insufficient_data"
    }

    /// Feature name (the profile's name; the prediction profile's name for the prediction).
    public var feature: String
    /// Numeric or categorical.
    public var type: FeatureType
    /// The drift method used, as its raw value (e.g. `jensen_shannon`); see `driftMethod`.
    public var method: String
    /// The method's effect-size score (0 when there was nothing to compare).
    public var score: Double
    /// Threshold the score was compared with.
    public var threshold: Double
    /// The significance p-value behind the decision: the method's own, or the chi-square test of
    /// homogeneity on the same bins for plain distances; `nil` when not computed.
    public var pValue: Double?
    /// Whether the feature drifted in this window (`status == .drifted`).
    public var drifted: Bool { status == .drifted }
    /// The decision.
    public var status: Status
    /// Window events considered (present plus missing).
    public var sampleSize: Double
    /// Share of window events where the feature was missing.
    public var missingShare: Double
    /// Share of baseline rows where the feature was missing.
    public var baselineMissingShare: Double
    /// Two-proportion z-test p-value of the missing share, window against baseline.
    public var missingPValue: Double
    /// Categorical: share of present window values in the "other" bin (categories unseen in training); 0 for numeric.
    public var unseenShare: Double
    /// Numeric: share of present window values in the open outer bins (outside the training range); 0 for categorical.
    public var outOfRangeShare: Double
    /// Human-readable explanation naming what drifted (or why there is no verdict); formatted
    /// when read (see `explanation`).
    public var reason: String {
        get { explanation.description }
        set { explanation = EvaluationExplanation(newValue) }
    }
    /// The explanation behind `reason`, kept unformatted until read.
    public var explanation: EvaluationExplanation
    /// A small but certain shift: no drift (`status == .ok`), the method's score below its
    /// threshold, and its significance p-value below the strict level
    /// `FeatureEvaluator.smallShiftLevel(alpha:)`. Reported and counted, never alerting.
    public var smallShift = false

    /// The verdict users read: drift, small shift, none, or insufficient data.
    public var verdict: FeatureVerdict { FeatureVerdict(status: status, smallShift: smallShift) }

    /// Creates an evaluation.
    public init(
        feature: String, type: FeatureType, method: String, score: Double, threshold: Double, pValue: Double?,
        status: Status, sampleSize: Double, missingShare: Double, baselineMissingShare: Double,
        missingPValue: Double, unseenShare: Double, outOfRangeShare: Double, reason: String
    ) {
        self.feature = feature
        self.type = type
        self.method = method
        self.score = score
        self.threshold = threshold
        self.pValue = pValue
        self.status = status
        self.sampleSize = sampleSize
        self.missingShare = missingShare
        self.baselineMissingShare = baselineMissingShare
        self.missingPValue = missingPValue
        self.unseenShare = unseenShare
        self.outOfRangeShare = outOfRangeShare
        self.explanation = EvaluationExplanation(reason)
    }

    /// The kinds of change a drifted evaluation found, as the alert series names them
    /// (`AlertStateMachine`): `distribution` (the method's score and significance),
    /// `missing_up` / `missing_down`, `out_of_range` (numeric) or `unseen` (categorical).
    public var findingKinds: [String] {
        guard case .verdict(let v) = explanation.content else { return [AlertStateMachine.distributionKind] }
        var kinds: [String] = []
        if v.method?.drifted == true { kinds.append(AlertStateMachine.distributionKind) }
        if let change = v.missingChange {
            kinds.append(
                change.to > change.from
                    ? DetectionLane.Kind.missingUp.rawValue : DetectionLane.Kind.missingDown.rawValue)
        }
        if v.newValueRise != nil {
            kinds.append(
                type == .categorical ? DetectionLane.Kind.unseen.rawValue : DetectionLane.Kind.outOfRange.rawValue)
        }
        return kinds.isEmpty ? [AlertStateMachine.distributionKind] : kinds
    }

    /// `method` as a `DriftMethod` (always non-nil for evaluations made by `FeatureEvaluator`).
    public var driftMethod: DriftMethod? { DriftMethod(rawValue: method) }
}
