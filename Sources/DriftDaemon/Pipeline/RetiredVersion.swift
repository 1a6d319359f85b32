/// A model version retired for idleness (`versions.retire_after`): its windows, alerts and
/// held predictions were dropped; the daemon unregisters its metric series and logs it.
public struct RetiredVersion: Sendable, Equatable {
    /// The model version.
    public var modelVersion: ModelVersion
    /// Its baseline id (its checkpoint key).
    public var baselineID: String
    /// Event time of its last event, epoch ms.
    public var lastEventMillis: Int64
    /// The event time at which it was retired (latest event time seen, or estimated), epoch ms.
    public var retiredAtMillis: Int64

    /// Creates a record.
    public init(modelVersion: ModelVersion, baselineID: String, lastEventMillis: Int64, retiredAtMillis: Int64) {
        self.modelVersion = modelVersion
        self.baselineID = baselineID
        self.lastEventMillis = lastEventMillis
        self.retiredAtMillis = retiredAtMillis
    }
}
