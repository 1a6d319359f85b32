import Yams

/// Typed access to the YAML tree; every problem is reported to `diagnostics` and the getter
/// returns `nil`, so decoding continues and all errors are found in one pass.
struct ConfigurationReader {
    let diagnostics: ConfigurationDiagnostics

    // MARK: - Structure

    /// The entries of a mapping, by key. Unknown keys are reported (with a suggestion); a
    /// null section counts as empty; YAML merge keys (`<<`) are honoured.
    func mapping(_ value: ConfigurationValue, keys allowed: [String]) -> [String: ConfigurationValue]? {
        guard let pairs = pairs(value) else { return nil }
        var entries: [String: ConfigurationValue] = [:]
        for (key, child) in pairs {
            guard allowed.contains(key.value) else {
                diagnostics.report(
                    .unknownKey, at: key.location,
                    "unknown key \"\(key.value)\"\(KeySuggestion.hint(for: key.value, among: allowed))")
                continue
            }
            entries[key.value] = child
        }
        return entries
    }

    /// The entries of a mapping with free-form keys (feature names, Kafka properties), in order.
    func pairs(_ value: ConfigurationValue) -> [(key: Located<String>, value: ConfigurationValue)]? {
        if value.isNull { return [] }
        guard case .mapping(let mapping) = value.node else {
            diagnostics.report(.typeMismatch, at: value.location, "expected a mapping, got \(value.described)")
            return nil
        }
        var result: [(key: Located<String>, value: ConfigurationValue)] = []
        var merged: [(key: Located<String>, value: ConfigurationValue)] = []
        for (keyNode, valueNode) in mapping {
            let keyLine = ConfigurationValue.line(of: keyNode)
            guard case .scalar(let keyScalar) = keyNode else {
                diagnostics.report(
                    .typeMismatch, at: value.location.appending(key: "?", line: keyLine),
                    "mapping keys must be plain text")
                continue
            }
            if keyScalar.string == "<<", keyScalar.style == .plain || keyScalar.style == .any {
                let sources = valueNode.sequence.map(Array.init) ?? [valueNode]
                for source in sources {
                    let sourceValue = ConfigurationValue(node: source, location: value.location)
                    guard case .mapping = source, let inner = pairs(sourceValue) else {
                        diagnostics.report(
                            .typeMismatch, at: value.location.appending(key: "<<", line: keyLine),
                            "a merge key (<<) needs a mapping or a list of mappings")
                        continue
                    }
                    merged.append(contentsOf: inner)
                }
                continue
            }
            let childLocation = value.location.appending(
                key: keyScalar.string, line: ConfigurationValue.line(of: valueNode))
            let key = Located(
                value: keyScalar.string, location: value.location.appending(key: keyScalar.string, line: keyLine))
            result.append((key, ConfigurationValue(node: valueNode, location: childLocation)))
        }
        let explicit = Set(result.map(\.key.value))
        var mergedSeen = Set<String>()
        for entry in merged where !explicit.contains(entry.key.value) && mergedSeen.insert(entry.key.value).inserted {
            result.append(entry)
        }
        return result
    }

    /// The elements of a list.
    func list(_ value: ConfigurationValue) -> [ConfigurationValue]? {
        if value.isNull { return [] }
        guard case .sequence(let sequence) = value.node else {
            diagnostics.report(.typeMismatch, at: value.location, "expected a list, got \(value.described)")
            return nil
        }
        return sequence.enumerated().map { index, node in
            ConfigurationValue(
                node: node, location: value.location.appending(index: index, line: ConfigurationValue.line(of: node)))
        }
    }

    // MARK: - Scalars

    /// Any non-null scalar, as text.
    func string(_ value: ConfigurationValue, allowEmpty: Bool = false) -> String? {
        guard let (text, _) = value.scalar, !value.isNull else {
            diagnostics.report(.typeMismatch, at: value.location, "expected a string, got \(value.described)")
            return nil
        }
        if !allowEmpty, text.isEmpty {
            diagnostics.report(.invalidValue, at: value.location, "must not be empty")
            return nil
        }
        return text
    }

    /// A string, or `nil` inside `.some` for YAML null.
    func optionalString(_ value: ConfigurationValue) -> String?? {
        value.isNull ? .some(nil) : string(value).map { .some($0) }
    }

    /// A plain `true` / `false`.
    func bool(_ value: ConfigurationValue) -> Bool? {
        guard let (text, plain) = value.scalar, plain, let result = ScalarSyntax.bool(text) else {
            diagnostics.report(.typeMismatch, at: value.location, "expected true or false, got \(value.described)")
            return nil
        }
        return result
    }

    /// A plain integer within `range`.
    func int(_ value: ConfigurationValue, in range: ClosedRange<Int>) -> Int? {
        guard let (text, plain) = value.scalar, plain, let result = ScalarSyntax.integer(text) else {
            diagnostics.report(.typeMismatch, at: value.location, "expected an integer, got \(value.described)")
            return nil
        }
        guard range.contains(result) else {
            diagnostics.report(
                .outOfRange, at: value.location, "\(result) is out of range \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return result
    }

    /// A plain finite number, checked by `valid` (which describes the allowed range).
    func number(_ value: ConfigurationValue, _ rangeText: String, _ valid: (Double) -> Bool) -> Double? {
        guard let (text, plain) = value.scalar, plain, let result = ScalarSyntax.number(text) else {
            diagnostics.report(.typeMismatch, at: value.location, "expected a number, got \(value.described)")
            return nil
        }
        guard valid(result) else {
            diagnostics.report(.outOfRange, at: value.location, "\(text) is out of range: must be \(rangeText)")
            return nil
        }
        return result
    }

    /// A number, or `nil` inside `.some` for YAML null.
    func optionalNumber(_ value: ConfigurationValue, _ rangeText: String, _ valid: (Double) -> Bool) -> Double?? {
        value.isNull ? .some(nil) : number(value, rangeText, valid).map { .some($0) }
    }

    /// A duration (`250ms`, `10s`, `5m`, `1h`, `1d`, `1h30m`) in milliseconds within `range`.
    func duration(_ value: ConfigurationValue, in range: ClosedRange<Int64>) -> Int64? {
        guard let (text, _) = value.scalar, !value.isNull, let millis = DurationText.milliseconds(from: text) else {
            diagnostics.report(
                .invalidDuration, at: value.location,
                "expected a duration like \"250ms\", \"10s\", \"5m\" or \"1h\", got \(value.described)")
            return nil
        }
        guard range.contains(millis) else {
            diagnostics.report(
                .outOfRange, at: value.location,
                "\(text) is out of range \(DurationText.format(milliseconds: range.lowerBound))...\(DurationText.format(milliseconds: range.upperBound))"
            )
            return nil
        }
        return millis
    }

    /// One of an enumeration's raw values, with a suggestion when misspelt.
    func choice<E: RawRepresentable & CaseIterable>(_ value: ConfigurationValue, _ type: E.Type, extra: [String] = [])
        -> E? where E.RawValue == String
    {
        let names = E.allCases.map(\.rawValue) + extra
        guard let (text, _) = value.scalar, !value.isNull else {
            diagnostics.report(
                .typeMismatch, at: value.location,
                "expected one of \(names.joined(separator: ", ")), got \(value.described)")
            return nil
        }
        guard let result = E(rawValue: text) else {
            diagnostics.report(
                .invalidValue, at: value.location,
                "\(value.described) is not one of \(names.joined(separator: ", "))\(KeySuggestion.hint(for: text, among: names))"
            )
            return nil
        }
        return result
    }

    /// A list of strings; a single string counts as a one-element list.
    func stringList(_ value: ConfigurationValue) -> [String]? {
        if value.scalar != nil, !value.isNull { return string(value).map { [$0] } }
        guard let elements = list(value) else { return nil }
        var result: [String] = []
        var ok = true
        for element in elements {
            if let text = string(element) { result.append(text) } else { ok = false }
        }
        return ok ? result : nil
    }
}
