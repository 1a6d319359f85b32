import DriftCore

/// The performance keys of one layer (`defaults.performance` or a model's `performance`, or
/// the older `accuracy` section), each remembered with where it was set so cross-key errors
/// point at the right line.
///
/// `performance:` takes the join and window keys of `accuracy:` plus `task`, `rules` and
/// `calibration_bins`; `accuracy:` keeps its keys (`min_accuracy` and `resolve_accuracy`
/// included) and reads into the same draft, so the two merge across layers. One layer may not
/// have both sections.
struct AccuracyDraft: Sendable {
    /// Keys accepted in an accuracy section.
    static let keys = [
        "enabled", "window", "panes", "min_samples", "min_accuracy", "resolve_accuracy", "alpha", "positive_threshold",
        "label_ttl", "max_pending", "for", "cooldown", "severity"
    ]
    /// Keys of `accuracy:` that `performance:` replaces by `rules`.
    static let accuracyOnlyKeys = ["min_accuracy", "resolve_accuracy"]
    /// Keys accepted in a performance section.
    static let performanceKeys = keys.filter { !accuracyOnlyKeys.contains($0) } + ["task", "rules", "calibration_bins"]
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
    var task: Located<PerformanceTask?>?
    var rules: Located<[PerformanceRuleDraft]>?
    var calibrationBins: Located<Int>?

    /// Reads an `accuracy:` section, or with `performance` a `performance:` section (where
    /// `min_accuracy` and `resolve_accuracy` are reported with the rule to write instead).
    static func read(_ value: ConfigurationValue, with reader: ConfigurationReader, performance: Bool = false)
        -> AccuracyDraft
    {
        var draft = AccuracyDraft()
        if performance, let pairs = reader.pairs(value) {
            for (key, v) in pairs where accuracyOnlyKeys.contains(key.value) {
                let example =
                    key.value == "min_accuracy"
                    ? "rules: [{ metric: accuracy, below: \(v.scalar?.0 ?? "0.9") }]"
                    : "resolve: in the rule, e.g. rules: [{ metric: accuracy, below: 0.9, resolve: \(v.scalar?.0 ?? "0.92") }]"
                reader.diagnostics.report(
                    .unknownKey, at: key.location,
                    "\(key.value) belongs to the older accuracy: section; in performance: write \(example)")
            }
        }
        let allowed = performance ? performanceKeys + accuracyOnlyKeys : keys
        guard let entries = reader.mapping(value, keys: allowed) else { return draft }
        func located<T>(_ key: String, _ read: (ConfigurationValue) -> T?) -> Located<T>? {
            guard let v = entries[key], let result = read(v) else { return nil }
            return Located(value: result, location: v.location)
        }
        draft.enabled = located("enabled") { reader.bool($0) }
        draft.window = located("window") { reader.int($0, in: 1...maxEvents) }
        draft.panes = located("panes") { reader.int($0, in: 1...1_000) }
        draft.minSamples = located("min_samples") { reader.int($0, in: 1...maxEvents) }
        draft.minAccuracy = located("min_accuracy") {
            reader.optionalNumber($0, "between 0 and 1 (exclusive)", { $0 > 0 && $0 < 1 })
        }
        draft.resolveAccuracy = located("resolve_accuracy") { reader.number($0, "in (0, 1]", { $0 > 0 && $0 <= 1 }) }
        draft.alpha = located("alpha") { reader.number($0, "between 0 and 1 (exclusive)", { $0 > 0 && $0 < 1 }) }
        draft.positiveThreshold = located("positive_threshold") {
            reader.number($0, "a finite number", { $0.isFinite })
        }
        draft.labelTTLMillis = located("label_ttl") { reader.duration($0, in: 1_000...(30 * 86_400_000)) }
        draft.maxPending = located("max_pending") { reader.int($0, in: 1...maxEvents) }
        draft.forEvaluations = located("for") { reader.int($0, in: 1...1_000) }
        draft.cooldownMillis = located("cooldown") { reader.duration($0, in: 0...(30 * 86_400_000)) }
        draft.severity = located("severity") { reader.choice($0, Severity.self) }
        if performance {
            draft.minAccuracy = nil
            draft.resolveAccuracy = nil
            draft.task = located("task") { v -> PerformanceTask?? in
                if case let (text, _)? = v.scalar, text == "auto" { return .some(nil) }
                return reader.choice(v, PerformanceTask.self, extra: ["auto"]).map { .some($0) }
            }
            draft.rules = located("rules") { PerformanceRuleDraft.readList($0, with: reader) }
            draft.calibrationBins = located("calibration_bins") { reader.int($0, in: 1...1_000) }
        }
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
            forEvaluations: other.forEvaluations ?? forEvaluations,
            cooldownMillis: other.cooldownMillis ?? cooldownMillis,
            severity: other.severity ?? severity, task: other.task ?? task, rules: other.rules ?? rules,
            calibrationBins: other.calibrationBins ?? calibrationBins)
    }

    /// The rule over the built-in defaults (`AccuracyRule()`), with `enabled` resolved: the
    /// explicit value, else on when label topics are configured and the baseline has a
    /// prediction profile. Reports settings that contradict each other, and accuracy enabled
    /// explicitly for a baseline without a prediction profile.
    /// - Parameters:
    ///   - baseline: The model's baseline.
    ///   - labelTopicsConfigured: Whether `kafka.label_topics` lists any topic.
    ///   - diagnostics: Where problems are reported.
    func resolve(baseline: Baseline, labelTopicsConfigured: Bool, diagnostics: ConfigurationDiagnostics) -> AccuracyRule
    {
        var rule = AccuracyRule()
        if let window { rule.windowEvents = window.value }
        if let panes { rule.panes = panes.value }
        if let minSamples { rule.minSamples = minSamples.value }
        if let minAccuracy { rule.minAccuracy = minAccuracy.value }
        if let resolveAccuracy { rule.resolveAccuracy = resolveAccuracy.value }
        if let alpha { rule.alpha = alpha.value }
        if let positiveThreshold { rule.positiveThreshold = positiveThreshold.value }
        if let labelTTLMillis { rule.labelTTL = .milliseconds(labelTTLMillis.value) }
        if let maxPending { rule.maxPending = maxPending.value }
        if let forEvaluations { rule.forEvaluations = forEvaluations.value }
        if let cooldownMillis { rule.cooldown = .milliseconds(cooldownMillis.value) }
        if let severity { rule.severity = severity.value }
        if let task { rule.task = task.value }
        if let rules { rule.rules = rules.value.map(\.rule) }
        if let calibrationBins { rule.calibrationBins = calibrationBins.value }

        if rule.windowEvents % rule.panes != 0 {
            let location = panes?.location ?? window?.location
            if let location {
                diagnostics.report(
                    .inconsistent, at: location,
                    "accuracy window \(rule.windowEvents) is not a multiple of panes \(rule.panes); each pane must hold the same number of labels"
                )
            }
        }
        if rule.minSamples > rule.windowEvents, let location = minSamples?.location ?? window?.location {
            diagnostics.report(
                .inconsistent, at: location,
                "accuracy min_samples \(rule.minSamples) exceeds the window of \(rule.windowEvents) labels; no verdict could ever be given"
            )
        }
        if let resolve = resolveAccuracy {
            if let floor = rule.minAccuracy {
                if resolve.value < floor {
                    diagnostics.report(
                        .inconsistent, at: resolve.location,
                        "resolve_accuracy \(resolve.value) is below min_accuracy \(floor)\(minAccuracy.map { " (set by \($0.location.keyPath)\($0.location.line.map { " on line \($0)" } ?? ""))" } ?? "")"
                    )
                }
            } else {
                diagnostics.report(
                    .inconsistent, at: resolve.location,
                    "resolve_accuracy needs min_accuracy (without it accuracy never alerts)")
            }
        }

        if let prediction = baseline.prediction {
            let task = rule.task ?? PerformanceTask.inferred(from: prediction)
            if let located = self.task, let chosen = located.value,
                (chosen == .multiclass) != (prediction.type == .categorical)
            {
                diagnostics.report(
                    .inconsistent, at: located.location,
                    "task \(chosen.rawValue) does not fit baseline \(baseline.id)'s \(prediction.type.rawValue) prediction (categorical predictions are multiclass, numeric ones binary or regression)"
                )
            }
            if task == .regression, rule.minAccuracy != nil, let location = minAccuracy?.location {
                diagnostics.report(
                    .inconsistent, at: location, "min_accuracy needs a classifier; the model is scored as regression")
            }
            for draft in rules?.value ?? [] {
                for problem in draft.rule.problems(for: task) where problem.hasPrefix("metric") {
                    diagnostics.report(.inconsistent, at: draft.metricLocation, problem)
                }
                if draft.rule.estimated && task == .binary && baseline.performanceReference == nil {
                    diagnostics.report(
                        .inconsistent, at: draft.metricLocation,
                        "\(draft.rule.metricName) needs a baseline built with labels (driftd baseline build --label-column); baseline \(baseline.id) has no performance_reference"
                    )
                }
            }
        }
        if let enabled {
            rule.enabled = enabled.value
            if enabled.value && baseline.prediction == nil {
                diagnostics.report(
                    .inconsistent, at: enabled.location,
                    "baseline \(baseline.id) has no prediction profile; accuracy needs the predicted class to compare labels with"
                )
                rule.enabled = false
            }
        } else {
            rule.enabled = labelTopicsConfigured && baseline.prediction != nil
        }
        return rule
    }
}
