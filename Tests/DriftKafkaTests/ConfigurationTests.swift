import DriftKafka
import DriftTestSupport
import InMemoryLogging
import Testing

@Suite("Configuration and arguments")
struct ConfigurationTests {
    @Test("an unknown passthrough property fails at init with an error naming it")
    func unknownProperty() {
        let logs = InMemoryLogHandler()
        do {
            _ = try KafkaConsumer(
                bootstrapServers: "127.0.0.1:9", groupID: "g", topics: ["t"],
                properties: ["no.such.property": "1"], logger: logs.logger()
            )
            Issue.record("init must throw")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.property == "no.such.property")
            #expect(error.message.contains("no.such.property"))
        }
    }

    @Test(
        "an invalid value fails at init with the property and librdkafka's message",
        arguments: [
            ("fetch.wait.max.ms", "soon"),
            ("auto.offset.reset", "sideways"),
            ("security.protocol", "carrier-pigeon")
        ])
    func invalidValue(property: String, value: String) {
        let logs = InMemoryLogHandler()
        do {
            _ = try KafkaConsumer(
                bootstrapServers: "127.0.0.1:9", groupID: "g", topics: ["t"],
                properties: [property: value], logger: logs.logger()
            )
            Issue.record("init must throw")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.property == property)
            #expect(error.message.contains(property))
        }
    }

    @Test("the producer reports a bad property the same way")
    func producerBadProperty() {
        let logs = InMemoryLogHandler()
        do {
            _ = try KafkaProducer(bootstrapServers: "127.0.0.1:9", properties: ["acks": "most"], logger: logs.logger())
            Issue.record("init must throw")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.property == "acks")
        }
    }

    @Test("empty group ids and topic lists are refused")
    func emptyArguments() {
        let logs = InMemoryLogHandler()
        #expect(throws: KafkaError.self) {
            try KafkaConsumer(bootstrapServers: "127.0.0.1:9", groupID: "", topics: ["t"], logger: logs.logger())
        }
        #expect(throws: KafkaError.self) {
            try KafkaConsumer(bootstrapServers: "127.0.0.1:9", groupID: "g", topics: [], logger: logs.logger())
        }
        #expect(throws: KafkaError.self) {
            try EmbeddedKafkaCluster(brokerCount: 0, logger: logs.logger())
        }
    }

    @Test("the documented defaults are the ones applied before the passthrough")
    func defaults() {
        #expect(KafkaConsumer.defaultProperties["partition.assignment.strategy"] == "roundrobin")
        #expect(KafkaConsumer.defaultProperties["enable.auto.offset.store"] == "false")
        #expect(KafkaConsumer.defaultProperties["enable.auto.commit"] == "false")
        #expect(KafkaConsumer.defaultProperties["auto.offset.reset"] == "earliest")
        #expect(KafkaProducer.defaultProperties["enable.idempotence"] == "true")
        #expect(KafkaProducer.defaultProperties["acks"] == "all")
        // The prefetch bound: with librdkafka 2.0.2's 64 MiB default a lagging consumer idled
        // between refills (docs/kafka.md, "Prefetch").
        #expect(KafkaConsumer.defaultProperties["queued.max.messages.kbytes"] == "524288")
    }

    @Test("every default property is accepted by this librdkafka")
    func defaultsAreValid() {
        for (name, value) in KafkaConsumer.defaultProperties.merging(
            KafkaProducer.defaultProperties, uniquingKeysWith: { a, _ in a })
        {
            #expect(KafkaPropertyCheck.problem(name: name, value: value) == nil, "\(name)=\(value)")
        }
        // The check itself refuses a value out of librdkafka's range (queued.max.messages.kbytes <= 2097151).
        #expect(KafkaPropertyCheck.problem(name: "queued.max.messages.kbytes", value: "4194304") != nil)
    }

    @Test("error descriptions carry the code and librdkafka context")
    func errorDescription() {
        let error = KafkaError(code: .commit, message: "boom", responseCode: .notCoordinator, topic: "t", partition: 2)
        #expect(error.description.hasPrefix("kafka.commit: boom"))
        #expect(error.description.contains("NOT_COORDINATOR(16)"))
        #expect(error.responseName == "NOT_COORDINATOR")
        #expect(KafkaResponseCode.transport.name == "_TRANSPORT")
    }

    @Test("the property check judges names and values as client creation will, without making a client")
    func propertyCheck() {
        #expect(KafkaPropertyCheck.problem(name: "fetch.wait.max.ms", value: "50") == nil)
        #expect(KafkaPropertyCheck.problem(name: "sasl.password", value: "anything") == nil)
        let unknown = KafkaPropertyCheck.problem(name: "bogus.prop", value: "1")
        #expect(
            unknown?.hasPrefix("unknown librdkafka property \"bogus.prop\" (librdkafka 2.") == true,
            "\(unknown ?? "nil")")
        let invalid = KafkaPropertyCheck.problem(name: "security.protocol", value: "carrier-pigeon")
        #expect(
            invalid?.hasPrefix("invalid value for librdkafka property \"security.protocol\":") == true,
            "\(invalid ?? "nil")")
        // A ${VAR} value is known only after expansion at start-up; its name is still checked.
        #expect(KafkaPropertyCheck.problem(name: "fetch.wait.max.ms", value: "${WAIT}") == nil)
        #expect(KafkaPropertyCheck.problem(name: "bogus.prop", value: "${WAIT}") != nil)
    }
}
