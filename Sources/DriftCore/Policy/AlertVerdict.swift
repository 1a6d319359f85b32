/// What one evaluation says about a feature, as the alert state machine sees it.
public enum AlertVerdict: String, Sendable, Codable, Equatable {
    /// At or above the firing threshold, and significant.
    case drifted
    /// Not drifted, but still at or above the resolve threshold (the hysteresis band).
    case hold
    /// Below the resolve threshold, or not significant.
    case clear
    /// Too few events for a verdict: the state machine does not move.
    case noData
}
