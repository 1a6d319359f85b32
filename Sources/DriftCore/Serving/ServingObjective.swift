/// A latency or cost objective of a (model, version), e.g. `latency: { p99_below: 200ms }`.
///
/// The objective is violated when the window's value is at or above `threshold`; a firing alert
/// resolves once the value stays below `resolveThreshold` (hysteresis). `forEvaluations`,
/// `cooldownMillis`, `minSamples` and `severity` of `rule` act as for drift alerts
/// (`AlertStateMachine`); `minSamples` counts latencies for latency objectives and events for
/// cost objectives.
public struct ServingObjective: Sendable, Codable, Equatable {
    /// What is bounded.
    public enum Kind: Sendable, Codable, Equatable, Hashable {
        /// A latency percentile, milliseconds.
        case latency(LatencyStatistic)
        /// Cost per hour, in the model's cost unit.
        case costPerHour
        /// Cost per 1,000 predictions, in the model's cost unit.
        case costPer1000

        /// Name used in configuration, alerts (`method`) and metrics: `p99`, `cost_per_hour`, `cost_per_1000`.
        public var name: String {
            switch self {
            case .latency(let s): return s.rawValue
            case .costPerHour: return "cost_per_hour"
            case .costPer1000: return "cost_per_1000"
            }
        }

        /// Alert target: `latency` or `cost`.
        public var target: String {
            if case .latency = self { return "latency" }
            return "cost"
        }
    }

    /// What is bounded.
    public var kind: Kind
    /// Value at or above which the objective is violated.
    public var threshold: Double
    /// Value below which a firing alert may resolve; `nil` means `threshold` (no band).
    public var resolveThreshold: Double?
    /// Consecutive evaluations, cooldown, minimum samples and severity.
    public var rule: AlertRule

    /// Creates an objective.
    public init(kind: Kind, threshold: Double, resolveThreshold: Double? = nil, rule: AlertRule = AlertRule()) {
        self.kind = kind
        self.threshold = threshold
        self.resolveThreshold = resolveThreshold
        self.rule = rule
    }

    /// The resolve threshold in effect.
    public var effectiveResolve: Double { resolveThreshold ?? threshold }

    /// The verdict for a window value seen over `samples` latencies or events.
    public func verdict(value: Double?, samples: Int) -> AlertVerdict {
        guard let value, samples >= rule.minSamples else { return .noData }
        if value >= threshold { return .drifted }
        if value >= effectiveResolve { return .hold }
        return .clear
    }
}
