import Prometheus

/// The daemon's metrics are named in full (`driftd_events_processed_total`) with their help text
/// in one call; these build swift-prometheus' `MetricNameDescriptor` for that (no namespace,
/// subsystem or unit suffix: the name carries them).
extension PrometheusCollectorRegistry {
    /// The counter `name` with `labels`, created on first use.
    func counter(_ name: String, labels: [(String, String)] = [], help: String) -> Counter {
        makeCounter(descriptor: Self.descriptor(name, help), labels: labels)
    }

    /// The gauge `name` with `labels`, created on first use.
    func gauge(_ name: String, labels: [(String, String)] = [], help: String) -> Gauge {
        makeGauge(descriptor: Self.descriptor(name, help), labels: labels)
    }

    /// The value histogram `name` with `labels` and `buckets`, created on first use.
    func valueHistogram(_ name: String, labels: [(String, String)] = [], buckets: [Double], help: String)
        -> ValueHistogram
    {
        makeValueHistogram(descriptor: Self.descriptor(name, help), labels: labels, buckets: buckets)
    }

    private static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
