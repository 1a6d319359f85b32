import DriftKafka
import DriftTestSupport
import Foundation
import InMemoryLogging
import Testing

/// Records rebalance callbacks (all on the polling thread).
final class RebalanceLog {
    var assigned: [[TopicPartition]] = []
    var revoked: [[TopicPartition]] = []
}

@Suite("Group rebalances")
struct RebalanceTests {
    @Test("two consumers split the partitions cooperatively; revoked partitions get their stored offsets committed")
    func cooperativeSplit() throws {
        let fixture = try TopicFixture("split", partitions: 4, messages: 80)
        let logs = fixture.logs
        let firstLog = RebalanceLog()
        let first = try fixture.consumer(
            properties: TestProperties.cooperativeConsumer,
            onAssign: { firstLog.assigned.append($0) },
            onRevoke: {
                firstLog.revoked.append($0)
                return true
            })
        var endOffsets: [TopicPartition: Int64] = [:]
        var consumed = 0
        let drained = try Deadline(seconds: 15).repeatUntil {
            let batch = try first.poll(maxMessages: 100, timeout: .milliseconds(100))
            consumed += batch.count
            let next = batch.nextOffsets()
            try first.storeOffsets(next)  // stored, deliberately not committed
            for offset in next { endOffsets[offset.topicPartition] = offset.offset }
            return consumed == 80
        }
        #expect(drained)
        let all = fixture.partitions(4)
        #expect(firstLog.assigned.flatMap { $0 }.sorted() == all, "the only member gets every partition")
        #expect(first.rebalanceProtocol == "COOPERATIVE")

        let secondLog = RebalanceLog()
        let second = try fixture.consumer(
            properties: TestProperties.cooperativeConsumer,
            onAssign: { secondLog.assigned.append($0) },
            onRevoke: {
                secondLog.revoked.append($0)
                return true
            })
        var firstAssignment: [TopicPartition] = []
        var secondAssignment: [TopicPartition] = []
        var redelivered = 0
        let split = try Deadline(seconds: 25).repeatUntil {
            _ = try first.poll(maxMessages: 100, timeout: .milliseconds(50))
            redelivered += try second.poll(maxMessages: 100, timeout: .milliseconds(50)).count
            firstAssignment = try first.assignment()
            secondAssignment = try second.assignment()
            return !firstAssignment.isEmpty && !secondAssignment.isEmpty
                && (firstAssignment + secondAssignment).sorted() == all
        }
        #expect(split, "assignments \(firstAssignment) / \(secondAssignment)")
        let revoked = firstLog.revoked.flatMap { $0 }.sorted()
        #expect(revoked == secondAssignment, "cooperative: the first member gives up exactly what the second takes")
        #expect(Set(revoked).isDisjoint(with: firstAssignment), "kept partitions are never revoked")
        #expect(secondLog.assigned.flatMap { $0 }.sorted() == secondAssignment)
        #expect(secondLog.revoked.isEmpty)

        // The revoke committed the first member's stored offsets for exactly the revoked partitions.
        // Asked of the coordinator while the group may still be settling (the second member's own
        // rebalance): on a loaded machine an early answer can come back without offsets, so ask
        // again for a few seconds; a revoke that committed nothing still fails.
        let expected = endOffsets.filter { revoked.contains($0.key) }
        var committed: [TopicPartition: Int64] = [:]
        _ = try Deadline(seconds: 8).repeatUntil {
            committed = try second.committed(all, timeout: .seconds(5))
            if committed != expected {
                redelivered += try second.poll(maxMessages: 100, timeout: .milliseconds(100)).count
                _ = try first.poll(maxMessages: 100, timeout: .zero)
            }
            return committed == expected
        }
        let problems = logs.entries.filter { $0.level >= .warning }
            .map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(committed == expected, "\(problems)")
        #expect(first.revokeCommitFailures == 0, "\(problems)")
        // So the second member does not see those messages again.
        _ = Deadline(seconds: 1).repeatUntil {
            redelivered += (try? second.poll(maxMessages: 100, timeout: .milliseconds(100)).count) ?? 0
            return false
        }
        #expect(redelivered == 0)

        second.close()
        first.close()
        #expect(secondLog.revoked.flatMap { $0 }.sorted() == secondAssignment, "close revokes the assignment")
    }

    @Test("closing consumers while a cooperative rebalance is in flight returns (librdkafka #4527 workaround)")
    func closeDuringRebalance() throws {
        let logs = InMemoryLogHandler()
        let cluster = try EmbeddedKafkaCluster(logger: logs.logger())
        let topic = TestProperties.unique("closing")
        let group = TestProperties.unique("group")
        try cluster.createTopic(topic, partitions: 4)
        let first = try KafkaConsumer(
            bootstrapServers: cluster.bootstrapServers, groupID: group, topics: [topic],
            properties: TestProperties.cooperativeConsumer, logger: logs.logger()
        )
        #expect(
            try Deadline(seconds: 15).repeatUntil {
                _ = try first.poll(maxMessages: 10, timeout: .milliseconds(100))
                return try !first.assignment().isEmpty
            })
        let second = try KafkaConsumer(
            bootstrapServers: cluster.bootstrapServers, groupID: group, topics: [topic],
            properties: TestProperties.cooperativeConsumer, logger: logs.logger()
        )
        // Poll both until the second member has joined and an incremental assignment is flowing.
        _ = try Deadline(seconds: 15).repeatUntil {
            _ = try first.poll(maxMessages: 10, timeout: .milliseconds(50))
            _ = try second.poll(maxMessages: 10, timeout: .milliseconds(50))
            return try !second.assignment().isEmpty
        }
        // Close both while the group rebalances again (the second leaving). A hang must fail the
        // test, not block the run: close on another thread and wait with a deadline.
        let closed = DispatchSemaphore(value: 0)
        let closer = Thread {
            second.close()
            first.close()
            closed.signal()
        }
        closer.start()
        #expect(closed.wait(timeout: .now() + 25) == .success, "close did not return")
    }

    @Test("the eager protocol, chosen through the passthrough, assigns and revokes on close with a commit")
    func eagerProtocol() throws {
        let fixture = try TopicFixture("eager", partitions: 2, messages: 20)
        let log = RebalanceLog()
        var properties = TestProperties.consumer
        properties["partition.assignment.strategy"] = "range"
        let consumer = try fixture.consumer(
            properties: properties,
            onAssign: { log.assigned.append($0) },
            onRevoke: {
                log.revoked.append($0)
                return true
            })
        var stored: [TopicPartition: Int64] = [:]
        var consumed = 0
        let drained = try Deadline(seconds: 15).repeatUntil {
            let batch = try consumer.poll(maxMessages: 100, timeout: .milliseconds(100))
            consumed += batch.count
            try consumer.storeOffsets(batch.nextOffsets())
            for offset in batch.nextOffsets() { stored[offset.topicPartition] = offset.offset }
            return consumed == 20
        }
        #expect(drained)
        #expect(consumer.rebalanceProtocol == "EAGER")
        let all = fixture.partitions(2)
        #expect(log.assigned.flatMap { $0 }.sorted() == all)
        consumer.close()
        #expect(log.revoked.flatMap { $0 }.sorted() == all)

        let checker = try fixture.consumer()
        #expect(
            try checker.committed(all, timeout: .seconds(5)) == stored, "close committed the stored offsets")
        checker.close()
    }

    @Test("a revoke handler that refuses the commit leaves the stored offsets uncommitted (re-delivered)")
    func revokeHandlerRefusesCommit() throws {
        let fixture = try TopicFixture("refuse", partitions: 2, messages: 20)
        let log = RebalanceLog()
        let consumer = try fixture.consumer(onRevoke: {
            log.revoked.append($0)
            return false
        })
        var consumed = 0
        let drained = try Deadline(seconds: 15).repeatUntil {
            let batch = try consumer.poll(maxMessages: 100, timeout: .milliseconds(100))
            consumed += batch.count
            try consumer.storeOffsets(batch.nextOffsets())
            return consumed == 20
        }
        #expect(drained)
        consumer.close()
        let all = fixture.partitions(2)
        #expect(log.revoked.flatMap { $0 }.sorted() == all, "close still revokes")
        #expect(fixture.logs.entries.contains { $0.message.description.hasPrefix("revoke handler refused the commit") })

        let checker = try fixture.consumer()
        #expect(try checker.committed(all, timeout: .seconds(5)).isEmpty, "nothing was committed")
        checker.close()
    }
}
