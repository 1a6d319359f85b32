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
            SIGHUP reloads the configuration file (docs/operations.md). \
            Exit codes: 78 invalid configuration, 70 runtime failure.
            """)

    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let configuration = try options.load()
        let logger = DaemonLogging.bootstrap(configuration.logging)
        logger.info(
            "driftd starting",
            metadata: [
                "config": "\(configuration.sourceFile ?? "(flags)")",
                "models": "\(configuration.models.map { "\($0.model)@\($0.baseline.version)" }.joined(separator: ","))"
            ])
        do {
            var runner = DaemonRunner(configuration: configuration, logger: logger)
            let options = self.options
            runner.reload = { try options.reloadable() }
            try await runner.run()
        } catch let error as DaemonError {
            logger.critical("driftd stopped: \(error)")
            throw ExitCodes.runtime
        }
        logger.info("driftd stopped")
    }
}
