import ArgumentParser

/// The `driftd` command line.
@main
struct Driftd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "driftd",
        abstract: "Streaming model-drift daemon: Kafka inference events in, drift alerts and retrain events out.",
        version: "0.1.0",
        subcommands: [
            RunCommand.self, ReplayCommand.self, BaselineCommand.self, CompareCommand.self, ValidateCommand.self,
            DevBrokerCommand.self, DemoCommand.self
        ])
}
