/// Every problem found while loading a configuration, reported together.
public struct InvalidConfiguration: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, ordered by file and line; never empty when thrown.
    public var errors: [ConfigurationError]

    /// Wraps a list of problems.
    /// - Parameter errors: The problems.
    public init(_ errors: [ConfigurationError]) {
        self.errors = errors
    }

    /// One problem per line, followed by a count when there are several.
    public var description: String {
        let lines = errors.map(\.description)
        return errors.count > 1
            ? (lines + ["\(errors.count) configuration errors"]).joined(separator: "\n")
            : lines.joined(separator: "\n")
    }
}
