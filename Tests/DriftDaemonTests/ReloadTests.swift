import DriftKafka
import Foundation
import Logging
import Testing

/// SIGHUP reloads the configuration of a running `driftd run`; a broken file is rejected with its
/// errors logged and the running configuration kept.
@Suite("Configuration reload (SIGHUP)", .serialized)
struct ReloadTests {
    @Test(
        "SIGHUP with a good file reloads; with a broken file logs the error with file, line and key and keeps running")
    func sighup() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let cluster = try EmbeddedKafkaCluster(brokerCount: 1, logger: logger)
        defer { cluster.shutdown() }
        for topic in ["inference", "driftd.alerts", "driftd.retrain", "driftd.dead-letter"] {
            try cluster.createTopic(topic, partitions: 1)
        }
        let directory = NSTemporaryDirectory() + "driftd-reload-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let baseline = CommandLineTests.packageRoot.appendingPathComponent("config/baselines/churn.json").path
        let config = directory + "/driftd.yaml"
        func write(drift: String) throws {
            try """
            kafka:
              group_id: reload
              input_topics: [inference]
            defaults:
              drift: \(drift)
            models:
              - baseline: \(baseline)
            http:
              enabled: false
            logging:
              format: json
            """.write(toFile: config, atomically: true, encoding: .utf8)
        }
        try write(drift: "{ threshold: 0.2 }")
        let log = directory + "/stderr.log"
        let process = try DaemonChild.run(config: config, brokers: cluster.bootstrapServers, log: log)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // Generous: with the whole suite running in parallel on 2 cores, the child can be starved.
        func logged(_ text: String, seconds: Double = 180) async -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if let content = try? String(contentsOfFile: log, encoding: .utf8), content.contains(text) {
                    return true
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
            // A last look: under a loaded suite the sleep itself can outlast the deadline.
            return (try? String(contentsOfFile: log, encoding: .utf8))?.contains(text) ?? false
        }
        #expect(
            await logged("pipeline started"),
            "\((try? String(contentsOfFile: log, encoding: .utf8))?.suffix(3000) ?? "")")

        try write(drift: "{ threshold: 0.3 }")
        kill(process.processIdentifier, SIGHUP)
        #expect(await logged("configuration reloaded"))
        #expect(process.isRunning)

        try write(drift: "{ threshold: 0.3, treshold_typo: 1 }")
        kill(process.processIdentifier, SIGHUP)
        #expect(await logged("configuration reload rejected"))
        let content = try String(contentsOfFile: log, encoding: .utf8)
        #expect(content.contains("treshold_typo"), "\(content.suffix(3000))")
        #expect(content.contains("driftd.yaml:5"), "\(content.suffix(3000))")
        try await Task.sleep(for: .milliseconds(500))
        #expect(process.isRunning)

        kill(process.processIdentifier, SIGTERM)
        try await offPool { process.waitUntilExit() }
        #expect(process.terminationStatus == 0)
    }
}
