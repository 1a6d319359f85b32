import DriftCore

/// Why a baseline file cannot be loaded or saved.
public struct BaselineFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    ///
    /// A struct rather than an enum, so a code added later breaks no caller's `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The stable string code.
        public let rawValue: String
        /// A code from its stable string.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file cannot be read.
        public static let unreadable = Code(rawValue: "baseline_file.unreadable")
        /// The file is not a baseline JSON document (syntax, missing or mistyped field).
        public static let malformed = Code(rawValue: "baseline_file.malformed")
        /// The document decodes but breaks the baseline invariants (see `validationErrors`).
        public static let invalid = Code(rawValue: "baseline_file.invalid")
        /// The file cannot be written.
        public static let unwritable = Code(rawValue: "baseline_file.unwritable")
    }

    /// What went wrong.
    public var code: Code
    /// The file concerned.
    public var file: String
    /// Explanation.
    public var message: String
    /// For `invalid`: every invariant the baseline breaks.
    public var validationErrors: [BaselineError]

    /// Creates an error.
    /// - Parameters:
    ///   - code: Stable code.
    ///   - file: File concerned.
    ///   - message: Explanation.
    ///   - validationErrors: Broken invariants, for `invalid`.
    public init(_ code: Code, file: String, _ message: String, validationErrors: [BaselineError] = []) {
        self.code = code
        self.file = file
        self.message = message
        self.validationErrors = validationErrors
    }

    /// `file: message`, then one line per broken invariant.
    public var description: String {
        ([("\(file): \(message)")] + validationErrors.map { "  \($0)" }).joined(separator: "\n")
    }
}
