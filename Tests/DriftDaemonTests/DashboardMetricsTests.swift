import DriftCore
import DriftDaemon
import Testing

/// The metrics the Grafana dashboard (deploy/grafana/driftd.json) needs beside the scores.
@Suite("Dashboard metrics")
struct DashboardMetricsTests {
    private func scrape(_ metrics: DaemonMetrics) -> String {
        String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self)
    }

    @Test("thresholds beside the scores, and the event time of the last evaluated window")
    func evaluationDetails() throws {
        let baseline = try LiveReportTests.baseline()
        let metrics = DaemonMetrics()
        metrics.evaluationDetails(LiveReportTests.evaluation(baseline))
        let text = scrape(metrics)
        #expect(
            text.contains(
                #"driftd_drift_threshold{model="churn",version="3",feature="plan",method="jensen_shannon"} 0.05"#),
            "\(text)")
        #expect(
            text.contains(
                #"driftd_drift_threshold{model="churn",version="3",feature="prediction",method="jensen_shannon"} 0.05"#)
        )
        #expect(
            text.contains(#"driftd_last_evaluated_event_timestamp_seconds{model="churn",version="3"} 1764547800.0"#),
            "\(text)")
    }

    @Test("a small but certain shift is its own series, 1 or 0 per feature, apart from the alert")
    func smallShift() throws {
        let baseline = try LiveReportTests.baseline()
        var report = LiveReportTests.evaluation(baseline)
        let index = try #require(report.columns.firstIndex { $0.evaluation.feature == "tenure" })
        report.columns[index].evaluation.smallShift = true
        let metrics = DaemonMetrics()
        metrics.evaluationDetails(report)
        var text = scrape(metrics)
        #expect(
            text.contains(#"driftd_feature_small_shift{model="churn",version="3",feature="tenure"} 1.0"#), "\(text)")
        #expect(text.contains(#"driftd_feature_small_shift{model="churn",version="3",feature="plan"} 0.0"#), "\(text)")
        report.columns[index].evaluation.smallShift = false
        metrics.evaluationDetails(report)
        text = scrape(metrics)
        #expect(
            text.contains(#"driftd_feature_small_shift{model="churn",version="3",feature="tenure"} 0.0"#), "\(text)")
    }
}
