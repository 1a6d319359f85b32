import DriftConfig
import DriftCore
import DriftDaemon
import DriftKafka
import Foundation
import Logging
import Synchronization
import Testing

/// Operations of the scale-out stages on the embedded broker, as the single path's
/// (DeliveryContractTests): output topics checked before consuming, /readyz following rollbacks,
/// back-pressure by pausing, chunked stage checkpoints, SIGHUP reload.
@Suite("Scale-out operations", .serialized)
struct ScaleOutOperationsTests {
    static let partitions = 4
    static let start: Int64 = 1_780_000_000_000

    /// One running `scale_out.mode: both` instance with its own health and metrics.
    final class Instance: @unchecked Sendable {
        let service: ScaleOutService
        let metrics = DaemonMetrics()
        let health = HealthState()
        private let outcome = Mutex<Result<Void, any Error>?>(nil)

        init(_ configuration: DaemonConfiguration, logger: Logger) throws {
            service = try ScaleOutService(
                configuration: configuration, metrics: metrics, health: health, logger: logger, source: "driftd/test")
            service.start { [self] result in self.outcome.withLock { $0 = result } }
        }

        /// Sum of a metric's samples whose line contains `label`.
        func counter(_ name: String, label: String = "") -> Double {
            metrics.registry.emitToString().split(separator: "\n")
                .filter {
                    ($0.hasPrefix(name + "{") || $0.hasPrefix(name + " ")) && (label.isEmpty || $0.contains(label))
                }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
                .reduce(0, +)
        }

        var applied: Double { counter("driftd_events_applied_total") }
        /// Whether /readyz would answer 200 now.
        var ready: Bool { health.readiness(now: WallClock.now()).ok }
        var readyDetail: String { health.readiness(now: WallClock.now()).detail }

        func stop() async throws {
            service.requestStop()
            while true {
                if let result = outcome.withLock({ $0 }) { return try result.get() }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    /// A cluster with the input topic (4 partitions) and the run's output topics.
    static func cluster(_ run: String, logger: Logger) throws -> EmbeddedKafkaCluster {
        let cluster = try EmbeddedKafkaCluster(brokerCount: 1, logger: logger)
        try cluster.createTopic("inference", partitions: partitions)
        for topic in ["alerts-\(run)", "retrain-\(run)", "state-\(run)", "dead-letter-\(run)"] {
            try cluster.createTopic(topic, partitions: 1)
        }
        try cluster.createTopic("partials-\(run)", partitions: 2)
        return cluster
    }

    /// `ScaleOutTests`' configuration with checkpoints every second, smaller batches, a dead-letter
    /// topic per run and `partitions` input partitions.
    static func configuration(_ cluster: EmbeddedKafkaCluster, baseline: Baseline, run: String) -> DaemonConfiguration {
        var configuration = ScaleOutTests.configuration(cluster, baseline: baseline, run: run)
        configuration.kafka.deadLetterTopic = "dead-letter-\(run)"
        configuration.kafka.batchSize = 500
        configuration.state.checkpointInterval = .seconds(1)
        configuration.scaleOut.inputPartitions = partitions
        return configuration
    }

    /// Events `range` (one per ms of event time from `start + offset`) keyed at random over the
    /// partitions, then 200 events 100 s later that close every pane of the real ones:
    /// `range.count` events get merged (and the 200 once a later call's events close their pane).
    static func produce(_ producer: KafkaProducer, _ range: Range<Int>, offset: Int64 = 0) throws {
        var random = SplitMix64(seed: UInt64(range.lowerBound + 1))
        for i in range {
            try producer.send(
                topic: "inference", key: "k-\(i * 7919 % 100_003)",
                value:
                    #"{"model":"m","version":"1","id":"e-\#(i)","timestamp":\#(start + offset + Int64(i)),"features":{"x":\#(random.nextStandardNormal()),"c":"a"}}"#
            )
        }
        for j in 0..<200 {
            try producer.send(
                topic: "inference", key: "close-\(range.lowerBound)-\(j)",
                value:
                    #"{"model":"m","version":"1","id":"c-\#(range.lowerBound)-\#(j)","timestamp":\#(start + offset + Int64(range.upperBound) + 100_000),"features":{"x":0,"c":"a"}}"#
            )
        }
        try producer.flush(timeout: .seconds(30))
    }

    static func waitUntil(seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return condition()
    }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    @Test(
        "an unusable output topic at start-up: not ready, driftd_output_blocked 1, nothing consumed until it is usable")
    func outputTopicsCheckedFirst() async throws {
        let logger = Self.logger
        let cluster = try Self.cluster("blocked", logger: logger)
        defer { cluster.shutdown() }
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logger)
        defer { try? producer.close(timeout: .seconds(5)) }
        try Self.produce(producer, 0..<2_000)
        // The internal topic (ingest's output) and the alert topic (evaluate's) both unusable.
        try cluster.setTopicError("partials-blocked", error: .unknownTopicOrPartition)
        try cluster.setTopicError("alerts-blocked", error: .unknownTopicOrPartition)
        let instance = try Instance(
            Self.configuration(cluster, baseline: try PipelineHarness.makeBaseline(), run: "blocked"), logger: logger)
        try await Task.sleep(for: .seconds(3))
        #expect(!instance.ready)
        #expect(instance.readyDetail.contains("output topics unusable"), "\(instance.readyDetail)")
        #expect(instance.counter("driftd_output_blocked") == 1)
        #expect(instance.service.publishedRecords.ingest == 0)
        #expect(instance.applied == 0)
        // Ingest's outputs come back: it consumes; evaluate still waits for its alert topic.
        try cluster.setTopicError("partials-blocked", error: .noError)
        #expect(await Self.waitUntil(seconds: 60) { instance.service.publishedRecords.ingest > 0 })
        #expect(instance.applied == 0)
        #expect(!instance.ready)
        #expect(instance.counter("driftd_output_blocked") == 1)
        try cluster.setTopicError("alerts-blocked", error: .noError)
        #expect(
            await Self.waitUntil(seconds: 90) { instance.applied == 2_000 && instance.ready },
            "applied \(instance.applied), ready \(instance.ready): \(instance.readyDetail)")
        #expect(instance.counter("driftd_output_blocked") == 0)
        try await instance.stop()
        #expect(!instance.ready)
    }

    @Test(
        "produce requests failing: the stages roll back and /readyz fails; once delivery works every event is merged once and /readyz passes"
    )
    func rollbackFailsReadiness() async throws {
        let logger = Self.logger
        let cluster = try Self.cluster("rollback", logger: logger)
        defer { cluster.shutdown() }
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logger)
        defer { try? producer.close(timeout: .seconds(5)) }
        let configuration = Self.configuration(cluster, baseline: try PipelineHarness.makeBaseline(), run: "rollback")
        let before = try Instance(configuration, logger: logger)
        try Self.produce(producer, 0..<2_000)
        #expect(
            await Self.waitUntil(seconds: 90) { before.applied == 2_000 && before.ready },
            "applied \(before.applied): \(before.readyDetail)")
        try await before.stop()
        try Self.produce(producer, 2_000..<4_000, offset: 200_000)
        // Every produce request fails from now on (topic authorisation), until the errors are cleared.
        let denied = KafkaResponseCode(rawValue: 29)
        try cluster.pushRequestErrors(api: .produce, errors: Array(repeating: denied, count: 100_000))
        let instance = try Instance(configuration, logger: logger)
        #expect(
            await Self.waitUntil(seconds: 90) { instance.counter("driftd_rollbacks_total") >= 2 },
            "rollbacks \(instance.counter("driftd_rollbacks_total"))")
        #expect(!instance.ready)
        #expect(instance.readyDetail.contains("rolled back"), "\(instance.readyDetail)")
        try cluster.clearRequestErrors(api: .produce)
        #expect(
            await Self.waitUntil(seconds: 120) { instance.applied == 4_200 && instance.ready },
            "applied \(instance.applied), ready \(instance.ready): \(instance.readyDetail)")
        try await Task.sleep(for: .seconds(1))
        #expect(instance.applied == 4_200)
        try await instance.stop()
    }

    @Test(
        "a full producer queue pauses the ingest stage's partitions instead of blocking; every dead letter delivered, every event merged once"
    )
    func backPressurePauses() async throws {
        let logger = Self.logger
        let cluster = try Self.cluster("pressure", logger: logger)
        defer { cluster.shutdown() }
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logger)
        defer { try? producer.close(timeout: .seconds(5)) }
        // Slow acknowledgements and a tiny local queue: 1,000 dead letters cannot all be queued at once.
        try cluster.setBrokerRoundTripTime(1, millis: 50)
        var configuration = Self.configuration(cluster, baseline: try PipelineHarness.makeBaseline(), run: "pressure")
        configuration.kafka.producerProperties = ["queue.buffering.max.messages": "10", "linger.ms": "0"]
        for i in 0..<1_000 {
            try producer.send(topic: "inference", key: "bad-\(i)", value: #"{"model":"nobody","features":{"x":\#(i)}}"#)
        }
        try Self.produce(producer, 0..<2_000)
        let instance = try Instance(configuration, logger: logger)
        var liveWhileBlocked = true
        let done = await Self.waitUntil(seconds: 180) {
            if instance.counter("driftd_output_blocked") == 1 {
                liveWhileBlocked =
                    liveWhileBlocked && instance.health.liveness(now: WallClock.now()).ok
            }
            return instance.applied == 2_000
        }
        #expect(done, "applied \(instance.applied)")
        #expect(instance.counter("driftd_consumption_pauses_total") >= 1, "the queue never filled")
        print("scale-out back-pressure: \(Int(instance.counter("driftd_consumption_pauses_total"))) pauses")
        #expect(instance.counter("driftd_rollbacks_total") == 0)
        #expect(liveWhileBlocked)
        try await instance.stop()
        let letters = try KafkaTopicReader(bootstrapServers: cluster.bootstrapServers, logger: logger).readAll(
            topic: "dead-letter-pressure", timeout: .seconds(20))
        let sources = Set(
            letters.compactMap { letter -> String? in
                let headers = Dictionary(
                    letter.headers.map { ($0.name, String(decoding: $0.value ?? [], as: UTF8.self)) },
                    uniquingKeysWith: { _, b in b })
                return headers["driftd-source-offset"].map { "\(headers["driftd-source-partition"] ?? "")/\($0)" }
            })
        #expect(sources.count == 1_000, "distinct dead letters \(sources.count) of \(letters.count) records")
    }

    @Test(
        "a stage checkpoint larger than one chunk is written in chunks and read back whole; a torn newer write is ignored"
    )
    func chunkedStageCheckpoints() throws {
        let logger = Self.logger
        let cluster = try EmbeddedKafkaCluster(brokerCount: 1, logger: logger)
        defer { cluster.shutdown() }
        try cluster.createTopic("state", partitions: 1)
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logger)
        defer { try? producer.close(timeout: .seconds(5)) }
        func store() -> StageStateStore {
            StageStateStore(
                topic: "state", group: "evaluate-g", stage: "evaluate", producer: producer,
                reader: KafkaTopicReader(bootstrapServers: cluster.bootstrapServers, logger: logger))
        }
        // 1.3 MB of state for one partition (three 512 KiB chunks), a small one for another.
        var random = SplitMix64(seed: 5)
        let large = Data((0..<1_300_000).map { _ in UInt8(random.next() % 251) })
        let p0 = TopicPartition(topic: "partials", partition: 0)
        let p1 = TopicPartition(topic: "partials", partition: 1)
        let first: [TopicPartition: StageStateStore.Record] = [
            p0: StageStateStore.Record(offset: 42, state: large),
            p1: StageStateStore.Record(offset: 7, state: Data("small".utf8))
        ]
        let writer = store()
        try writer.save(first)
        let records = try KafkaTopicReader(bootstrapServers: cluster.bootstrapServers, logger: logger).readAll(
            topic: "state", timeout: .seconds(10))
        #expect(records.allSatisfy { $0.value.count <= KafkaCheckpointStore.defaultChunkBytes })
        let p0Key = "\u{0}partials\u{0}0\u{0}"
        let p0Chunks = records.filter { String(decoding: $0.key ?? [], as: UTF8.self).contains(p0Key) }.count
        #expect(p0Chunks >= 3, "p0 in \(p0Chunks) records")
        print(
            "stage checkpoint: \(large.count) bytes of state in \(p0Chunks) records of at most \(records.map(\.value.count).max() ?? 0) bytes"
        )
        #expect(try store().load() == first)

        // A newer write, then a torn one (its first chunk only) in the other slot: the newer
        // complete write is read back.
        var second = first
        second[p0] = StageStateStore.Record(offset: 99, state: Data(large.reversed()))
        try writer.save(second)
        #expect(try store().load() == second)
        let torn = CheckpointTornWrite(
            group: "evaluate-g", stage: "evaluate", partition: p0, sequence: 3, chunkBytes: 512 * 1024)
        try torn.write(producer, topic: "state")
        #expect(try store().load() == second)

        // A fresh store learns the sequences: its next write lands in the other slot and wins.
        let successor = store()
        _ = try successor.load()
        var third = second
        third[p0] = StageStateStore.Record(offset: 120, state: Data("after".utf8))
        try successor.save(third)
        #expect(try store().load() == third)
    }

    @Test("reload rules: alert policy of the same models may change; models, windows, kafka and scale_out may not")
    func reloadRejection() throws {
        let cluster = try Self.cluster("rules", logger: Self.logger)
        defer { cluster.shutdown() }
        let running = Self.configuration(cluster, baseline: try PipelineHarness.makeBaseline(), run: "rules")
        var policy = running
        policy.models[0].defaultRule = AlertRule(forEvaluations: 3, cooldown: .seconds(5), minSamples: 500)
        policy.models[0].retrain = RetrainRule(driftShare: 0.5)
        policy.logging = LoggingSettings(level: .debug)
        policy.models[0].baselinePath = "/elsewhere/same-baseline.json"
        #expect(ScaleOutService.reloadRejection(running: running, next: running) == nil)
        #expect(ScaleOutService.reloadRejection(running: running, next: policy) == nil)
        var window = running
        window.models[0].window = .time(duration: .seconds(20), panes: 5)
        let windowReason = ScaleOutService.reloadRejection(running: running, next: window)
        #expect(windowReason?.contains("model m beyond its alert policy") == true, "\(windowReason ?? "nil")")
        var kafka = running
        kafka.kafka.batchSize = 100
        kafka.scaleOut.flushEvents = 10
        let kafkaReason = ScaleOutService.reloadRejection(running: running, next: kafka)
        #expect(kafkaReason?.contains("kafka") == true && kafkaReason?.contains("scale_out") == true)
        var models = running
        models.models = []
        #expect(ScaleOutService.reloadRejection(running: running, next: models)?.contains("the models") == true)
    }

    @Test(
        "SIGHUP reload in scale-out mode: a policy change is applied with the windows kept; a window change is rejected and counted"
    )
    func reloadWhileRunning() async throws {
        let logger = Self.logger
        let cluster = try Self.cluster("reload", logger: logger)
        defer { cluster.shutdown() }
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logger)
        defer { try? producer.close(timeout: .seconds(5)) }
        let configuration = Self.configuration(cluster, baseline: try PipelineHarness.makeBaseline(), run: "reload")
        let instance = try Instance(configuration, logger: logger)
        try Self.produce(producer, 0..<2_000)
        #expect(await Self.waitUntil(seconds: 90) { instance.applied == 2_000 }, "applied \(instance.applied)")

        let reloads = Mutex(0)
        var changed = configuration
        changed.models[0].defaultRule = AlertRule(forEvaluations: 3, cooldown: .zero, minSamples: 500)
        let policy = changed
        let reloader = ConfigurationReloader(
            load: {
                reloads.withLock { $0 += 1 }
                return policy
            }, pipeline: instance.service, metrics: instance.metrics, logger: logger)
        reloader.reload()
        #expect(instance.counter("driftd_config_reloads_total", label: "success") == 1)
        // Both stages take it after their next checkpoint; the evaluator's windows survive the
        // reload: the merged total stays, and more events add to it.
        #expect(await Self.waitUntil(seconds: 30) { instance.service.reloadsApplied == 2 })
        #expect(instance.applied == 2_000)
        try Self.produce(producer, 2_000..<3_000, offset: 200_000)
        #expect(await Self.waitUntil(seconds: 90) { instance.applied == 3_200 }, "applied \(instance.applied)")

        var window = configuration
        window.models[0].window = .time(duration: .seconds(20), panes: 5)
        instance.service.requestReload(window)
        #expect(instance.counter("driftd_config_reloads_total", label: "failure") == 1)
        #expect(reloads.withLock { $0 } == 1)
        try await Task.sleep(for: .seconds(1))
        #expect(instance.service.reloadsApplied == 2)
        #expect(instance.applied == 3_200)
        try await instance.stop()
    }
    @Test(
        "driftd run in scale-out mode: SIGHUP with a threshold change reloads; with a window change it is rejected with the reason; still running"
    )
    func sighupScaleOut() async throws {
        let logger = Self.logger
        let cluster = try EmbeddedKafkaCluster(brokerCount: 1, logger: logger)
        defer { cluster.shutdown() }
        for topic in ["inference", "driftd.alerts", "driftd.retrain", "driftd.dead-letter", "so-state", "so-partials"] {
            try cluster.createTopic(topic, partitions: 1)
        }
        let directory = NSTemporaryDirectory() + "driftd-so-reload-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let baseline = CommandLineTests.packageRoot.appendingPathComponent("config/baselines/churn.json").path
        let config = directory + "/driftd.yaml"
        func write(threshold: String, duration: String) throws {
            try """
            kafka:
              group_id: so-reload
              input_topics: [inference]
            defaults:
              drift: { threshold: \(threshold) }
              window: { type: time, duration: \(duration), panes: 5 }
            models:
              - baseline: \(baseline)
            state:
              topic: so-state
            scale_out:
              mode: both
              internal_topic: so-partials
              evaluator_group: so-reload-evaluate
              input_partitions: 1
            http:
              enabled: false
            logging:
              format: json
            """.write(toFile: config, atomically: true, encoding: .utf8)
        }
        try write(threshold: "0.2", duration: "10s")
        let log = directory + "/stderr.log"
        let process = try DaemonChild.run(config: config, brokers: cluster.bootstrapServers, log: log)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        func count(_ text: String) -> Int {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").components(separatedBy: text).count - 1
        }
        func content() -> String { String(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").suffix(3000)) }
        // Generous: with the whole suite running in parallel on 2 cores, the child can be starved.
        #expect(await Self.waitUntil(seconds: 180) { count("stage started") == 2 }, "\(content())")

        try write(threshold: "0.3", duration: "10s")
        kill(process.processIdentifier, SIGHUP)
        // Each stage applies it after its next checkpoint and says so.
        #expect(await Self.waitUntil(seconds: 60) { count("configuration reloaded") == 2 }, "\(content())")
        #expect(process.isRunning)

        try write(threshold: "0.3", duration: "20s")
        kill(process.processIdentifier, SIGHUP)
        #expect(
            await Self.waitUntil(seconds: 60) { count("configuration reload rejected in scale-out mode") == 1 },
            "\(content())")
        let full = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(full.contains("beyond its alert policy"), "\(content())")
        try await Task.sleep(for: .milliseconds(500))
        #expect(count("configuration reloaded") == 2)
        #expect(process.isRunning)

        kill(process.processIdentifier, SIGTERM)
        try await offPool { process.waitUntilExit() }
        #expect(process.terminationStatus == 0)
    }
}

/// Writes the first chunk of a two-chunk stage checkpoint only (a write cut short by a crash).
struct CheckpointTornWrite {
    var group: String
    var stage: String
    var partition: TopicPartition
    var sequence: Int
    var chunkBytes: Int

    func write(_ producer: KafkaProducer, topic: String) throws {
        let key = [group, "s", stage, partition.topic, String(partition.partition), String(sequence % 2), "0"]
            .joined(separator: "\u{0}")
        try producer.send(
            topic: topic, key: Array(key.utf8), value: Array(repeating: UInt8(ascii: "{"), count: chunkBytes),
            headers: [
                KafkaHeader(name: "driftd-checkpoint", text: UUID().uuidString),
                KafkaHeader(name: "driftd-chunk", text: "0/2"),
                KafkaHeader(name: "driftd-sequence", text: String(sequence))
            ])
        try producer.flush(timeout: .seconds(10))
    }
}
