/// Why state could not be saved or loaded.
public struct StateStoreError: Error, Sendable, CustomStringConvertible {
    /// Stable codes.
    ///
    /// A struct rather than an enum, so a code added later breaks no caller's `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The stable string code.
        public let rawValue: String
        /// A code from its stable string.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let cannotCreateDirectory = Code(rawValue: "state.cannot_create_directory")
        public static let encodeFailed = Code(rawValue: "state.encode_failed")
        public static let writeFailed = Code(rawValue: "state.write_failed")
        public static let unreadable = Code(rawValue: "state.unreadable")
        /// A checkpoint record sent to the state topic was not acknowledged.
        public static let deliveryFailed = Code(rawValue: "state.delivery_failed")
        /// The state topic could not be read.
        public static let readFailed = Code(rawValue: "state.read_failed")
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
