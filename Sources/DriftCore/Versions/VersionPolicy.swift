/// How the daemon treats several versions of a model (`versions:` in the configuration):
/// events of versions without a baseline, idle versions, and canary comparisons.
public struct VersionPolicy: Sendable, Equatable {
    /// Events of a version without a baseline.
    public var unknownVersion: UnknownVersionRule
    /// A configured version that received no event for this long (event time) is retired: its
    /// windows, alerts and metric series are dropped, and it starts empty if events come back.
    /// `nil`: never.
    public var retireAfter: Duration?
    /// Canary comparisons, one per model at most.
    public var canaries: [CanaryRule]

    /// Creates a policy.
    /// - Parameters:
    ///   - unknownVersion: Rule for events of versions without a baseline (default `latest`).
    ///   - retireAfter: Idle time after which a version is retired; nil never retires.
    ///   - canaries: Canary comparisons.
    public init(
        unknownVersion: UnknownVersionRule = .latest, retireAfter: Duration? = nil, canaries: [CanaryRule] = []
    ) {
        self.unknownVersion = unknownVersion
        self.retireAfter = retireAfter
        self.canaries = canaries
    }
}
