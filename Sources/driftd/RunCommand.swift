import ArgumentParser
import DriftConfig
import DriftCore
import DriftDaemon
import Logging

/// `driftd run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Consume inference events, watch for drift, publish alert and retrain events.",
        discussion: """
            With --config, reads the YAML file; flags given as well override it. Without a file, \
            --brokers and at least one --baseline are enough: everything else has documented defaults. \
            Stops gracefully on SIGTERM/SIGINT (finish the batch, checkpoint, commit, flush, exit 0). \
            Exit codes: 78 invalid configuration, 70 runtime failure.
            """)

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let configuration = try options.load()
        let logger = DaemonLogging.bootstrap(configuration.logging)
        logger.info("driftd starting", metadata: [
            "config": "\(configuration.sourceFile ?? "(flags)")",
            "models": "\(configuration.models.map { "\($0.model)@\($0.baseline.version)" }.joined(separator: ","))",
        ])
        do {
            try await DaemonRunner(configuration: configuration, logger: logger).run()
        } catch let error as DaemonError {
            logger.critical("driftd stopped: \(error)")
            throw ExitCodes.runtime
        }
        logger.info("driftd stopped")
    }
}
