import DriftCore

/// A model version retired for idleness (`versions.retire_after`): its windows, alerts and
/// held predictions were dropped; the daemon unregisters its metric series and logs it.
public struct RetiredVersion: Sendable, Equatable {
    /// The model version.
    public var modelVersion: ModelVersion
    /// Its baseline id (its checkpoint key).
    public var baselineID: String
    /// Event time of its last event.
    public var lastEvent: EventTime
    /// The event time at which it was retired (latest event time seen, or estimated).
    public var retiredAt: EventTime

    /// Creates a record.
    public init(modelVersion: ModelVersion, baselineID: String, lastEvent: EventTime, retiredAt: EventTime) {
        self.modelVersion = modelVersion
        self.baselineID = baselineID
        self.lastEvent = lastEvent
        self.retiredAt = retiredAt
    }
}
