/// A CloudEvents 1.0 envelope in structured JSON mode.
public struct CloudEvent<Payload: Codable & Sendable & Equatable>: Sendable, Codable, Equatable {
    /// Always "1.0".
    public var specversion: String = "1.0"
    /// Unique per event; deterministic, so a re-published event keeps its id.
    public var id: String
    /// The emitting daemon, e.g. `driftd/<hostname>`.
    public var source: String
    /// `io.driftd.alert` or `io.driftd.retrain`.
    public var type: String
    /// `<model>/<feature>` for alerts, `<model>` for retrain events.
    public var subject: String
    /// Emission time, RFC 3339.
    public var time: String
    /// Always "application/json".
    public var datacontenttype: String = "application/json"
    /// The payload.
    public var data: Payload

    public init(id: String, source: String, type: String, subject: String, time: String, data: Payload) {
        self.id = id
        self.source = source
        self.type = type
        self.subject = subject
        self.time = time
        self.data = data
    }
}

/// CloudEvent `type` values published by driftd.
public enum DriftEventType {
    /// Alert events (firing and resolved).
    public static let alert = "io.driftd.alert"
    /// Retrain requests.
    public static let retrain = "io.driftd.retrain"
    /// Canary decision: roll the candidate version back.
    public static let rollback = "io.driftd.rollback"
    /// Canary decision: promote the candidate version.
    public static let promote = "io.driftd.promote"
}
