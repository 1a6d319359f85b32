public import InMemoryLogging
public import Logging

extension InMemoryLogHandler {
    /// A logger that writes into this handler (copies of the handler share one store) at `level`
    /// and above.
    public func logger(label: String = "driftd.test", level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: label) { _ in self }
        logger.logLevel = level
        return logger
    }

    /// The messages logged so far, as text, oldest first.
    public var messages: [String] { entries.map(\.message.description) }
}
