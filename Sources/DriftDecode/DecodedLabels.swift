/// Everything decoded from one batch of label messages.
public struct DecodedLabels: Sendable {
    /// Accepted label events, in message order.
    public var labels: [LabelEvent]
    /// Messages that produced no label, in message order.
    public var rejects: [DecodeReject]

    /// Creates a decoded label batch.
    /// - Parameters:
    ///   - labels: Accepted labels.
    ///   - rejects: Rejected messages.
    public init(labels: [LabelEvent], rejects: [DecodeReject]) {
        self.labels = labels
        self.rejects = rejects
    }
}
