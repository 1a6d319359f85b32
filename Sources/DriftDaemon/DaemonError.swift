/// Why the daemon could not start or keep running.
public struct DaemonError: Error, Sendable, CustomStringConvertible {
    /// Stable codes.
    ///
    /// A struct rather than an enum, so a code added later breaks no caller's `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The stable string code.
        public let rawValue: String
        /// A code from its stable string.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let baselineRejected = Code(rawValue: "daemon.baseline_rejected")
        public static let decoderSetup = Code(rawValue: "daemon.decoder_setup")
        public static let kafka = Code(rawValue: "daemon.kafka")
        public static let state = Code(rawValue: "daemon.state")
        public static let input = Code(rawValue: "daemon.input")
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
