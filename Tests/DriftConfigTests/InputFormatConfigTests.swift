import DriftConfig
import DriftCore
import Testing

@Suite("Configuration: input formats and tensor mappings")
struct InputFormatConfigTests {
    private func load(_ yaml: String) throws(InvalidConfiguration) -> DaemonConfiguration {
        let file = (try? RepositoryPaths.fixture("configs/minimal.yaml")) ?? "configs/minimal.yaml"
        return try ConfigurationLoader.load(yaml: yaml, file: file)
    }

    private func errors(_ yaml: String) -> [ConfigurationError] {
        do {
            _ = try load(yaml)
            return []
        } catch {
            return error.errors
        }
    }

    @Test("plain topic lists stay valid; entries may carry format and model; join bounds are read")
    func topics() throws {
        let plain = try load(
            """
            kafka: { brokers: "localhost:9092", input_topics: [a, b] }
            models: [{ baseline: ../baselines/churn.json }]
            """)
        #expect(plain.kafka.inputTopics == ["a", "b"])
        #expect(plain.kafka.inputFormats.isEmpty)
        #expect(plain.kafka.joinTTL == .seconds(30))

        let config = try load(
            """
            kafka:
              brokers: "localhost:9092"
              input_topics:
                - inference
                - { topic: ce, format: cloudevents }
                - { topic: triton, format: oip-v2, model: churn }
                - { topic: seldon.prod.model.churn.inputs, format: seldon-v2 }
              join_ttl: 5s
              join_max_pending: 10
            models:
              - baseline: ../baselines/churn.json
                tensors:
                  inputs:
                    - { name: input-0, columns: [tenure, monthly_charges, null] }
                    - { name: plan, columns: plan }
                  prediction: { name: output-0, column: 1 }
            """)
        #expect(config.kafka.inputTopics == ["inference", "ce", "triton", "seldon.prod.model.churn.inputs"])
        #expect(
            config.kafka.inputFormats == [
                InputTopic(topic: "ce", format: .cloudevents),
                InputTopic(topic: "triton", format: .oipV2, model: "churn"),
                InputTopic(topic: "seldon.prod.model.churn.inputs", format: .seldonV2)
            ])
        #expect(config.kafka.inputTopic("inference").format == .driftd)
        #expect(config.kafka.joinTTL == .seconds(5))
        #expect(config.kafka.joinMaxPending == 10)
        let tensors = try #require(config.models.first?.tensors)
        #expect(
            tensors
                == TensorMapping(
                    inputs: [
                        .init(tensor: "input-0", columns: ["tenure", "monthly_charges", nil]),
                        .init(tensor: "plan", columns: ["plan"])
                    ],
                    prediction: .init(tensor: "output-0", column: 1)))
    }

    @Test("tensor mappings are checked against the baseline, with line and key")
    func checkedAgainstBaseline() {
        let found = errors(
            """
            kafka: { brokers: "localhost:9092" }
            models:
              - baseline: ../baselines/churn.json
                tensors:
                  inputs:
                    - { name: input-0, columns: [tenure, tenur] }
                    - { name: input-0, columns: [tenure] }
              - baseline: ../baselines/risk_no_prediction.json
                tensors:
                  inputs: [{ name: x, columns: [plan] }]
                  prediction: { name: y }
            """)
        #expect(found.map(\.code) == [.unknownFeature, .invalidValue, .invalidValue, .unknownFeature])
        #expect(found[0].line == 6)
        #expect(found[0].keyPath == "models[0].tensors.inputs[0].columns[1]")
        #expect(found[0].message.contains("tenure"))  // the suggestion
        #expect(found[1].line == 7 && found[1].message.contains("listed twice"))
        #expect(found[2].line == 7 && found[2].message.contains("already fed"))
        #expect(found[3].keyPath == "models[1].tensors.prediction")
    }

    @Test("format names, Seldon topic names and mapping keys are checked")
    func invalid() {
        let found = errors(
            """
            kafka:
              brokers: "localhost:9092"
              input_topics:
                - { topic: a, format: kserve }
                - { topic: seldon.churn.inputs, format: seldon-v2 }
                - { format: oip-v2 }
            models:
              - baseline: ../baselines/churn.json
                tensors: { inputs: [{ name: t }] }
            """)
        #expect(found.map(\.code) == [.invalidValue, .missingKey, .missingKey])
        #expect(found[0].line == 4 && found[0].message.contains("kserve-logger"))
        #expect(found[1].keyPath == "kafka.input_topics[2].topic")
        #expect(found[2].keyPath == "models[0].tensors.inputs[0].columns")
        let seldon = errors(
            """
            kafka:
              brokers: "localhost:9092"
              input_topics: [{ topic: seldon.churn.inputs, format: seldon-v2 }]
            models: [{ baseline: ../baselines/churn.json }]
            """)
        #expect(seldon.map(\.code) == [.invalidValue])
        #expect(seldon.first?.line == 3)
    }
}
