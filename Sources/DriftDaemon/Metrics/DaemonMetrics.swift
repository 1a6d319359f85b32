import DriftCore
import Prometheus
import Synchronization

/// The daemon's Prometheus metrics, named and documented in one place (docs/operations.md).
///
/// Updated per batch and per evaluation, never per event, so the registry's lock is off the
/// hot path.
public final class DaemonMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    /// The labelled series made per (model, version), unregistered when the version is retired.
    private let series = Mutex<[ModelVersion: Set<Series>]>([:])

    /// One labelled series: enough to find it again in the registry.
    private struct Series: Hashable {
        enum Kind: Hashable { case counter, gauge, histogram }
        var kind: Kind
        var name: String
        var labels: [String]
        var help: String
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        registry.gauge("driftd_up", help: "1 while the daemon runs").set(1.0)
    }

    private static func pairs(_ labels: [String]) -> [(String, String)] {
        stride(from: 0, to: labels.count, by: 2).map { (labels[$0], labels[$0 + 1]) }
    }

    private func track(
        _ owner: ModelVersion, _ kind: Series.Kind, name: String, _ labels: [(String, String)], _ help: String
    ) {
        let entry = Series(kind: kind, name: name, labels: labels.flatMap { [$0.0, $0.1] }, help: help)
        series.withLock { _ = $0[owner, default: []].insert(entry) }
    }

    /// A counter of a (model, version), tracked for `retire`.
    private func counter(_ owner: ModelVersion, name: String, _ labels: [(String, String)], help: String) -> Counter {
        let labels = [("model", owner.model), ("version", owner.version)] + labels
        track(owner, .counter, name: name, labels, help)
        return registry.counter(name, labels: labels, help: help)
    }

    /// A gauge of a (model, version), tracked for `retire`.
    private func gauge(_ owner: ModelVersion, name: String, _ labels: [(String, String)], help: String) -> Gauge {
        let labels = [("model", owner.model), ("version", owner.version)] + labels
        track(owner, .gauge, name: name, labels, help)
        return registry.gauge(name, labels: labels, help: help)
    }

    /// Unregisters every series of a retired (model, version) (`versions.retire_after`).
    /// - Returns: How many series were removed.
    @discardableResult
    public func retire(_ owner: ModelVersion) -> Int {
        let removed = series.withLock { $0.removeValue(forKey: owner) } ?? []
        for entry in removed {
            let labels = Self.pairs(entry.labels)
            switch entry.kind {
            case .counter: registry.unregisterCounter(registry.counter(entry.name, labels: labels, help: entry.help))
            case .gauge: registry.unregisterGauge(registry.gauge(entry.name, labels: labels, help: entry.help))
            case .histogram:
                registry.unregisterValueHistogram(
                    registry.valueHistogram(entry.name, labels: labels, buckets: Self.latencyBuckets, help: entry.help))
            }
        }
        return removed.count
    }

    /// The (model, version) pairs that have metric series.
    public var versionsWithSeries: [ModelVersion] { series.withLock { $0.keys.sorted() } }

    /// Messages read from Kafka input topics.
    public func consumed(topic: String, count: Int) {
        registry.counter(
            "driftd_messages_consumed_total", labels: [("topic", topic)],
            help: "Messages consumed from input topics"
        ).increment(by: Int64(count))
    }

    /// Inference events applied to a model's window.
    public func processed(_ owner: ModelVersion, count: Int) {
        counter(owner, name: "driftd_events_processed_total", [], help: "Inference events applied to windows")
            .increment(by: Int64(count))
    }

    /// Events rejected by the decoder, by reason code.
    public func rejected(reason: String, count: Int = 1) {
        registry.counter(
            "driftd_events_rejected_total", labels: [("reason", reason)],
            help: "Events rejected and sent to the dead-letter topic"
        ).increment(by: Int64(count))
    }

    /// Feature keys in events that the model's baseline does not know (ignored).
    public func unknownFeatures(count: Int) {
        registry.counter(
            "driftd_unknown_features_total",
            help: "Feature values ignored because the baseline has no such feature"
        ).increment(by: Int64(count))
    }

    /// Events whose pane had already left the window.
    public func late(_ owner: ModelVersion, count: Int) {
        counter(owner, name: "driftd_late_events_total", [], help: "Events too late for their window, dropped")
            .increment(by: Int64(count))
    }

    /// One window evaluation of a model.
    public func evaluated(_ owner: ModelVersion) {
        counter(owner, name: "driftd_window_evaluations_total", [], help: "Window evaluations").increment()
    }

    /// Latest drift score of a column.
    public func score(_ owner: ModelVersion, feature: String, method: String, value: Double) {
        gauge(
            owner, name: "driftd_drift_score", [("feature", feature), ("method", method)],
            help: "Latest drift score of a feature against its baseline"
        ).set(value.isFinite ? value : 0)
    }

    /// Whether a column's alert is firing (1) or not (0).
    public func firing(_ owner: ModelVersion, feature: String, _ firing: Bool) {
        gauge(
            owner, name: "driftd_alert_firing", [("feature", feature)],
            help: "1 while the feature's drift alert is firing"
        ).set(firing ? 1.0 : 0.0)
    }

    /// Alert events published.
    public func alertPublished(_ owner: ModelVersion, status: String) {
        counter(owner, name: "driftd_alerts_published_total", [("status", status)], help: "Alert events published")
            .increment()
    }

    /// Retrain events published.
    public func retrainPublished(_ owner: ModelVersion) {
        counter(owner, name: "driftd_retrain_published_total", [], help: "Retrain events published").increment()
    }

    /// A canary comparison's state, labelled by the candidate: 0 while undecided, 1 promoted,
    /// -1 rolled back. Part of the checkpointed state, so it survives restarts (unlike the
    /// counter of published decisions): deployment controllers can gate on it (docs/canary.md).
    public func canaryVerdict(_ candidate: ModelVersion, decision: String?) {
        let value: Double =
            switch decision {
            case "promote": 1
            case "rollback": -1
            default: 0
            }
        gauge(
            candidate, name: "driftd_canary_verdict", [],
            help: "Canary comparison of the candidate version: 0 undecided, 1 promote, -1 rollback"
        ).set(value)
    }

    /// Canary decisions published (`io.driftd.rollback`, `io.driftd.promote`), labelled by the candidate.
    public func canaryDecision(_ candidate: ModelVersion, decision: String) {
        counter(
            candidate, name: "driftd_canary_decisions_total", [("decision", decision)],
            help: "Canary decisions published, by decision (rollback, promote)"
        ).increment()
    }

    /// Messages the producer failed to deliver.
    public func deliveryFailed(topic: String) {
        registry.counter(
            "driftd_delivery_failures_total", labels: [("topic", topic)],
            help: "Produced messages whose delivery failed"
        ).increment()
    }

    /// Checkpoints written (state snapshot + offset commit), by outcome.
    public func checkpoint(ok: Bool) {
        registry.counter(
            "driftd_checkpoints_total", labels: [("outcome", ok ? "ok" : "error")],
            help: "State checkpoints (snapshot and offset commit)"
        ).increment()
    }

    /// A window evaluation's thresholds and event time: per column the threshold its score is
    /// compared with (beside `driftd_drift_score`, same labels), whether the column shows a small
    /// but certain shift (`driftd_feature_small_shift`, 1 or 0: significant at the strict level,
    /// score below the threshold; not drift, never alerting), and the event time of the newest
    /// event evaluated (how far the daemon is behind its input, in event time:
    /// `time() - driftd_last_evaluated_event_timestamp_seconds`).
    public func evaluationDetails(_ report: EvaluationReport) {
        let owner = ModelVersion(model: report.model, version: report.version)
        for column in report.columns {
            let name = column.target == "prediction" ? "prediction" : column.evaluation.feature
            gauge(
                owner, name: "driftd_drift_threshold", [("feature", name), ("method", column.evaluation.method)],
                help: "Threshold the feature's drift score is compared with"
            ).set(column.evaluation.threshold)
            gauge(
                owner, name: "driftd_feature_small_shift", [("feature", name)],
                help: "1 while the feature's last evaluation found a small but certain shift (not drift)"
            )
            .set(column.evaluation.smallShift ? 1.0 : 0.0)
        }
        guard report.windowEnd > .epoch else { return }
        gauge(
            owner, name: "driftd_last_evaluated_event_timestamp_seconds", [],
            help: "Event time of the newest event in the model's last evaluated window, Unix seconds"
        )
        .set(Double(report.windowEnd.millisecondsSinceEpoch) / 1000)
    }

    /// Events applied to a model's windows since its first event, across restarts (part of the
    /// checkpointed state; it goes back when the pipeline rolls back to its last checkpoint).
    public func eventsApplied(_ owner: ModelVersion, total: Int64) {
        gauge(
            owner, name: "driftd_events_applied_total", [],
            help: "Events applied to the model's windows, checkpointed: exact across crashes"
        ).set(Double(total))
    }

    /// Rollbacks to the last checkpoint after an output was not delivered or state not saved.
    public func rollback(reason: String) {
        registry.counter(
            "driftd_rollbacks_total", labels: [("reason", reason)],
            help: "Rollbacks to the last checkpoint (delivery failure, state not saved, lost partitions)"
        ).increment()
    }

    /// Alert and retrain records published again with an id already sent (after a rollback).
    public func duplicateOutput(kind: String) {
        registry.counter(
            "driftd_outputs_republished_total", labels: [("kind", kind)],
            help: "Decisions published again under the same CloudEvent id after a rollback"
        ).increment()
    }

    /// Scale-out evaluator: partial panes read from the internal topic by outcome (`merged`,
    /// `repeated` (a sequence already merged: an ingest epoch redone), `gap`, `too_late`,
    /// `unknown_model`, `unreadable`).
    public func partialPanes(outcome: String, count: Int = 1) {
        registry.counter(
            "driftd_partial_panes_total", labels: [("outcome", outcome)],
            help: "Scale-out: partial panes read by the evaluator, by outcome"
        ).increment(by: Int64(count))
    }

    /// Scale-out: an idle input partition's watermark moved by the ingest stage (`scale_out.idle_timeout`).
    public func idleAdvance(topic: String) {
        registry.counter(
            "driftd_idle_advances_total", labels: [("topic", topic)],
            help: "Scale-out: watermarks of idle input partitions moved to the latest the ingest stage knows"
        ).increment()
    }

    /// Scale-out: partitions of an input topic as the brokers' metadata reports them.
    public func inputPartitions(topic: String, count: Int) {
        registry.gauge(
            "driftd_input_partitions", labels: [("topic", topic)],
            help: "Scale-out: partitions of each input topic (broker metadata); every pane waits for each"
        ).set(Double(count))
    }

    /// 1 while outputs cannot be delivered (failing produce, missing topic, full queue).
    public func outputBlocked(_ blocked: Bool) {
        registry.gauge("driftd_output_blocked", help: "1 while outputs cannot be delivered and consumption is paused")
            .set(blocked ? 1.0 : 0.0)
    }

    /// Times consumption was paused because outputs could not be queued or delivered.
    public func consumptionPaused() {
        registry.counter(
            "driftd_consumption_pauses_total", labels: [],
            help: "Times consumption paused for outputs (full producer queue, failing delivery)"
        ).increment()
    }

    /// Configuration reloads (SIGHUP), by result.
    public func configReload(ok: Bool) {
        registry.counter(
            "driftd_config_reloads_total", labels: [("result", ok ? "success" : "failure")],
            help: "Configuration reloads on SIGHUP, by result"
        ).increment()
    }

    /// Messages not yet applied on one partition: its high watermark minus the next offset to apply.
    public func consumerLag(topic: String, partition: Int32, lag: Int64) {
        registry.gauge(
            "driftd_consumer_lag", labels: [("topic", topic), ("partition", String(partition))],
            help: "Messages on the partition not yet applied (high watermark minus position)"
        ).set(Double(lag))
    }

    /// Request or response halves of a joined input format dropped without their other half.
    public func joinUnmatched(topic: String, half: String, reason: String, count: Int) {
        registry.counter(
            "driftd_join_unmatched_total", labels: [("topic", topic), ("half", half), ("reason", reason)],
            help: "Request/response halves dropped unmatched, by topic, half and reason (expired, evicted, replaced)"
        )
        .increment(by: Int64(count))
    }

    /// Request or response halves waiting for their other half.
    public func joinPending(_ count: Int) {
        registry.gauge("driftd_join_pending", help: "Request/response halves waiting for their other half")
            .set(Double(count))
    }

    /// Seconds since the last successful checkpoint.
    public func checkpointAge(seconds: Double) {
        registry.gauge("driftd_checkpoint_age_seconds", help: "Seconds since the last successful checkpoint")
            .set(seconds)
    }

    /// Events in a model's window.
    public func windowEvents(_ owner: ModelVersion, events: Int) {
        gauge(owner, name: "driftd_window_events", [], help: "Events in the model's current window").set(Double(events))
    }

    /// Labels joined to predictions, and accuracy of the window.
    public func accuracy(_ owner: ModelVersion, value: Double) {
        gauge(owner, name: "driftd_accuracy", [], help: "Share of labelled predictions that were correct in the window")
            .set(value)
    }

    /// Label events by model and outcome (`joined`, `unmatched`, `expired`, `duplicate`, `unscorable`).
    public func labels(model: String, outcome: String, count: Int) {
        registry.counter(
            "driftd_labels_total", labels: [("model", model), ("outcome", outcome)],
            help: "Label events by join outcome"
        ).increment(by: Int64(count))
    }

    /// Whether a model's accuracy alert is firing (1) or not (0).
    public func accuracyFiring(_ owner: ModelVersion, _ firing: Bool) {
        gauge(owner, name: "driftd_accuracy_alert_firing", [], help: "1 while the model's accuracy alert is firing")
            .set(firing ? 1.0 : 0.0)
    }

    /// Predictions held waiting for their labels.
    public func pendingPredictions(_ owner: ModelVersion, count: Int) {
        gauge(owner, name: "driftd_predictions_pending", [], help: "Predictions held waiting for their labels").set(
            Double(count))
    }

    /// A performance metric of a model version's window at its last evaluation
    /// (`accuracy`, `f1_macro`, `roc_auc`, `mae`, ...; docs/accuracy.md).
    public func performance(model: String, version: String, metric: String, value: Double) {
        gauge(
            ModelVersion(model: model, version: version), name: "driftd_performance", [("metric", metric)],
            help: "Performance metric of the model on its labelled window"
        ).set(value.isFinite ? value : 0)
    }

    /// Unlabelled predictions dropped from the store, by reason (`evicted`, `expired`, `replaced`).
    public func predictionsDropped(_ owner: ModelVersion, reason: String, count: Int) {
        counter(
            owner, name: "driftd_predictions_dropped_total", [("reason", reason)],
            help: "Predictions dropped before any label came"
        ).increment(by: Int64(count))
    }
    /// Bucket upper bounds of `driftd_latency_ms`, milliseconds.
    public static let latencyBuckets: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000]

    /// A batch's serving figures per (model, version): each latency into the `driftd_latency_ms`
    /// histogram, the cost into `driftd_cost_total`, and, when a pane closed, the window's
    /// percentiles and cost rates as gauges.
    public func serving(_ updates: [ServingUpdate]) {
        for u in updates {
            let owner = ModelVersion(model: u.model, version: u.version)
            let labels = [("model", u.model), ("version", u.version)]
            if !u.latencies.isEmpty {
                let help = "Inference latency (latency_ms of inference events), milliseconds"
                track(owner, .histogram, name: "driftd_latency_ms", labels, help)
                let histogram = registry.valueHistogram(
                    "driftd_latency_ms", labels: labels, buckets: Self.latencyBuckets, help: help)
                for latency in u.latencies { histogram.record(latency) }
            }
            if u.cost > 0 {
                counter(
                    owner, name: "driftd_cost_total", [("unit", u.costUnit)],
                    help: "Serving cost of inference events (event cost, or the configured price)"
                )
                .increment(by: u.cost)
            }
            guard let e = u.evaluation else { continue }
            for (statistic, value) in e.latency {
                gauge(
                    owner, name: "driftd_latency_percentile_ms", [("percentile", statistic.rawValue)],
                    help:
                        "Latency percentile of the window, milliseconds (sketch relative error 1% by default; max exact)"
                )
                .set(value)
            }
            if let perHour = e.costPerHour {
                gauge(
                    owner, name: "driftd_cost_per_hour", [("unit", u.costUnit)],
                    help: "Serving cost per hour over the window"
                ).set(perHour)
            }
            if let per1000 = e.costPer1000 {
                gauge(
                    owner, name: "driftd_cost_per_1000_predictions", [("unit", u.costUnit)],
                    help: "Serving cost per 1,000 predictions over the window"
                ).set(per1000)
            }
        }
    }
}
