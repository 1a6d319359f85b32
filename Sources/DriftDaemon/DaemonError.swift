/// Why the daemon could not start or keep running.
public struct DaemonError: Error, Sendable, CustomStringConvertible {
    /// Stable codes.
    public enum Code: String, Sendable {
        case baselineRejected = "daemon.baseline_rejected"
        case decoderSetup = "daemon.decoder_setup"
        case kafka = "daemon.kafka"
        case state = "daemon.state"
        case input = "daemon.input"
        case environment = "daemon.environment"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
