/// Log verbosity and output format.
public struct LoggingSettings: Sendable, Equatable {
    /// Log levels, named as in swift-log.
    public enum Level: String, Sendable, CaseIterable {
        /// Everything, including per-batch detail.
        case trace
        /// Diagnostic detail.
        case debug
        /// Normal operation.
        case info
        /// Notable but normal events.
        case notice
        /// Recoverable problems.
        case warning
        /// Failed operations.
        case error
        /// The daemon cannot continue.
        case critical
    }

    /// Output formats.
    public enum Format: String, Sendable, CaseIterable {
        /// Human-readable lines.
        case text
        /// One JSON object per line.
        case json
    }

    /// Lowest level logged.
    public var level: Level
    /// Output format.
    public var format: Format

    /// Creates logging settings.
    /// - Parameters:
    ///   - level: Lowest level logged (default info).
    ///   - format: Output format (default text).
    public init(level: Level = .info, format: Format = .text) {
        self.level = level
        self.format = format
    }
}
