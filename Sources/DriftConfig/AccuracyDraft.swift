import DriftCore

/// The accuracy keys of one layer (`defaults.accuracy` or a model's `accuracy`), each
/// remembered with where it was set so cross-key errors point at the right line.
struct AccuracyDraft: Sendable {
    /// Keys accepted in an accuracy section.
    static let keys = [
        "enabled", "window", "panes", "min_samples", "min_accuracy", "resolve_accuracy", "alpha", "positive_threshold",
        "label_ttl", "max_pending", "for", "cooldown", "severity",
    ]
    /// Largest `window` and `max_pending`.
    static let maxEvents = 10_000_000

    var enabled: Located<Bool>?
    var window: Located<Int>?
    var panes: Located<Int>?
    var minSamples: Located<Int>?
    var minAccuracy: Located<Double?>?
    var resolveAccuracy: Located<Double>?
    var alpha: Located<Double>?
    var positiveThreshold: Located<Double>?
    var labelTTLMillis: Located<Int64>?
    var maxPending: Located<Int>?
    var forEvaluations: Located<Int>?
    var cooldownMillis: Located<Int64>?
    var severity: Located<Severity>?

    /// Reads an accuracy section.
    static func read(_ value: ConfigValue, with reader: ConfigReader) -> AccuracyDraft {
        var draft = AccuracyDraft()
        guard let entries = reader.mapping(value, keys: keys) else { return draft }
        func located<T>(_ key: String, _ read: (ConfigValue) -> T?) -> Located<T>? {
            guard let v = entries[key], let result = read(v) else { return nil }
            return Located(value: result, location: v.location)
        }
        draft.enabled = located("enabled") { reader.bool($0) }
        draft.window = located("window") { reader.int($0, in: 1...maxEvents) }
        draft.panes = located("panes") { reader.int($0, in: 1...1_000) }
        draft.minSamples = located("min_samples") { reader.int($0, in: 1...maxEvents) }
        draft.minAccuracy = located("min_accuracy") { reader.optionalNumber($0, "between 0 and 1 (exclusive)", { $0 > 0 && $0 < 1 }) }
        draft.resolveAccuracy = located("resolve_accuracy") { reader.number($0, "in (0, 1]", { $0 > 0 && $0 <= 1 }) }
        draft.alpha = located("alpha") { reader.number($0, "between 0 and 1 (exclusive)", { $0 > 0 && $0 < 1 }) }
        draft.positiveThreshold = located("positive_threshold") { reader.number($0, "a finite number", { $0.isFinite }) }
        draft.labelTTLMillis = located("label_ttl") { reader.duration($0, in: 1_000...(30 * 86_400_000)) }
        draft.maxPending = located("max_pending") { reader.int($0, in: 1...maxEvents) }
        draft.forEvaluations = located("for") { reader.int($0, in: 1...1_000) }
        draft.cooldownMillis = located("cooldown") { reader.duration($0, in: 0...(30 * 86_400_000)) }
        draft.severity = located("severity") { reader.choice($0, Severity.self) }
        return draft
    }

    /// This layer with `other`'s keys winning where `other` sets them.
    func overlaid(by other: AccuracyDraft) -> AccuracyDraft {
        AccuracyDraft(
            enabled: other.enabled ?? enabled, window: other.window ?? window, panes: other.panes ?? panes,
            minSamples: other.minSamples ?? minSamples, minAccuracy: other.minAccuracy ?? minAccuracy,
            resolveAccuracy: other.resolveAccuracy ?? resolveAccuracy, alpha: other.alpha ?? alpha,
            positiveThreshold: other.positiveThreshold ?? positiveThreshold,
            labelTTLMillis: other.labelTTLMillis ?? labelTTLMillis, maxPending: other.maxPending ?? maxPending,
            forEvaluations: other.forEvaluations ?? forEvaluations, cooldownMillis: other.cooldownMillis ?? cooldownMillis,
            severity: other.severity ?? severity)
    }

    /// The rule over the built-in defaults (`AccuracyRule()`), with `enabled` resolved: the
    /// explicit value, else on when label topics are configured and the baseline has a
    /// prediction profile. Reports settings that contradict each other, and accuracy enabled
    /// explicitly for a baseline without a prediction profile.
    /// - Parameters:
    ///   - baseline: The model's baseline.
    ///   - labelTopicsConfigured: Whether `kafka.label_topics` lists any topic.
    ///   - diagnostics: Where problems are reported.
    func resolve(baseline: Baseline, labelTopicsConfigured: Bool, diagnostics: ConfigDiagnostics) -> AccuracyRule {
        var rule = AccuracyRule()
        if let window { rule.windowEvents = window.value }
        if let panes { rule.panes = panes.value }
        if let minSamples { rule.minSamples = minSamples.value }
        if let minAccuracy { rule.minAccuracy = minAccuracy.value }
        if let resolveAccuracy { rule.resolveAccuracy = resolveAccuracy.value }
        if let alpha { rule.alpha = alpha.value }
        if let positiveThreshold { rule.positiveThreshold = positiveThreshold.value }
        if let labelTTLMillis { rule.labelTTLMillis = labelTTLMillis.value }
        if let maxPending { rule.maxPending = maxPending.value }
        if let forEvaluations { rule.forEvaluations = forEvaluations.value }
        if let cooldownMillis { rule.cooldownMillis = cooldownMillis.value }
        if let severity { rule.severity = severity.value }

        if rule.windowEvents % rule.panes != 0 {
            let location = panes?.location ?? window?.location
            if let location {
                diagnostics.report(
                    .inconsistent, at: location,
                    "accuracy window \(rule.windowEvents) is not a multiple of panes \(rule.panes); each pane must hold the same number of labels")
            }
        }
        if rule.minSamples > rule.windowEvents, let location = minSamples?.location ?? window?.location {
            diagnostics.report(
                .inconsistent, at: location,
                "accuracy min_samples \(rule.minSamples) exceeds the window of \(rule.windowEvents) labels; no verdict could ever be given")
        }
        if let resolve = resolveAccuracy {
            if let floor = rule.minAccuracy {
                if resolve.value < floor {
                    diagnostics.report(
                        .inconsistent, at: resolve.location,
                        "resolve_accuracy \(resolve.value) is below min_accuracy \(floor)\(minAccuracy.map { " (set by \($0.location.keyPath)\($0.location.line.map { " on line \($0)" } ?? ""))" } ?? "")")
                }
            } else {
                diagnostics.report(
                    .inconsistent, at: resolve.location, "resolve_accuracy needs min_accuracy (without it accuracy never alerts)")
            }
        }

        if let enabled {
            rule.enabled = enabled.value
            if enabled.value && baseline.prediction == nil {
                diagnostics.report(
                    .inconsistent, at: enabled.location,
                    "baseline \(baseline.id) has no prediction profile; accuracy needs the predicted class to compare labels with")
                rule.enabled = false
            }
        } else {
            rule.enabled = labelTopicsConfigured && baseline.prediction != nil
        }
        return rule
    }
}
