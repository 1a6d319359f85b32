import DriftCore

/// The `latency` and `cost` sections of one layer (`defaults` or a model), e.g.
/// `latency: { p99_below: 200ms }` and `cost: { unit: USD, per_1000_predictions: 0.4, per_hour_below: 5 }`.
///
/// A model's `latency` (or `cost`) section replaces the defaults' section as a whole.
struct ServingDraft: Sendable {
    /// Keys shared by both sections: the alert behaviour of their objectives.
    static let alertKeys = ["for", "cooldown", "min_samples", "resolve_ratio", "severity"]
    /// Keys of a `latency` section.
    static let latencyKeys =
        LatencyStatistic.allCases.map { "\($0.rawValue)_below" } + ["relative_accuracy"] + alertKeys
    /// Keys of a `cost` section.
    static let costKeys = ["unit", "per_1000_predictions", "per_hour_below", "per_1000_below"] + alertKeys

    /// The latency section as read (`nil`: not set in this layer).
    var latency: Section?
    /// The cost section as read (`nil`: not set in this layer).
    var cost: Section?

    /// One section: its objectives and settings.
    struct Section: Sendable {
        var objectives: [ServingObjective] = []
        var relativeAccuracy: Double?
        var unit: String?
        var costPer1000Predictions: Double?
        var location: ConfigurationLocation
    }

    /// This layer with `other`'s sections winning.
    func overlaid(by other: ServingDraft) -> ServingDraft {
        ServingDraft(latency: other.latency ?? latency, cost: other.cost ?? cost)
    }

    /// The model's serving rule.
    var rule: ServingRule {
        ServingRule(
            relativeAccuracy: latency?.relativeAccuracy ?? 0.01, costUnit: cost?.unit ?? "USD",
            costPer1000Predictions: cost?.costPer1000Predictions,
            objectives: (latency?.objectives ?? []) + (cost?.objectives ?? []))
    }

    /// Reads a `latency` section.
    static func readLatency(_ value: ConfigurationValue, with reader: ConfigurationReader) -> Section? {
        guard let entries = reader.mapping(value, keys: latencyKeys) else { return nil }
        let alert = readAlert(entries, with: reader)
        var section = Section(location: value.location)
        if let v = entries["relative_accuracy"],
            let a = reader.number(v, "in [0.0001, 0.2]", { $0 >= 0.0001 && $0 <= 0.2 })
        {
            section.relativeAccuracy = a
        }
        for statistic in LatencyStatistic.allCases {
            guard let v = entries["\(statistic.rawValue)_below"], let ms = milliseconds(v, with: reader) else {
                continue
            }
            section.objectives.append(
                ServingObjective(
                    kind: .latency(statistic), threshold: ms, resolveThreshold: ms * alert.resolveRatio,
                    rule: alert.rule))
        }
        return section
    }

    /// Reads a `cost` section.
    static func readCost(_ value: ConfigurationValue, with reader: ConfigurationReader) -> Section? {
        guard let entries = reader.mapping(value, keys: costKeys) else { return nil }
        let alert = readAlert(entries, with: reader)
        var section = Section(location: value.location)
        if let v = entries["unit"], let unit = reader.string(v) { section.unit = unit }
        if let v = entries["per_1000_predictions"], let p = reader.number(v, ">= 0", { $0 >= 0 }) {
            section.costPer1000Predictions = p
        }
        let bounds: [(String, ServingObjective.Kind)] = [
            ("per_hour_below", .costPerHour), ("per_1000_below", .costPer1000)
        ]
        for (key, kind) in bounds {
            guard let v = entries[key], let bound = reader.number(v, "> 0", { $0 > 0 }) else { continue }
            section.objectives.append(
                ServingObjective(
                    kind: kind, threshold: bound, resolveThreshold: bound * alert.resolveRatio, rule: alert.rule))
        }
        return section
    }

    /// A latency bound: a duration (`200ms`, `1.5s` is not a duration: use `1500ms`) or a plain number of milliseconds.
    private static func milliseconds(_ value: ConfigurationValue, with reader: ConfigurationReader) -> Double? {
        if let (text, plain) = value.scalar, plain, let number = ScalarSyntax.number(text) {
            guard number > 0, number.isFinite else {
                reader.diagnostics.report(
                    .outOfRange, at: value.location, "\(text) is out of range: must be > 0 (milliseconds)")
                return nil
            }
            return number
        }
        return reader.duration(value, in: 1...86_400_000).map(Double.init)
    }

    /// The alert keys of a section over the built-in defaults: for 2, cooldown 10m,
    /// min_samples 100, resolve_ratio 0.9, severity warning.
    private static func readAlert(_ entries: [String: ConfigurationValue], with reader: ConfigurationReader) -> (
        rule: AlertRule, resolveRatio: Double
    ) {
        var rule = AlertRule(forEvaluations: 2, cooldown: .seconds(600), minSamples: 100, sequential: false)
        var ratio = 0.9
        if let v = entries["for"], let n = reader.int(v, in: 1...1000) { rule.forEvaluations = n }
        if let v = entries["cooldown"], let ms = reader.duration(v, in: 0...(365 * 86_400_000)) {
            rule.cooldown = .milliseconds(ms)
        }
        if let v = entries["min_samples"], let n = reader.int(v, in: 1...100_000_000) { rule.minSamples = n }
        if let v = entries["resolve_ratio"], let r = reader.number(v, "in (0, 1]", { $0 > 0 && $0 <= 1 }) { ratio = r }
        if let v = entries["severity"], let s = reader.choice(v, Severity.self) { rule.severity = s }
        return (rule, ratio)
    }
}
