/// A performance rule with `retrain: true` fired: the model's monitor turns it into an
/// `io.driftd.retrain` event unless the model's retrain cooldown (shared with drift-share
/// requests) holds it back (`ModelMonitor.requestRetrain(_:)`).
public struct PerformanceRetrainRequest: Sendable, Equatable {
    /// The metric, its value and interval, the rule's bound.
    public var evidence: PerformanceEvidence
    /// Event-time range of the window's labelled predictions (the data to retrain on).
    public var dataRange: EventWindow
    /// When it was asked, label event time, epoch ms (the cooldown's clock).
    public var atMillis: Int64
    /// A sentence for humans.
    public var reason: String

    /// Creates a request.
    /// - Parameters:
    ///   - evidence: Performance figure.
    ///   - dataRange: Data to retrain on.
    ///   - atMillis: Request time.
    ///   - reason: Sentence.
    public init(evidence: PerformanceEvidence, dataRange: EventWindow, atMillis: Int64, reason: String) {
        self.evidence = evidence
        self.dataRange = dataRange
        self.atMillis = atMillis
        self.reason = reason
    }
}
