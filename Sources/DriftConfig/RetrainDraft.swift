import DriftCore

/// The retrain keys of one layer (`defaults.retrain` or a model's `retrain`).
struct RetrainDraft: Sendable {
    /// Keys accepted in a retrain section.
    static let keys = ["drift_share", "cooldown", "enabled"]

    var driftShare: Located<Double>?
    var cooldownMillis: Located<Int64>?
    var enabled: Located<Bool>?

    /// Reads a retrain section.
    static func read(_ value: ConfigurationValue, with reader: ConfigurationReader) -> RetrainDraft {
        var draft = RetrainDraft()
        guard let entries = reader.mapping(value, keys: keys) else { return draft }
        if let v = entries["drift_share"], let s = reader.number(v, "in (0, 1]", { $0 > 0 && $0 <= 1 }) {
            draft.driftShare = Located(value: s, location: v.location)
        }
        if let v = entries["cooldown"], let ms = reader.duration(v, in: 0...(365 * 86_400_000)) {
            draft.cooldownMillis = Located(value: ms, location: v.location)
        }
        if let v = entries["enabled"], let e = reader.bool(v) {
            draft.enabled = Located(value: e, location: v.location)
        }
        return draft
    }

    /// This layer with `other`'s keys winning.
    func overlaid(by other: RetrainDraft) -> RetrainDraft {
        RetrainDraft(
            driftShare: other.driftShare ?? driftShare, cooldownMillis: other.cooldownMillis ?? cooldownMillis,
            enabled: other.enabled ?? enabled)
    }

    /// The rule over the built-in defaults (`RetrainRule()`).
    var rule: RetrainRule {
        var rule = RetrainRule()
        if let driftShare { rule.driftShare = driftShare.value }
        if let cooldownMillis { rule.cooldown = .milliseconds(cooldownMillis.value) }
        if let enabled { rule.enabled = enabled.value }
        return rule
    }
}
