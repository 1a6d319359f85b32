/// A performance rule with `retrain: true` fired: the model's monitor turns it into an
/// `io.driftd.retrain` event unless the model's retrain cooldown (shared with drift-share
/// requests) holds it back (`ModelMonitor.requestRetrain(_:)`).
public struct PerformanceRetrainRequest: Sendable, Equatable {
    /// The metric, its value and interval, the rule's bound.
    public var evidence: PerformanceEvidence
    /// Event-time range of the window's labelled predictions (the data to retrain on).
    public var dataRange: EventWindow
    /// When it was asked, in label event time (the cooldown's clock).
    public var at: EventTime
    /// A sentence for humans.
    public var reason: String

    /// Creates a request.
    /// - Parameters:
    ///   - evidence: Performance figure.
    ///   - dataRange: Data to retrain on.
    ///   - at: Request time.
    ///   - reason: Sentence.
    public init(evidence: PerformanceEvidence, dataRange: EventWindow, at: EventTime, reason: String) {
        self.evidence = evidence
        self.dataRange = dataRange
        self.at = at
        self.reason = reason
    }
}
