/// Collects every configuration error instead of stopping at the first.
final class ConfigurationDiagnostics {
    private(set) var errors: [ConfigurationError] = []

    /// Records an error at a location.
    func report(_ code: ConfigurationError.Code, at location: ConfigurationLocation, _ message: String) {
        errors.append(location.error(code, message))
    }

    /// Records a prepared error.
    func report(_ error: ConfigurationError) {
        errors.append(error)
    }

    /// The errors without exact repeats (the same default applied to many features),
    /// flag errors first, then by line, otherwise in discovery order.
    func sortedUniqueErrors() -> [ConfigurationError] {
        var seen = Set<String>()
        var unique: [ConfigurationError] = []
        for error in errors where seen.insert("\(error.code.rawValue)|\(error.description)").inserted {
            unique.append(error)
        }
        return unique.enumerated().sorted { lhs, rhs in
            let l = (lhs.element.file == nil ? 0 : 1, lhs.element.line ?? 0, lhs.offset)
            let r = (rhs.element.file == nil ? 0 : 1, rhs.element.line ?? 0, rhs.offset)
            return l < r
        }.map(\.element)
    }
}
