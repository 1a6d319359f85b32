/// The `data` of an `io.driftd.rollback` or `io.driftd.promote` CloudEvent: a canary
/// comparison decided (docs/published-events.md; schemas docs/schemas/rollback-event.schema.json
/// and promote-event.schema.json).
public struct CanaryPayload: Sendable, Codable, Equatable {
    /// One compared quantity at the decision.
    public struct Comparison: Sendable, Codable, Equatable {
        /// `prediction`, `prediction[<category>]`, `feature:<name>`, `feature:<name>[<category>]` or `latency`.
        public var quantity: String
        /// The metric of the rule it belongs to.
        public var metric: CanaryMetric
        /// The incumbent's value (latency: geometric mean, ms).
        public var incumbentValue: Double
        /// The candidate's value.
        public var candidateValue: Double
        /// Candidate minus incumbent (latency: candidate over incumbent, a ratio).
        public var difference: Double
        /// Lower end of the always-valid interval of `difference`.
        public var lower: Double
        /// Upper end.
        public var upper: Double
        /// The margin (latency: a ratio).
        public var margin: Double
        /// `two_sided` (worse either way) or `higher_is_worse`.
        public var direction: String
        /// The interval lies beyond the margin on the worse side.
        public var worse: Bool
        /// Values of the incumbent that entered (events with the field present).
        public var incumbentEvents: Int
        /// Values of the candidate that entered.
        public var candidateEvents: Int

        enum CodingKeys: String, CodingKey {
            case quantity, metric, difference, lower, upper, margin, direction, worse
            case incumbentValue = "incumbent_value"
            case candidateValue = "candidate_value"
            case incumbentEvents = "incumbent_events"
            case candidateEvents = "candidate_events"
        }
    }

    /// Events seen per version.
    public struct Events: Sendable, Codable, Equatable {
        /// Incumbent events compared.
        public var incumbent: Int
        /// Candidate events compared.
        public var candidate: Int
    }

    /// A latency percentile of both versions (from their sketches), for people.
    public struct Percentile: Sendable, Codable, Equatable {
        /// Incumbent, ms.
        public var incumbent: Double
        /// Candidate, ms.
        public var candidate: Double
    }

    /// Model name.
    public var model: String
    /// The version in production.
    public var incumbent: String
    /// The version under test.
    public var candidate: String
    /// `rollback` or `promote`.
    public var decision: String
    /// Rollback: the quantity furthest beyond its margin (as in `comparisons`); promote: nil.
    public var metric: String?
    /// Rollback: every quantity beyond its margin, worst first; promote: empty.
    public var worse: [String]
    /// Rollback: the deciding quantity's incumbent value; promote: nil.
    public var incumbentValue: Double?
    /// Rollback: the deciding quantity's candidate value.
    public var candidateValue: Double?
    /// Rollback: the deciding quantity's interval `[lower, upper]`.
    public var interval: [Double]?
    /// Every compared quantity.
    public var comparisons: [Comparison]
    /// Events compared per version.
    public var events: Events
    /// The event-time range compared (both versions, same range).
    public var window: EventWindow
    /// p99 latency of both versions over the range, when latency is compared and seen.
    public var latencyP99: Percentile?
    /// Error level of the whole comparison.
    public var alpha: Double
    /// Always `msprt_normal_mixture` (docs/statistics.md).
    public var method: String
    /// Stable identifier of the comparison (model, incumbent, candidate).
    public var fingerprint: String
    /// A sentence for humans.
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case model, incumbent, candidate, decision, metric, worse, interval, comparisons, events, window, alpha, method
        case fingerprint, reason
        case incumbentValue = "incumbent_value"
        case candidateValue = "candidate_value"
        case latencyP99 = "latency_p99_ms"
    }

    /// The CloudEvent type of the decision.
    public var eventType: String { decision == "rollback" ? DriftEventType.rollback : DriftEventType.promote }
}
