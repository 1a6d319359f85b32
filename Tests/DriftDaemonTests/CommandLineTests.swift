import DriftConfig
import DriftCore
import DriftDaemon
import DriftKafka
import Foundation
import Logging
import Testing

/// Runs the built `driftd` binary as a user would.
@Suite("Command line", .serialized)
struct CommandLineTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The `driftd` executable next to the test bundle.
    static var binary: URL {
        get throws {
            var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
            let candidate = dir.appendingPathComponent("driftd")
            guard FileManager.default.isExecutableFile(atPath: candidate.path) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: candidate.path])
            }
            return candidate
        }
    }

    struct Outcome: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs driftd with `arguments` in the package root and waits (at most `timeout` seconds) on a
    /// thread of its own (see `offPool`).
    static func driftd(_ arguments: [String], timeout: Double = 60) async throws -> Outcome {
        try await offPool { try driftdBlocking(arguments, timeout: timeout) }
    }

    private static func driftdBlocking(_ arguments: [String], timeout: Double) throws -> Outcome {
        let process = Process()
        process.executableURL = try binary
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        // Drain the pipes while waiting so a chatty child cannot block on a full pipe.
        var stdout = Data()
        var stderr = Data()
        let group = DispatchGroup()
        nonisolated(unsafe) var o = Data()
        nonisolated(unsafe) var e = Data()
        DispatchQueue.global().async(group: group) { o = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { e = err.fileHandleForReading.readDataToEndOfFile() }
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            // Past the deadline: SIGTERM (a graceful stop), then SIGKILL if that hangs too.
            process.terminate()
            let grace = Date().addingTimeInterval(10)
            while process.isRunning && Date() < grace { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        group.wait()
        stdout = o
        stderr = e
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporary(_ name: String) -> String {
        NSTemporaryDirectory() + "driftd-cli-\(UUID().uuidString)-\(name)"
    }

    @Test("validate: the example config is valid")
    func validateExample() async throws {
        let result = try await Self.driftd(["validate", "--config", "config/driftd.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("configuration valid"))
    }

    @Test("validate and run: a broken config exits 78 before connecting, listing every problem with file, line and key")
    func brokenConfig() async throws {
        let path = Self.temporary("broken.yaml")
        try """
        kafka:
          brokers: "localhost:1"
          batch_size: lots
          properties:
            bogus.prop: "1"
            fetch.wait.max.ms: soon
        models:
          - baseline: does-not-exist.json
        http:
          port: 70000
        """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for command in ["validate", "run"] {
            let result = try await Self.driftd([command, "--config", path], timeout: 20)
            #expect(result.status == 78, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("\(path):3: kafka.batch_size"), "\(command): \(result.stderr)")
            #expect(
                result.stderr.contains("\(path):5: kafka.properties.bogus.prop: unknown librdkafka property"),
                "\(command): \(result.stderr)")
            #expect(
                result.stderr.contains("\(path):6: kafka.properties.fetch.wait.max.ms: invalid value"),
                "\(command): \(result.stderr)")
            #expect(result.stderr.contains("\(path):8: models[0].baseline"), "\(command): \(result.stderr)")
            #expect(result.stderr.contains("\(path):10: http.port"), "\(command): \(result.stderr)")
        }
    }

    @Test("baseline build, then replay a drifted file with --baseline: alerts on stdout, summary on stderr")
    func baselineAndReplay() async throws {
        let baselinePath = Self.temporary("churn.json")
        defer { try? FileManager.default.removeItem(atPath: baselinePath) }
        let built = try await Self.driftd([
            "baseline", "build", "--input", "config/data/churn_training.csv", "--model", "churn", "--version", "3",
            "--output", baselinePath, "--prediction-column", "churn_score", "--exclude", "customer_id"
        ])
        #expect(built.status == 0, "\(built.stderr)")
        let baseline = try BaselineFile.load(path: baselinePath)
        #expect(baseline.model == "churn")
        #expect(baseline.prediction != nil)

        // Events from the baseline's own bins, then with one numeric feature moved above its training range.
        let numeric = try #require(baseline.features.first { $0.type == .numeric })
        let summary = try #require(numeric.summary)
        var r = SplitMix64(seed: 9)
        var lines: [String] = []
        for i in 0..<30_000 {
            let shifted = i >= 12_000
            let value =
                shifted
                ? summary.max + 1 + r.nextUnitInterval() * summary.std
                : summary.min + r.nextUnitInterval() * (summary.max - summary.min)
            lines.append(
                #"{"model":"churn","version":"3","timestamp":\#(1_795_300_000_000 + i),"features":{"\#(numeric.name)":\#(value)}}"#
            )
        }
        let events = Self.temporary("events.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(toFile: events, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: events) }
        let replay = try await Self.driftd(["replay", "--baseline", baselinePath, "--input", events])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stderr.contains("replay: 30000 lines, 30000 events applied"), "\(replay.stderr)")
        let published = replay.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let firing = published.filter {
            $0["type"] as? String == "io.driftd.alert"
                && ($0["data"] as? [String: Any])?["feature"] as? String == numeric.name
                && ($0["data"] as? [String: Any])?["status"] as? String == "firing"
        }
        #expect(firing.count == 1, "\(replay.stdout.prefix(2000))")
        // Every other feature is missing in these events: that is drift too (missing-rate).
        #expect(published.count > 1)
    }

    @Test("demo: broker, traffic, daemon and reader run for --duration, then everything stops and it exits 0")
    func demoStops() async throws {
        let directory = Self.temporary("demo")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try await Self.driftd(
            ["demo", "--duration", "6", "--http-port", "0", "--directory", directory], timeout: 60)
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        #expect(result.stdout.contains("driftd demo: done."), "\(result.stdout.suffix(2000))")
        #expect(result.stdout.contains("stage 1/7"))
    }

    @Test("dev-broker prints its bootstrap address first; clients can use it; SIGINT stops it")
    func devBroker() async throws {
        let process = Process()
        process.executableURL = try Self.binary
        process.arguments = ["dev-broker", "--partitions", "2"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let handle = out.fileHandleForReading
        let firstLine = try await offPool {
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                line.append(chunk)
            }
            return line
        }
        let bootstrap = String(decoding: firstLine, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(bootstrap.hasPrefix("127.0.0.1:"), "\(bootstrap)")

        var logger = Logger(label: "test")
        logger.logLevel = .error
        let producer = try KafkaProducer(bootstrapServers: bootstrap, logger: logger)
        try producer.send(topic: "inference", key: "k", value: "hello")
        try producer.flush(timeout: .seconds(10))
        #expect(producer.deliveredCount == 1)
        try producer.close()

        kill(process.processIdentifier, SIGINT)
        try await offPool { process.waitUntilExit() }
        #expect(process.terminationStatus == 0)
    }

    @Test("run: consumes from a broker given by flags; SIGTERM finishes, commits and exits 0")
    func runAndTerminate() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let cluster = try EmbeddedKafkaCluster(brokerCount: 1, logger: logger)
        defer { cluster.shutdown() }
        try cluster.createTopic("inference", partitions: 2)
        let producer = try KafkaProducer(bootstrapServers: cluster.bootstrapServers, logger: logger)
        for i in 0..<500 {
            try producer.send(
                topic: "inference", key: "k\(i)", value: #"{"model":"churn","version":"3","features":{"plan":"pro"}}"#)
        }
        try producer.flush(timeout: .seconds(10))
        let state = Self.temporary("state")
        defer { try? FileManager.default.removeItem(atPath: state) }

        let process = Process()
        process.executableURL = try Self.binary
        process.currentDirectoryURL = Self.packageRoot
        process.arguments = [
            "run", "--brokers", cluster.bootstrapServers, "--baseline", "config/baselines/churn.json",
            "--group-id", "cli-test", "--state-dir", state, "--http-address", "127.0.0.2", "--http-port", "0",
            "--log-format", "json"
        ]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        // Wait until a checkpoint covers everything (the state file records the offsets it covers).
        let stateFile = state + "/driftd-state.json"
        let deadline = Date().addingTimeInterval(90)
        var covered: Int64 = 0
        while Date() < deadline && covered < 500 {
            if let data = FileManager.default.contents(atPath: stateFile),
                let saved = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let frontiers = saved["frontiers"] as? [String: [String: Int64]]
            {
                covered = frontiers["inference"]?.values.reduce(0, +) ?? 0
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(covered == 500)
        kill(process.processIdentifier, SIGTERM)
        try await offPool { process.waitUntilExit() }
        // The daemon is gone: its group's committed offsets are what a restart would resume from.
        // The lookup needs the group coordinator; on a loaded 2-core machine the first attempt can
        // time out, so it is retried (a timeout says nothing about what was committed).
        let admin = try KafkaConsumer(
            bootstrapServers: cluster.bootstrapServers, groupID: "cli-test", topics: ["inference"], logger: logger)
        let partitions = [
            TopicPartition(topic: "inference", partition: 0), TopicPartition(topic: "inference", partition: 1)
        ]
        let committed = try await offPool {
            let lookupDeadline = Date().addingTimeInterval(60)
            while true {
                do {
                    return try admin.committed(partitions, timeout: .seconds(5))
                } catch let error as KafkaError where error.code == .offsetLookup && Date() < lookupDeadline {
                    continue
                }
            }
        }
        admin.close()
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(log.suffix(3000))")
        #expect(committed.values.reduce(0, +) == 500, "\(log.suffix(3000))")
        // JSON logs, one object per line.
        let lines = log.split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(
            lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil }, "\(log.prefix(500))")
        // --http-address reached the status server.
        #expect(
            lines.contains { $0.contains("status server listening") && $0.contains("127.0.0.2:") },
            "\(log.prefix(3000))")
        #expect(FileManager.default.fileExists(atPath: state + "/driftd-state.json"))
    }
}
