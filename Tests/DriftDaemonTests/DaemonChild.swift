import Foundation

/// `driftd run` as a child process (the built binary), for the tests that signal it.
enum DaemonChild {
    /// Starts `driftd run --config config --brokers brokers`; standard output is discarded and
    /// standard error goes to `log` (created empty). The caller kills it when done.
    static func run(config: String, brokers: String, log: String) throws -> Process {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = try CommandLineTests.binary
        process.arguments = ["run", "--config", config, "--brokers", brokers]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try process.run()
        return process
    }
}
