import DriftCore

/// The drift keys of one layer (`defaults.drift`, a model's `drift`, a feature entry), each
/// remembered with where it was set so resolved-rule errors can point at the right line.
struct DriftRuleDraft: Sendable {
    /// Keys accepted in a drift section.
    static let keys = [
        "method", "threshold", "resolve_threshold", "alpha", "for", "cooldown", "min_samples", "severity", "enabled",
        "sequential"
    ]
    /// Keys accepted in a drift section's `sequential` mapping.
    static let sequentialKeys = ["enabled", "run_length"]
    /// Allowed `sequential.run_length` (events between false alarms).
    static let runLengthRange = 1_000.0...1e12

    var method: Located<DriftMethod?>?
    var threshold: Located<Double?>?
    var resolveThreshold: Located<Double?>?
    var alpha: Located<Double>?
    var forEvaluations: Located<Int>?
    var cooldownMillis: Located<Int64>?
    var minSamples: Located<Int>?
    var severity: Located<Severity>?
    var enabled: Located<Bool>?
    var sequentialEnabled: Located<Bool>?
    var sequentialRunLength: Located<Double>?

    /// Reads a drift section.
    static func read(_ value: ConfigurationValue, with reader: ConfigurationReader) -> DriftRuleDraft {
        var draft = DriftRuleDraft()
        guard let entries = reader.mapping(value, keys: keys) else { return draft }
        if let v = entries["method"] {
            if v.scalar?.text == "auto" {
                draft.method = Located(value: nil, location: v.location)
            } else if let method = reader.choice(v, DriftMethod.self, extra: ["auto"]) {
                draft.method = Located(value: method, location: v.location)
            }
        }
        if let v = entries["threshold"], let t = reader.optionalNumber(v, ">= 0", { $0 >= 0 }) {
            draft.threshold = Located(value: t, location: v.location)
        }
        if let v = entries["resolve_threshold"], let t = reader.optionalNumber(v, ">= 0", { $0 >= 0 }) {
            draft.resolveThreshold = Located(value: t, location: v.location)
        }
        if let v = entries["alpha"], let a = reader.number(v, "between 0 and 1 (exclusive)", { $0 > 0 && $0 < 1 }) {
            draft.alpha = Located(value: a, location: v.location)
        }
        if let v = entries["for"], let n = reader.int(v, in: 1...1_000) {
            draft.forEvaluations = Located(value: n, location: v.location)
        }
        if let v = entries["cooldown"], let ms = reader.duration(v, in: 0...(30 * 86_400_000)) {
            draft.cooldownMillis = Located(value: ms, location: v.location)
        }
        if let v = entries["min_samples"], let n = reader.int(v, in: 1...100_000_000) {
            draft.minSamples = Located(value: n, location: v.location)
        }
        if let v = entries["severity"], let s = reader.choice(v, Severity.self) {
            draft.severity = Located(value: s, location: v.location)
        }
        if let v = entries["enabled"], let e = reader.bool(v) {
            draft.enabled = Located(value: e, location: v.location)
        }
        if let v = entries["sequential"] {
            if v.scalar != nil {
                // Shorthand: `sequential: false`.
                if let e = reader.bool(v) { draft.sequentialEnabled = Located(value: e, location: v.location) }
            } else if let sequential = reader.mapping(v, keys: sequentialKeys) {
                if let e = sequential["enabled"], let on = reader.bool(e) {
                    draft.sequentialEnabled = Located(value: on, location: e.location)
                }
                // Fixes the column's false-alarm rate outside the model's `false_alerts` budget.
                if let r = sequential["run_length"],
                    let n = reader.number(r, "between 1000 and 1e12 events", { runLengthRange.contains($0) })
                {
                    draft.sequentialRunLength = Located(value: n, location: r.location)
                }
            }
        }
        return draft
    }

    /// This layer with `other`'s keys winning where `other` sets them.
    func overlaid(by other: DriftRuleDraft) -> DriftRuleDraft {
        DriftRuleDraft(
            method: other.method ?? method, threshold: other.threshold ?? threshold,
            resolveThreshold: other.resolveThreshold ?? resolveThreshold, alpha: other.alpha ?? alpha,
            forEvaluations: other.forEvaluations ?? forEvaluations,
            cooldownMillis: other.cooldownMillis ?? cooldownMillis,
            minSamples: other.minSamples ?? minSamples, severity: other.severity ?? severity,
            enabled: other.enabled ?? enabled,
            sequentialEnabled: other.sequentialEnabled ?? sequentialEnabled,
            sequentialRunLength: other.sequentialRunLength ?? sequentialRunLength)
    }

    /// The rule with this layer's keys applied over the built-in defaults (`AlertRule()`).
    var rule: AlertRule {
        var rule = AlertRule()
        if let method { rule.method = method.value }
        if let threshold { rule.threshold = threshold.value }
        if let resolveThreshold { rule.resolveThreshold = resolveThreshold.value }
        if let alpha { rule.alpha = alpha.value }
        if let forEvaluations { rule.forEvaluations = forEvaluations.value }
        if let cooldownMillis { rule.cooldown = .milliseconds(cooldownMillis.value) }
        if let minSamples { rule.minSamples = minSamples.value }
        if let severity { rule.severity = severity.value }
        if let enabled { rule.enabled = enabled.value }
        if let sequentialEnabled { rule.sequential = sequentialEnabled.value }
        if let sequentialRunLength { rule.sequentialRunLength = sequentialRunLength.value }
        return rule
    }

    /// Reports a resolve threshold above the threshold, or one without an explicit threshold.
    func checkThresholds(_ diagnostics: ConfigurationDiagnostics) {
        guard let resolve = resolveThreshold, let resolveValue = resolve.value else { return }
        guard let threshold, let thresholdValue = threshold.value else {
            diagnostics.report(
                .inconsistent, at: resolve.location,
                "resolve_threshold needs an explicit threshold (the method's default threshold is not known here)")
            return
        }
        if resolveValue > thresholdValue {
            diagnostics.report(
                .inconsistent, at: resolve.location,
                "resolve_threshold \(resolveValue) is above threshold \(thresholdValue) (set by \(threshold.location.keyPath)\(threshold.location.line.map { " on line \($0)" } ?? ""))"
            )
        }
    }
}
