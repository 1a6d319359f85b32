/// A failure of the detection-quality benchmark: bad arguments, unusable files, or a driftd
/// component that rejected the synthetic data.
struct BenchmarkError: Error, CustomStringConvertible {
    /// Stable machine-readable failure codes.
    enum Code: String, Sendable {
        /// A command-line argument is missing, unknown or malformed.
        case badArgument = "bad_argument"
        /// The baseline could not be built from the synthetic training data.
        case baselineFailed = "baseline_failed"
        /// A monitor or detector could not be created for a configuration.
        case detectorFailed = "detector_failed"
        /// A file could not be written or read.
        case ioFailed = "io_failed"
        /// A results file is malformed or inconsistent with the other one.
        case badResults = "bad_results"
    }

    /// What went wrong, as a stable code.
    let code: Code
    /// Human-readable context: which file, argument or configuration.
    let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { "\(code.rawValue): \(message)" }
}
