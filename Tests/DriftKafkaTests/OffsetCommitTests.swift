import DriftKafka
import DriftTestSupport
import InMemoryLogging
import Testing

@Suite("Stored and committed offsets")
struct OffsetCommitTests {
    @Test("a new consumer in the same group resumes after the committed offsets, without re-delivery")
    func newConsumerResumesAfterCommit() throws {
        let logs = InMemoryLogHandler()
        let cluster = try EmbeddedKafkaCluster(logger: logs.logger())
        let topic = TestProperties.unique("resume")
        let group = TestProperties.unique("group")
        try cluster.createTopic(topic, partitions: 2)
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logs.logger())
        for index in 0..<200 { try producer.send(topic: topic, key: "k\(index % 7)", value: "\(index)") }
        try producer.flush(timeout: .seconds(10))

        let first = try KafkaConsumer(
            bootstrapServers: cluster.bootstrapServers, groupID: group, topics: [topic],
            properties: TestProperties.consumer, logger: logs.logger()
        )
        var consumedFirst = Set<String>()
        var stored: [TopicPartition: Int64] = [:]
        let gotHalf = try Deadline(seconds: 15).repeatUntil {
            let batch = try first.poll(maxMessages: 40, timeout: .milliseconds(100))
            for index in 0..<batch.count {
                consumedFirst.insert(String(decoding: batch.payload(at: index), as: UTF8.self))
            }
            let next = batch.nextOffsets()
            try first.storeOffsets(next)
            for offset in next { stored[offset.topicPartition] = offset.offset }
            return consumedFirst.count >= 100
        }
        #expect(gotHalf)
        try first.commit()
        let committed = try first.committed(
            [TopicPartition(topic: topic, partition: 0), TopicPartition(topic: topic, partition: 1)],
            timeout: .seconds(5)
        )
        #expect(committed == stored)
        first.close()

        for index in 200..<250 { try producer.send(topic: topic, key: "k\(index % 7)", value: "\(index)") }
        try producer.close()

        let second = try KafkaConsumer(
            bootstrapServers: cluster.bootstrapServers, groupID: group, topics: [topic],
            properties: TestProperties.consumer, logger: logs.logger()
        )
        var consumedSecond: [String] = []
        let gotRest = try Deadline(seconds: 15).repeatUntil {
            let batch = try second.poll(maxMessages: 100, timeout: .milliseconds(100))
            for index in 0..<batch.count {
                consumedSecond.append(String(decoding: batch.payload(at: index), as: UTF8.self))
            }
            try second.storeOffsets(batch.nextOffsets())
            return consumedFirst.count + consumedSecond.count >= 250
        }
        #expect(gotRest, "second consumer got \(consumedSecond.count)")
        #expect(consumedFirst.isDisjoint(with: consumedSecond), "committed messages are not re-delivered")
        #expect(consumedFirst.union(consumedSecond) == Set((0..<250).map(String.init)))
        #expect(consumedSecond.count == 250 - consumedFirst.count)
        second.close()
    }

    @Test(
        "storing offsets of a partition not assigned is reported with the partition; commit with nothing stored succeeds"
    )
    func storeUnassignedFails() throws {
        let logs = InMemoryLogHandler()
        let cluster = try EmbeddedKafkaCluster(logger: logs.logger())
        let topic = TestProperties.unique("store")
        try cluster.createTopic(topic, partitions: 1)
        let consumer = try KafkaConsumer(
            bootstrapServers: cluster.bootstrapServers, groupID: TestProperties.unique("group"), topics: [topic],
            properties: TestProperties.consumer, logger: logs.logger()
        )
        try consumer.commit()
        do {
            try consumer.storeOffsets([TopicPartitionOffset(topic: "not-subscribed", partition: 3, offset: 10)])
            Issue.record("storing an offset for an unassigned partition must throw")
        } catch {
            #expect(error.code == .offsetStore)
            #expect(error.topic == "not-subscribed")
            #expect(error.partition == 3)
        }
        consumer.close()
    }
}
