import DriftConfig
import DriftCore
import DriftKafka
import Foundation
import Logging
import Synchronization

/// `driftd demo`: an embedded Kafka-protocol broker, synthetic inference traffic whose
/// distributions drift on a schedule, delayed labels for it (whose agreement with the
/// predictions falls in the last stage), the real daemon consuming both, and a separate
/// consumer reading the alert and retrain topics back, all printed live.
public struct DemoRunner: Sendable {
    /// How long to run, seconds.
    public var durationSeconds: Int = 75
    /// Events per second produced.
    public var eventsPerSecond: Int = 4_000
    /// Events per scenario stage.
    public var stageEvents: Int = 40_000
    /// Working directory for the baseline and state.
    public var directory: String
    /// Port of the status server (0: any free port).
    public var httpPort: Int = 9464
    /// How many events later an event's label is produced.
    public var labelDelayEvents: Int = 2_000

    private let logger: Logger

    public init(directory: String, logger: Logger) {
        self.directory = directory
        self.logger = logger
    }

    /// Runs the demo; returns the number of alert and retrain events read back.
    @discardableResult
    public func run() async throws -> (alerts: Int, retrains: Int) {
        let console = DemoConsole()
        console.print("driftd demo: starting an embedded Kafka-protocol broker (librdkafka mock cluster)")
        let cluster = try EmbeddedKafkaCluster(brokerCount: 1, logger: logger)
        defer { cluster.shutdown() }
        let topics = (
            input: "inference", labels: "labels", alerts: "driftd.alerts", retrain: "driftd.retrain",
            deadLetter: "driftd.dead-letter"
        )
        try cluster.createTopic(topics.input, partitions: 3)
        for topic in [topics.labels, topics.alerts, topics.retrain, topics.deadLetter] {
            try cluster.createTopic(topic, partitions: 1)
        }
        console.print(
            "  broker: \(cluster.bootstrapServers)  (any Kafka client can connect, e.g. kcat -b \(cluster.bootstrapServers) -C -t \(topics.alerts))"
        )

        // 1. A baseline from synthetic training data, through the same builder as `driftd baseline build`.
        let baseline = try buildBaseline(version: "3")
        let baselinePath = directory + "/baselines/churn.json"
        try FileManager.default.createDirectory(atPath: directory + "/baselines", withIntermediateDirectories: true)
        try BaselineFile.save(baseline, to: baselinePath)
        console.print(
            "  baseline: \(baselinePath) (\(baseline.rowCount) training rows, \(baseline.features.count) features, id \(baseline.id))"
        )
        // Version 4, trained on the same data: the canary candidate of the last stage.
        let candidate = try buildBaseline(version: "4")
        let candidatePath = directory + "/baselines/churn-4.json"
        try BaselineFile.save(candidate, to: candidatePath)
        console.print(
            "  canary: version 4 (\(candidate.id)) against version 3, compared on predictions, features and latency")

        // 2. The daemon, configured as a user would, but with windows sized for a short demo.
        func model(_ baseline: Baseline, _ path: String) -> ModelConfiguration {
            ModelConfiguration(
                baselinePath: path, baseline: baseline, window: .count(events: 4_000, panes: 8),
                evaluationInterval: .seconds(1),
                defaultRule: AlertRule(forEvaluations: 3, cooldown: .seconds(5), minSamples: 1_000),
                retrain: RetrainRule(driftShare: 0.25, cooldown: .seconds(20)),
                // The seed rule, on a window sized for a short demo: accuracy below 92% (significantly),
                // then a retrain request (sharing the drift requests' cooldown).
                accuracy: AccuracyRule(
                    enabled: true, windowEvents: 2_000, panes: 4, minSamples: 1_000, forEvaluations: 2,
                    cooldown: .seconds(5),
                    rules: [PerformanceRule(metric: .accuracy, bound: .below, threshold: 0.92, retrain: true)]))
        }
        let canary = Self.canaryRule
        let configuration = DaemonConfiguration(
            kafka: KafkaSettings(
                brokers: cluster.bootstrapServers, groupID: "driftd-demo", inputTopics: [topics.input],
                labelTopics: [topics.labels], alertTopic: topics.alerts, retrainTopic: topics.retrain,
                deadLetterTopic: topics.deadLetter),
            models: [model(baseline, baselinePath), model(candidate, candidatePath)],
            state: StateSettings(directory: directory + "/state", checkpointInterval: .seconds(2)),
            http: HTTPSettings(address: "127.0.0.1", port: httpPort),
            versions: VersionPolicy(canaries: [canary]))
        var daemon = DaemonRunner(configuration: configuration, logger: logger)
        daemon.onEvaluation = { console.record($0) }
        daemon.onStatusPort = { port in
            console.print(
                "  metrics: http://127.0.0.1:\(port)/metrics   live report: http://127.0.0.1:\(port)/report   health: /healthz /readyz"
            )
        }

        let scenario = DriftScenario.standard(stageEvents: stageEvents)
        let progress = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let counts = Mutex((alerts: 0, retrains: 0))

        // 3. Traffic, and a reader of the alert topics, each on its own thread.
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logger)
        let traffic = Thread { [eventsPerSecond, labelDelayEvents, logger] in
            var generator = SyntheticTraffic()
            var index = 0
            // Predictions of the last `labelDelayEvents` events, waiting for their labels.
            var predictions = [Double](repeating: 0, count: max(1, labelDelayEvents))
            let batch = max(1, eventsPerSecond / 20)
            var lastStage = -1
            while !stop.load(ordering: .relaxed) {
                let started = WallClock.nowMillis()
                for _ in 0..<batch {
                    let (number, stage) = scenario.stage(at: index)
                    if number != lastStage {
                        lastStage = number
                        console.print(
                            "", "▶ stage \(number + 1)/\(scenario.stages.count) at event \(index): \(stage.title)")
                    }
                    // One malformed event in 5,000 shows the dead-letter path.
                    let value =
                        index % 5_000 == 4_999
                        ? #"{"model":"churn","features":{"monthly_spend":"lots"}}"#
                        : Self.event(
                            &generator, index: index, at: EventTime(sameInstantAs: WallClock.now()), stage: stage)
                    let slot = index % predictions.count
                    do {
                        // The label of the event `labelDelayEvents` back, stamped now (it arrives late).
                        if index >= predictions.count {
                            let labelled = index - predictions.count
                            let label = generator.label(
                                index: labelled, prediction: predictions[slot],
                                accuracy: scenario.stage(at: labelled).stage.labelAccuracy,
                                at: EventTime(sameInstantAs: WallClock.now()))
                            try producer.send(topic: topics.labels, key: "req-\(labelled)", value: label)
                        }
                        predictions[slot] = generator.lastPrediction
                        try producer.send(topic: topics.input, key: "req-\(index)", value: value)
                    } catch {
                        logger.error("demo producer: \(error)")
                    }
                    index += 1
                }
                progress.store(index, ordering: .relaxed)
                _ = producer.poll(timeout: .zero)
                let elapsed = WallClock.nowMillis() - started
                if elapsed < 50 { usleep(UInt32((50 - elapsed) * 1000)) }
            }
            try? producer.flush(timeout: .seconds(5))
        }
        let reader = try KafkaConsumer(
            bootstrapServers: cluster.bootstrapServers, groupID: "driftd-demo-reader",
            topics: [topics.alerts, topics.retrain],
            logger: logger)
        let readerThread = Thread {
            while !stop.load(ordering: .relaxed) {
                guard let batch = try? reader.poll(maxMessages: 100, timeout: .milliseconds(200)) else { continue }
                for i in 0..<batch.count {
                    let text = String(decoding: batch.payload(at: i), as: UTF8.self)
                    console.print(DemoEventFormatter.describe(topic: batch.topic(at: i), json: text))
                    counts.withLock {
                        if batch.topic(at: i) == topics.alerts { $0.alerts += 1 } else { $0.retrains += 1 }
                    }
                }
            }
            reader.close()
        }

        // 4. Run everything; print the score table every three seconds.
        let daemonTask = Task { try await daemon.run() }
        traffic.start()
        readerThread.start()
        let deadline = WallClock.nowMillis() + Int64(durationSeconds) * 1000
        while WallClock.nowMillis() < deadline && !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3))
            let (_, stage) = scenario.stage(at: progress.load(ordering: .relaxed))
            console.printScores(stage: stage.title)
        }
        stop.store(true, ordering: .relaxed)
        daemonTask.cancel()
        _ = try? await daemonTask.value
        try? await Task.sleep(for: .milliseconds(500))
        let totals = counts.withLock { $0 }
        console.print(
            "",
            "driftd demo: done. \(progress.load(ordering: .relaxed)) events produced; read back \(totals.alerts) alert events and \(totals.retrains) retrain events."
        )
        return totals
    }

    /// Event `index` of a stage: served by the canary candidate (version 4, with the stage's
    /// prediction and latency changes) for `canaryShare` of every 100 events, else by version 3.
    public static func event(
        _ generator: inout SyntheticTraffic, index: Int, at time: EventTime, stage: DriftScenario.Stage
    ) -> String {
        guard Double(index % 100) < stage.canaryShare * 100 else {
            return generator.event(index: index, at: time, stage: stage)
        }
        return generator.event(
            index: index, at: time, stage: stage, version: "4",
            logitShift: stage.canaryLogitShift,
            latencyFactor: stage.canaryLatencyFactor)
    }

    /// The demo's canary: version 4 against version 3 on predictions, features and latency, in
    /// panes of 2 seconds (the demo's event time is the wall clock).
    public static let canaryRule = CanaryRule(
        model: "churn", incumbent: "3", candidate: "4", margins: [.prediction: 0.02, .features: 0.1, .latency: 1.2],
        alpha: 0.05, minEvents: 5_000, step: .seconds(2))

    private func buildBaseline(version: String) throws -> Baseline {
        try Self.baseline(version: version, createdAt: WallClock.now())
    }

    /// The demo's baseline of model `churn`: 20,000 seeded training rows of `SyntheticTraffic`
    /// (the same rows for every version).
    /// - Parameters:
    ///   - version: Model version.
    ///   - createdAt: Creation time (wall clock) written into the baseline; nil leaves it out.
    /// - Returns: The baseline.
    public static func baseline(version: String, createdAt: WallClockTime?) throws -> Baseline {
        var generator = SyntheticTraffic(seed: 7)
        let rows = (0..<20_000).map { _ in generator.trainingRow() }
        let columns = SyntheticTraffic.columns.enumerated().map { i, name in
            DataColumn(name: name, values: rows.map { $0[i] })
        }
        return try BaselineBuilder().build(
            model: "churn", version: version, columns: columns, predictionColumn: "prediction",
            createdAt: createdAt.map { RFC3339.format(millis: $0.millisecondsSinceEpoch) })
    }
}
