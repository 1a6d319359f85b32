/// Why a training data file (CSV or JSONL) cannot be read.
public struct DataFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code.
    public enum Code: String, Sendable {
        /// The file cannot be opened or read.
        case unreadable = "data.unreadable"
        /// The file is not valid UTF-8.
        case notUTF8 = "data.not_utf8"
        /// The extension is neither `.csv` nor `.jsonl` / `.ndjson`.
        case unsupportedFormat = "data.unsupported_format"
        /// The file has no header row (CSV) or no record (JSONL).
        case empty = "data.empty"
        /// A header cell is empty or repeated.
        case badHeader = "data.bad_header"
        /// A CSV row has a different number of fields than the header.
        case raggedRow = "data.ragged_row"
        /// A quoted CSV field is not closed before the end of the file.
        case unterminatedQuote = "data.unterminated_quote"
        /// A quote inside an unquoted field, or text right after a closing quote.
        case strayQuote = "data.stray_quote"
        /// A JSONL line is not valid JSON.
        case invalidJSON = "data.invalid_json"
        /// A JSONL line is valid JSON but not an object.
        case notAnObject = "data.not_an_object"
        /// A JSONL value is an array or object (only flat objects are supported).
        case nestedValue = "data.nested_value"
        /// A key appears twice in one JSONL object.
        case duplicateKey = "data.duplicate_key"
        /// A number too large for a double.
        case numberOutOfRange = "data.number_out_of_range"
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
