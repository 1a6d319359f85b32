import DriftCore

/// The `versions` section as read: the unknown-version rule, idle retirement and canaries.
struct VersionsDraft: Sendable {
    static let keys = ["unknown_version", "retire_after", "canaries"]
    static let canaryKeys = ["model", "incumbent", "candidate", "compare", "alpha", "min_events", "step"]

    /// One `canaries` entry with the locations the resolver reports at.
    struct Canary: Sendable {
        var rule: CanaryRule
        var location: ConfigurationLocation
    }

    var unknownVersion: UnknownVersionRule?
    var retireAfterMillis: Int64?
    var canaries: [Canary] = []

    /// Reads the section.
    static func read(_ value: ConfigurationValue, with reader: ConfigurationReader) -> VersionsDraft {
        var draft = VersionsDraft()
        guard let entries = reader.mapping(value, keys: keys) else { return draft }
        if let v = entries["unknown_version"] { draft.unknownVersion = reader.choice(v, UnknownVersionRule.self) }
        if let v = entries["retire_after"], !v.isNull {
            draft.retireAfterMillis = reader.duration(v, in: 60_000...(3650 * 86_400_000))
        }
        if let v = entries["canaries"], let list = reader.list(v) {
            draft.canaries = list.compactMap { readCanary($0, with: reader) }
        }
        return draft
    }

    private static func readCanary(_ value: ConfigurationValue, with reader: ConfigurationReader) -> Canary? {
        guard let entries = reader.mapping(value, keys: canaryKeys) else { return nil }
        var missing = false
        func required(_ key: String) -> String? {
            guard let v = entries[key] else {
                reader.diagnostics.report(
                    .missingKey, at: value.location.appending(key: key, line: nil), "missing required key \"\(key)\"")
                missing = true
                return nil
            }
            return reader.string(v)
        }
        let model = required("model")
        let incumbent = required("incumbent")
        let candidate = required("candidate")
        var margins: [CanaryMetric: Double] = [:]
        if let v = entries["compare"] {
            let names = CanaryMetric.allCases.map(\.rawValue)
            if let pairs = reader.pairs(v) {
                for (key, marginValue) in pairs {
                    guard let metric = CanaryMetric(rawValue: key.value) else {
                        reader.diagnostics.report(
                            .unknownKey, at: key.location,
                            "unknown metric \"\(key.value)\"; expected one of \(names.joined(separator: ", "))\(KeySuggestion.hint(for: key.value, among: names))"
                        )
                        continue
                    }
                    let margin =
                        metric == .latency
                        ? reader.number(marginValue, "> 1 (a ratio)", { $0 > 1 && $0 < 1000 })
                        : reader.number(marginValue, "> 0", { $0 > 0 && $0.isFinite })
                    if let margin { margins[metric] = margin }
                }
            }
        } else {
            reader.diagnostics.report(
                .missingKey, at: value.location.appending(key: "compare", line: nil), "missing required key \"compare\""
            )
            missing = true
        }
        guard !missing, let model, let incumbent, let candidate, !margins.isEmpty else { return nil }
        var rule = CanaryRule(model: model, incumbent: incumbent, candidate: candidate, margins: margins)
        if let v = entries["alpha"], let a = reader.number(v, "in (0, 0.5]", { $0 > 0 && $0 <= 0.5 }) { rule.alpha = a }
        if let v = entries["min_events"], let n = reader.int(v, in: CanaryRule.warmupEvents...1_000_000_000) {
            rule.minEvents = n
        }
        if let v = entries["step"], let ms = reader.duration(v, in: 1_000...86_400_000) {
            rule.step = .milliseconds(ms)
        }
        return Canary(rule: rule, location: value.location)
    }
}
