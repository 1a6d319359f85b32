import DriftCore

/// Totals of one replay run, printed to standard error.
public struct ReplaySummary: Sendable, Equatable {
    public var lines = 0
    public var applied = 0
    public var rejected = 0
    public var evaluations = 0
    public var alerts = 0
    public var retrains = 0
    /// Canary decisions (`io.driftd.rollback`, `io.driftd.promote`).
    public var canaryDecisions = 0
    /// Versions retired for idleness.
    public var retiredVersions = 0
    /// Non-blank lines of the labels file (0 without `--labels`).
    public var labelLines = 0
    /// Label lines rejected (dead letters).
    public var labelsRejected = 0
    /// Decoded labels by join outcome.
    public var labels = LabelCounts()
    /// Accuracy window evaluations.
    public var accuracyEvaluations = 0

    public init() {}

    /// One line for people; label totals are added when a labels file was replayed.
    public var description: String {
        var text =
            "replay: \(lines) lines, \(applied) events applied, \(rejected) rejected, \(evaluations) window evaluations, \(alerts) alert events, \(retrains) retrain events"
        if canaryDecisions > 0 { text += ", \(canaryDecisions) canary decisions" }
        if retiredVersions > 0 { text += ", \(retiredVersions) versions retired" }
        if labelLines > 0 {
            let outcomes = LabelOutcome.allCases.map { "\(labels[$0]) \($0.rawValue)" }.joined(separator: ", ")
            text +=
                "; \(labelLines) label lines, \(labelsRejected) rejected, \(outcomes), \(accuracyEvaluations) accuracy evaluations"
        }
        return text
    }
}
