/// Why a schema registry or a decoder could not be built.
public struct DecoderSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    public enum Code: String, Sendable {
        /// Two schemas share a (model, version).
        case duplicateSchema = "decode.duplicate_schema"
        /// An option is out of range (for example `maxEventBytes` not positive).
        case invalidOptions = "decode.invalid_options"
        /// The native decoder rejected a schema (duplicate feature or category names).
        case schemaRejected = "decode.schema_rejected"
        /// The native decoder could not allocate its buffers.
        case allocationFailed = "decode.allocation_failed"
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
