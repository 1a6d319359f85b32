/// Why a schema registry or a decoder could not be built.
public struct DecoderSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    ///
    /// A struct rather than an enum, so a code added later breaks no caller's `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The stable string code.
        public let rawValue: String
        /// A code from its stable string.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Two schemas share a (model, version).
        public static let duplicateSchema = Code(rawValue: "decode.duplicate_schema")
        /// An option is out of range (for example `maxEventBytes` not positive).
        public static let invalidOptions = Code(rawValue: "decode.invalid_options")
        /// The native decoder rejected a schema (duplicate feature or category names).
        public static let schemaRejected = Code(rawValue: "decode.schema_rejected")
        /// The native decoder could not allocate its buffers.
        public static let allocationFailed = Code(rawValue: "decode.allocation_failed")
    }

    /// What went wrong.
    public var code: Code
    /// Human-readable explanation.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: Human-readable explanation.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
