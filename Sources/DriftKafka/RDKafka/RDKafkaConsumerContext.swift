import Crdkafka
import Foundation
import Logging

/// The consumer's callback context: rebalance handling and the offsets the application stored.
///
/// Threading: librdkafka calls `rebalance_cb` only from calls that serve the consumer queue
/// (`rd_kafka_consume_batch_queue`, `rd_kafka_consumer_close`), which the owning `KafkaConsumer`
/// makes from its single polling thread, so `storedOffsets`, `pendingError` and the handlers are
/// only touched from that thread. Log and error callbacks use the locked base-class state.
final class RDKafkaConsumerContext: RDKafkaClientContext, @unchecked Sendable {
    /// Called after partitions were assigned.
    let onAssign: ([TopicPartition]) -> Void
    /// Called before partitions are unassigned (the application checkpoints and stores offsets);
    /// returns whether the stored offsets of the revoked partitions may be committed.
    let onRevoke: ([TopicPartition]) -> Bool
    /// Called before newly assigned partitions are assigned; returns the offset to start each at
    /// (partitions left out start at the group's committed offset).
    let startOffsets: ([TopicPartition]) -> [TopicPartition: Int64]
    /// Called instead of `onRevoke` when the assignment was lost (session timeout, fenced):
    /// nothing may be committed and the new owner may already be consuming.
    let onLost: (([TopicPartition]) -> Void)?
    /// The last offset the application stored per partition, not yet dropped by a revoke.
    var storedOffsets: [TopicPartition: Int64] = [:]
    /// An error raised inside the rebalance callback, thrown from the next poll.
    var pendingError: KafkaError?
    /// Number of synchronous commits on revoke that failed.
    var revokeCommitFailures = 0
    /// Set while `rd_kafka_consumer_close` runs: the rebalance protocol is then taken from
    /// `lastRebalanceProtocol`, because `rd_kafka_rebalance_protocol` can block inside a rebalance
    /// callback triggered by close (librdkafka issue #4041).
    var isInConsumerClose = false
    /// The protocol seen by the last rebalance callback.
    private var lastRebalanceProtocol: String?

    /// Creates a consumer context.
    init(
        logger: Logger, onAssign: @escaping ([TopicPartition]) -> Void, onRevoke: @escaping ([TopicPartition]) -> Bool,
        startOffsets: @escaping ([TopicPartition]) -> [TopicPartition: Int64] = { _ in [:] },
        onLost: (([TopicPartition]) -> Void)? = nil
    ) {
        self.onAssign = onAssign
        self.onRevoke = onRevoke
        self.startOffsets = startOffsets
        self.onLost = onLost
        super.init(logger: logger)
    }

    /// Registers the rebalance callback on a consumer configuration.
    static func registerRebalanceCallback(on conf: OpaquePointer) {
        rd_kafka_conf_set_rebalance_cb(conf) { rk, err, partitions, opaque in
            guard let rk,
                let context = RDKafkaClientContext.from(opaque: opaque) as? RDKafkaConsumerContext
            else { return }
            context.handleRebalance(handle: rk, event: err, partitions: partitions)
        }
    }

    /// Takes the pending rebalance error, if any.
    func takePendingError() -> KafkaError? {
        defer { pendingError = nil }
        return pendingError
    }

    // MARK: - Rebalance

    private func handleRebalance(
        handle: OpaquePointer, event: rd_kafka_resp_err_t, partitions: RDKafkaTopicPartitionList.Pointer?
    ) {
        let affected = partitions.map { RDKafkaTopicPartitionList.partitions(of: $0) } ?? []
        let rebalanceProtocol: String
        if isInConsumerClose, let last = lastRebalanceProtocol {
            rebalanceProtocol = last
        } else {
            rebalanceProtocol = rd_kafka_rebalance_protocol(handle).map { String(cString: $0) } ?? "NONE"
            lastRebalanceProtocol = rebalanceProtocol
        }
        let cooperative = rebalanceProtocol == "COOPERATIVE"
        var metadata: Logger.Metadata = [
            KafkaLogMetadataKey.client: .string(String(cString: rd_kafka_name(handle))),
            KafkaLogMetadataKey.rebalanceProtocol: .string(rebalanceProtocol),
            KafkaLogMetadataKey.partitions: .string(affected.map(\.description).joined(separator: ","))
        ]

        switch event {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            logger.info("partitions assigned", metadata: metadata)
            if let partitions, !affected.isEmpty {
                let starts = startOffsets(affected)
                if !starts.isEmpty {
                    // The starting offset of a new assignment is set in the list given to assign
                    // (rd_kafka_seek_partitions is only for partitions already being consumed).
                    let count = Int(partitions.pointee.cnt)
                    for index in 0..<count {
                        guard let elems = partitions.pointee.elems, let topic = elems[index].topic else { continue }
                        let key = TopicPartition(topic: String(cString: topic), partition: elems[index].partition)
                        if let start = starts[key] { elems[index].offset = start }
                    }
                    metadata["kafka.start_offsets"] = .string(
                        starts.sorted { $0.key < $1.key }.map { "\($0.key)@\($0.value)" }.joined(separator: ","))
                }
            }
            if cooperative {
                if let error = rd_kafka_incremental_assign(handle, partitions) {
                    fail(
                        KafkaError(code: .rebalance, consuming: error, context: "incremental assign"),
                        metadata: metadata)
                    return
                }
            } else {
                let err = rd_kafka_assign(handle, partitions)
                if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    fail(KafkaError(code: .rebalance, err, context: "assign"), metadata: metadata)
                    return
                }
            }
            if !affected.isEmpty { onAssign(affected) }

        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            let lost = rd_kafka_assignment_lost(handle) != 0
            logger.info(lost ? "partitions lost" : "partitions revoked", metadata: metadata)
            let commitAllowed: Bool
            if lost, let onLost {
                if !affected.isEmpty { onLost(affected) }
                commitAllowed = false
            } else {
                commitAllowed = affected.isEmpty || onRevoke(affected)
            }
            if lost {
                // The group moved on: a commit would be rejected (stale generation) and could
                // overwrite the new owner's progress.
                logger.warning(
                    "assignment lost: stored offsets of revoked partitions are not committed", metadata: metadata)
            } else if !commitAllowed {
                logger.warning(
                    "revoke handler refused the commit: stored offsets of revoked partitions are not committed; their records will be re-delivered",
                    metadata: metadata)
            } else {
                commitStoredOffsets(of: affected, handle: handle, metadata: &metadata)
            }
            for partition in affected { storedOffsets[partition] = nil }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(handle, partitions) {
                    fail(
                        KafkaError(code: .rebalance, consuming: error, context: "incremental unassign"),
                        metadata: metadata)
                }
            } else {
                let err = rd_kafka_assign(handle, nil)
                if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    fail(KafkaError(code: .rebalance, err, context: "unassign"), metadata: metadata)
                }
            }

        default:
            fail(KafkaError(code: .rebalance, event, context: "rebalance failed"), metadata: metadata)
            _ = rd_kafka_assign(handle, nil)
        }
    }

    /// How long a revoke commit is retried while the coordinator answers REBALANCE_IN_PROGRESS,
    /// and the pause between attempts. The group answers so while it waits for other members'
    /// SyncGroup, which takes a moment; the bound keeps a group that waits for *this* member to
    /// rejoin (which it does only after the callback returns) from being held up for long. 1 s was
    /// too short on a loaded 2-core machine (the commit failed and the records were re-delivered,
    /// seen in the test suite); the group waits up to `max.poll.interval.ms` for this member anyway.
    static let revokeCommitRetryMillis = 3_000
    static let revokeCommitPauseMillis = 50

    /// Commits, synchronously, the stored offsets of the revoked partitions; retries for at most
    /// `revokeCommitRetryMillis` while the group is completing a rebalance.
    private func commitStoredOffsets(
        of revoked: [TopicPartition], handle: OpaquePointer, metadata: inout Logger.Metadata
    ) {
        let offsets = revoked.compactMap { partition in
            storedOffsets[partition].map { TopicPartitionOffset(partition, offset: $0) }
        }
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList.make(offsets: offsets)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(Self.revokeCommitRetryMillis) * 1_000_000
        var attempts = 1
        var err = rd_kafka_commit(handle, list, 0)
        while err == RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS && DispatchTime.now().uptimeNanoseconds < deadline {
            usleep(UInt32(Self.revokeCommitPauseMillis * 1_000))
            attempts += 1
            err = rd_kafka_commit(handle, list, 0)
        }
        metadata["kafka.offsets"] = .string(offsets.map(\.description).joined(separator: ","))
        if attempts > 1 { metadata["kafka.commit_attempts"] = .stringConvertible(attempts) }
        if err == RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.info("committed offsets of revoked partitions", metadata: metadata)
        } else {
            revokeCommitFailures += 1
            metadata[KafkaLogMetadataKey.error] = .string(KafkaResponseCode(err).name)
            logger.error(
                "commit of revoked partitions failed; their records since the last commit will be re-delivered",
                metadata: metadata)
        }
    }

    private func fail(_ error: KafkaError, metadata: Logger.Metadata) {
        logger.error("rebalance handling failed: \(error)", metadata: metadata)
        if pendingError == nil { pendingError = error }
    }
}
