/// Why the daemon could not start or keep running.
public struct DaemonError: Error, Sendable, CustomStringConvertible {
    /// Stable codes.
    public enum Code: String, Sendable {
        case baselineRejected = "daemon.baseline_rejected"
        case decoderSetup = "daemon.decoder_setup"
        case kafka = "daemon.kafka"
        case state = "daemon.state"
        case input = "daemon.input"
    }

    public var code: Code
    public var message: String
    /// The underlying error (a `KafkaError` keeps its `isFatal`, response code and topic).
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
