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
    /// Adopts a reloaded configuration that `ScaleOutService` accepted (only alert policy of
    /// unchanged models differs: rules, retrain, false-alert budget), keeping the state held.
    func reload(_ configuration: DaemonConfiguration) throws(DaemonError)
}

extension ScaleOutStageLogic {
    /// Stages whose work does not depend on alert policy (ingest bins events by baseline and
    /// window only) have nothing to adopt.
    func reload(_ configuration: DaemonConfiguration) throws(DaemonError) {}
}
