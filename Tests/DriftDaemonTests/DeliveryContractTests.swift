import DriftConfig
import DriftCore
import DriftDaemon
import DriftKafka
import Foundation
import Logging
import Testing

/// The delivery and state contract under faults, on the embedded broker: outputs that fail are
/// never skipped past, the pipeline rolls back and redoes the epoch, and every event is applied to
/// the windows exactly once (docs/kafka.md, "Delivery and state contract").
@Suite("Delivery contract under faults", .serialized)
struct DeliveryContractTests {
    static let stateTopic = "driftd-state"

    /// Distinct CloudEvent ids of the firing and resolved alerts read from the alert topic, and
    /// how many records carried them.
    static func alertIDs(_ records: [PipelineHarness.Record]) -> (ids: Set<String>, records: Int) {
        let ids = records.compactMap { $0.json?["id"] as? String }
        return (Set(ids), ids.count)
    }

    static func firing(_ records: [PipelineHarness.Record], feature: String) -> Bool {
        records.contains { record in
            guard let data = record.json?["data"] as? [String: Any] else { return false }
            return data["feature"] as? String == feature && data["status"] as? String == "firing"
        }
    }

    @Test(
        "produce requests failing: nothing committed past the failure, not ready meanwhile, rollback; afterwards every event applied once and the alert delivered"
    )
    func failingProduce() async throws {
        let harness = try PipelineHarness(partitions: 2)
        try harness.cluster.createTopic(Self.stateTopic, partitions: 1)
        try harness.produce(3_000)
        let configuration = harness.configuration(groupID: "produce-fails", stateTopic: Self.stateTopic)
        let before = try harness.start(configuration)
        #expect(await before.wait { before.counter("driftd_events_applied_total") == 3_000 })
        try await before.stop()
        try harness.produce(3_000, shift: 2.0)

        // Every produce request fails from now on (topic authorisation), until the errors are cleared:
        // the drifted events' alerts cannot be delivered.
        let denied = KafkaResponseCode(rawValue: 29)
        try harness.cluster.pushRequestErrors(api: .produce, errors: Array(repeating: denied, count: 100_000))
        let running = try harness.start(configuration)
        let applied = { running.counter("driftd_events_applied_total") }
        #expect(
            await running.wait { running.counter("driftd_rollbacks_total") >= 2 },
            "rollbacks \(running.counter("driftd_rollbacks_total"))")
        #expect(!running.ready)
        // Nothing past the failure was committed: the group's offsets stay at the first 3,000 events.
        let committed = try await committedTotal(harness, group: "produce-fails")
        #expect(committed <= 3_000, "committed \(committed)")

        try harness.cluster.clearRequestErrors(api: .produce)
        #expect(
            await running.wait(seconds: 120) { applied() == 6_000 && running.ready },
            "applied \(applied()), ready \(running.ready)")
        let alerts = try await harness.read(harness.topics.alerts) { Self.firing($0, feature: "x") }
        #expect(Self.firing(alerts, feature: "x"))
        let (ids, records) = Self.alertIDs(alerts)
        #expect(records >= ids.count)
        try await running.stop()
        #expect(try await committedTotal(harness, group: "produce-fails") == 6_000)
    }

    @Test("a missing alert topic at start-up: not ready and nothing consumed until it exists")
    func missingTopic() async throws {
        let harness = try PipelineHarness(partitions: 1)
        try harness.produce(1_000)
        try harness.cluster.setTopicError(harness.topics.alerts, error: .unknownTopicOrPartition)
        let running = try harness.start(harness.configuration(groupID: "missing-topic"))
        try await Task.sleep(for: .seconds(3))
        #expect(!running.ready)
        #expect(running.counter("driftd_messages_consumed_total") == 0)
        #expect(running.counter("driftd_output_blocked") == 1)
        try harness.cluster.setTopicError(harness.topics.alerts, error: .noError)
        #expect(await running.wait { running.counter("driftd_events_applied_total") == 1_000 })
        #expect(await running.wait(seconds: 10) { running.ready })
        try await running.stop()
    }

    @Test(
        "every broker down for 30 s during traffic: the daemon recovers by itself, applies every event once and delivers the alert"
    )
    func brokersDown() async throws {
        let harness = try PipelineHarness(partitions: 2)
        try harness.cluster.createTopic(Self.stateTopic, partitions: 1)
        try harness.produce(3_000)
        try harness.produce(3_000, shift: 2.0)
        let running = try harness.start(harness.configuration(groupID: "outage", stateTopic: Self.stateTopic))
        let applied = { running.counter("driftd_events_applied_total") }
        #expect(await running.wait { applied() >= 500 })
        try harness.cluster.setBrokerDown(1)
        try await Task.sleep(for: .seconds(30))
        try harness.cluster.setBrokerUp(1)
        #expect(await running.wait(seconds: 120) { applied() == 6_000 }, "applied \(applied())")
        let alerts = try await harness.read(harness.topics.alerts) { Self.firing($0, feature: "x") }
        #expect(Self.firing(alerts, feature: "x"))
        try await running.stop()
        #expect(applied() == 6_000)
    }

    @Test("restart from the state topic alone (no disk): windows and totals resume exactly, no event applied twice")
    func restartFromStateTopic() async throws {
        let harness = try PipelineHarness(partitions: 3)
        try harness.cluster.createTopic(Self.stateTopic, partitions: 1)
        try harness.produce(2_500)
        let configuration = harness.configuration(groupID: "topic-state", stateTopic: Self.stateTopic)
        let first = try harness.start(configuration)
        #expect(await first.wait { first.counter("driftd_events_applied_total") == 2_500 })
        try await first.stop()

        try harness.produce(1_500)
        let second = try harness.start(configuration)
        #expect(
            await second.wait { second.counter("driftd_events_applied_total") == 4_000 },
            "applied \(second.counter("driftd_events_applied_total"))")
        // Window events are capped by the 2,000-event window: restored panes plus the new events.
        try await Task.sleep(for: .seconds(1))
        #expect(second.counter("driftd_events_applied_total") == 4_000)
        try await second.stop()

        // The checkpoints in the topic say the same.
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let producer = try KafkaProducer(bootstrapServers: harness.cluster.bootstrapServers, logger: logger)
        defer { try? producer.close() }
        let store = KafkaCheckpointStore(
            topic: Self.stateTopic, group: "topic-state", producer: producer,
            reader: KafkaTopicReader(bootstrapServers: harness.cluster.bootstrapServers, logger: logger))
        let set = try store.load()
        #expect(set.models.values.map(\.eventsApplied).reduce(0, +) == 4_000)
        #expect(set.frontiers.values.reduce(0, +) == 4_000)
        // Size of what a checkpoint writes (docs/kafka.md): the model record and a frontier record.
        let records = try KafkaTopicReader(bootstrapServers: harness.cluster.bootstrapServers, logger: logger)
            .readAll(topic: Self.stateTopic, timeout: .seconds(10))
        let modelBytes =
            records.filter { $0.headers.contains { $0.name == "driftd-checkpoint" } }.map(\.value.count).max() ?? 0
        let frontierBytes =
            records.filter { !$0.headers.contains { $0.name == "driftd-checkpoint" } }.map(\.value.count).max() ?? 0
        #expect(modelBytes > 0 && modelBytes < 512 * 1024, "model checkpoint \(modelBytes) bytes")
        print("checkpoint sizes: model \(modelBytes) bytes (2 features, 4+1 panes), frontier \(frontierBytes) bytes")
    }

    /// Sum of the group's committed offsets on the input topic.
    private func committedTotal(_ harness: PipelineHarness, group: String) async throws -> Int64 {
        try await offPool {
            // Looked up without joining the group (joining would rebalance the running pipeline).
            let reader = KafkaTopicReader(bootstrapServers: harness.cluster.bootstrapServers, logger: harness.logger)
            let partitions = (0..<3).map { TopicPartition(topic: harness.topics.input, partition: Int32($0)) }
            let deadline = Date().addingTimeInterval(30)
            while true {
                do {
                    return try reader.committed(group: group, partitions: partitions, timeout: .seconds(5))
                        .values
                        .reduce(0, +)
                } catch  where Date() < deadline {
                    continue
                }
            }
        }
    }
}

/// Two daemons in one consumer group, a rebalance in the middle of traffic, one of them stopping:
/// each model's state moves with its partition through the state topic.
@Suite("Rebalance between instances", .serialized)
struct RebalanceContractTests {
    @Test("two instances, a rebalance mid-traffic, then one leaves: totals exact per model, the alert once")
    func twoInstances() async throws {
        let harness = try PipelineHarness(partitions: 1)
        let stateTopic = DeliveryContractTests.stateTopic
        try harness.cluster.createTopic(stateTopic, partitions: 1)
        try harness.cluster.createTopic("inference-b", partitions: 1)
        // Model m on topic inference (drifts), model m2 on topic inference-b (stationary).
        let second = try BaselineBuilder().build(
            model: "m2", version: "1",
            columns: try Self.columns(of: harness.baseline))
        var configuration = harness.configuration(groupID: "pair", stateTopic: stateTopic)
        configuration.kafka.inputTopics = [harness.topics.input, "inference-b"]
        var model2 = configuration.models[0]
        model2.baseline = second
        configuration.models.append(model2)
        let producer = try KafkaProducer(bootstrapServers: harness.cluster.bootstrapServers, logger: harness.logger)
        defer { try? producer.close() }
        var random = SplitMix64(seed: 3)
        func produceB(_ count: Int) throws {
            for i in 0..<count {
                let x = random.nextStandardNormal()
                try producer.send(
                    topic: "inference-b", key: "b-\(i)",
                    value:
                        #"{"model":"m2","version":"1","features":{"x":\#(x),"c":"\#(random.nextUnitInterval() < 0.6 ? "a" : "b")"}}"#
                )
            }
            try producer.flush(timeout: .seconds(10))
        }

        try harness.produce(2_000)
        try produceB(2_000)
        let first = try harness.start(configuration)
        #expect(await first.wait { first.counter("driftd_events_applied_total") == 4_000 })
        let other = try harness.start(configuration)
        // The group splits the two partitions; whichever moved is restored from the state topic.
        try harness.produce(2_000, shift: 2.0)
        try produceB(2_000)
        try await Task.sleep(for: .seconds(8))
        try harness.produce(1_000, shift: 2.0)
        try produceB(1_000)
        #expect(
            await other.wait(seconds: 60) { other.counter("driftd_events_applied_total") > 0 }, "no partition moved")
        try await first.stop()
        #expect(
            await other.wait(seconds: 120) { other.counter("driftd_events_applied_total") == 10_000 },
            "applied \(other.counter("driftd_events_applied_total"))")
        try await other.stop()

        let store = KafkaCheckpointStore(
            topic: stateTopic, group: "pair", producer: producer,
            reader: KafkaTopicReader(bootstrapServers: harness.cluster.bootstrapServers, logger: harness.logger))
        let set = try store.load()
        let applied = Dictionary(set.models.values.map { ($0.model, $0.eventsApplied) }, uniquingKeysWith: +)
        #expect(applied == ["m": 5_000, "m2": 5_000])
        let alerts = try await harness.read(harness.topics.alerts, timeoutSeconds: 10) { _ in false }
        let firing = alerts.compactMap { $0.json }.filter {
            ($0["data"] as? [String: Any])?["status"] as? String == "firing"
                && ($0["data"] as? [String: Any])?["model"] as? String == "m"
        }
        // One decision per feature and method, however often it was re-published.
        var idsByTarget: [String: Set<String>] = [:]
        for event in firing {
            let data = event["data"] as? [String: Any] ?? [:]
            let target = "\(data["feature"] ?? data["target"] ?? "")/\(data["method"] ?? "")"
            idsByTarget[target, default: []].insert(event["id"] as? String ?? "")
        }
        #expect(!idsByTarget.isEmpty)
        #expect(idsByTarget.values.allSatisfy { $0.count == 1 }, "\(idsByTarget)")
        #expect(!alerts.compactMap { $0.json }.contains { ($0["data"] as? [String: Any])?["model"] as? String == "m2" })
    }

    /// The baseline's training columns are not kept; a fresh sample of the same distributions.
    static func columns(of baseline: Baseline) throws -> [DataColumn] {
        var r = SplitMix64(seed: 11)
        var x: [DataValue] = []
        var c: [DataValue] = []
        for _ in 0..<20_000 {
            x.append(.number(r.nextStandardNormal()))
            c.append(.string(r.nextUnitInterval() < 0.6 ? "a" : "b"))
        }
        return [DataColumn(name: "x", values: x), DataColumn(name: "c", values: c)]
    }
}

/// Shutdown while the brokers are unreachable.
@Suite("Shutdown during an outage", .serialized)
struct OutageShutdownTests {
    @Test("a stop during an outage ends within the 60 s grace period")
    func stopDuringOutage() async throws {
        let harness = try PipelineHarness(partitions: 1)
        try harness.cluster.createTopic(DeliveryContractTests.stateTopic, partitions: 1)
        try harness.produce(2_000)
        let running = try harness.start(
            harness.configuration(groupID: "outage-stop", stateTopic: DeliveryContractTests.stateTopic))
        #expect(await running.wait { running.counter("driftd_events_applied_total") == 2_000 })
        try harness.cluster.setBrokerDown(1)
        let started = Date()
        try await running.stop()
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < 45, "shutdown took \(elapsed) s")
        try harness.cluster.setBrokerUp(1)
    }
}

/// A producer queue that fills up: consumption pauses, the group membership and liveness stay,
/// and nothing is dropped.
@Suite("Back-pressure", .serialized)
struct BackPressureTests {
    @Test(
        "a full producer queue pauses consumption while the loop stays live; every dead letter is delivered, every good event applied once"
    )
    func fullProducerQueue() async throws {
        let harness = try PipelineHarness(partitions: 2)
        try harness.cluster.createTopic(DeliveryContractTests.stateTopic, partitions: 1)
        // Slow acknowledgements and a tiny local queue: 1,000 dead letters cannot all be queued at once.
        try harness.cluster.setBrokerRoundTripTime(1, millis: 50)
        var configuration = harness.configuration(
            groupID: "back-pressure", stateTopic: DeliveryContractTests.stateTopic)
        configuration.kafka.producerProperties = ["queue.buffering.max.messages": "10", "linger.ms": "0"]
        let bad = (0..<1_000).map { #"{"model":"nobody","features":{"x":\#($0)}}"# }
        try harness.produceRaw(bad)
        try harness.produce(1_000)
        let running = try harness.start(configuration)
        var liveWhileBlocked = true
        let done = await running.wait(seconds: 180) {
            if running.counter("driftd_output_blocked") == 1 {
                liveWhileBlocked = liveWhileBlocked && running.health.liveness(now: WallClock.now()).ok
            }
            return running.counter("driftd_events_applied_total") == 1_000
                && running.counter("driftd_events_rejected_total") >= 1_000
                && running.counter("driftd_checkpoint_age_seconds") < 2
        }
        try await running.stop()
        #expect(
            done,
            "applied \(running.counter("driftd_events_applied_total")), rejected \(running.counter("driftd_events_rejected_total"))"
        )
        #expect(running.counter("driftd_consumption_pauses_total") >= 1, "the queue never filled")
        #expect(liveWhileBlocked)
        let letters = try await harness.read(harness.topics.deadLetter) { $0.count >= 1_000 }
        let sources = Set(
            letters.compactMap { letter in
                letter.headers["driftd-source-offset"].map {
                    "\(letter.headers["driftd-source-partition"] ?? "")/\($0)"
                }
            })
        #expect(sources.count == 1_000, "distinct dead letters \(sources.count) of \(letters.count) records")
        #expect(running.counter("driftd_events_applied_total") == 1_000)
    }
}
