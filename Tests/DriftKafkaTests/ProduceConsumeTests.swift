import DriftKafka
import DriftTestSupport
import Foundation
import InMemoryLogging
import Testing

@Suite("Produce and consume on the embedded cluster")
struct ProduceConsumeTests {
    @Test("messages with keys spread over partitions are all consumed in batches, with their content")
    func produceAndConsumeAll() throws {
        let logs = InMemoryLogHandler()
        let cluster = try EmbeddedKafkaCluster(brokerCount: 1, logger: logs.logger())
        let topic = TestProperties.unique("events")
        try cluster.createTopic(topic, partitions: 4)

        let count = 3_000
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logs.logger())
        for index in 0..<count {
            try producer.send(
                topic: topic,
                key: "model-\(index % 37)",
                value: "{\"i\":\(index)}",
                headers: [KafkaHeader(name: "source", text: "test")]
            )
        }
        try producer.flush(timeout: .seconds(10))
        #expect(producer.deliveredCount == count)
        #expect(producer.failedCount == 0)
        #expect(producer.outstandingMessages == 0)

        let consumer = try KafkaConsumer(
            bootstrapServers: cluster.bootstrapServers,
            groupID: TestProperties.unique("group"),
            topics: [topic],
            properties: TestProperties.consumer,
            logger: logs.logger()
        )
        var seen: [Int: (key: String, partition: Int32)] = [:]
        var lastOffset: [Int32: Int64] = [:]
        var largestBatch = 0
        var duplicates = 0
        let finished = try Deadline(seconds: 20).repeatUntil {
            let batch = try consumer.poll(maxMessages: 500, timeout: .milliseconds(100))
            largestBatch = max(largestBatch, batch.count)
            #expect(batch.errors.isEmpty)
            for index in 0..<batch.count {
                #expect(batch.topic(at: index) == topic)
                let partition = batch.partition(at: index)
                let offset = batch.offset(at: index)
                #expect(offset > lastOffset[partition, default: -1], "offsets increase within a partition")
                lastOffset[partition] = offset
                #expect(batch.timestampMillis(at: index) != nil)
                let key = String(decoding: try #require(batch.key(at: index)), as: UTF8.self)
                let payload = String(decoding: batch.payload(at: index), as: UTF8.self)
                let value = try #require(Int(payload.dropFirst(5).dropLast()), "payload \(payload)")
                if seen[value] != nil { duplicates += 1 }
                seen[value] = (key, partition)
            }
            if !batch.isEmpty { try consumer.storeOffsets(batch.nextOffsets()) }
            return seen.count == count
        }
        #expect(finished, "consumed \(seen.count) of \(count)")
        #expect(duplicates == 0)
        #expect(largestBatch > 1, "messages arrive in batches")
        for (value, record) in seen {
            #expect(record.key == "model-\(value % 37)")
        }
        // The same key always lands in the same partition, and keys use several partitions.
        let partitionsByKey = Dictionary(grouping: seen.values, by: \.key).mapValues { Set($0.map(\.partition)) }
        #expect(partitionsByKey.values.allSatisfy { $0.count == 1 })
        #expect(Set(seen.values.map(\.partition)).count > 1)
        #expect(lastOffset.values.reduce(0) { $0 + $1 + 1 } == Int64(count), "offsets are dense per partition")

        try consumer.commit()
        consumer.close()
        try producer.close()
        cluster.shutdown()
    }

    @Test("every send gets a delivery report, served by poll")
    func deliveryReports() throws {
        let logs = InMemoryLogHandler()
        let cluster = try EmbeddedKafkaCluster(brokerCount: 3, logger: logs.logger())
        let topic = TestProperties.unique("alerts")
        try cluster.createTopic(topic, partitions: 3, replicationFactor: 3)
        let failures = FailureRecorder()
        let producer = try KafkaProducer(
            bootstrapServers: cluster.bootstrapServers,
            logger: logs.logger(),
            onDeliveryFailure: failures.record
        )
        let count = 500
        for index in 0..<count {
            try producer.send(
                topic: topic, key: Array("m\(index % 5)".utf8), value: Array(repeating: UInt8(index % 251), count: 64))
        }
        let delivered = Deadline(seconds: 10).repeatUntil {
            producer.poll(timeout: .milliseconds(50))
            return producer.deliveredCount == count
        }
        #expect(delivered, "delivered \(producer.deliveredCount) of \(count)")
        #expect(producer.failedCount == 0)
        #expect(failures.all.isEmpty)
        #expect(producer.outstandingMessages == 0)
        try producer.close()
        #expect(throws: KafkaError.self) { try producer.send(topic: topic, key: nil, value: "late") }
        do {
            try producer.send(topic: topic, key: nil, value: "late")
        } catch {
            #expect(error.code == .closed)
        }
        try producer.close()  // idempotent
    }

    @Test("a batch keeps its payloads readable after the consumer is closed")
    func batchOutlivesConsumer() throws {
        let logs = InMemoryLogHandler()
        let cluster = try EmbeddedKafkaCluster(logger: logs.logger())
        let topic = TestProperties.unique("lifecycle")
        try cluster.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logs.logger())
        for index in 0..<10 { try producer.send(topic: topic, key: nil, value: "payload-\(index)") }
        try producer.close()

        let consumer = try KafkaConsumer(
            bootstrapServers: cluster.bootstrapServers,
            groupID: TestProperties.unique("group"),
            topics: [topic],
            properties: TestProperties.consumer,
            logger: logs.logger()
        )
        #expect(throws: KafkaError.self) { _ = try consumer.poll(maxMessages: 0, timeout: .zero) }
        var batch: KafkaMessageBatch?
        let gotOne = try Deadline(seconds: 15).repeatUntil {
            let polled = try consumer.poll(maxMessages: 100, timeout: .milliseconds(100))
            if !polled.isEmpty { batch = polled }
            return batch != nil
        }
        #expect(gotOne)
        consumer.close()
        consumer.close()  // idempotent
        #expect(consumer.isClosed)
        do {
            _ = try consumer.poll(maxMessages: 10, timeout: .zero)
            Issue.record("poll after close must throw")
        } catch {
            #expect(error.code == .closed)
        }
        let kept = try #require(batch)
        #expect(kept.count > 0)
        #expect(kept.key(at: 0) == nil)
        #expect(String(decoding: kept.payload(at: 0), as: UTF8.self) == "payload-0")
        #expect(kept.nextOffsets() == [TopicPartitionOffset(topic: topic, partition: 0, offset: Int64(kept.count))])
    }
}

/// Records delivery failures reported by a producer (called from librdkafka's polling threads).
final class FailureRecorder: @unchecked Sendable {
    // @unchecked Sendable: `failures` is only touched under `lock`.
    private let lock = NSLock()
    private var failures: [KafkaDeliveryFailure] = []

    /// Appends a failure.
    func record(_ failure: KafkaDeliveryFailure) {
        lock.lock()
        failures.append(failure)
        lock.unlock()
    }

    /// The failures so far.
    var all: [KafkaDeliveryFailure] {
        lock.lock()
        defer { lock.unlock() }
        return failures
    }
}
