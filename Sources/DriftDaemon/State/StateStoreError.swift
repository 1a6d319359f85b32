/// Why state could not be saved or loaded.
public struct StateStoreError: Error, Sendable, CustomStringConvertible {
    /// Stable codes.
    public enum Code: String, Sendable {
        case cannotCreateDirectory = "state.cannot_create_directory"
        case encodeFailed = "state.encode_failed"
        case writeFailed = "state.write_failed"
        case unreadable = "state.unreadable"
        /// A checkpoint record sent to the state topic was not acknowledged.
        case deliveryFailed = "state.delivery_failed"
        /// The state topic could not be read.
        case readFailed = "state.read_failed"
    }

    public var code: Code
    public var path: String
    public var message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(path): \(message)" }
}
