/// A canary (or A/B) comparison of two live versions of one model (`versions.canaries[]`).
///
/// The candidate's events are compared with the incumbent's events of the same event-time range,
/// pane by pane, with an always-valid test (`ConfidenceSequence`): `io.driftd.rollback` when a
/// metric is worse beyond its margin, `io.driftd.promote` when, after `minEvents` events of each
/// version, no metric can be worse beyond its margin.
public struct CanaryRule: Sendable, Codable, Equatable {
    /// Model name.
    public var model: String
    /// The version in production.
    public var incumbent: String
    /// The version under test.
    public var candidate: String
    /// Metrics compared, each with its margin (see `CanaryMetric` for units).
    public var margins: [CanaryMetric: Double]
    /// Error level of the whole comparison: the chance, on equal versions, that a rollback is
    /// ever published (split evenly among the compared quantities).
    public var alpha: Double
    /// Events each version needs before a promotion.
    public var minEvents: Int
    /// Pane length in event time (whole milliseconds count): statistics are taken at each pane end.
    public var step: Duration

    /// Events each version needs before any decision (the variance estimates settle first).
    public static let warmupEvents = 100

    /// Creates a rule.
    /// - Parameters:
    ///   - model: Model name.
    ///   - incumbent: The version in production.
    ///   - candidate: The version under test.
    ///   - margins: Metrics compared and their margins (> 0).
    ///   - alpha: Error level (default 0.05).
    ///   - minEvents: Events per version before a promotion (default 1,000).
    ///   - step: Pane length (default one minute).
    public init(
        model: String, incumbent: String, candidate: String, margins: [CanaryMetric: Double], alpha: Double = 0.05,
        minEvents: Int = 1000, step: Duration = .seconds(60)
    ) {
        self.model = model
        self.incumbent = incumbent
        self.candidate = candidate
        self.margins = margins
        self.alpha = alpha
        self.minEvents = minEvents
        self.step = step
    }

    /// `step` in milliseconds, at least 1 (the pane arithmetic).
    var stepMillis: Int64 { max(1, step.wholeMilliseconds) }

    enum CodingKeys: String, CodingKey {
        case model, incumbent, candidate, margins, alpha, minEvents
        case step = "stepMillis"
    }

    /// Decodes a rule; `stepMillis` is integer milliseconds.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            model: try c.decode(String.self, forKey: .model), incumbent: try c.decode(String.self, forKey: .incumbent),
            candidate: try c.decode(String.self, forKey: .candidate),
            margins: try c.decode([CanaryMetric: Double].self, forKey: .margins),
            alpha: try c.decode(Double.self, forKey: .alpha), minEvents: try c.decode(Int.self, forKey: .minEvents),
            step: .milliseconds(try c.decode(Int64.self, forKey: .step)))
    }

    /// Encodes a rule; the step as integer milliseconds under `stepMillis`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(incumbent, forKey: .incumbent)
        try c.encode(candidate, forKey: .candidate)
        try c.encode(margins, forKey: .margins)
        try c.encode(alpha, forKey: .alpha)
        try c.encode(minEvents, forKey: .minEvents)
        try c.encode(step.wholeMilliseconds, forKey: .step)
    }
}
