/// The performance figure behind a performance alert or a performance retrain request.
///
/// In `io.driftd.alert` data (target `performance`) and `io.driftd.retrain` data (trigger
/// `performance`) as `performance`; documented in docs/published-events.md.
public struct PerformanceEvidence: Sendable, Codable, Equatable {
    /// The interval around the value.
    public struct Interval: Sendable, Codable, Equatable {
        /// Lower end.
        public var lower: Double
        /// Upper end.
        public var upper: Double
        /// Two-sided confidence, `1 - 2 alpha`.
        public var confidence: Double
        /// `clopper_pearson` or `batch_means_t`.
        public var method: String

        /// Creates an interval.
        /// - Parameters:
        ///   - lower: Lower end.
        ///   - upper: Upper end.
        ///   - confidence: Confidence.
        ///   - method: Method name.
        public init(lower: Double, upper: Double, confidence: Double, method: String) {
            self.lower = lower
            self.upper = upper
            self.confidence = confidence
            self.method = method
        }
    }

    /// Metric name (`PerformanceMetric`).
    public var metric: String
    /// `below` (a floor) or `above` (a ceiling).
    public var bound: String
    /// The rule's bound.
    public var threshold: Double
    /// The window's value.
    public var value: Double
    /// The value's interval, when one could be formed.
    public var interval: Interval?
    /// One-sided p-value of "the metric is on the good side of the bound".
    public var pValue: Double?
    /// Scored labels in the window.
    public var windowEvents: Int
    /// `binary`, `multiclass` or `regression`.
    public var task: String

    /// Creates evidence.
    /// - Parameters:
    ///   - metric: Metric.
    ///   - bound: Bound side.
    ///   - threshold: Bound.
    ///   - value: Value.
    ///   - interval: Interval.
    ///   - pValue: p-value.
    ///   - windowEvents: Window size.
    ///   - task: Task.
    public init(
        metric: String, bound: String, threshold: Double, value: Double, interval: Interval?, pValue: Double?,
        windowEvents: Int, task: String
    ) {
        self.metric = metric
        self.bound = bound
        self.threshold = threshold
        self.value = value
        self.interval = interval
        self.pValue = pValue
        self.windowEvents = windowEvents
        self.task = task
    }

    /// The evidence of a rule outcome with a value.
    /// - Parameters:
    ///   - outcome: The rule's outcome.
    ///   - windowEvents: Scored labels in the window.
    ///   - task: The task.
    public init?(_ outcome: PerformanceRuleOutcome, windowEvents: Int, task: PerformanceTask) {
        guard let value = outcome.value else { return nil }
        self.init(
            metric: outcome.rule.metric.rawValue, bound: outcome.rule.bound.rawValue, threshold: outcome.rule.threshold,
            value: value,
            interval: outcome.interval.map {
                Interval(lower: $0.lower, upper: $0.upper, confidence: $0.confidence, method: $0.method.rawValue)
            },
            pValue: outcome.pValue, windowEvents: windowEvents, task: task.rawValue)
    }

    enum CodingKeys: String, CodingKey {
        case metric, bound, threshold, value, interval, task
        case pValue = "p_value"
        case windowEvents = "window_events"
    }

    /// Encodes every key, `interval` and `p_value` as explicit nulls when absent.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(metric, forKey: .metric)
        try c.encode(bound, forKey: .bound)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(value, forKey: .value)
        try c.encode(interval, forKey: .interval)
        try c.encode(pValue, forKey: .pValue)
        try c.encode(windowEvents, forKey: .windowEvents)
        try c.encode(task, forKey: .task)
    }
}
