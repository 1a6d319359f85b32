/// The verdict users read for one feature, finer than `FeatureEvaluation.Status` where samples
/// are large: a shift can be certain (tiny p-value) and still too small to matter.
///
/// - `drift`: effect size at or above the threshold and significant (or a missing, unseen or
///   out-of-range share that rose significantly past its level); alerts and counts in the
///   dataset's drift share.
/// - `smallShift`: the effect size is below the threshold, but the shift is significant at the
///   strict level `FeatureEvaluator.smallShiftLevel(alpha:)`; reported with its size and counted
///   on its own, never alerting and not part of the drift share.
/// - `noShift`: neither.
/// - `insufficientData`: no verdict (too few values, an empty baseline, unusable input).
public enum FeatureVerdict: String, Sendable, Equatable, Codable, CaseIterable {
    /// Drift.
    case drift
    /// A small but certain shift.
    case smallShift = "small_shift"
    /// No shift worth reporting.
    case noShift = "none"
    /// No verdict.
    case insufficientData = "insufficient_data"

    /// The verdict of a status and the small-shift finding.
    /// - Parameters:
    ///   - status: The decision.
    ///   - smallShift: Whether a non-drifted feature shifted by a small but certain amount.
    public init(status: FeatureEvaluation.Status, smallShift: Bool) {
        switch status {
        case .drifted: self = .drift
        case .insufficientData: self = .insufficientData
        case .ok: self = smallShift ? .smallShift : .noShift
        }
    }
}
