import DriftKafka
import DriftTestSupport
import InMemoryLogging
import Testing

@Suite("Plain librdkafka consumer (benchmark reference)")
struct PlainConsumerReferenceTests {
    @Test("reads every message of a topic and checksums every byte")
    func readsEverything() throws {
        let logs = InMemoryLogHandler()
        let cluster = try EmbeddedKafkaCluster(brokerCount: 1, logger: logs.logger())
        let topic = TestProperties.unique("plain")
        try cluster.createTopic(topic, partitions: 3)
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logs.logger())
        var expectedBytes = 0
        var expectedChecksum: UInt64 = 0
        for index in 0..<1_500 {
            // Lengths 1 to 40 cover the 8-byte words and the byte tail of the checksum.
            let value = (0..<(1 + index % 40)).map { UInt8(truncatingIfNeeded: index &* 31 &+ $0 &* 7) }
            expectedBytes += value.count
            expectedChecksum &+= value.reduce(0) { $0 &+ UInt64($1) }
            try producer.send(topic: topic, key: nil, value: value)
        }
        try producer.flush(timeout: .seconds(10))

        let reference = PlainConsumerReference(
            bootstrapServers: cluster.bootstrapServers, properties: TestProperties.consumer)
        let result = try reference.consume(
            topic: topic, groupID: TestProperties.unique("group"), expectedMessages: 1_500,
            timeout: .seconds(30))
        #expect(result.messages == 1_500)
        #expect(result.bytes == expectedBytes)
        #expect(result.checksum == expectedChecksum)
        #expect(result.messageErrors == 0)
        #expect(result.seconds >= 0)
        try producer.close()
        cluster.shutdown()
    }

    @Test("stops at the timeout when fewer messages exist, and refuses bad arguments")
    func timeoutAndArguments() throws {
        let logs = InMemoryLogHandler()
        let cluster = try EmbeddedKafkaCluster(brokerCount: 1, logger: logs.logger())
        let topic = TestProperties.unique("short")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logs.logger())
        for index in 0..<10 { try producer.send(topic: topic, key: nil, value: "m\(index)") }
        try producer.flush(timeout: .seconds(10))

        let reference = PlainConsumerReference(
            bootstrapServers: cluster.bootstrapServers, properties: TestProperties.consumer)
        // The timeout counts from the subscription, so it includes the group join: on a loaded
        // 2-core machine that alone took over 4 s (0 messages, seen in the suite).
        let result = try reference.consume(
            topic: topic, groupID: TestProperties.unique("group"), expectedMessages: 11, timeout: .seconds(12))
        #expect(result.messages == 10)
        #expect(throws: KafkaError.self) {
            try reference.consume(topic: "", groupID: "g", expectedMessages: 1, timeout: .seconds(1))
        }
        #expect(throws: KafkaError.self) {
            try reference.consume(topic: topic, groupID: "g", expectedMessages: 0, timeout: .seconds(1))
        }
        try producer.close()
        cluster.shutdown()
    }
}
