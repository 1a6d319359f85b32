import Benchmark
import DriftConfig
import DriftCore
import DriftDaemon
import DriftDecode
import DriftKafka
import Logging
import PerformanceFigures
import PerformanceSupport

/// The daemon's consume path on the embedded broker (librdkafka's mock cluster on loopback):
/// `KafkaConsumer.poll` batches -> `EventProcessor.process` (simdjson decode on the daemon's
/// default decode threads, window update, evaluation at every pane close) -> offsets stored, as
/// `KafkaPipeline` does without the producer; against `PlainConsumerReference`, a plain
/// librdkafka consume loop that only reads the payload bytes, on the same topic and data. Both
/// start the clock at their first batch, so group join is not counted; each run uses a fresh
/// consumer group and reads every event. Both ask for at most the messages that remain:
/// `rd_kafka_consume_batch_queue` returns early only for a full batch, so a last partial batch
/// would otherwise add the whole 100 ms poll timeout to either side.
let benchmarks: @Sendable () -> Void = {
    for features in FigureCatalogue.featureCounts {
        let figure = FigureCatalogue.endToEnd(features: features)
        let shared = SharedWorkload { try BrokerWorkload(features: features) }
        Benchmark(
            figure.benchmarkName,
            configuration: FigureRecording.configuration(
                warmupIterations: 1, maxIterations: 10, maxSeconds: 120),
            closure: { benchmark in
                let workload = try shared.get()
                var daemonRate = 0.0
                var plainRate = 0.0
                if benchmark.currentIteration % 2 == 0 {
                    daemonRate = try workload.runDaemonPath()
                    plainRate = try workload.runPlainConsumer()
                } else {
                    plainRate = try workload.runPlainConsumer()
                    daemonRate = try workload.runDaemonPath()
                }
                // Multi-second rounds: package-benchmark's clock covers the recording only (FigureRecording).
                benchmark.startMeasurement()
                FigureRecording.record(benchmark, figure: daemonRate, reference: plainRate)
            },
            teardown: { shared.reset() })
    }
}

/// A topic on an embedded cluster holding `eventCount` events of a `features`-feature model.
final class BrokerWorkload: Sendable {
    let cluster: EmbeddedKafkaCluster
    let topic: String
    let eventCount: Int
    let model: SyntheticModel
    let logger: Logger
    private let runs = RunCounter()

    init(features: Int) throws {
        var logger = Logger(label: "bench.end-to-end")
        logger.logLevel = .error
        self.logger = logger
        // About 200 MB of events, so each side's measurement lasts 0.15 to 0.7 s rather than a
        // few tens of milliseconds (shorter windows swing with the shared host's speed). The mock
        // broker keeps at most ~5 MB or 100k messages per partition: spread the events.
        eventCount = features <= 20 ? 400_000 : 200_000
        let partitions = features <= 20 ? 64 : 80
        model = try SyntheticModel(featureCount: features)
        cluster = try EmbeddedKafkaCluster(brokerCount: 1, logger: logger)
        topic = "bench-events-\(features)"
        try cluster.createTopic(topic, partitions: partitions)
        let start = WallClockMillis.now() - Int64(eventCount) - 60_000
        let corpus = model.events(count: eventCount, startMillis: start)
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logger)
        for i in 0..<corpus.count {
            // Keyed, so the partitioner spreads events evenly (null keys stick to one partition
            // for a while, which would overflow the mock partition and lose the oldest events).
            try producer.send(topic: topic, key: Array("event-\(i)".utf8), value: corpus.event(i))
            if i % 10_000 == 9_999 { _ = producer.poll(timeout: .zero) }
        }
        try producer.flush(timeout: .seconds(60))
        guard producer.deliveredCount == eventCount else {
            throw WorkloadError(.setup, "delivered \(producer.deliveredCount) of \(eventCount) events")
        }
        try producer.close()
    }

    /// Events per second through poll -> decode -> windows -> evaluation -> offset store.
    func runDaemonPath() throws -> Double {
        let configuration = ModelConfiguration(baselinePath: "generated:\(model.model)", baseline: model.baseline)
        let processor = try EventProcessor(
            models: [configuration], maxEventBytes: LimitSettings().maxEventBytes,
            maxFutureSkew: LimitSettings.defaultMaxFutureSkew,
            decodeWorkers: LimitSettings().effectiveDecodeThreads)
        let consumer = try KafkaConsumer(
            bootstrapServers: cluster.bootstrapServers, groupID: "bench-daemon-\(runs.next())", topics: [topic],
            logger: logger)
        defer { consumer.close() }
        var consumed = 0
        var applied = 0
        var evaluations = 0
        var first: UInt64 = 0
        var last: UInt64 = 0
        let started = Monotonic.nanos()
        let deadline = started + 60_000_000_000
        while consumed < eventCount && Monotonic.nanos() < deadline {
            // As in the reference: ask for no more than remain, or the last poll waits out its timeout.
            let batch = try consumer.poll(
                maxMessages: min(KafkaSettings.defaultBatchSize, eventCount - consumed), timeout: .milliseconds(100))
            guard !batch.isEmpty else { continue }
            if first == 0 { first = Monotonic.nanos() }
            let now = WallClockMillis.now()
            let result = processor.process(count: batch.count, now: WallClockTime(millisecondsSinceEpoch: now)) { i in
                EventPayload(bytes: batch.payload(at: i), fallbackTimestampMs: batch.timestampMillis(at: i) ?? now)
            }
            guard result.rejects.isEmpty else {
                throw WorkloadError("\(result.rejects.count) events rejected, first: \(result.rejects[0].code)")
            }
            applied += result.appliedPerModel.values.reduce(0, +)
            evaluations += result.outputs.count { if case .evaluation = $0 { true } else { false } }
            try consumer.storeOffsets(batch.nextOffsets())
            consumed += batch.count
            last = Monotonic.nanos()
        }
        guard consumed == eventCount, applied == eventCount else {
            let waited = Double(Monotonic.nanos() - started) / 1e9
            throw WorkloadError(
                "daemon path consumed \(consumed) and applied \(applied) of \(eventCount) events in \(waited) s; "
                    + "last consumer error: \(consumer.lastError.map { "\($0)" } ?? "none")")
        }
        guard evaluations >= eventCount / 1_000 - 1 else {
            throw WorkloadError("expected an evaluation per closed pane, got \(evaluations)")
        }
        return Double(eventCount) / (Double(last - first) / 1e9)
    }

    /// Messages per second through a plain librdkafka consume loop.
    func runPlainConsumer() throws -> Double {
        let reference = PlainConsumerReference(bootstrapServers: cluster.bootstrapServers)
        let result = try reference.consume(
            topic: topic, groupID: "bench-plain-\(runs.next())", expectedMessages: eventCount, timeout: .seconds(60))
        guard result.messages == eventCount, result.messageErrors == 0 else {
            throw WorkloadError(
                "plain consumer read \(result.messages) of \(eventCount) (\(result.messageErrors) errors)")
        }
        return result.messagesPerSecond
    }
}
