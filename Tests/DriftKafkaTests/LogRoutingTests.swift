import DriftKafka
import DriftTestSupport
import InMemoryLogging
import Logging
import Testing

@Suite("librdkafka logs in swift-log")
struct LogRoutingTests {
    @Test("librdkafka debug lines reach the logger with client and facility metadata")
    func debugLinesRouted() throws {
        let logs = InMemoryLogHandler()
        let cluster = try EmbeddedKafkaCluster(logger: InMemoryLogHandler().logger())
        let topic = TestProperties.unique("logs")
        try cluster.createTopic(topic, partitions: 1)
        var properties = TestProperties.consumer
        properties["debug"] = "cgrp"
        let consumer = try KafkaConsumer(
            bootstrapServers: cluster.bootstrapServers, groupID: TestProperties.unique("group"), topics: [topic],
            properties: properties, logger: logs.logger(level: .debug)
        )
        let routed = try Deadline(seconds: 10).repeatUntil {
            _ = try consumer.poll(maxMessages: 10, timeout: .milliseconds(100))
            return logs.entries.contains { $0.level == .debug && $0.metadata["kafka.facility"] != nil }
        }
        #expect(routed)
        let line = try #require(logs.entries.first { $0.level == .debug && $0.metadata["kafka.facility"] != nil })
        #expect(line.metadata["kafka.client"]?.description.hasPrefix("rdkafka#consumer") == true)
        #expect(!line.message.description.isEmpty)
        consumer.close()
        #expect(logs.entries.contains { $0.message == "partitions assigned" || $0.message == "consumer closed" })
    }

    @Test("librdkafka errors reach the logger as warnings with the error name")
    func errorsRouted() throws {
        let logs = InMemoryLogHandler()
        // Nothing listens on port 9 (discard) here: every connection attempt fails.
        let producer = try KafkaProducer(
            bootstrapServers: "127.0.0.1:9",
            properties: ["reconnect.backoff.max.ms": "100"],
            logger: logs.logger()
        )
        let routed = Deadline(seconds: 10).repeatUntil {
            producer.poll(timeout: .milliseconds(100))
            return logs.entries.contains { $0.level == .warning && $0.metadata["kafka.error"] != nil }
        }
        #expect(routed)
        #expect(producer.errorCount > 0)
        #expect(producer.lastError?.responseCode != nil)
        try producer.close(timeout: .zero)
    }
}
