import DriftCore

/// One entry of a `performance.rules` list, e.g. `{ metric: accuracy, below: 0.92, retrain: true }`.
struct PerformanceRuleDraft: Sendable {
    /// Keys accepted in a rule.
    static let keys = ["metric", "below", "above", "resolve", "retrain", "severity"]

    /// The rule as read.
    var rule: PerformanceRule
    /// Where its `metric` was set (for errors that depend on the model's task).
    var metricLocation: ConfigurationLocation
    /// Where the entry is.
    var location: ConfigurationLocation

    /// Reads a rules list; entries with errors are reported and left out.
    static func readList(_ value: ConfigurationValue, with reader: ConfigurationReader) -> [PerformanceRuleDraft] {
        guard let items = reader.list(value) else { return [] }
        return items.compactMap { read($0, with: reader) }
    }

    private static func read(_ value: ConfigurationValue, with reader: ConfigurationReader) -> PerformanceRuleDraft? {
        guard let entries = reader.mapping(value, keys: keys) else { return nil }
        guard let metricValue = entries["metric"] else {
            reader.diagnostics.report(
                .missingKey, at: value.location,
                "a performance rule needs metric (one of \(PerformanceMetric.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
            return nil
        }
        // `estimated_<metric>`: the rule is on the label-free estimate.
        var estimated = false
        let metric: PerformanceMetric?
        if case let (text, _)? = metricValue.scalar, text.hasPrefix("estimated_"),
            let base = PerformanceMetric(rawValue: String(text.dropFirst("estimated_".count))),
            PerformanceEstimate.metrics.contains(base)
        {
            estimated = true
            metric = base
        } else {
            metric = reader.choice(
                metricValue, PerformanceMetric.self,
                extra: PerformanceEstimate.metrics.map { "estimated_\($0.rawValue)" })
        }
        let below = entries["below"].flatMap { v in
            reader.number(v, "a finite number", { $0.isFinite }).map { ($0, v.location) }
        }
        let above = entries["above"].flatMap { v in
            reader.number(v, "a finite number", { $0.isFinite }).map { ($0, v.location) }
        }
        let resolve = entries["resolve"].flatMap { v in
            reader.number(v, "a finite number", { $0.isFinite }).map { ($0, v.location) }
        }
        let retrain = entries["retrain"].flatMap { reader.bool($0) } ?? false
        let severity = entries["severity"].flatMap { reader.choice($0, Severity.self) }
        let bound: (PerformanceRule.Bound, Double)
        switch (below, above) {
        case (let b?, nil): bound = (.below, b.0)
        case (nil, let a?): bound = (.above, a.0)
        case (_?, let a?):
            reader.diagnostics.report(
                .inconsistent, at: a.1, "a performance rule has either below (a floor) or above (a ceiling), not both")
            return nil
        case (nil, nil):
            if entries["below"] == nil && entries["above"] == nil {
                reader.diagnostics.report(
                    .missingKey, at: value.location, "a performance rule needs below (a floor) or above (a ceiling)")
            }
            return nil
        }
        guard let metric else { return nil }
        let rule = PerformanceRule(
            metric: metric, bound: bound.0, threshold: bound.1, resolve: resolve?.0, retrain: retrain,
            severity: severity,
            estimated: estimated)
        if let resolve {
            if bound.0 == .below && resolve.0 < bound.1 {
                reader.diagnostics.report(
                    .inconsistent, at: resolve.1,
                    "resolve \(resolve.0) is below the floor \(bound.1): the alert could resolve while still below it")
            }
            if bound.0 == .above && resolve.0 > bound.1 {
                reader.diagnostics.report(
                    .inconsistent, at: resolve.1,
                    "resolve \(resolve.0) is above the ceiling \(bound.1): the alert could resolve while still above it"
                )
            }
        }
        return PerformanceRuleDraft(rule: rule, metricLocation: metricValue.location, location: value.location)
    }
}
