import DriftKafka
import DriftTestSupport
import InMemoryLogging

/// An embedded cluster with one fresh topic holding `messages` records (keys `k<i>`, values
/// `<i>`), a fresh group id, and a log collector: the setup most consumer tests start from.
struct TopicFixture {
    let logs = InMemoryLogHandler()
    let cluster: EmbeddedKafkaCluster
    let topic: String
    let group: String

    /// Creates the cluster and topic and produces the records (flushed before returning).
    init(_ prefix: String, partitions: Int, messages: Int) throws {
        cluster = try EmbeddedKafkaCluster(logger: logs.logger())
        topic = TestProperties.unique(prefix)
        group = TestProperties.unique("group")
        try cluster.createTopic(topic, partitions: partitions)
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logs.logger())
        for index in 0..<messages { try producer.send(topic: topic, key: "k\(index)", value: "\(index)") }
        try producer.close()
    }

    /// The topic's partitions, in order.
    func partitions(_ count: Int) -> [TopicPartition] {
        (0..<count).map { TopicPartition(topic: topic, partition: Int32($0)) }
    }

    /// A consumer of the topic in the fixture's group.
    func consumer(
        properties: [String: String] = TestProperties.consumer,
        onAssign: @escaping ([TopicPartition]) -> Void = { _ in },
        onRevoke: @escaping ([TopicPartition]) -> Bool = { _ in true }
    ) throws -> KafkaConsumer {
        try KafkaConsumer(
            bootstrapServers: cluster.bootstrapServers, groupID: group, topics: [topic], properties: properties,
            logger: logs.logger(), onAssign: onAssign, onRevoke: onRevoke)
    }
}
