import DriftConfig
import DriftCore
import Foundation
import Testing

@Suite("Configuration: several versions, unknown versions, retirement, canaries")
struct VersionsConfigTests {
    /// A directory with churn baselines of versions 3 and 4 (the example baseline, re-versioned).
    static func baselines() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "driftd-versions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let example = try Data(contentsOf: URL(fileURLWithPath: RepositoryPaths.path("config/baselines/churn.json")))
        var json = try #require(try JSONSerialization.jsonObject(with: example) as? [String: Any])
        try example.write(to: directory.appendingPathComponent("churn-3.json"))
        json["version"] = "4"
        json["id"] = "churn@4:0000abcd"
        try JSONSerialization.data(withJSONObject: json).write(to: directory.appendingPathComponent("churn-4.json"))
        return directory.path
    }

    private func load(_ body: String, in directory: String) throws(InvalidConfiguration) -> DaemonConfiguration {
        try ConfigurationLoader.load(
            yaml: "kafka:\n  brokers: localhost:9092\n" + body, file: directory + "/driftd.yaml")
    }

    @Test("two versions of a model load, each with its own baseline; single-version configs keep the defaults")
    func twoVersions() throws {
        let directory = try Self.baselines()
        let config = try load(
            """
            models:
              - baseline: churn-3.json
              - baseline: churn-4.json
                drift: { threshold: 0.3 }
            """, in: directory)
        #expect(config.models.map(\.baseline.version) == ["3", "4"])
        #expect(config.models[1].defaultRule.threshold == 0.3 && config.models[0].defaultRule.threshold != 0.3)
        #expect(config.model(named: "churn")?.baseline.version == "4")
        #expect(config.versions == VersionPolicy())

        let single = try load("models:\n  - baseline: churn-3.json\n", in: directory)
        #expect(
            single.versions.unknownVersion == .latest && single.versions.retireAfter == nil
                && single.versions.canaries.isEmpty)
    }

    @Test("the same (model, version) twice is config.duplicate_model")
    func duplicate() throws {
        let directory = try Self.baselines()
        #expect {
            _ = try load("models:\n  - baseline: churn-3.json\n  - baseline: churn-3.json\n", in: directory)
        } throws: { error in
            (error as? InvalidConfiguration)?.errors.contains {
                $0.code == .duplicateModel && $0.message.contains("version \"3\"")
            } ?? false
        }
    }

    @Test("versions: unknown_version, retire_after and a canary are read")
    func versionsSection() throws {
        let directory = try Self.baselines()
        let config = try load(
            """
            models:
              - baseline: churn-3.json
              - baseline: churn-4.json
            versions:
              unknown_version: nearest_older
              retire_after: 6h
              canaries:
                - model: churn
                  incumbent: "3"
                  candidate: 4
                  compare: { prediction: 0.05, features: 0.2, latency: 1.25 }
                  alpha: 0.01
                  min_events: 5000
                  step: 30s
            """, in: directory)
        #expect(config.versions.unknownVersion == .nearestOlder)
        #expect(config.versions.retireAfter == .milliseconds(21_600_000))
        let canary = try #require(config.versions.canaries.first)
        #expect(
            canary
                == CanaryRule(
                    model: "churn", incumbent: "3", candidate: "4",
                    margins: [.prediction: 0.05, .features: 0.2, .latency: 1.25],
                    alpha: 0.01, minEvents: 5000, step: .seconds(30)))
    }

    @Test("canary errors: unknown version, same versions, a bad metric, a latency margin below 1")
    func canaryErrors() throws {
        let directory = try Self.baselines()
        do {
            _ = try load(
                """
                models:
                  - baseline: churn-3.json
                  - baseline: churn-4.json
                versions:
                  unknown_version: newest
                  canaries:
                    - { model: churn, incumbent: "3", candidate: "5", compare: { prediction: 0.1 } }
                    - { model: churn, incumbent: "3", candidate: "3", compare: { prediction: 0.1 } }
                    - { model: churn, incumbent: "3", candidate: "4", compare: { recall: 0.1, latency: 0.9 } }
                """, in: directory)
            Issue.record("expected errors")
        } catch {
            let messages = error.errors.map { "\($0.code.rawValue) \($0.message)" }
            #expect(messages.contains { $0.hasPrefix("config.invalid_value") && $0.contains("newest") }, "\(messages)")
            #expect(messages.contains { $0.contains("candidate version \"5\"") }, "\(messages)")
            #expect(messages.contains { $0.contains("same version") }, "\(messages)")
            #expect(messages.contains { $0.hasPrefix("config.unknown_key") && $0.contains("recall") }, "\(messages)")
            #expect(messages.contains { $0.hasPrefix("config.out_of_range") && $0.contains("0.9") }, "\(messages)")
        }
    }
}
