/// A benchmark workload that could not run as designed (rejected events, lost messages, ...).
public struct WorkloadError: Error, CustomStringConvertible, Sendable {
    /// Stable codes of workload failures.
    public enum Code: String, Sendable {
        /// The workload's own check failed (counts differ, events rejected).
        case check
        /// Setting up the workload failed (broker, topic, producer).
        case setup
    }

    /// What kind of failure.
    public let code: Code
    /// What happened.
    public let message: String

    /// A failure of the workload's own checks.
    public init(_ message: String) {
        self.init(.check, message)
    }

    /// A failure with an explicit code.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
