import DriftConfig
import Foundation
import Testing

@Suite("Environment references in Kafka properties")
struct EnvironmentReferenceTests {
    static let yaml = """
        kafka:
          brokers: "localhost:9092"
          properties:
            sasl.username: "${USER_X}"
            sasl.password: "${PASS}"
          producer_properties:
            client.id: "driftd-${USER_X}-${USER_X}"
            plain: "a$b"
        models:
          - baseline: "\(RepositoryPaths.path("config/baselines/churn.json"))"
        """

    @Test("${NAME} is expanded when the configuration loads")
    func expanded() throws {
        let config = try ConfigurationLoader.load(
            yaml: Self.yaml, file: "/tmp/env.yaml", environment: ["USER_X": "alice", "PASS": "s3cr}t"])
        #expect(config.kafka.properties == ["sasl.username": "alice", "sasl.password": "s3cr}t"])
        #expect(config.kafka.producerProperties == ["client.id": "driftd-alice-alice", "plain": "a$b"])
        #expect(
            EnvironmentReference.expand("driftd-${USER_X}-${USER_X}", environment: ["USER_X": "alice"])
                == .success("driftd-alice-alice"))
        #expect(EnvironmentReference.expand("a$b", environment: [:]) == .success("a$b"))
        #expect(EnvironmentReference.expand("${PASS}", environment: ["PASS": "s3cr}t"]) == .success("s3cr}t"))
    }

    @Test("an unset variable is an error at the property's line, naming the variable; an unterminated ${ too")
    func unset() throws {
        let thrown = try #require(throws: InvalidConfiguration.self) {
            try ConfigurationLoader.load(yaml: Self.yaml, file: "/tmp/env.yaml", environment: ["USER_X": "alice"])
        }
        let missing = thrown.errors.filter { $0.code == .missingEnvironment }
        #expect(missing.count == 1)
        #expect(missing.first?.line == 5)
        #expect(missing.first?.keyPath.hasSuffix("sasl.password") == true)
        #expect(missing.first?.message.contains("PASS") == true)
        guard case .failure(let problem) = EnvironmentReference.expand("${OPEN", environment: [:]) else {
            Issue.record("an unterminated ${ was accepted")
            return
        }
        #expect(problem.message.contains("unterminated"))
    }
}
