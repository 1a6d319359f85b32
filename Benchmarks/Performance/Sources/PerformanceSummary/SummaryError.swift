/// Why the summary could not read the benchmark results.
struct SummaryError: Error, CustomStringConvertible {
    /// What went wrong.
    let message: String

    init(_ message: String) { self.message = message }

    var description: String { message }
}
