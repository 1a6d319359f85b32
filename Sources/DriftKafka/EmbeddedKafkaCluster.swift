import Crdkafka
import Foundation
import Logging

/// An in-process Kafka cluster: librdkafka's mock cluster (`rdkafka_mock.h`), running on its own
/// `rd_kafka_t` and thread, speaking the real Kafka protocol on loopback ports. Any client can
/// connect to `bootstrapServers`: DriftKafka's consumer and producer, `kcat`, or another process.
///
/// It supports produce, fetch, consumer groups and offset commits, and fault injection. Limits:
/// each partition keeps at most about 5 MB or 100 000 messages and drops the oldest beyond that
/// (spread large tests over partitions, consume while producing); the Admin API (CreateTopics) is
/// not supported, use `createTopic`; unknown topics are created (4 partitions) when a client asks
/// for their metadata, so simulate a missing topic with `setTopicError`; group rebalances wait for `session.timeout.ms - 1 s` before
/// electing a leader when members are already joined, so use a short `session.timeout.ms` in
/// multi-consumer tests. Nothing in production code may depend on mock-only behaviour.
///
/// ## Destroy order
/// Close the clients connected to the cluster first, then call `shutdown()` (or release the
/// cluster): the mock cluster is destroyed before its dedicated `rd_kafka_t`. Clients still
/// connected afterwards only see their brokers disappear.
///
/// Thread-safe: the mock cluster's control calls post operations to its own thread.
public final class EmbeddedKafkaCluster: @unchecked Sendable {
    // @unchecked Sendable: `cluster`/`client` are only read or cleared under `lock`.

    /// The `host:port,...` list to give clients.
    public let bootstrapServers: String
    /// The number of brokers; broker ids are `1...brokerCount`.
    public let brokerCount: Int

    private let lock = NSLock()
    private var cluster: OpaquePointer?
    private var client: RDKafkaClient?
    private let logger: Logger

    /// Starts a mock cluster.
    ///
    /// - Parameters:
    ///   - brokerCount: the number of brokers (1 to 16).
    ///   - logger: receives the mock cluster's librdkafka log lines.
    /// - Throws: `KafkaError` with code `invalidArgument` or `mockCluster`.
    public init(brokerCount: Int = 1, logger: Logger) throws(KafkaError) {
        guard (1...16).contains(brokerCount) else {
            throw KafkaError(code: .invalidArgument, message: "brokerCount must be in 1...16, got \(brokerCount)")
        }
        self.brokerCount = brokerCount
        self.logger = logger
        // A producer handle that never produces: it only hosts the mock cluster's bookkeeping.
        let client = try RDKafkaClient.make(
            type: RD_KAFKA_PRODUCER,
            properties: [("client.id", "driftd-embedded-cluster")],
            context: RDKafkaClientContext(logger: logger)
        )
        guard let cluster = rd_kafka_mock_cluster_new(client.handle, Int32(brokerCount)) else {
            throw KafkaError(code: .mockCluster, message: "rd_kafka_mock_cluster_new failed (see the log)")
        }
        self.client = client
        self.cluster = cluster
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
        logger.info(
            "embedded Kafka cluster started",
            metadata: [
                "kafka.bootstrap_servers": .string(bootstrapServers),
                "kafka.brokers": .stringConvertible(brokerCount)
            ])
    }

    deinit {
        shutdown()
    }

    /// Creates a topic.
    ///
    /// - Parameters:
    ///   - name: the topic name.
    ///   - partitions: the number of partitions (at least 1).
    ///   - replicationFactor: replicas per partition (1...brokerCount).
    /// - Throws: `KafkaError` with code `invalidArgument`, `mockCluster` (for example when the
    ///   topic exists), or `closed`.
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
        guard !name.isEmpty else {
            throw KafkaError(code: .invalidArgument, message: "the topic name is empty")
        }
        guard partitions >= 1, partitions <= 100_000 else {
            throw KafkaError(
                code: .invalidArgument, message: "partitions must be in 1...100000, got \(partitions)", topic: name)
        }
        guard (1...brokerCount).contains(replicationFactor) else {
            throw KafkaError(
                code: .invalidArgument,
                message: "replicationFactor must be in 1...\(brokerCount), got \(replicationFactor)", topic: name)
        }
        try withCluster { cluster in
            rd_kafka_mock_topic_create(cluster, name, Int32(partitions), Int32(replicationFactor))
        }.throwIfError(context: "create topic \(name)", topic: name)
    }

    /// Disconnects a broker and refuses new connections (no leader change).
    ///
    /// - Parameter brokerID: a broker id in `1...brokerCount`.
    /// - Throws: `KafkaError` with code `invalidArgument`, `mockCluster` or `closed`.
    public func setBrokerDown(_ brokerID: Int) throws(KafkaError) {
        try checkBroker(brokerID)
        try withCluster { rd_kafka_mock_broker_set_down($0, Int32(brokerID)) }
            .throwIfError(context: "set broker \(brokerID) down")
    }

    /// Lets a broker accept connections again.
    ///
    /// - Parameter brokerID: a broker id in `1...brokerCount`.
    /// - Throws: `KafkaError` with code `invalidArgument`, `mockCluster` or `closed`.
    public func setBrokerUp(_ brokerID: Int) throws(KafkaError) {
        try checkBroker(brokerID)
        try withCluster { rd_kafka_mock_broker_set_up($0, Int32(brokerID)) }
            .throwIfError(context: "set broker \(brokerID) up")
    }

    /// Delays every response of a broker.
    ///
    /// - Parameters:
    ///   - brokerID: a broker id in `1...brokerCount`.
    ///   - millis: the added round-trip time (0 to remove it).
    /// - Throws: `KafkaError` with code `invalidArgument`, `mockCluster` or `closed`.
    public func setBrokerRoundTripTime(_ brokerID: Int, millis: Int) throws(KafkaError) {
        try checkBroker(brokerID)
        guard millis >= 0 else {
            throw KafkaError(code: .invalidArgument, message: "the round-trip time must not be negative, got \(millis)")
        }
        try withCluster { rd_kafka_mock_broker_set_rtt($0, Int32(brokerID), Int32(clamping: millis)) }
            .throwIfError(context: "set broker \(brokerID) round-trip time")
    }

    /// Makes the next `errors.count` requests of type `api`, to any broker, fail with these error
    /// codes, in order. `KafkaResponseCode.transport` disconnects the client instead.
    ///
    /// - Parameters:
    ///   - api: the request type.
    ///   - errors: the error codes to return, first one first.
    /// - Throws: `KafkaError` with code `closed`.
    public func pushRequestErrors(api: KafkaAPIKey, errors: [KafkaResponseCode]) throws(KafkaError) {
        guard !errors.isEmpty else { return }
        let codes = errors.map(\.cValue)
        try withCluster { cluster in
            codes.withUnsafeBufferPointer { buffer in
                rd_kafka_mock_push_request_errors_array(cluster, api.rawValue, buffer.count, buffer.baseAddress)
            }
            return RD_KAFKA_RESP_ERR_NO_ERROR
        }.throwIfError(context: "push request errors")
    }

    /// Makes Metadata requests report `error` for `topic` (for example
    /// `.unknownTopicOrPartition`), until set back to `.noError`. This is how a missing topic is
    /// simulated: the mock cluster otherwise creates unknown topics (4 partitions) on request.
    ///
    /// - Parameters:
    ///   - topic: the topic name.
    ///   - error: the error to report, or `.noError` to clear it.
    /// - Throws: `KafkaError` with code `invalidArgument` or `closed`.
    public func setTopicError(_ topic: String, error: KafkaResponseCode) throws(KafkaError) {
        guard !topic.isEmpty else {
            throw KafkaError(code: .invalidArgument, message: "the topic name is empty")
        }
        try withCluster { cluster in
            rd_kafka_mock_topic_set_error(cluster, topic, error.cValue)
            return RD_KAFKA_RESP_ERR_NO_ERROR
        }.throwIfError(context: "set topic error", topic: topic)
    }

    /// Removes request errors pushed for `api` that were not consumed yet.
    ///
    /// - Parameter api: the request type.
    /// - Throws: `KafkaError` with code `closed`.
    public func clearRequestErrors(api: KafkaAPIKey) throws(KafkaError) {
        try withCluster { cluster in
            rd_kafka_mock_clear_request_errors(cluster, api.rawValue)
            return RD_KAFKA_RESP_ERR_NO_ERROR
        }.throwIfError(context: "clear request errors")
    }

    /// Stops the cluster: destroys the mock cluster, then its `rd_kafka_t`. Idempotent; later
    /// control calls throw `closed`.
    public func shutdown() {
        lock.lock()
        defer { lock.unlock() }
        guard let cluster else { return }
        rd_kafka_mock_cluster_destroy(cluster)
        self.cluster = nil
        self.client = nil
        logger.info("embedded Kafka cluster stopped", metadata: ["kafka.bootstrap_servers": .string(bootstrapServers)])
    }

    // MARK: - Helpers

    private func checkBroker(_ brokerID: Int) throws(KafkaError) {
        guard (1...brokerCount).contains(brokerID) else {
            throw KafkaError(
                code: .invalidArgument, message: "broker id must be in 1...\(brokerCount), got \(brokerID)")
        }
    }

    private func withCluster(_ body: (OpaquePointer) -> rd_kafka_resp_err_t) throws(KafkaError) -> rd_kafka_resp_err_t {
        lock.lock()
        defer { lock.unlock() }
        guard let cluster else {
            throw KafkaError(code: .closed, message: "the embedded cluster was shut down")
        }
        return body(cluster)
    }
}

extension rd_kafka_resp_err_t {
    /// Throws a `mockCluster` error unless this is `NO_ERROR`.
    fileprivate func throwIfError(context: String, topic: String? = nil) throws(KafkaError) {
        guard self != RD_KAFKA_RESP_ERR_NO_ERROR else { return }
        throw KafkaError(code: .mockCluster, self, context: context, topic: topic)
    }
}
