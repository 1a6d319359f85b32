import DriftConfig
import DriftCore
import Testing

@Suite("Configuration: scale_out")
struct ScaleOutConfigTests {
    /// Loads a document next to the minimal fixture with `scale_out` and `window` as given.
    private func load(
        _ scaleOut: String, window: String = "{ type: time, duration: 10m, panes: 10 }",
        state: String = "state: { topic: driftd.state }"
    ) throws(InvalidConfiguration) -> DaemonConfiguration {
        let file = (try? RepositoryPaths.fixture("configs/minimal.yaml")) ?? "configs/minimal.yaml"
        let yaml = """
            kafka:
              brokers: localhost:9092
            defaults:
              window: \(window)
            models:
              - baseline: ../baselines/churn.json
            \(state)
            \(scaleOut)
            """
        return try ConfigurationLoader.load(yaml: yaml, file: file)
    }

    @Test("absent: single, the one-process path")
    func absent() throws {
        let config = try load("")
        #expect(config.scaleOut == ScaleOutSettings())
        #expect(config.scaleOut.mode == .single)
        #expect(!config.scaleOut.runsIngest && !config.scaleOut.runsEvaluate)
    }

    @Test("every key is read")
    func keys() throws {
        let config = try load(
            """
            scale_out: { mode: both, internal_topic: panes, evaluator_group: eval, input_partitions: 12, allowed_lateness: 5s, flush_events: 1000, idle_timeout: 30s }
            """)
        #expect(
            config.scaleOut
                == ScaleOutSettings(
                    mode: .both, internalTopic: "panes", evaluatorGroup: "eval", inputPartitions: 12,
                    allowedLateness: .seconds(5), flushEvents: 1_000, idleTimeout: .seconds(30)))
        #expect(config.scaleOut.runsIngest && config.scaleOut.runsEvaluate)
    }

    @Test(
        "input_partitions and idle_timeout are optional: partitions from the brokers' metadata, idle partitions never moved"
    )
    func optionalKeys() throws {
        let config = try load("scale_out: { mode: both }")
        #expect(config.scaleOut.inputPartitions == nil)
        #expect(config.scaleOut.idleTimeout == nil)
        var refused = false
        do { _ = try load("scale_out: { mode: both, idle_timeout: 10ms }") } catch { refused = true }
        #expect(refused, "an idle_timeout below 100 ms is refused")
    }

    @Test("a count window, a missing state topic, a shared topic or group, an unknown mode are refused")
    func refused() throws {
        func errors(_ body: () throws(InvalidConfiguration) -> DaemonConfiguration) -> [String] {
            do {
                _ = try body()
                return []
            } catch {
                return error.errors.map { "\($0)" }
            }
        }
        let count = errors { () throws(InvalidConfiguration) in
            try load("scale_out: { mode: both }", window: "{ type: count, size: 1000, panes: 10 }")
        }
        #expect(
            count.count == 1 && count.allSatisfy { $0.contains("count window") && $0.contains("scale_out.mode") },
            "\(count)")
        let stateless = errors { () throws(InvalidConfiguration) in try load("scale_out: { mode: ingest }", state: "") }
        #expect(stateless.count == 1 && stateless.allSatisfy { $0.contains("state.topic") }, "\(stateless)")
        let shared = errors { () throws(InvalidConfiguration) in
            try load("scale_out: { mode: evaluate, internal_topic: driftd.state, evaluator_group: driftd }")
        }
        #expect(shared.count == 2, "\(shared)")
        let mode = errors { () throws(InvalidConfiguration) in try load("scale_out: { mode: all }") }
        #expect(mode.count == 1, "\(mode)")
        let canary = errors { () throws(InvalidConfiguration) in
            try load(
                """
                scale_out: { mode: both }
                versions:
                  canaries:
                    - { model: churn, incumbent: "3", candidate: "4", compare: { prediction: 0.1 } }
                """)
        }
        #expect(canary.contains { $0.contains("canary comparisons run on the single-process path") }, "\(canary)")
        // single ignores the stage requirements.
        #expect(
            errors { () throws(InvalidConfiguration) in
                try load("scale_out: { mode: single }", window: "{ type: count, size: 1000, panes: 10 }", state: "")
            }.isEmpty)
    }
}
