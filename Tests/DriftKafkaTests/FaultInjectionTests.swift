import DriftKafka
import DriftTestSupport
import InMemoryLogging
import Testing

@Suite("Unknown topics, broker outages and injected request errors")
struct FaultInjectionTests {
    @Test("subscribing to a missing topic surfaces a per-message error and does not throw")
    func unknownTopic() throws {
        let logs = InMemoryLogHandler()
        let cluster = try EmbeddedKafkaCluster(logger: logs.logger())
        let missing = TestProperties.unique("missing")
        try cluster.setTopicError(missing, error: .unknownTopicOrPartition)
        let consumer = try KafkaConsumer(
            bootstrapServers: cluster.bootstrapServers, groupID: TestProperties.unique("group"),
            topics: [missing], properties: TestProperties.consumer, logger: logs.logger()
        )
        var errors: [KafkaError] = []
        let reported = try Deadline(seconds: 15).repeatUntil {
            let batch = try consumer.poll(maxMessages: 10, timeout: .milliseconds(100))
            #expect(batch.isEmpty)
            errors += batch.errors
            return !errors.isEmpty
        }
        #expect(reported)
        #expect(errors.allSatisfy { $0.code == .message })
        #expect(errors.contains { $0.responseCode == .unknownTopicOrPartition || $0.responseCode == .unknownTopic })
        #expect(errors.contains { $0.topic == missing })
        consumer.close()
    }

    @Test("a producer reports deliveries that time out while the broker is down, then recovers")
    func producerBrokerDown() throws {
        let logs = InMemoryLogHandler()
        let cluster = try EmbeddedKafkaCluster(logger: logs.logger())
        let topic = TestProperties.unique("outage")
        try cluster.createTopic(topic, partitions: 1)
        let failures = FailureRecorder()
        let producer = try KafkaProducer(
            bootstrapServers: cluster.bootstrapServers,
            properties: ["message.timeout.ms": "1500", "reconnect.backoff.max.ms": "200"],
            logger: logs.logger(),
            onDeliveryFailure: failures.record
        )
        try producer.send(topic: topic, key: "warm-up", value: "0")
        try producer.flush(timeout: .seconds(5))
        #expect(producer.deliveredCount == 1)

        try cluster.setBrokerDown(1)
        for index in 0..<5 { try producer.send(topic: topic, key: "lost-\(index)", value: "\(index)") }
        let allFailed = Deadline(seconds: 10).repeatUntil {
            producer.poll(timeout: .milliseconds(100))
            return producer.failedCount == 5
        }
        #expect(allFailed, "failed \(producer.failedCount)")
        let reported = failures.all
        #expect(reported.count == 5)
        #expect(
            Set(reported.compactMap { $0.key.map { String(decoding: $0, as: UTF8.self) } })
                == Set((0..<5).map { "lost-\($0)" }))
        #expect(
            reported.allSatisfy {
                $0.topic == topic && $0.error.code == .delivery && $0.error.responseCode == .messageTimedOut
            })

        try cluster.setBrokerUp(1)
        for index in 0..<5 { try producer.send(topic: topic, key: "after-\(index)", value: "\(index)") }
        let recovered = Deadline(seconds: 15).repeatUntil {
            producer.poll(timeout: .milliseconds(100))
            return producer.deliveredCount == 6
        }
        #expect(recovered, "delivered \(producer.deliveredCount)")
        #expect(producer.errorCount > 0, "the outage went through the error callback")
        try producer.close()
    }

    @Test("a consumer keeps polling through a broker outage and resumes afterwards")
    func consumerBrokerDown() throws {
        let logs = InMemoryLogHandler()
        let cluster = try EmbeddedKafkaCluster(logger: logs.logger())
        let topic = TestProperties.unique("outage")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logs.logger())
        for index in 0..<10 { try producer.send(topic: topic, key: "k\(index)", value: "\(index)") }
        try producer.flush(timeout: .seconds(5))

        var properties = TestProperties.consumer
        properties["reconnect.backoff.max.ms"] = "200"
        let consumer = try KafkaConsumer(
            bootstrapServers: cluster.bootstrapServers, groupID: TestProperties.unique("group"), topics: [topic],
            properties: properties, logger: logs.logger()
        )
        var received = 0
        #expect(
            try Deadline(seconds: 15).repeatUntil {
                received += try consumer.poll(maxMessages: 100, timeout: .milliseconds(100)).count
                return received == 10
            })

        try cluster.setBrokerDown(1)
        let outage = Deadline(seconds: 1.5)
        while !outage.hasPassed {
            received += try consumer.poll(maxMessages: 100, timeout: .milliseconds(100)).count
        }
        try cluster.setBrokerUp(1)
        for index in 10..<20 { try producer.send(topic: topic, key: "k\(index)", value: "\(index)") }
        try producer.flush(timeout: .seconds(10))
        #expect(
            try Deadline(seconds: 20).repeatUntil {
                received += try consumer.poll(maxMessages: 100, timeout: .milliseconds(100)).count
                return received >= 20
            }, "received \(received)")
        #expect(consumer.errorCount > 0, "the outage went through the error callback")
        consumer.close()
        try producer.close()
    }

    @Test("an injected OffsetCommit error fails that commit; the next commit succeeds")
    func injectedCommitError() throws {
        let logs = InMemoryLogHandler()
        let cluster = try EmbeddedKafkaCluster(logger: logs.logger())
        let topic = TestProperties.unique("commit")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logs.logger())
        for index in 0..<5 { try producer.send(topic: topic, key: nil, value: "\(index)") }
        try producer.close()
        let consumer = try KafkaConsumer(
            bootstrapServers: cluster.bootstrapServers, groupID: TestProperties.unique("group"), topics: [topic],
            properties: TestProperties.consumer, logger: logs.logger()
        )
        var received = 0
        #expect(
            try Deadline(seconds: 15).repeatUntil {
                let batch = try consumer.poll(maxMessages: 100, timeout: .milliseconds(100))
                received += batch.count
                try consumer.storeOffsets(batch.nextOffsets())
                return received == 5
            })
        // OFFSET_METADATA_TOO_LARGE (12): a permanent error librdkafka does not retry.
        let injected = KafkaResponseCode(rawValue: 12)
        try cluster.pushRequestErrors(api: .offsetCommit, errors: [injected])
        do {
            try consumer.commit()
            Issue.record("the injected error must fail the commit")
        } catch {
            #expect(error.code == .commit)
            #expect(error.responseCode == injected)
        }
        try consumer.commit()
        let partition = TopicPartition(topic: topic, partition: 0)
        #expect(try consumer.committed([partition], timeout: .seconds(5)) == [partition: 5])
        consumer.close()
        cluster.shutdown()
        #expect(throws: KafkaError.self) { try cluster.createTopic("after-shutdown", partitions: 1) }
    }
}
