/// Results of one tool (driftd or River) on the benchmark streams; both write this shape,
/// `report` joins them.
struct ResultsFile: Codable, Sendable {
    /// A detector (a column of the table).
    struct Detector: Codable, Sendable {
        /// Stable identifier.
        var id: String
        /// Column header.
        var label: String
        /// What it is.
        var summary: String
    }

    /// What one detector did on one change-point stream.
    struct Outcome: Codable, Sendable {
        /// Events from the change point to the first alarm of the drifting feature at or after it
        /// (the alarming event counted: an alarm on the first changed event has delay 1);
        /// `nil` when nothing alarmed within the stream.
        var delay: Int?
        /// Alarms of the drifting feature before the change point (false alarms).
        var preChangeAlarms: Int
        /// Alarms of the other (stationary) features anywhere in the stream, when they were watched.
        var otherFeatureAlarms: Int?
    }

    /// One change-point stream.
    struct Run: Codable, Sendable {
        /// Scenario identifier.
        var scenario: String
        /// Run number.
        var seed: Int
        /// Index of the first changed event.
        var changeIndex: Int
        /// Outcome per detector id.
        var outcomes: [String: Outcome]
    }

    /// One detector's alarms on one stationary feature.
    struct FeatureAlarms: Codable, Sendable {
        /// Feature name.
        var feature: String
        /// Alarms over the stationary stream.
        var alarms: Int
        /// Window evaluations with a verdict (driftd only).
        var evaluations: Int?
        /// Of those, judged drifted (driftd only).
        var driftedEvaluations: Int?
        /// Largest score / threshold seen (driftd only).
        var maxScoreRatio: Double?
        /// Alarms of ModelMonitor's sequential detectors, alerting or not (driftd only).
        var sequentialAlarms: Int?
    }

    /// One detector on the stationary stream.
    struct Stationary: Codable, Sendable {
        /// Detector id.
        var detector: String
        /// Per feature.
        var features: [FeatureAlarms]
    }

    /// A scenario (a row of the table).
    struct ScenarioInfo: Codable, Sendable {
        /// Identifier.
        var id: String
        /// Description.
        var title: String
        /// The drifting feature.
        var feature: String
        /// What River is fed.
        var riverInput: String
    }

    /// Tool name and version.
    var tool: String
    /// UTC date of the run.
    var date: String
    /// Settings, as `name: value` lines for the documentation.
    var settings: [String: String]
    /// Detectors, in table order.
    var detectors: [Detector]
    /// Scenarios, in table order (written by driftd; River's file may leave it empty).
    var scenarios: [ScenarioInfo]
    /// Change-point runs.
    var runs: [Run]
    /// Events in the stationary stream.
    var stationaryEvents: Int
    /// Stationary results per detector.
    var stationary: [Stationary]
    /// Wall-clock seconds the tool took.
    var seconds: Double
}
