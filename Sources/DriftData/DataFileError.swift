/// Why a training data file (CSV or JSONL) cannot be read.
public struct DataFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    ///
    /// A struct rather than an enum, so a code added later breaks no caller's `switch`.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The stable string code.
        public let rawValue: String
        /// A code from its stable string.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file cannot be opened or read.
        public static let unreadable = Code(rawValue: "data.unreadable")
        /// The file is not valid UTF-8.
        public static let notUTF8 = Code(rawValue: "data.not_utf8")
        /// The extension is neither `.csv` nor `.jsonl` / `.ndjson`.
        public static let unsupportedFormat = Code(rawValue: "data.unsupported_format")
        /// The file has no header row (CSV) or no record (JSONL).
        public static let empty = Code(rawValue: "data.empty")
        /// A header cell is empty or repeated.
        public static let badHeader = Code(rawValue: "data.bad_header")
        /// A CSV row has a different number of fields than the header.
        public static let raggedRow = Code(rawValue: "data.ragged_row")
        /// A quoted CSV field is not closed before the end of the file.
        public static let unterminatedQuote = Code(rawValue: "data.unterminated_quote")
        /// A quote inside an unquoted field, or text right after a closing quote.
        public static let strayQuote = Code(rawValue: "data.stray_quote")
        /// A JSONL line is not valid JSON.
        public static let invalidJSON = Code(rawValue: "data.invalid_json")
        /// A JSONL line is valid JSON but not an object.
        public static let notAnObject = Code(rawValue: "data.not_an_object")
        /// A JSONL value is an array or object (only flat objects are supported).
        public static let nestedValue = Code(rawValue: "data.nested_value")
        /// A key appears twice in one JSONL object.
        public static let duplicateKey = Code(rawValue: "data.duplicate_key")
        /// A number too large for a double.
        public static let numberOutOfRange = Code(rawValue: "data.number_out_of_range")
    }

    /// What went wrong.
    public var code: Code
    /// The file concerned.
    public var file: String
    /// 1-based line concerned, when there is one.
    public var line: Int?
    /// Human-readable explanation.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: Stable code.
    ///   - file: File concerned.
    ///   - line: 1-based line.
    ///   - message: Explanation.
    public init(_ code: Code, file: String, line: Int? = nil, _ message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`.
    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(message)"
    }
}
