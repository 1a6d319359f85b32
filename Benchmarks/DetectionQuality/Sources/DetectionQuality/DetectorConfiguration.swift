import DriftCore

/// One way of running driftd over a stream: a window, an alert rule applied to every column,
/// and optionally a sequential Page-Hinkley detector on every numeric feature.
struct DetectorConfiguration: Sendable {
    /// A Page-Hinkley (two-sided CUSUM) detector per numeric feature, standardised with the
    /// baseline's mean and standard deviation; each alarm counts as an alert of the feature.
    struct Sequential: Sendable {
        /// Reference value in standard deviations (detects shifts of about `2 delta` fastest).
        var delta: Double
        /// Target in-control average run length (two-sided), which fixes lambda.
        var averageRunLength: Double
    }

    /// Stable identifier (results files, table).
    let id: String
    /// Column header in the table.
    let label: String
    /// What the configuration is, in one sentence.
    let summary: String
    /// The sliding window.
    let window: WindowSpec
    /// The rule of every column.
    let rule: AlertRule
    /// Sequential detectors run on every numeric feature (empty: none).
    let sequential: [Sequential]

    /// The out-of-the-box defaults: what `driftd run --baseline` and `driftd replay --baseline`
    /// do without a config file (`WindowSpec.default`, `AlertRule()` for every column, which
    /// includes `ModelMonitor`'s sequential detectors on every column and the default false-alert budget).
    static let defaults = DetectorConfiguration(
        id: "defaults", label: "driftd defaults",
        summary:
            "WindowSpec.default (10,000 events, 10 panes), AlertRule() on every column: automatic method (jensen_shannon; z_test for binary), for 2 evaluations, plus ModelMonitor's sequential CUSUM detectors on every column, all held to FalseAlertBudget.default (\(FalseAlertBudget.default) per model at the observed event rate)",
        window: .default, rule: AlertRule(), sequential: [])

    /// The defaults before sequential detection: the window alone.
    static let windowOnly = DetectorConfiguration(
        id: "window_only", label: "window only",
        summary:
            "the defaults with AlertRule(sequential: false): the sliding window and its evaluations alone (driftd's defaults before sequential detection)",
        window: .default, rule: AlertRule(sequential: false), sequential: [])

    /// Each window method with its default threshold, everything else default except the
    /// sequential detectors, which are off so the column shows the method itself.
    static func method(_ method: DriftMethod) -> DetectorConfiguration {
        DetectorConfiguration(
            id: method.rawValue, label: method.rawValue,
            summary:
                "window only with AlertRule(method: .\(method), sequential: false) on every column (threshold \(method.defaultThreshold); numeric-only methods fall back to the automatic one on categorical columns)",
            window: .default, rule: AlertRule(method: method, sequential: false), sequential: [])
    }

    /// Settings proposed as new defaults, shown as extra columns (not DriftCore's defaults).
    static let proposals: [DetectorConfiguration] = [
        DetectorConfiguration(
            id: "proposal_panes20", label: "proposal A: 20 panes",
            summary: "window only with the 10,000-event window cut in 20 panes of 500 (evaluated every 500 events)",
            window: .count(events: 10_000, panes: 20), rule: AlertRule(sequential: false), sequential: []),
        DetectorConfiguration(
            id: "proposal_cusum_1e7", label: "proposal B: window only + Page-Hinkley (ARL₀ 10⁷)",
            summary:
                "window only plus DriftCore's PageHinkleyDetector on every numeric feature: delta 0.125 sd, lambda = PageHinkleyDetector.lambda(forDelta: 0.125, averageRunLength: 1e7)",
            window: .default, rule: AlertRule(sequential: false),
            sequential: [Sequential(delta: 0.125, averageRunLength: 1e7)]),
        DetectorConfiguration(
            id: "proposal_cusum_3e6", label: "proposal C: window only + Page-Hinkley (ARL₀ 3·10⁶)",
            summary:
                "window only plus DriftCore's PageHinkleyDetector on every numeric feature: delta 0.125 sd, lambda = PageHinkleyDetector.lambda(forDelta: 0.125, averageRunLength: 3e6)",
            window: .default, rule: AlertRule(sequential: false),
            sequential: [Sequential(delta: 0.125, averageRunLength: 3e6)])
    ]

    /// Every configuration the benchmark runs, defaults first, then the proposals, then each method.
    static let all: [DetectorConfiguration] = [defaults, windowOnly] + proposals + DriftMethod.allCases.map(method)
}
