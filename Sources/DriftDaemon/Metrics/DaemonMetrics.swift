import DriftCore
import Prometheus

/// The daemon's Prometheus metrics, named and documented in one place (docs/operations.md).
///
/// Updated per batch and per evaluation, never per event, so the registry's lock is off the
/// hot path.
public final class DaemonMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        registry.makeGauge(name: "driftd_up", help: "1 while the daemon runs").set(1.0)
    }

    /// Messages read from Kafka input topics.
    public func consumed(topic: String, count: Int) {
        registry.makeCounter(name: "driftd_messages_consumed_total", labels: [("topic", topic)],
                             help: "Messages consumed from input topics").increment(by: Int64(count))
    }

    /// Inference events applied to a model's window.
    public func processed(model: String, count: Int) {
        registry.makeCounter(name: "driftd_events_processed_total", labels: [("model", model)],
                             help: "Inference events applied to windows").increment(by: Int64(count))
    }

    /// Events rejected by the decoder, by reason code.
    public func rejected(reason: String, count: Int = 1) {
        registry.makeCounter(name: "driftd_events_rejected_total", labels: [("reason", reason)],
                             help: "Events rejected and sent to the dead-letter topic").increment(by: Int64(count))
    }

    /// Feature keys in events that the model's baseline does not know (ignored).
    public func unknownFeatures(count: Int) {
        registry.makeCounter(name: "driftd_unknown_features_total",
                             help: "Feature values ignored because the baseline has no such feature").increment(by: Int64(count))
    }

    /// Events whose pane had already left the window.
    public func late(model: String, count: Int) {
        registry.makeCounter(name: "driftd_late_events_total", labels: [("model", model)],
                             help: "Events too late for their window, dropped").increment(by: Int64(count))
    }

    /// One window evaluation of a model.
    public func evaluated(model: String) {
        registry.makeCounter(name: "driftd_window_evaluations_total", labels: [("model", model)],
                             help: "Window evaluations").increment()
    }

    /// Latest drift score of a column.
    public func score(model: String, feature: String, method: String, value: Double) {
        registry.makeGauge(name: "driftd_drift_score", labels: [("model", model), ("feature", feature), ("method", method)],
                           help: "Latest drift score of a feature against its baseline").set(value.isFinite ? value : 0)
    }

    /// Whether a column's alert is firing (1) or not (0).
    public func firing(model: String, feature: String, _ firing: Bool) {
        registry.makeGauge(name: "driftd_alert_firing", labels: [("model", model), ("feature", feature)],
                           help: "1 while the feature's drift alert is firing").set(firing ? 1.0 : 0.0)
    }

    /// Alert events published.
    public func alertPublished(model: String, status: String) {
        registry.makeCounter(name: "driftd_alerts_published_total", labels: [("model", model), ("status", status)],
                             help: "Alert events published").increment()
    }

    /// Retrain events published.
    public func retrainPublished(model: String) {
        registry.makeCounter(name: "driftd_retrain_published_total", labels: [("model", model)],
                             help: "Retrain events published").increment()
    }

    /// Messages the producer failed to deliver.
    public func deliveryFailed(topic: String) {
        registry.makeCounter(name: "driftd_delivery_failures_total", labels: [("topic", topic)],
                             help: "Produced messages whose delivery failed").increment()
    }

    /// Checkpoints written (state snapshot + offset commit), by outcome.
    public func checkpoint(ok: Bool) {
        registry.makeCounter(name: "driftd_checkpoints_total", labels: [("outcome", ok ? "ok" : "error")],
                             help: "State checkpoints (snapshot and offset commit)").increment()
    }

    /// A window evaluation's thresholds and event time: per column the threshold its score is
    /// compared with (beside `driftd_drift_score`, same labels), and the event time of the
    /// newest event evaluated (how far the daemon is behind its input, in event time:
    /// `time() - driftd_last_evaluated_event_timestamp_seconds`).
    public func evaluationDetails(_ report: EvaluationReport) {
        for column in report.columns {
            let name = column.target == "prediction" ? "prediction" : column.evaluation.feature
            registry.makeGauge(name: "driftd_drift_threshold",
                               labels: [("model", report.model), ("feature", name), ("method", column.evaluation.method)],
                               help: "Threshold the feature's drift score is compared with").set(column.evaluation.threshold)
        }
        guard report.windowEndMillis > 0 else { return }
        registry.makeGauge(name: "driftd_last_evaluated_event_timestamp_seconds", labels: [("model", report.model)],
                           help: "Event time of the newest event in the model's last evaluated window, Unix seconds")
            .set(Double(report.windowEndMillis) / 1000)
    }

    /// Events applied to a model's windows since its first event, across restarts (part of the
    /// checkpointed state; it goes back when the pipeline rolls back to its last checkpoint).
    public func eventsApplied(model: String, total: Int64) {
        registry.makeGauge(name: "driftd_events_applied_total", labels: [("model", model)],
                           help: "Events applied to the model's windows, checkpointed: exact across crashes").set(Double(total))
    }

    /// Rollbacks to the last checkpoint after an output was not delivered or state not saved.
    public func rollback(reason: String) {
        registry.makeCounter(name: "driftd_rollbacks_total", labels: [("reason", reason)],
                             help: "Rollbacks to the last checkpoint (delivery failure, state not saved, lost partitions)").increment()
    }

    /// Alert and retrain records published again with an id already sent (after a rollback).
    public func duplicateOutput(kind: String) {
        registry.makeCounter(name: "driftd_outputs_republished_total", labels: [("kind", kind)],
                             help: "Decisions published again under the same CloudEvent id after a rollback").increment()
    }

    /// Scale-out evaluator: partial panes read from the internal topic by outcome (`merged`,
    /// `repeated` (a sequence already merged: an ingest epoch redone), `gap`, `too_late`,
    /// `unknown_model`, `unreadable`).
    public func partialPanes(outcome: String, count: Int = 1) {
        registry.makeCounter(name: "driftd_partial_panes_total", labels: [("outcome", outcome)],
                             help: "Scale-out: partial panes read by the evaluator, by outcome").increment(by: Int64(count))
    }

    /// 1 while outputs cannot be delivered (failing produce, missing topic, full queue).
    public func outputBlocked(_ blocked: Bool) {
        registry.makeGauge(name: "driftd_output_blocked", help: "1 while outputs cannot be delivered and consumption is paused")
            .set(blocked ? 1.0 : 0.0)
    }

    /// Times consumption was paused because outputs could not be queued or delivered.
    public func consumptionPaused() {
        registry.makeCounter(name: "driftd_consumption_pauses_total", labels: [],
                             help: "Times consumption paused for outputs (full producer queue, failing delivery)").increment()
    }

    /// Configuration reloads (SIGHUP), by result.
    public func configReload(ok: Bool) {
        registry.makeCounter(name: "driftd_config_reloads_total", labels: [("result", ok ? "success" : "failure")],
                             help: "Configuration reloads on SIGHUP, by result").increment()
    }

    /// Seconds since the last successful checkpoint.
    public func checkpointAge(seconds: Double) {
        registry.makeGauge(name: "driftd_checkpoint_age_seconds", help: "Seconds since the last successful checkpoint")
            .set(seconds)
    }

    /// Events in a model's window.
    public func windowEvents(model: String, events: Int) {
        registry.makeGauge(name: "driftd_window_events", labels: [("model", model)],
                           help: "Events in the model's current window").set(Double(events))
    }

    /// Labels joined to predictions, and accuracy of the window.
    public func accuracy(model: String, value: Double) {
        registry.makeGauge(name: "driftd_accuracy", labels: [("model", model)],
                           help: "Share of labelled predictions that were correct in the window").set(value)
    }

    /// Label events by model and outcome (`joined`, `unmatched`, `expired`, `duplicate`, `unscorable`).
    public func labels(model: String, outcome: String, count: Int) {
        registry.makeCounter(name: "driftd_labels_total", labels: [("model", model), ("outcome", outcome)],
                             help: "Label events by join outcome").increment(by: Int64(count))
    }

    /// Whether a model's accuracy alert is firing (1) or not (0).
    public func accuracyFiring(model: String, _ firing: Bool) {
        registry.makeGauge(name: "driftd_accuracy_alert_firing", labels: [("model", model)],
                           help: "1 while the model's accuracy alert is firing").set(firing ? 1.0 : 0.0)
    }

    /// Predictions held waiting for their labels.
    public func pendingPredictions(model: String, count: Int) {
        registry.makeGauge(name: "driftd_predictions_pending", labels: [("model", model)],
                           help: "Predictions held waiting for their labels").set(Double(count))
    }

    /// A performance metric of a model version's window at its last evaluation
    /// (`accuracy`, `f1_macro`, `roc_auc`, `mae`, ...; docs/accuracy.md).
    public func performance(model: String, version: String, metric: String, value: Double) {
        registry.makeGauge(name: "driftd_performance", labels: [("model", model), ("version", version), ("metric", metric)],
                           help: "Performance metric of the model on its labelled window").set(value.isFinite ? value : 0)
    }

    /// Unlabelled predictions dropped from the store, by reason (`evicted`, `expired`, `replaced`).
    public func predictionsDropped(model: String, reason: String, count: Int) {
        registry.makeCounter(name: "driftd_predictions_dropped_total", labels: [("model", model), ("reason", reason)],
                             help: "Predictions dropped before any label came").increment(by: Int64(count))
    }
    /// Bucket upper bounds of `driftd_latency_ms`, milliseconds.
    public static let latencyBuckets: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000]

    /// A batch's serving figures per (model, version): each latency into the `driftd_latency_ms`
    /// histogram, the cost into `driftd_cost_total`, and, when a pane closed, the window's
    /// percentiles and cost rates as gauges.
    public func serving(_ updates: [ServingUpdate]) {
        for u in updates {
            let labels = [("model", u.model), ("version", u.version)]
            if !u.latencies.isEmpty {
                let histogram = registry.makeValueHistogram(
                    name: "driftd_latency_ms", labels: labels, buckets: Self.latencyBuckets,
                    help: "Inference latency (latency_ms of inference events), milliseconds")
                for latency in u.latencies { histogram.record(latency) }
            }
            if u.cost > 0 {
                registry.makeCounter(name: "driftd_cost_total", labels: labels + [("unit", u.costUnit)],
                                     help: "Serving cost of inference events (event cost, or the configured price)")
                    .increment(by: u.cost)
            }
            guard let e = u.evaluation else { continue }
            for (statistic, value) in e.latency {
                registry.makeGauge(name: "driftd_latency_percentile_ms", labels: labels + [("percentile", statistic.rawValue)],
                                   help: "Latency percentile of the window, milliseconds (sketch relative error 1% by default; max exact)")
                    .set(value)
            }
            if let perHour = e.costPerHour {
                registry.makeGauge(name: "driftd_cost_per_hour", labels: labels + [("unit", u.costUnit)],
                                   help: "Serving cost per hour over the window").set(perHour)
            }
            if let per1000 = e.costPer1000 {
                registry.makeGauge(name: "driftd_cost_per_1000_predictions", labels: labels + [("unit", u.costUnit)],
                                   help: "Serving cost per 1,000 predictions over the window").set(per1000)
            }
        }
    }
}
