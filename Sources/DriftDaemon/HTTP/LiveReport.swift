import DriftConfig
import DriftCore
import Synchronization

/// What the status server's `/report` pages show: per model, the latest window evaluation
/// against the baseline (scores, verdicts, the window's histograms on the baseline's bins), the
/// alert states, and the alerts published since the daemon started (the most recent
/// `recentAlertLimit`). Drawn by the same renderer as `driftd compare --format html`.
///
/// The pipeline records evaluations and alerts on its loop thread; the status server reads on
/// its event loop. Each record is a copy under a lock, once per evaluation or alert, never per
/// event.
///
/// A configuration reload (SIGHUP) registers the new models' settings (`register(models:)`);
/// each evaluation is then drawn with the most recently registered baseline of its model whose
/// version and bins fit it, so a reload the pipeline rejects or has not applied yet changes
/// nothing, and a model whose baseline changed is drawn on its new bins from its first new
/// evaluation on.
public final class LiveReport: Sendable {
    /// Alerts kept per model.
    public static let recentAlertLimit = 50

    /// A model's settings as one configuration gave them.
    private struct Settings: Sendable {
        var baseline: Baseline
        var window: WindowSpec
        var retrainShare: Double

        init(_ model: ModelConfiguration) {
            baseline = model.baseline
            window = model.window
            retrainShare = model.retrain.driftShare
        }

        /// Whether an evaluation could have been made on this baseline: same version, and every
        /// column's counts on as many bins as the baseline's profile.
        func fits(_ report: EvaluationReport) -> Bool {
            guard baseline.version == report.version else { return false }
            for column in report.columns {
                let profile =
                    column.target == "prediction"
                    ? baseline.prediction : baseline.features.first { $0.name == column.evaluation.feature }
                guard let profile, profile.binCount == column.counts.count else { return false }
            }
            return true
        }
    }

    private struct Model: Sendable {
        /// The settings the latest evaluation was drawn with (the configuration's at start).
        var settings: Settings
        /// Settings registered by reloads, newest last, not yet matched by an evaluation.
        var pending: [Settings] = []
        var baseline: Baseline { settings.baseline }
        var window: WindowSpec { settings.window }
        var retrainShare: Double { settings.retrainShare }
        var latest: EvaluationReport?
        var evaluatedAtMillis: Int64 = 0
        var evaluations = 0
        /// Oldest first, at most `recentAlertLimit`.
        var alerts: [(atMillis: Int64, alert: AlertPayload)] = []
    }

    private let models: Mutex<(byName: [String: Model], order: [String])>
    /// Seconds after which a browser reloads a page; `nil`: never.
    public let refreshSeconds: Int?
    private let clock: @Sendable () -> WallClockTime

    /// - Parameters:
    ///   - models: The monitored models (baselines, windows, retrain rules).
    ///   - refreshSeconds: Reload period of the pages in a browser (`nil`: no reload).
    ///   - clock: The wall clock, for the evaluation and alert times shown.
    public init(
        models: [ModelConfiguration], refreshSeconds: Int? = 10,
        clock: @escaping @Sendable () -> WallClockTime = { WallClock.now() }
    ) {
        var byName: [String: Model] = [:]
        var names: [String] = []
        for m in models where byName[m.model] == nil {
            byName[m.model] = Model(settings: Settings(m))
            names.append(m.model)
        }
        self.models = Mutex((byName, names))
        self.refreshSeconds = refreshSeconds
        self.clock = clock
    }

    /// Model names: the configuration's order, then models added by reloads.
    public var modelNames: [String] { models.withLock { $0.order } }

    /// Registers the models of a reloaded configuration. New models get a page at once (empty
    /// until their first evaluation); a known model's new settings apply from the first
    /// evaluation they fit.
    public func register(models configured: [ModelConfiguration]) {
        models.withLock { state in
            for m in configured {
                if var model = state.byName[m.model] {
                    model.pending.append(Settings(m))
                    if model.pending.count > 4 { model.pending.removeFirst(model.pending.count - 4) }
                    state.byName[m.model] = model
                } else {
                    state.byName[m.model] = Model(settings: Settings(m))
                    state.order.append(m.model)
                }
            }
        }
    }

    /// Keeps a model's latest evaluation.
    public func record(_ report: EvaluationReport) {
        let now = clock().millisecondsSinceEpoch
        models.withLock { state in
            guard var model = state.byName[report.model] else { return }
            if let newest = model.pending.lastIndex(where: { $0.fits(report) }) {
                model.settings = model.pending[newest]
                model.pending.removeFirst(newest + 1)
            }
            model.latest = report
            model.evaluatedAtMillis = now
            model.evaluations += 1
            state.byName[report.model] = model
        }
    }

    /// Keeps a published alert (firing or resolved, drift or accuracy).
    public func record(alert: AlertPayload) {
        let now = clock().millisecondsSinceEpoch
        models.withLock { state in
            guard var model = state.byName[alert.model] else { return }
            model.alerts.append((now, alert))
            if model.alerts.count > Self.recentAlertLimit {
                model.alerts.removeFirst(model.alerts.count - Self.recentAlertLimit)
            }
            state.byName[alert.model] = model
        }
    }

    // MARK: - Pages

    /// `/report/<model>` for a model name: its path segment percent-encoded.
    public static func path(of model: String) -> String {
        var out = "/report/"
        for byte in model.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "@"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return out
    }

    /// The model named by a percent-encoded path segment, `nil` when malformed.
    static func decode(segment: Substring) -> String? {
        var bytes: [UInt8] = []
        var i = segment.utf8.startIndex
        let utf8 = segment.utf8
        while i < utf8.endIndex {
            let byte = utf8[i]
            if byte == UInt8(ascii: "%") {
                let h = utf8.index(after: i)
                guard h < utf8.endIndex, utf8.index(after: h) < utf8.endIndex,
                    let value = UInt8(String(decoding: [utf8[h], utf8[utf8.index(after: h)]], as: UTF8.self), radix: 16)
                else { return nil }
                bytes.append(value)
                i = utf8.index(h, offsetBy: 2)
            } else {
                bytes.append(byte)
                i = utf8.index(after: i)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The page of a model, `nil` for a model not monitored.
    public func page(model name: String) -> DriftReportPage? {
        guard let model = models.withLock({ $0.byName[name] }) else { return nil }
        let baseline = model.baseline
        var facts: [DriftReportPage.Fact] = [
            .init("model", "\(baseline.model)@\(baseline.version)"),
            .init("baseline", baseline.id),
            .init("window", Self.describe(model.window))
        ]
        var features: [DriftReportPage.Feature] = []
        let verdict: DriftReportPage.Verdict
        if let report = model.latest {
            facts.append(.init("window events", DriftReportPage.grouped(report.window.events)))
            facts.append(.init("event times", "\(report.window.start) – \(report.window.end)"))
            facts.append(.init("evaluated", RFC3339.format(millis: model.evaluatedAtMillis)))
            facts.append(.init("evaluations", DriftReportPage.grouped(model.evaluations)))
            for column in report.columns {
                features.append(Self.feature(column, baseline: baseline))
            }
            let monitored = report.columns.filter { $0.target != "prediction" }
            let firing = monitored.filter(\.firing).count
            let drifted = monitored.filter { $0.evaluation.status == .drifted }.count
            let over = firing > 0 && report.firingShare >= model.retrainShare
            verdict = DriftReportPage.Verdict(
                drifted: firing > 0,
                headline: firing > 0
                    ? "Drift alerts firing on \(firing) of \(monitored.count) features"
                    : "No drift alert firing (\(monitored.count) features)",
                detail:
                    "firing share \(DriftReportPage.percent(report.firingShare)), retrain at \(DriftReportPage.percent(model.retrainShare))"
                    + (over ? " (reached)" : "") + "; drifted in this window: \(drifted)",
                share: report.firingShare, shareThreshold: model.retrainShare)
        } else {
            verdict = DriftReportPage.Verdict(
                drifted: false, headline: "No window evaluated yet",
                detail: "the first evaluation comes when the model's first pane closes")
        }
        let alerts = model.alerts.reversed().map { entry in
            let a = entry.alert
            return DriftReportPage.Alert(
                time: RFC3339.format(millis: entry.atMillis), target: a.feature ?? a.target, status: a.status.rawValue,
                severity: a.severity.rawValue, method: a.method, score: a.score, threshold: a.threshold,
                reason: a.reason)
        }
        return DriftReportPage(
            title: "Live drift: \(baseline.model)@\(baseline.version)", facts: facts, verdict: verdict,
            features: DriftReportPage.byUrgency(features), showsAlertState: true, recentAlerts: alerts,
            refreshSeconds: refreshSeconds,
            footer:
                "driftd status server, \(RFC3339.format(millis: clock().millisecondsSinceEpoch)): the current window against the baseline; "
                + "alerts since the daemon started (at most \(Self.recentAlertLimit) per model)",
            breadcrumbs: [.init("all models", "/report")])
    }

    /// The HTML of a model's page, `nil` for a model not monitored.
    public func html(model name: String) -> String? {
        page(model: name).map(DriftReportHTML.render)
    }

    /// The HTML of the model list.
    public func indexHTML() -> String {
        let snapshot = models.withLock { $0 }
        let rows = snapshot.order.compactMap { name -> DriftReportHTML.IndexRow? in
            guard let model = snapshot.byName[name] else { return nil }
            let monitored = model.latest?.columns.filter { $0.target != "prediction" } ?? []
            let firing = monitored.filter(\.firing).map(\.evaluation.feature)
            let lastAlert = model.alerts.last.map {
                "\($0.alert.status.rawValue) \($0.alert.feature ?? $0.alert.target), \(RFC3339.format(millis: $0.atMillis))"
            }
            return DriftReportHTML.IndexRow(
                name: name, href: Self.path(of: name), drifted: !firing.isEmpty,
                cells: [
                    model.baseline.version, model.baseline.id,
                    model.latest.map { DriftReportPage.grouped($0.window.events) } ?? "-",
                    model.latest == nil
                        ? "not evaluated yet" : (firing.isEmpty ? "none" : firing.joined(separator: ", ")),
                    lastAlert ?? "-"
                ])
        }
        return DriftReportHTML.renderIndex(
            title: "driftd: live drift reports",
            headers: ["version", "baseline", "window events", "alerts firing", "last alert"], rows: rows,
            footer: "driftd status server, \(RFC3339.format(millis: clock().millisecondsSinceEpoch))",
            refreshSeconds: refreshSeconds)
    }

    // MARK: - Helpers

    private static func feature(_ column: EvaluationReport.ColumnReport, baseline: Baseline) -> DriftReportPage.Feature
    {
        let e = column.evaluation
        let isPrediction = column.target == "prediction"
        let profile = isPrediction ? baseline.prediction : baseline.features.first { $0.name == e.feature }
        let histogram = profile.flatMap {
            ReportHistogram(profile: $0, currentCounts: column.counts, currentMissing: column.missing)
        }
        var feature = DriftReportPage.Feature(
            name: e.feature, isPrediction: isPrediction, type: e.type, method: e.method, rawSample: false,
            score: e.score,
            threshold: e.threshold, pValue: e.pValue, status: e.status, missingShare: e.missingShare,
            baselineMissingShare: e.baselineMissingShare,
            newShare: e.type == .categorical ? e.unseenShare : e.outOfRangeShare, reason: e.reason,
            alert: column.firing ? .firing : .ok, histogram: histogram,
            evidence: profile.flatMap { DriftEvidence(profile: $0, counts: column.counts, method: e.method) })
        feature.smallShift = e.smallShift
        return feature
    }

    private static func describe(_ window: WindowSpec) -> String {
        switch window {
        case .count(let events, let panes):
            return "last \(DriftReportPage.grouped(events)) events, \(panes) panes"
        case .time(let duration, let panes):
            let seconds = duration.components.seconds
            let text =
                seconds % 3600 == 0 ? "\(seconds / 3600) h" : seconds % 60 == 0 ? "\(seconds / 60) min" : "\(seconds) s"
            return "last \(text) of event time, \(panes) panes"
        }
    }
}
