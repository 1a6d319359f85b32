import ArgumentParser
import DriftConfig
import DriftKafka

/// Flags that stand in for (and override) the config file, shared by `run`, `replay` and `validate`.
struct ConfigurationOptions: ParsableArguments {
    @Option(name: .long, help: "YAML configuration file (see config/driftd.yaml).")
    var config: String?

    @Option(name: .long, help: "Kafka bootstrap servers, host:port[,host:port].")
    var brokers: String?

    @Option(name: .customLong("input-topic"), help: "Topic of inference events (repeatable). Default: inference.")
    var inputTopics: [String] = []

    @Option(name: .customLong("alert-topic"), help: "Topic for alert events. Default: driftd.alerts.")
    var alertTopic: String?

    @Option(name: .customLong("retrain-topic"), help: "Topic for retrain events. Default: driftd.retrain.")
    var retrainTopic: String?

    @Option(name: .customLong("dead-letter-topic"), help: "Topic for rejected events. Default: driftd.dead-letter.")
    var deadLetterTopic: String?

    @Option(name: .customLong("group-id"), help: "Kafka consumer group. Default: driftd.")
    var groupID: String?

    @Option(name: .customLong("baseline"), help: "Baseline JSON file (repeatable); model and version come from it.")
    var baselines: [String] = []

    @Option(name: .customLong("state-dir"), help: "Directory for state that survives restarts.")
    var stateDirectory: String?

    @Option(
        name: .customLong("http-address"),
        help: "Address the status server binds (0.0.0.0 for all interfaces). Default: 127.0.0.1.")
    var httpAddress: String?

    @Option(name: .customLong("http-port"), help: "Port of /metrics, /healthz, /readyz. Default: 9464.")
    var httpPort: Int?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    @Option(name: .customLong("log-format"), help: "text or json.")
    var logFormat: String?

    /// The overrides these flags express.
    func overrides() throws -> ConfigurationOverrides {
        var level: LoggingSettings.Level?
        if let logLevel {
            guard let parsed = LoggingSettings.Level(rawValue: logLevel) else {
                throw ValidationError(
                    "--log-level must be one of \(LoggingSettings.Level.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            level = parsed
        }
        var format: LoggingSettings.Format?
        if let logFormat {
            guard let parsed = LoggingSettings.Format(rawValue: logFormat) else {
                throw ValidationError("--log-format must be text or json")
            }
            format = parsed
        }
        return ConfigurationOverrides(
            brokers: brokers, inputTopics: inputTopics.isEmpty ? nil : inputTopics, alertTopic: alertTopic,
            retrainTopic: retrainTopic, deadLetterTopic: deadLetterTopic, groupID: groupID,
            baselines: baselines.isEmpty ? nil : baselines, stateDirectory: stateDirectory,
            httpAddress: httpAddress, httpPort: httpPort,
            logLevel: level, logFormat: format)
    }

    /// Loads and validates the configuration, printing every problem and exiting 78 when invalid.
    /// Loads the configuration again for a SIGHUP reload: errors are thrown (and logged by the
    /// reloader), not printed, and never end the process.
    func reloadable() throws -> DaemonConfiguration {
        try ConfigurationLoader.load(
            file: config, overrides: try overrides(), checkProperty: KafkaPropertyCheck.problem(name:value:))
    }

    func load() throws -> DaemonConfiguration {
        do {
            return try ConfigurationLoader.load(
                file: config, overrides: try overrides(), checkProperty: KafkaPropertyCheck.problem(name:value:))
        } catch let errors as InvalidConfiguration {
            printError(
                "driftd: invalid configuration (\(errors.errors.count) problem\(errors.errors.count == 1 ? "" : "s")):")
            for error in errors.errors { printError("  \(error)") }
            throw ExitCodes.configuration
        }
    }
}
