/// What happens to an inference event whose `version` has no configured baseline
/// (`versions.unknown_version`; docs/events.md, "Model lookup and version fallback").
public enum UnknownVersionRule: String, Sendable, Codable, CaseIterable, Equatable {
    /// The model's newest configured baseline (listed last); counted as a version fallback.
    case latest
    /// The configured baseline of the newest version older than the event's version
    /// (`VersionOrder`); counted as a version fallback. Without an older one the event is
    /// dead-lettered with reason `unknown_version`.
    case nearestOlder = "nearest_older"
    /// Dead-lettered with reason `unknown_version`.
    case deadLetter = "dead_letter"
}
