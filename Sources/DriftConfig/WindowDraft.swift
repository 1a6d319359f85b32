import DriftCore

/// Reads a `window` section into a `WindowSpec` (a model's window replaces the default whole).
enum WindowDraft {
    /// Keys accepted in a window section.
    static let keys = ["type", "size", "duration", "panes"]
    /// Default panes per window.
    static let defaultPanes = 10
    /// Default length of a time window, milliseconds.
    static let defaultDurationMillis: Int64 = 3_600_000

    private enum Kind: String, CaseIterable {
        case count, time
    }

    /// The window, or `nil` after reporting what is wrong.
    static func read(_ value: ConfigurationValue, with reader: ConfigurationReader) -> Located<WindowSpec>? {
        guard let entries = reader.mapping(value, keys: keys) else { return nil }
        var kind = Kind.count
        if let v = entries["type"] {
            guard let k = reader.choice(v, Kind.self) else { return nil }
            kind = k
        }
        var ok = true
        var panes = defaultPanes
        if let v = entries["panes"] {
            if let p = reader.int(v, in: 1...1_000) { panes = p } else { ok = false }
        }
        switch kind {
        case .count:
            if let v = entries["duration"] {
                reader.diagnostics.report(
                    .inconsistent, at: v.location, "duration applies to time windows; count windows take size")
                ok = false
            }
            var size = WindowSpec.default.countEvents
            if let v = entries["size"] {
                if let s = reader.int(v, in: 1...100_000_000) { size = s } else { ok = false }
            }
            guard ok else { return nil }
            if size % panes != 0 {
                reader.diagnostics.report(
                    .inconsistent, at: entries["panes"]?.location ?? value.location,
                    "window size \(size) is not a multiple of panes \(panes); each pane must hold the same number of events"
                )
                return nil
            }
            return Located(value: .count(events: size, panes: panes), location: value.location)
        case .time:
            if let v = entries["size"] {
                reader.diagnostics.report(
                    .inconsistent, at: v.location, "size applies to count windows; time windows take duration")
                ok = false
            }
            var duration = defaultDurationMillis
            if let v = entries["duration"] {
                if let d = reader.duration(v, in: 1_000...(30 * 86_400_000)) { duration = d } else { ok = false }
            }
            guard ok else { return nil }
            if duration % Int64(panes) != 0 {
                reader.diagnostics.report(
                    .inconsistent, at: entries["panes"]?.location ?? value.location,
                    "window duration \(DurationText.format(milliseconds: duration)) does not divide into \(panes) equal panes of whole milliseconds"
                )
                return nil
            }
            return Located(value: .time(duration: .milliseconds(duration), panes: panes), location: value.location)
        }
    }
}

extension WindowSpec {
    /// Events of a count window (the default's size for time windows; used for defaults only).
    fileprivate var countEvents: Int {
        if case .count(let events, _) = self { return events }
        return 10_000
    }
}
