/// A floor or ceiling on one performance metric (`performance.rules` in the configuration).
///
/// Fires when the window's value is past the bound **and** significantly so (one-sided p <
/// the performance section's `alpha`; `MetricInterval` gives the test), for `for` consecutive
/// evaluations; resolves after `for` evaluations back on the good side of `resolve`. With
/// `retrain` a firing also asks for retraining (sharing the model's retrain cooldown).
public struct PerformanceRule: Sendable, Equatable, Codable {
    /// Which side of the threshold alerts.
    public enum Bound: String, Sendable, Codable {
        /// A floor: alerts when the metric falls below the threshold.
        case below
        /// A ceiling: alerts when the metric rises above the threshold.
        case above
    }

    /// The metric.
    public var metric: PerformanceMetric
    /// Floor or ceiling.
    public var bound: Bound
    /// The bound's value.
    public var threshold: Double
    /// Where a firing alert may resolve; nil for the default (see `effectiveResolve`).
    public var resolve: Double?
    /// Whether firing also publishes a retrain event.
    public var retrain: Bool
    /// Severity of its alerts; nil for the performance section's.
    public var severity: Severity?
    /// Whether the rule is on the label-free estimate of the metric (`estimated_<metric>` in
    /// the configuration; binary classifiers whose baseline has a performance reference),
    /// judged on every window of predictions instead of on the labelled window.
    public var estimated: Bool = false

    /// Creates a rule.
    /// - Parameters:
    ///   - metric: Metric.
    ///   - bound: Floor or ceiling.
    ///   - threshold: Bound value.
    ///   - resolve: Resolve level, nil for the default.
    ///   - retrain: Publish a retrain event on firing.
    ///   - severity: Alert severity, nil for the section's.
    ///   - estimated: On the label-free estimate (default false).
    public init(
        metric: PerformanceMetric, bound: Bound, threshold: Double, resolve: Double? = nil, retrain: Bool = false,
        severity: Severity? = nil, estimated: Bool = false
    ) {
        self.estimated = estimated
        self.metric = metric
        self.bound = bound
        self.threshold = threshold
        self.resolve = resolve
        self.retrain = retrain
        self.severity = severity
    }

    /// The resolve level in force: `resolve`, else a fifth of the way from the threshold to the
    /// metric's best value (1 for scores, 0 for errors) when that lies on the good side: a floor
    /// of 0.8 on accuracy resolves at 0.84, a ceiling of 0.5 on log loss at 0.4. Otherwise
    /// (a floor on an error metric, a ceiling on a score) the threshold itself.
    public var effectiveResolve: Double {
        if let resolve { return resolve }
        let best = metric.bestValue
        switch bound {
        case .below: return best > threshold ? threshold + 0.2 * (best - threshold) : threshold
        case .above: return best < threshold ? threshold - 0.2 * (threshold - best) : threshold
        }
    }

    /// Whether a value is past the bound (strictly).
    /// - Parameter value: Metric value.
    /// - Returns: True below a floor or above a ceiling.
    public func isPast(_ value: Double) -> Bool {
        bound == .below ? value < threshold : value > threshold
    }

    /// Whether a value is back on the good side of the resolve level (inclusive).
    /// - Parameter value: Metric value.
    /// - Returns: True at or above a floor's resolve level, at or below a ceiling's.
    public func isClear(_ value: Double) -> Bool {
        bound == .below ? value >= effectiveResolve : value <= effectiveResolve
    }

    /// The metric's name as configured: `accuracy`, or `estimated_accuracy` for an estimated rule.
    public var metricName: String { estimated ? "estimated_\(metric.rawValue)" : metric.rawValue }

    /// The rule as configured, e.g. `accuracy below 0.92`.
    public var text: String { "\(metricName) \(bound.rawValue) \(FeatureEvaluator.format(threshold))" }

    /// Problems with the rule for a task (empty when usable).
    /// - Parameter task: The model's task.
    /// - Returns: Messages.
    public func problems(for task: PerformanceTask) -> [String] {
        var problems: [String] = []
        if estimated {
            if task != .binary || !PerformanceEstimate.metrics.contains(metric) {
                problems.append(
                    "metric \(metricName) is estimated only for binary classifiers, for \(PerformanceEstimate.metrics.map { "estimated_\($0.rawValue)" }.joined(separator: ", "))"
                )
            }
        } else if !PerformanceMetric.metrics(of: task).contains(metric) {
            problems.append(
                "metric \(metric.rawValue) does not exist for a \(task.rawValue) model (it has \(PerformanceMetric.metrics(of: task).map(\.rawValue).joined(separator: ", ")))"
            )
        }
        if !threshold.isFinite { problems.append("the \(bound.rawValue) value must be a finite number") }
        if let resolve {
            if !resolve.isFinite { problems.append("resolve must be a finite number") }
            if bound == .below && resolve < threshold {
                problems.append("resolve \(resolve) is below the floor \(threshold)")
            }
            if bound == .above && resolve > threshold {
                problems.append("resolve \(resolve) is above the ceiling \(threshold)")
            }
        }
        return problems
    }
}
