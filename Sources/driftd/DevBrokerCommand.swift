import ArgumentParser
import DriftKafka
import Foundation
import Logging

/// `driftd dev-broker`: a standalone embedded Kafka-protocol broker for local work.
struct DevBrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev-broker",
        abstract: "Run an embedded Kafka-protocol broker (librdkafka's mock cluster) on loopback.",
        discussion: """
            Prints the bootstrap address as the first line of output, so scripts can read it; any Kafka \
            client (kcat, driftd run --brokers ...) can produce and consume. Creates driftd's default topics. \
            Runs until SIGINT/SIGTERM. Data lives in memory only; each partition keeps about 100k messages.
            """)

    @Option(name: .long, help: "Partitions of each created topic.")
    var partitions: Int = 3

    @Option(name: .long, help: "Number of mock brokers.")
    var brokers: Int = 1

    @Option(name: .customLong("topic"), help: "Extra topic to create (repeatable).")
    var topics: [String] = []

    func validate() throws {
        guard (1...1000).contains(partitions) else { throw ValidationError("--partitions must be 1...1000") }
        guard (1...9).contains(brokers) else { throw ValidationError("--brokers must be 1...9") }
    }

    func run() async throws {
        var logger = Logger(label: "driftd.dev-broker")
        logger.logLevel = .warning
        let cluster = try EmbeddedKafkaCluster(brokerCount: brokers, logger: logger)
        defer { cluster.shutdown() }
        let names = ["inference", "labels", "driftd.alerts", "driftd.retrain", "driftd.dead-letter"] + topics
        for name in names { try cluster.createTopic(name, partitions: partitions) }
        let termination = await SignalWaiter()
        FileHandle.standardOutput.write(Data((cluster.bootstrapServers + "\n").utf8))
        printError(
            "driftd dev-broker: \(brokers) broker(s) at \(cluster.bootstrapServers); topics \(names.joined(separator: ", ")) with \(partitions) partition(s). Ctrl-C to stop."
        )
        await termination.waitForTermination()
        printError("driftd dev-broker: stopping")
    }
}
