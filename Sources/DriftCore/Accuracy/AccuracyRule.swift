/// How a model's accuracy on delayed ground-truth labels is tracked and when it alerts.
///
/// Accuracy is measured over a count window of the last `windowEvents` labelled predictions,
/// sliding one pane (`windowEvents / panes` labels) at a time. An alert fires when the window's
/// accuracy is below `minAccuracy` **and** a one-sided exact binomial test rejects
/// "true accuracy >= minAccuracy" at level `alpha`, for `forEvaluations` consecutive
/// evaluations; it resolves after `forEvaluations` consecutive evaluations at or above
/// `resolveAccuracy` (hysteresis). See docs/accuracy.md.
public struct AccuracyRule: Sendable, Equatable, Codable {
    /// Default `windowEvents`.
    public static let defaultWindowEvents = 1_000
    /// Default `panes`.
    public static let defaultPanes = 10
    /// Default `minSamples`.
    public static let defaultMinSamples = 100
    /// Default `alpha`.
    public static let defaultAlpha = 0.01
    /// Default `positiveThreshold`.
    public static let defaultPositiveThreshold = 0.5
    /// Default `labelTTL`: 24 hours of event time.
    public static let defaultLabelTTL: Duration = .seconds(86_400)
    /// Default `maxPending`.
    public static let defaultMaxPending = 100_000

    /// Whether predictions are stored and labels joined for this model.
    public var enabled: Bool
    /// Labelled predictions in the window.
    public var windowEvents: Int
    /// Panes the window is cut into; it slides one pane at a time.
    public var panes: Int
    /// Labelled predictions in the window before any verdict is given.
    public var minSamples: Int
    /// Accuracy below which the model alerts; `nil` tracks accuracy without alerting.
    public var minAccuracy: Double?
    /// Accuracy at or above which a firing alert may resolve; `nil` uses
    /// `1 - 0.8 x (1 - minAccuracy)` (the error rate back to 0.8 x the allowed error rate).
    public var resolveAccuracy: Double?
    /// Significance level of the one-sided binomial test.
    public var alpha: Double
    /// Numeric predictions: class "1" at or above this value, class "0" below.
    public var positiveThreshold: Double
    /// How long, in event time of the inference stream, a prediction waits for its label.
    public var labelTTL: Duration
    /// Predictions held per model at most (oldest evicted first).
    public var maxPending: Int
    /// Consecutive evaluations needed to fire, and to resolve.
    public var forEvaluations: Int
    /// Minimum event time between a resolve and the next firing.
    public var cooldown: Duration
    /// Severity carried by accuracy alerts.
    public var severity: Severity
    /// What the model is scored as; nil infers it from the baseline's prediction profile
    /// (`PerformanceTask.inferred(from:)`).
    public var task: PerformanceTask?
    /// Floors and ceilings on performance metrics (`performance.rules`), besides `minAccuracy`.
    public var rules: [PerformanceRule] = []
    /// Equal-width score bins of the expected calibration error.
    public var calibrationBins: Int = PerformanceMetrics.defaultCalibrationBins

    /// Creates a rule; every parameter has the documented default.
    /// - Parameters:
    ///   - enabled: Track accuracy (default false).
    ///   - windowEvents: Labelled predictions per window (default 1,000).
    ///   - panes: Panes per window (default 10).
    ///   - minSamples: Labelled predictions needed for a verdict (default 100).
    ///   - minAccuracy: Alerting floor, or nil for no alerts (default nil).
    ///   - resolveAccuracy: Resolve level, or nil for the derived default.
    ///   - alpha: Significance level (default 0.01).
    ///   - positiveThreshold: Class boundary of numeric predictions (default 0.5).
    ///   - labelTTL: Label wait, in event time (default 24 h).
    ///   - maxPending: Store capacity (default 100,000).
    ///   - forEvaluations: Evaluations to fire and to resolve (default 2).
    ///   - cooldown: Quiet time after a resolve (default 10 min).
    ///   - severity: Alert severity (default warning).
    ///   - task: Task, or nil to infer it from the baseline (default nil).
    ///   - rules: Metric floors and ceilings (default none).
    ///   - calibrationBins: ECE bins (default 10).
    public init(
        enabled: Bool = false, windowEvents: Int = AccuracyRule.defaultWindowEvents,
        panes: Int = AccuracyRule.defaultPanes,
        minSamples: Int = AccuracyRule.defaultMinSamples, minAccuracy: Double? = nil, resolveAccuracy: Double? = nil,
        alpha: Double = AccuracyRule.defaultAlpha, positiveThreshold: Double = AccuracyRule.defaultPositiveThreshold,
        labelTTL: Duration = AccuracyRule.defaultLabelTTL, maxPending: Int = AccuracyRule.defaultMaxPending,
        forEvaluations: Int = 2, cooldown: Duration = .seconds(600), severity: Severity = .warning,
        task: PerformanceTask? = nil, rules: [PerformanceRule] = [],
        calibrationBins: Int = PerformanceMetrics.defaultCalibrationBins
    ) {
        self.task = task
        self.rules = rules
        self.calibrationBins = calibrationBins
        self.enabled = enabled
        self.windowEvents = windowEvents
        self.panes = panes
        self.minSamples = minSamples
        self.minAccuracy = minAccuracy
        self.resolveAccuracy = resolveAccuracy
        self.alpha = alpha
        self.positiveThreshold = positiveThreshold
        self.labelTTL = labelTTL
        self.maxPending = maxPending
        self.forEvaluations = forEvaluations
        self.cooldown = cooldown
        self.severity = severity
    }

    /// The resolve level in force: `resolveAccuracy`, else `1 - 0.8 x (1 - minAccuracy)`;
    /// `nil` when the rule does not alert.
    public var effectiveResolveAccuracy: Double? {
        guard let minAccuracy else { return nil }
        return resolveAccuracy ?? (1 - 0.8 * (1 - minAccuracy))
    }

    /// The rule the legacy `minAccuracy` setting stands for (`accuracy below minAccuracy`,
    /// resolving at `effectiveResolveAccuracy`); its alerts keep target `accuracy`.
    public var accuracyFloor: PerformanceRule? {
        minAccuracy.map {
            PerformanceRule(metric: .accuracy, bound: .below, threshold: $0, resolve: effectiveResolveAccuracy)
        }
    }

    /// The alert state machine's view of a performance rule (its own severity when set).
    /// - Parameter performanceRule: The rule.
    /// - Returns: Consecutive evaluations, cooldown and severity.
    public func alertRule(for performanceRule: PerformanceRule) -> AlertRule {
        AlertRule(
            alpha: alpha, forEvaluations: forEvaluations, cooldown: cooldown,
            minSamples: minSamples, severity: performanceRule.severity ?? severity)
    }

    /// Labelled predictions per pane.
    public var paneEvents: Int { max(1, windowEvents / max(1, panes)) }

    /// The alert state machine's view of this rule (consecutive evaluations, cooldown, severity).
    public var alertRule: AlertRule {
        AlertRule(
            alpha: alpha, forEvaluations: forEvaluations, cooldown: cooldown,
            minSamples: minSamples, severity: severity)
    }

    /// Every violated invariant, empty when the rule is usable (the configuration loader
    /// reports the same problems with file and line).
    public func validationErrors() -> [AccuracyError] {
        var errors: [AccuracyError] = []
        func fail(_ message: String) { errors.append(AccuracyError(.invalidRule, message)) }
        if windowEvents < 1 { fail("window \(windowEvents) must be at least 1") }
        if panes < 1 { fail("panes \(panes) must be at least 1") }
        if windowEvents >= 1, panes >= 1, windowEvents % panes != 0 {
            fail("window \(windowEvents) is not a multiple of panes \(panes)")
        }
        if minSamples < 1 || minSamples > windowEvents {
            fail("min_samples \(minSamples) must be in 1...\(windowEvents)")
        }
        if let minAccuracy, !(minAccuracy > 0 && minAccuracy < 1) {
            fail("min_accuracy \(minAccuracy) must be in (0, 1)")
        }
        if let resolveAccuracy {
            if !(resolveAccuracy > 0 && resolveAccuracy <= 1) {
                fail("resolve_accuracy \(resolveAccuracy) must be in (0, 1]")
            }
            if let minAccuracy, resolveAccuracy < minAccuracy {
                fail("resolve_accuracy \(resolveAccuracy) is below min_accuracy \(minAccuracy)")
            }
        }
        if !(alpha > 0 && alpha < 1) { fail("alpha \(alpha) must be in (0, 1)") }
        if !positiveThreshold.isFinite { fail("positive_threshold must be a finite number") }
        if labelTTL.wholeMilliseconds < 1 { fail("label_ttl \(labelTTL.wholeMilliseconds) ms must be positive") }
        if maxPending < 1 { fail("max_pending \(maxPending) must be at least 1") }
        if forEvaluations < 1 { fail("for \(forEvaluations) must be at least 1") }
        if cooldown < .zero { fail("cooldown \(cooldown.wholeMilliseconds) ms must not be negative") }
        if calibrationBins < 1 { fail("calibration_bins \(calibrationBins) must be at least 1") }
        return errors
    }

    // MARK: - Coding (spans as integer milliseconds under their earlier keys)

    enum CodingKeys: String, CodingKey {
        case enabled, windowEvents, panes, minSamples, minAccuracy, resolveAccuracy, alpha, positiveThreshold
        case maxPending, forEvaluations, severity, task, rules, calibrationBins
        case labelTTL = "labelTTLMillis"
        case cooldown = "cooldownMillis"
    }

    /// Decodes a rule; `labelTTLMillis` and `cooldownMillis` are integer milliseconds.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            enabled: try c.decode(Bool.self, forKey: .enabled),
            windowEvents: try c.decode(Int.self, forKey: .windowEvents),
            panes: try c.decode(Int.self, forKey: .panes), minSamples: try c.decode(Int.self, forKey: .minSamples),
            minAccuracy: try c.decodeIfPresent(Double.self, forKey: .minAccuracy),
            resolveAccuracy: try c.decodeIfPresent(Double.self, forKey: .resolveAccuracy),
            alpha: try c.decode(Double.self, forKey: .alpha),
            positiveThreshold: try c.decode(Double.self, forKey: .positiveThreshold),
            labelTTL: .milliseconds(try c.decode(Int64.self, forKey: .labelTTL)),
            maxPending: try c.decode(Int.self, forKey: .maxPending),
            forEvaluations: try c.decode(Int.self, forKey: .forEvaluations),
            cooldown: .milliseconds(try c.decode(Int64.self, forKey: .cooldown)),
            severity: try c.decode(Severity.self, forKey: .severity),
            task: try c.decodeIfPresent(PerformanceTask.self, forKey: .task),
            rules: try c.decode([PerformanceRule].self, forKey: .rules),
            calibrationBins: try c.decode(Int.self, forKey: .calibrationBins))
    }

    /// Encodes a rule; `labelTTL` and `cooldown` as integer milliseconds.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(enabled, forKey: .enabled)
        try c.encode(windowEvents, forKey: .windowEvents)
        try c.encode(panes, forKey: .panes)
        try c.encode(minSamples, forKey: .minSamples)
        try c.encodeIfPresent(minAccuracy, forKey: .minAccuracy)
        try c.encodeIfPresent(resolveAccuracy, forKey: .resolveAccuracy)
        try c.encode(alpha, forKey: .alpha)
        try c.encode(positiveThreshold, forKey: .positiveThreshold)
        try c.encode(labelTTL.wholeMilliseconds, forKey: .labelTTL)
        try c.encode(maxPending, forKey: .maxPending)
        try c.encode(forEvaluations, forKey: .forEvaluations)
        try c.encode(cooldown.wholeMilliseconds, forKey: .cooldown)
        try c.encode(severity, forKey: .severity)
        try c.encodeIfPresent(task, forKey: .task)
        try c.encode(rules, forKey: .rules)
        try c.encode(calibrationBins, forKey: .calibrationBins)
    }
}
