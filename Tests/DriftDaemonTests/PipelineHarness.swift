import DriftConfig
import DriftCore
import DriftDaemon
import DriftKafka
import Foundation
import Logging
import Synchronization
import Testing

/// Runs the real pipeline against an embedded Kafka-protocol broker, with helpers to produce
/// inference events and read back what the daemon published.
final class PipelineHarness: @unchecked Sendable {
    let cluster: EmbeddedKafkaCluster
    let baseline: Baseline
    let logger: Logger
    let stateDirectory: String
    let topics = (input: "inference", alerts: "alerts", retrain: "retrain", deadLetter: "dead-letter")
    private let producer: KafkaProducer

    init(partitions: Int = 3) throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        self.logger = logger
        cluster = try EmbeddedKafkaCluster(brokerCount: 1, logger: logger)
        try cluster.createTopic(topics.input, partitions: partitions)
        for topic in [topics.alerts, topics.retrain, topics.deadLetter] {
            try cluster.createTopic(topic, partitions: 1)
        }
        producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logger)
        baseline = try Self.makeBaseline()
        stateDirectory = NSTemporaryDirectory() + "driftd-test-\(UUID().uuidString)"
    }

    deinit {
        try? producer.close(timeout: .seconds(5))
        cluster.shutdown()
        try? FileManager.default.removeItem(atPath: stateDirectory)
    }

    /// Baseline of x ~ N(0,1) and c in {a: 0.6, b: 0.4}.
    static func makeBaseline() throws -> Baseline {
        var r = SplitMix64(seed: 11)
        var x: [DataValue] = []
        var c: [DataValue] = []
        for _ in 0..<20_000 {
            x.append(.number(normal(&r)))
            c.append(.string(r.nextUnitInterval() < 0.6 ? "a" : "b"))
        }
        return try BaselineBuilder().build(
            model: "m", version: "1", columns: [DataColumn(name: "x", values: x), DataColumn(name: "c", values: c)])
    }

    static func normal(_ r: inout SplitMix64) -> Double { r.nextStandardNormal() }

    /// A configuration for this harness: count window 2,000 events in 4 panes, fire after 2 evaluations.
    func configuration(groupID: String = "driftd-test", stateDirectory: String? = nil, stateTopic: String? = nil)
        -> DaemonConfiguration
    {
        DaemonConfiguration(
            kafka: KafkaSettings(
                brokers: cluster.bootstrapServers, groupID: groupID, inputTopics: [topics.input],
                alertTopic: topics.alerts, retrainTopic: topics.retrain, deadLetterTopic: topics.deadLetter,
                // A short session lets a restarted member rejoin quickly whatever the broker does on leave.
                consumerProperties: ["session.timeout.ms": "6000", "heartbeat.interval.ms": "500"], batchSize: 500),
            models: [
                ModelConfiguration(
                    baselinePath: "(memory)", baseline: baseline, window: .count(events: 2_000, panes: 4),
                    evaluationInterval: .seconds(1),
                    defaultRule: AlertRule(forEvaluations: 2, cooldown: .zero, minSamples: 1_000),
                    retrain: RetrainRule(driftShare: 1.0))
            ],
            state: StateSettings(directory: stateDirectory, topic: stateTopic, checkpointInterval: .milliseconds(500)),
            http: HTTPSettings(enabled: false))
    }

    // MARK: - Producing

    private var sequence = 0
    private var random = SplitMix64(seed: 2024)

    /// Produces `count` inference events of model `m`, x shifted by `shift` standard deviations.
    func produce(_ count: Int, shift: Double = 0) throws {
        let now = WallClock.nowMillis()
        for _ in 0..<count {
            sequence += 1
            let x = Self.normal(&random) + shift
            let c = random.nextUnitInterval() < 0.6 ? "a" : "b"
            try producer.send(
                topic: topics.input, key: "req-\(sequence)",
                value:
                    #"{"model":"m","version":"1","id":"req-\#(sequence)","timestamp":\#(now),"features":{"x":\#(x),"c":"\#(c)"}}"#
            )
        }
        try producer.flush(timeout: .seconds(10))
    }

    /// Produces raw message bytes as they are (not necessarily UTF-8).
    func produceBytes(_ values: [[UInt8]]) throws {
        for (i, value) in values.enumerated() {
            try producer.send(topic: topics.input, key: Array("bytes-\(i)".utf8), value: value)
        }
        try producer.flush(timeout: .seconds(10))
    }

    /// Produces raw message values as they are.
    func produceRaw(_ values: [String]) throws {
        for (i, value) in values.enumerated() {
            try producer.send(topic: topics.input, key: "raw-\(i)", value: value)
        }
        try producer.flush(timeout: .seconds(10))
    }

    // MARK: - Reading back

    /// A record read from an output topic.
    struct Record: Sendable {
        var key: String?
        var value: String
        /// Text headers by name (the last one of a name wins).
        var headers: [String: String] = [:]
        var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(value.utf8))) as? [String: Any]
        }
    }

    /// Reads `topic` from the beginning with a separate consumer group until `until` holds or the
    /// deadline passes; returns everything read.
    func read(
        _ topic: String, timeoutSeconds: Double = 90, until: @escaping @Sendable ([Record]) -> Bool
    ) async throws -> [Record] {
        try await offPool { [self] in try readBlocking(topic, timeoutSeconds: timeoutSeconds, until: until) }
    }

    private func readBlocking(_ topic: String, timeoutSeconds: Double, until: ([Record]) -> Bool) throws -> [Record] {
        let reader = try KafkaConsumer(
            bootstrapServers: cluster.bootstrapServers, groupID: "reader-\(UUID().uuidString)", topics: [topic],
            logger: logger)
        defer { reader.close() }
        var records: [Record] = []
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline && !until(records) {
            let batch = try reader.poll(maxMessages: 500, timeout: .milliseconds(100))
            for i in 0..<batch.count {
                var headers: [String: String] = [:]
                for header in batch.headers(at: i) {
                    headers[header.name] = header.value.map { String(decoding: $0, as: UTF8.self) } ?? ""
                }
                records.append(
                    Record(
                        key: batch.keyBytes(at: i).map { String(decoding: $0, as: UTF8.self) },
                        value: String(decoding: batch.payload(at: i), as: UTF8.self), headers: headers))
            }
        }
        return records
    }

    // MARK: - Running the daemon

    /// A running pipeline and its metrics.
    final class Running: @unchecked Sendable {
        let pipeline: KafkaPipeline
        let metrics: DaemonMetrics
        let health: HealthState
        private let evaluationCount: Counter
        /// The loop's outcome once it has returned.
        private let outcome = Mutex<Result<Void, any Error>?>(nil)

        /// Starts the pipeline's own thread at once: a task would need a thread of the
        /// cooperative pool to start on, which CPU-heavy tests running alongside can hold for
        /// tens of seconds.
        init(pipeline: KafkaPipeline, metrics: DaemonMetrics, health: HealthState, evaluationCount: Counter) {
            self.pipeline = pipeline
            self.metrics = metrics
            self.health = health
            self.evaluationCount = evaluationCount
            pipeline.start { [self] result in self.outcome.withLock { $0 = result } }
        }

        /// Window evaluations so far.
        var evaluations: Int { evaluationCount.value.withLock { $0 } }

        /// Whether /readyz would answer 200 now.
        var ready: Bool { health.readiness(now: WallClock.now()).ok }

        /// Sum of a counter over its label sets, from the Prometheus text.
        func counter(_ name: String, labelContains: String = "") -> Double {
            metrics.registry.emitToString().split(separator: "\n")
                .filter { $0.hasPrefix(name) && (labelContains.isEmpty || $0.contains(labelContains)) }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
                .reduce(0, +)
        }

        /// Waits until `condition` holds, polling; returns whether it did within the timeout.
        func wait(seconds: Double = 90, _ condition: () -> Bool) async -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if condition() { return true }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return condition()
        }

        /// Graceful stop: finish the batch, checkpoint, commit, flush.
        func stop() async throws {
            pipeline.requestStop()
            while true {
                if let result = outcome.withLock({ $0 }) { return try result.get() }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    func start(_ configuration: DaemonConfiguration) throws -> Running {
        let metrics = DaemonMetrics()
        let count = Counter()
        let health = HealthState()
        let pipeline = try KafkaPipeline(
            configuration: configuration, metrics: metrics, health: health, logger: logger, source: "driftd/test",
            onEvaluation: { _ in count.value.withLock { $0 += 1 } })
        return Running(pipeline: pipeline, metrics: metrics, health: health, evaluationCount: count)
    }
}

/// A thread-safe count shared with the pipeline's callbacks.
final class Counter: Sendable {
    let value = Mutex(0)
}
