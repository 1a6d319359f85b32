import ArgumentParser
import DriftConfig
import DriftCore

/// `driftd validate`: checks a configuration without starting anything.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a configuration (and the baselines it names) without connecting to Kafka.",
        discussion: "Lists every problem with file, line and key; exits 0 when valid, 78 when not.")

    @OptionGroup var options: ConfigurationOptions

    func run() throws {
        let configuration = try options.load()
        print(
            "driftd: configuration valid: \(configuration.models.count) model(s), brokers \(configuration.kafka.brokers), input \(configuration.kafka.inputTopics.joined(separator: ","))"
        )
        for model in configuration.models {
            print(
                "  \(model.model)@\(model.baseline.version): \(model.baseline.features.count) features, baseline \(model.baseline.id) (\(model.baselinePath))"
            )
        }
    }
}
