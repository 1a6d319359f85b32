import DriftCore
import DriftDaemon
import DriftKafka
import Foundation
import Logging
import Testing

/// The crash harness: `driftd run` as a child process, killed with SIGKILL at random moments while
/// events arrive, restarted each time with no disk (state only in the Kafka state topic). At the
/// end the checkpointed totals equal the events produced, and the alert topic holds exactly the
/// decisions of an undisturbed run, each under one CloudEvent id.
///
/// `DRIFTD_CHAOS_KILLS` sets the number of kills (default 5; `make chaos` runs 50).
@Suite("Crash recovery (kill -9)", .serialized)
struct CrashRecoveryTests {
    static let stateTopic = "driftd-state"
    static let events = 24_000

    @Test(
        "kill -9 at random moments, restarts with an empty disk: totals exact, every alert of an undisturbed run under one id"
    )
    func killNine() async throws {
        let kills = Int(ProcessInfo.processInfo.environment["DRIFTD_CHAOS_KILLS"] ?? "") ?? 5
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let cluster = try EmbeddedKafkaCluster(brokerCount: 1, logger: logger)
        defer { cluster.shutdown() }
        // One input partition: the order of events, and so every decision, is the same in both runs.
        try cluster.createTopic("inference", partitions: 1)
        for topic in ["alerts-ref", "alerts-chaos", "retrain", "dead-letter", Self.stateTopic] {
            try cluster.createTopic(topic, partitions: 1)
        }
        let directory = NSTemporaryDirectory() + "driftd-crash-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await buildBaseline(in: directory)
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logger)
        defer { try? producer.close() }

        // The disturbed run: events arrive in chunks while the daemon is killed and restarted.
        let chaosConfig = try writeConfig(in: directory, name: "chaos", alerts: "alerts-chaos")
        var random = SplitMix64(seed: 77)
        var produced = 0
        let chunk = 1_000
        var child = try start(config: chaosConfig, brokers: cluster.bootstrapServers)
        var killed = 0
        var events = SplitMix64(seed: 5)
        let now = WallClock.nowMillis()
        while killed < kills || produced < Self.events {
            if produced < Self.events {
                try produce(producer, from: produced, count: chunk, random: &events, startMillis: now)
                produced += chunk
            }
            try await Task.sleep(for: .milliseconds(Int(300 + random.nextUnitInterval() * 1_700)))
            if killed < kills {
                kill(child.processIdentifier, SIGKILL)
                child.waitUntilExit()
                killed += 1
                child = try start(config: chaosConfig, brokers: cluster.bootstrapServers)
            }
        }
        let chaosApplied = try await waitForApplied(group: "chaos", cluster: cluster, logger: logger)
        kill(child.processIdentifier, SIGTERM)
        child.waitUntilExit()
        #expect(chaosApplied == Int64(Self.events), "applied \(chaosApplied) of \(Self.events) after \(killed) kills")

        // The undisturbed run on the same events.
        let reference = try start(
            config: try writeConfig(in: directory, name: "ref", alerts: "alerts-ref"), brokers: cluster.bootstrapServers
        )
        let referenceApplied = try await waitForApplied(group: "ref", cluster: cluster, logger: logger)
        kill(reference.processIdentifier, SIGTERM)
        reference.waitUntilExit()
        #expect(referenceApplied == Int64(Self.events))

        let expected = try readIDs("alerts-ref", cluster: cluster, logger: logger)
        let observed = try readIDs("alerts-chaos", cluster: cluster, logger: logger)
        #expect(!expected.ids.isEmpty, "the drift produced no alert")
        #expect(observed.ids == expected.ids, "chaos \(observed.ids.sorted()) vs reference \(expected.ids.sorted())")
        print(
            "crash harness: \(killed) kills, \(Self.events) events applied exactly; \(expected.ids.count) alerts, "
                + "\(observed.records) alert records (\(observed.records - observed.ids.count) duplicates) against \(expected.records) undisturbed"
        )
    }

    // MARK: - Helpers

    private func buildBaseline(in directory: String) async throws {
        var r = SplitMix64(seed: 11)
        var csv = "x,c\n"
        for _ in 0..<20_000 {
            csv += "\(r.nextStandardNormal()),\(r.nextUnitInterval() < 0.6 ? "a" : "b")\n"
        }
        try csv.write(toFile: directory + "/train.csv", atomically: true, encoding: .utf8)
        let result = try await CommandLineTests.driftd([
            "baseline", "build", "--input", directory + "/train.csv", "--model", "m", "--version", "1",
            "--output", directory + "/m.json"
        ])
        #expect(result.status == 0, "\(result.stderr)")
    }

    private func writeConfig(in directory: String, name: String, alerts: String) throws -> String {
        let yaml = """
            kafka:
              group_id: \(name)
              input_topics: [inference]
              alert_topic: \(alerts)
              retrain_topic: retrain
              dead_letter_topic: dead-letter
              consumer_properties: { session.timeout.ms: "6000", heartbeat.interval.ms: "500" }
              batch_size: 500
            defaults:
              window: { type: count, size: 2000, panes: 4 }
              drift: { for: 2, cooldown: 0s, min_samples: 1000 }
            models:
              - baseline: m.json
            state:
              topic: \(Self.stateTopic)
              checkpoint_interval: 500ms
            http:
              enabled: false
            logging:
              level: warning
            """
        let path = directory + "/\(name).yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func start(config: String, brokers: String) throws -> Process {
        let process = Process()
        process.executableURL = try CommandLineTests.binary
        process.arguments = ["run", "--config", config, "--brokers", brokers]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Events `from ..< from + count`: x ~ N(0,1) for the first third of the run, N(1,1) for the
    /// second (the alert fires), N(0,1) again for the last (it resolves).
    private func produce(
        _ producer: KafkaProducer, from: Int, count: Int, random: inout SplitMix64, startMillis: Int64
    ) throws {
        for i in from..<from + count {
            let drifted = i >= Self.events / 3 && i < 2 * Self.events / 3
            let x = random.nextStandardNormal() + (drifted ? 1.0 : 0.0)
            let c = random.nextUnitInterval() < 0.6 ? "a" : "b"
            try producer.send(
                topic: "inference", key: "req-\(i)",
                value:
                    #"{"model":"m","version":"1","id":"req-\#(i)","timestamp":\#(startMillis + Int64(i)),"features":{"x":\#(x),"c":"\#(c)"}}"#
            )
        }
        try producer.flush(timeout: .seconds(10))
    }

    /// Waits until the group's checkpoints hold every event (or 120 s pass); returns the total.
    private func waitForApplied(group: String, cluster: EmbeddedKafkaCluster, logger: Logger) async throws -> Int64 {
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logger)
        defer { try? producer.close() }
        let store = KafkaCheckpointStore(
            topic: Self.stateTopic, group: group, producer: producer,
            reader: KafkaTopicReader(bootstrapServers: cluster.bootstrapServers, logger: logger))
        let deadline = Date().addingTimeInterval(120)
        var applied: Int64 = 0
        while Date() < deadline {
            if let set = try? store.load() { applied = set.models.values.map(\.eventsApplied).reduce(0, +) }
            if applied >= Int64(Self.events) { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        return applied
    }

    private func readIDs(_ topic: String, cluster: EmbeddedKafkaCluster, logger: Logger) throws -> (
        ids: Set<String>, records: Int
    ) {
        let records = try KafkaTopicReader(bootstrapServers: cluster.bootstrapServers, logger: logger)
            .readAll(topic: topic, timeout: .seconds(20))
        let ids = records.compactMap { record -> String? in
            (try? JSONSerialization.jsonObject(with: Data(record.value)) as? [String: Any])?["id"] as? String
        }
        return (Set(ids), ids.count)
    }
}
