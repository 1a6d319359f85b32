import ArgumentParser
import DriftConfig
import DriftDaemon
import Foundation

/// `driftd replay`: the daemon's decisions on a file, no broker.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run a JSON-lines file of inference events through the daemon's code; print what it would publish.",
        discussion: """
            Writes alert, retrain and dead-letter records as JSON lines on standard output, and a summary \
            on standard error. Uses --config or --baseline flags like `driftd run`; no broker is contacted.
            """)

    @OptionGroup var options: ConfigurationOptions

    @Option(name: .long, help: "JSON-lines file of inference events.")
    var input: String

    @Option(
        name: .long,
        help: "JSON-lines file of label events, merged with the input by event time (models with accuracy tracking).")
    var labels: String?

    func run() throws {
        // Replay contacts no broker: kafka.brokers may be left out.
        let configuration: DaemonConfiguration
        do {
            configuration = try ConfigurationLoader.load(
                file: options.config, overrides: try options.overrides(), requireBrokers: false)
        } catch let errors as InvalidConfiguration {
            printError(
                "driftd: invalid configuration (\(errors.errors.count) problem\(errors.errors.count == 1 ? "" : "s")):")
            for error in errors.errors { printError("  \(error)") }
            throw ExitCodes.configuration
        }
        let runner: ReplayRunner
        do {
            runner = try ReplayRunner(configuration: configuration)
        } catch {
            printError("driftd replay: \(error)")
            throw ExitCodes.configuration
        }
        let out = FileHandle.standardOutput
        do {
            let summary = try runner.run(path: input, labels: labels) { record in
                var line = ReplayRunner.line(for: record)
                line.append(UInt8(ascii: "\n"))
                out.write(Data(line))
            }
            printError(summary.description)
        } catch {
            printError("driftd replay: \(error)")
            throw ExitCodes.data
        }
    }
}
