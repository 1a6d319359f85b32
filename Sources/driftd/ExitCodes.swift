import ArgumentParser

/// Process exit codes (sysexits.h), documented in docs/operations.md.
enum ExitCodes {
    /// A configuration, baseline or flag problem (EX_CONFIG): fix the input, do not restart-loop.
    static let configuration = ExitCode(78)
    /// Bad input data (EX_DATAERR).
    static let data = ExitCode(65)
    /// A runtime failure (Kafka fatal error, state directory unusable): EX_SOFTWARE.
    static let runtime = ExitCode(70)
}
