import DriftCore

/// A `BaselineBuildError` located in the data file it came from.
public struct BaselineTableError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The data file.
    public var file: String
    /// 1-based line of the offending row, when the error concerns one row.
    public var line: Int?
    /// The builder's error (code, column, row, message).
    public var underlying: BaselineBuildError

    /// Creates an error.
    /// - Parameters:
    ///   - file: Data file.
    ///   - line: Line of the offending row.
    ///   - underlying: The builder's error.
    public init(file: String, line: Int?, underlying: BaselineBuildError) {
        self.file = file
        self.line = line
        self.underlying = underlying
    }

    /// `file:line: column x: message [code]`.
    public var description: String {
        let column = underlying.column.map { "column \($0): " } ?? ""
        return "\(file)\(line.map { ":\($0)" } ?? ""): \(column)\(underlying.message) [\(underlying.code.rawValue)]"
    }
}
