import DriftConfig
import DriftCore
import DriftDaemon
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Live report (/report)")
struct LiveReportTests {
    static func baseline() throws -> Baseline {
        try BaselineFile.load(
            path: CommandLineTests.packageRoot.appendingPathComponent("config/baselines/churn.json").path)
    }

    /// A window evaluation of every column of the example baseline: `plan` with a quarter of its
    /// values in unseen categories, the others as in training; `plan` firing.
    static func evaluation(_ baseline: Baseline) -> EvaluationReport {
        var columns: [EvaluationReport.ColumnReport] = []
        for (profile, target) in baseline.features.map({ ($0, "feature") }) + [(baseline.prediction!, "prediction")] {
            var counts = profile.counts.map { $0 / profile.presentCount * 3_000 }
            if profile.name == "plan" { counts[counts.count - 1] += 1_000 }
            let evaluation = FeatureEvaluator.evaluate(
                profile: profile, counts: counts, missing: 0, rule: AlertRule(minSamples: 100))
            columns.append(
                .init(
                    evaluation: evaluation, target: target, firing: profile.name == "plan", counts: counts, missing: 0))
        }
        return EvaluationReport(
            model: baseline.model, version: baseline.version,
            window: EventWindow(start: "2026-12-01T00:00:00Z", end: "2026-12-01T00:10:00Z", events: 4_000),
            windowEnd: EventTime(millisecondsSinceEpoch: 1_764_547_800_000), columns: columns,
            firingShare: 1.0 / Double(baseline.features.count))
    }

    static func alert(_ baseline: Baseline, status: AlertPayload.Status, feature: String) -> AlertPayload {
        AlertPayload(
            model: baseline.model, version: baseline.version, feature: feature, target: "feature", status: status,
            severity: .warning, method: "jensen_shannon", score: 0.2, threshold: 0.05, pValue: 1e-9,
            window: EventWindow(start: "2026-12-01T00:00:00Z", end: "2026-12-01T00:10:00Z", events: 4_000),
            baselineID: baseline.id, fingerprint: "f", firedAt: "2026-12-01T00:10:00Z", missingShare: 0,
            unseenShare: 0.25,
            outOfRangeShare: 0, reason: "drift: <unseen> categories")
    }

    private func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test("a model's page: the window's charts, alert states, recent alerts newest first")
    func page() throws {
        let baseline = try Self.baseline()
        let report = LiveReport(
            models: [ModelConfiguration(baselinePath: "churn.json", baseline: baseline)],
            clock: { WallClockTime(millisecondsSinceEpoch: 1_764_547_800_000) })
        let empty = try #require(report.html(model: "churn"))
        #expect(empty.contains("No window evaluated yet"))
        #expect(empty.contains("No alert since the daemon started"))

        report.record(Self.evaluation(baseline))
        report.record(alert: Self.alert(baseline, status: .firing, feature: "region"))
        report.record(alert: Self.alert(baseline, status: .resolved, feature: "region"))
        report.record(alert: Self.alert(baseline, status: .firing, feature: "plan"))
        report.record(alert: Self.alert(baseline, status: .firing, feature: "other-model").with(model: "nope"))
        let page = try #require(report.page(model: "churn"))
        #expect(page.features.count == baseline.features.count + 1)
        #expect(page.features.first?.name == "plan")
        #expect(page.features.first?.alert == .firing)
        #expect(page.features.filter { $0.alert == .firing }.count == 1)
        #expect(page.recentAlerts?.map(\.status) == ["firing", "resolved", "firing"])
        #expect(page.recentAlerts?.first?.target == "plan")
        #expect(page.verdict.drifted)
        #expect(page.verdict.headline == "Drift alerts firing on 1 of 6 features")
        let plan = try #require(page.features.first?.histogram)
        #expect(plan.currentCounts.last == 1_000)
        #expect(plan.kinds.last == .unseen)

        let html = try #require(report.html(model: "churn"))
        #expect(count("<svg class=\"chart\"", in: html) == 7)
        #expect(count("<tr class=\"alert ", in: html) == 3)
        #expect(html.contains("<th>Alert</th>"))
        #expect(html.contains("<meta http-equiv=\"refresh\" content=\"10\">"))
        #expect(html.contains("drift: &lt;unseen&gt; categories"))
        #expect(report.html(model: "nope") == nil)
    }

    @Test("a small but certain shift in the window shows its own badge on the live page")
    func smallShiftBadge() throws {
        let baseline = try Self.baseline()
        let report = LiveReport(
            models: [ModelConfiguration(baselinePath: "churn.json", baseline: baseline)],
            clock: { WallClockTime(millisecondsSinceEpoch: 1_764_547_800_000) })
        var evaluation = Self.evaluation(baseline)
        let index = try #require(
            evaluation.columns.firstIndex { $0.evaluation.feature == "tenure" && $0.evaluation.status == .ok })
        report.record(evaluation)
        #expect(!(try #require(report.html(model: "churn"))).contains("<span class=\"badge small\""))
        evaluation.columns[index].evaluation.smallShift = true
        report.record(evaluation)
        #expect(try #require(report.html(model: "churn")).contains("<span class=\"badge small\""))
    }

    @Test("a reload: new models get a page; a known model's new baseline applies once an evaluation fits it")
    func reload() throws {
        let baseline = try Self.baseline()
        let report = LiveReport(models: [ModelConfiguration(baselinePath: "churn.json", baseline: baseline)])
        report.record(Self.evaluation(baseline))
        var fraud = baseline
        fraud.model = "fraud"
        var churn4 = baseline
        churn4.version = "4"
        churn4.id = "churn@4:test"
        report.register(models: [
            ModelConfiguration(baselinePath: "churn.json", baseline: churn4),
            ModelConfiguration(baselinePath: "fraud.json", baseline: fraud)
        ])
        #expect(report.modelNames == ["churn", "fraud"])
        #expect(report.page(model: "fraud")?.verdict.headline == "No window evaluated yet")
        // Until an evaluation of version 4 arrives, the page stays on the running baseline.
        report.record(Self.evaluation(baseline))
        #expect(report.page(model: "churn")?.facts.first { $0.label == "baseline" }?.value == baseline.id)
        var next = Self.evaluation(baseline)
        next.version = "4"
        report.record(next)
        let page = try #require(report.page(model: "churn"))
        #expect(page.facts.first { $0.label == "baseline" }?.value == "churn@4:test")
        #expect(page.features.allSatisfy { $0.histogram != nil })
    }

    @Test("recent alerts are bounded")
    func bounded() throws {
        let baseline = try Self.baseline()
        let report = LiveReport(models: [ModelConfiguration(baselinePath: "churn.json", baseline: baseline)])
        for _ in 0..<LiveReport.recentAlertLimit + 7 {
            report.record(alert: Self.alert(baseline, status: .firing, feature: "plan"))
        }
        #expect(report.page(model: "churn")?.recentAlerts?.count == LiveReport.recentAlertLimit)
    }

    @Test("model paths are percent-encoded and decoded")
    func paths() {
        #expect(LiveReport.path(of: "churn") == "/report/churn")
        #expect(LiveReport.path(of: "fraud v2/eu") == "/report/fraud%20v2%2Feu")
        #expect(LiveReport.path(of: "modèle") == "/report/mod%C3%A8le")
    }

    @Test("the status server serves /report and /report/<model> beside /metrics")
    func served() async throws {
        let baseline = try Self.baseline()
        var renamed = baseline
        renamed.model = "fraud v2"
        let report = LiveReport(models: [
            ModelConfiguration(baselinePath: "churn.json", baseline: baseline),
            ModelConfiguration(baselinePath: "fraud.json", baseline: renamed)
        ])
        report.record(Self.evaluation(baseline))
        let bound = Mutex<Int?>(nil)
        let server = StatusServer(
            host: "127.0.0.1", port: 0, registry: DaemonMetrics().registry, health: HealthState(), report: report,
            logger: Logger(label: "test"), onBound: { port in bound.withLock { $0 = port } })
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        let task = Task { try await group.run() }
        for _ in 0..<250 where bound.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(20)) }
        let port = try #require(bound.withLock { $0 })

        let index = try await StatusServerTests.get(port: port, path: "/report")
        #expect(index.status.code == 200)
        #expect(index.body.contains("href=\"/report/churn\""))
        #expect(index.body.contains("href=\"/report/fraud%20v2\""))
        let churn = try await StatusServerTests.get(port: port, path: "/report/churn")
        #expect(churn.status.code == 200)
        #expect(count("<svg class=\"chart\"", in: churn.body) == 7)
        let fraud = try await StatusServerTests.get(port: port, path: "/report/fraud%20v2")
        #expect(fraud.status.code == 200)
        #expect(fraud.body.contains("No window evaluated yet"))
        #expect(try await StatusServerTests.get(port: port, path: "/report/nope").status.code == 404)
        #expect(try await StatusServerTests.get(port: port, path: "/report/%zz").status.code == 404)
        #expect(try await StatusServerTests.get(port: port, path: "/metrics").status.code == 200)
        await group.triggerGracefulShutdown()
        try await task.value
    }

    @Test("without a live report, /report is not found")
    func absent() async throws {
        let bound = Mutex<Int?>(nil)
        let server = StatusServer(
            host: "127.0.0.1", port: 0, registry: DaemonMetrics().registry, health: HealthState(),
            logger: Logger(label: "test"), onBound: { port in bound.withLock { $0 = port } })
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        let task = Task { try await group.run() }
        for _ in 0..<250 where bound.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(20)) }
        let port = try #require(bound.withLock { $0 })
        #expect(try await StatusServerTests.get(port: port, path: "/report").status.code == 404)
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

extension AlertPayload {
    fileprivate func with(model: String) -> AlertPayload {
        var copy = self
        copy.model = model
        return copy
    }
}
