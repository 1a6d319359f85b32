import DriftKafka
import DriftTestSupport
import Foundation
import InMemoryLogging
import Testing

@Suite("Topic reader")
struct TopicReaderTests {
    @Test("reads every record of every partition with keys and headers, in offset order; an empty topic gives none")
    func readsAll() throws {
        let logs = InMemoryLogHandler()
        let cluster = try EmbeddedKafkaCluster(logger: logs.logger())
        defer { cluster.shutdown() }
        let topic = TestProperties.unique("state")
        try cluster.createTopic(topic, partitions: 3)
        let empty = TestProperties.unique("empty")
        try cluster.createTopic(empty, partitions: 2)
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logs.logger())
        for i in 0..<300 {
            try producer.send(
                topic: topic, key: Array("k\(i % 7)".utf8), value: Array("v\(i)".utf8),
                headers: [KafkaHeader(name: "n", text: "\(i)")])
        }
        try producer.flush(timeout: .seconds(10))
        // The daemon passes its consumer properties, cooperative-sticky included: the reader must
        // not inherit the assignor (librdkafka 2.0.2 aborts closing such a consumer that never joined).
        let reader = KafkaTopicReader(
            bootstrapServers: cluster.bootstrapServers,
            properties: ["partition.assignment.strategy": "cooperative-sticky"],
            logger: logs.logger())
        let records = try reader.readAll(topic: topic, timeout: .seconds(20))
        #expect(records.count == 300)
        #expect(Set(records.map { String(decoding: $0.value, as: UTF8.self) }) == Set((0..<300).map { "v\($0)" }))
        for partition in Set(records.map(\.partition)) {
            let offsets = records.filter { $0.partition == partition }.map(\.offset)
            #expect(offsets == offsets.sorted())
        }
        #expect(records.allSatisfy { $0.headers.first?.name == "n" && $0.key != nil })
        #expect(try reader.readAll(topic: empty, timeout: .seconds(10)).isEmpty)
        let committed = try reader.committed(
            group: TestProperties.unique("nobody"), partitions: [TopicPartition(topic: topic, partition: 0)],
            timeout: .seconds(10))
        #expect(committed.isEmpty)
        try producer.close()
    }
}
