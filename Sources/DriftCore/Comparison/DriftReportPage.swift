/// What the HTML drift report shows, independent of where it came from: `driftd compare`'s file
/// (`init(comparison:)`) or the daemon's current window (the status server's `/report`).
/// `DriftReportHTML.render(_:)` turns it into one self-contained page.
public struct DriftReportPage: Sendable, Equatable {
    /// A labelled fact in the page header (model, baseline, rows, window …).
    public struct Fact: Sendable, Equatable {
        /// Label.
        public var label: String
        /// Value.
        public var value: String

        /// Creates a fact.
        public init(_ label: String, _ value: String) {
            self.label = label
            self.value = value
        }
    }

    /// The dataset (or window) verdict.
    public struct Verdict: Sendable, Equatable {
        /// Whether the dataset drifted (the banner is red).
        public var drifted: Bool
        /// The headline, e.g. `Dataset drift: 3 of 7 features drifted`.
        public var headline: String
        /// A second line, e.g. the share against its threshold.
        public var detail: String
        /// Share of features drifted (or alerts firing), for the meter; `nil` hides it.
        public var share: Double?
        /// The share at which the dataset counts as drifted.
        public var shareThreshold: Double?

        /// Creates a verdict.
        public init(
            drifted: Bool, headline: String, detail: String, share: Double? = nil, shareThreshold: Double? = nil
        ) {
            self.drifted = drifted
            self.headline = headline
            self.detail = detail
            self.share = share
            self.shareThreshold = shareThreshold
        }
    }

    /// A feature's alert state in the daemon.
    public enum AlertState: String, Sendable, Equatable {
        /// The alert is firing.
        case firing
        /// The alert is not firing.
        case ok
    }

    /// One feature (or the prediction): a table row and a chart.
    public struct Feature: Sendable, Equatable {
        /// Feature name.
        public var name: String
        /// Whether this is the model's prediction (not counted in the drift share).
        public var isPrediction: Bool
        /// Numeric or categorical.
        public var type: FeatureType
        /// The method's name (e.g. `jensen_shannon`).
        public var method: String
        /// Whether the distribution was scored on raw values (the baseline sample).
        public var rawSample: Bool
        /// The method's score.
        public var score: Double
        /// The threshold the score was compared with.
        public var threshold: Double
        /// The p-value behind the decision; `nil` when none was computed.
        public var pValue: Double?
        /// The decision.
        public var status: FeatureEvaluation.Status
        /// A small but certain shift (not drift): shown with its own badge.
        public var smallShift = false
        /// Current share of missing values.
        public var missingShare: Double
        /// Baseline share of missing values.
        public var baselineMissingShare: Double
        /// Categorical: share of present values in unseen categories; numeric: share outside the
        /// training range.
        public var newShare: Double?
        /// Human-readable explanation of the decision.
        public var reason: String
        /// Notes (overrides skipped, fallbacks, data problems).
        public var notes: [String]
        /// The alert state (live report only).
        public var alert: AlertState?
        /// Baseline and current counts on the baseline's bins; `nil` draws no chart.
        public var histogram: ReportHistogram?
        /// The bins or categories whose share moved most (shown for drifted features).
        public var evidence: DriftEvidence?

        /// Creates a feature.
        public init(
            name: String, isPrediction: Bool, type: FeatureType, method: String, rawSample: Bool, score: Double,
            threshold: Double, pValue: Double?, status: FeatureEvaluation.Status, missingShare: Double,
            baselineMissingShare: Double, newShare: Double?, reason: String, notes: [String] = [],
            alert: AlertState? = nil, histogram: ReportHistogram?, evidence: DriftEvidence? = nil
        ) {
            self.name = name
            self.isPrediction = isPrediction
            self.type = type
            self.method = method
            self.rawSample = rawSample
            self.score = score
            self.threshold = threshold
            self.pValue = pValue
            self.status = status
            self.missingShare = missingShare
            self.baselineMissingShare = baselineMissingShare
            self.newShare = newShare
            self.reason = reason
            self.notes = notes
            self.alert = alert
            self.histogram = histogram
            self.evidence = evidence
        }

        /// Score relative to the threshold (the score itself when the threshold is 0).
        public var relativeScore: Double {
            guard score.isFinite else { return 0 }
            return threshold > 0 ? score / threshold : score
        }
    }

    /// A recent alert (live report only).
    public struct Alert: Sendable, Equatable {
        /// When it was published (RFC 3339).
        public var time: String
        /// Feature, `prediction` or another target.
        public var target: String
        /// `firing` or `resolved`.
        public var status: String
        /// Severity.
        public var severity: String
        /// The method that decided.
        public var method: String
        /// The score.
        public var score: Double
        /// The threshold.
        public var threshold: Double
        /// The reason.
        public var reason: String

        /// Creates an alert row.
        public init(
            time: String, target: String, status: String, severity: String, method: String, score: Double,
            threshold: Double, reason: String
        ) {
            self.time = time
            self.target = target
            self.status = status
            self.severity = severity
            self.method = method
            self.score = score
            self.threshold = threshold
            self.reason = reason
        }
    }

    /// The page title (also the `<title>`).
    public var title: String
    /// Facts in the header.
    public var facts: [Fact]
    /// The verdict banner.
    public var verdict: Verdict
    /// Features, in the default (urgency) order: drifted first, then by relative score.
    public var features: [Feature]
    /// Whether the table has an alert-state column (live report).
    public var showsAlertState: Bool
    /// Recent alerts, newest first; `nil` leaves the section out (batch report).
    public var recentAlerts: [Alert]?
    /// Page-level notes (missing columns, ignored columns …).
    public var notes: [String]
    /// Seconds after which the browser reloads the page (live report); `nil`: never.
    public var refreshSeconds: Int?
    /// A line at the foot of the page (what produced it, and when).
    public var footer: String
    /// Links shown above the title (e.g. back to the model list), as (text, href).
    public var breadcrumbs: [Fact]

    /// Creates a page.
    public init(
        title: String, facts: [Fact], verdict: Verdict, features: [Feature], showsAlertState: Bool = false,
        recentAlerts: [Alert]? = nil, notes: [String] = [], refreshSeconds: Int? = nil, footer: String,
        breadcrumbs: [Fact] = []
    ) {
        self.title = title
        self.facts = facts
        self.verdict = verdict
        self.features = features
        self.showsAlertState = showsAlertState
        self.recentAlerts = recentAlerts
        self.notes = notes
        self.refreshSeconds = refreshSeconds
        self.footer = footer
        self.breadcrumbs = breadcrumbs
    }

    /// Features in urgency order: firing alerts first (live report), then drifted, ok, and
    /// without verdict, each by descending score relative to the threshold, then by name.
    /// - Parameter features: The features.
    public static func byUrgency(_ features: [Feature]) -> [Feature] {
        func rank(_ f: Feature) -> Int {
            let firing = f.alert == .firing ? 0 : 3
            switch f.status {
            case .drifted: return firing
            case .ok: return f.smallShift ? firing + 1 : firing + 2
            case .insufficientData: return firing + 3
            }
        }
        return features.sorted { a, b in
            if rank(a) != rank(b) { return rank(a) < rank(b) }
            if a.relativeScore != b.relativeScore { return a.relativeScore > b.relativeScore }
            return a.name < b.name
        }
    }
}

// MARK: - From a batch comparison

extension DriftReportPage {
    /// The page of a `driftd compare` report.
    /// - Parameters:
    ///   - report: The comparison.
    ///   - input: The compared file's name, shown in the header.
    ///   - generatedAt: When the report was made (RFC 3339), shown in the footer.
    public init(comparison report: ComparisonReport, input: String? = nil, generatedAt: String? = nil) {
        var facts: [Fact] = [
            Fact("model", "\(report.model)@\(report.version)"),
            Fact("baseline", report.baselineID)
        ]
        if let input { facts.append(Fact("data", input)) }
        facts.append(Fact("rows", Self.grouped(report.rowCount)))
        facts.append(Fact("features", "\(report.features.count)" + (report.prediction != nil ? " + prediction" : "")))
        let features = report.verdictsByUrgency.map { v in
            var feature = Feature(
                name: v.name, isPrediction: report.prediction == v, type: v.type, method: v.method.rawValue,
                rawSample: v.path == .rawSample, score: v.score, threshold: v.threshold, pValue: v.significancePValue,
                status: v.status, missingShare: v.missingShare, baselineMissingShare: v.baselineMissingShare,
                newShare: v.unseenShare ?? v.outOfRangeShare, reason: v.reason, notes: v.notes, histogram: v.histogram,
                evidence: v.evidence)
            feature.smallShift = v.smallShift
            return feature
        }
        let headline =
            report.datasetDrifted
            ? "Dataset drift detected: \(report.driftedCount) of \(report.features.count) features drifted"
            : "No dataset drift: \(report.driftedCount) of \(report.features.count) features drifted"
        let small =
            report.smallShiftCount > 0 ? "; \(report.smallShiftCount) with a small but certain shift (not drift)" : ""
        let detail =
            "drift share \(Self.percent(report.driftShare)), dataset threshold \(Self.percent(report.driftShareThreshold))\(small)"
        var notes: [String] = []
        if !report.missingColumns.isEmpty {
            notes.append(
                "Columns missing from the data (compared as 100% missing): \(report.missingColumns.joined(separator: ", "))"
            )
        }
        if !report.ignoredColumns.isEmpty {
            notes.append("Columns not in the baseline (ignored): \(report.ignoredColumns.joined(separator: ", "))")
        }
        if !report.disabledFeatures.isEmpty {
            notes.append("Disabled features: \(report.disabledFeatures.joined(separator: ", "))")
        }
        self.init(
            title: "Drift report: \(report.model)@\(report.version)", facts: facts,
            verdict: Verdict(
                drifted: report.datasetDrifted, headline: headline, detail: detail, share: report.driftShare,
                shareThreshold: report.driftShareThreshold),
            features: features, notes: notes,
            footer: "driftd compare" + (generatedAt.map { ", \($0)" } ?? ""))
    }

    /// `12,345`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `12.5%`.
    public static func percent(_ share: Double) -> String {
        guard share.isFinite else { return "-" }
        let value = (share * 1000).rounded() / 10
        return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }
}
