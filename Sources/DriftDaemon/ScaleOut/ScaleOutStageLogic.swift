import DriftConfig
import DriftKafka
import Foundation

/// What a scale-out stage does with its partitions; `ScaleOutStage` runs the consumer, the
/// producer, the epochs and the checkpoints around it. Called on the stage's loop thread only.
protocol ScaleOutStageLogic: AnyObject {
    /// `ingest` or `evaluate` (logs, state keys).
    var stageName: String { get }
    /// Takes partition `p` with its saved state (`nil`: fresh); also used to roll back.
    func assign(_ p: TopicPartition, saved: Data?)
    /// Forgets partition `p`.
    func release(_ p: TopicPartition)
    /// Processes a batch; returns what to publish, in order.
    func handle(_ batch: KafkaMessageBatch, nowMillis: Int64) -> [OutboundRecord]
    /// The state of partition `p` to checkpoint.
    func save(_ p: TopicPartition) -> Data
    /// Events applied per model name, as totals (metrics).
    var appliedTotals: [ModelVersion: Int64] { get }
    /// Whether `idleDue` wants to know which partitions are caught up (costs a watermark lookup per loop).
    var watchesIdle: Bool { get }
    /// Called every loop turn with the assigned partitions that have nothing left to read; true
    /// when an idle partition's watermark should move (the stage then checkpoints at once).
    func idleDue(nowMillis: Int64, caughtUp: Set<TopicPartition>) -> Bool
    /// Called inside a checkpoint (interval or idle), after the epoch's outputs were acknowledged
    /// and before the partitions' state is saved: what it emits goes to the outbox and is saved with
    /// the state, so it is published (by `takeOutbox`) only once it is durable.
    func prepareCheckpoint(nowMillis: Int64)
    /// Records saved in a checkpoint (or restored from one) not yet handed to the producer.
    func takeOutbox() -> [OutboundRecord]
    /// Adopts a reloaded configuration that `ScaleOutService` accepted (only alert policy of
    /// unchanged models differs: rules, retrain, false-alert budget), keeping the state held.
    func reload(_ configuration: DaemonConfiguration) throws(DaemonError)
}

extension ScaleOutStageLogic {
    var watchesIdle: Bool { false }
    func idleDue(nowMillis: Int64, caughtUp: Set<TopicPartition>) -> Bool { false }
    func prepareCheckpoint(nowMillis: Int64) {}
    func takeOutbox() -> [OutboundRecord] { [] }
    /// Stages whose work does not depend on alert policy (ingest bins events by baseline and
    /// window only) have nothing to adopt.
    func reload(_ configuration: DaemonConfiguration) throws(DaemonError) {}
}
