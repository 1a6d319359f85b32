/// Totals of one replay run, printed to standard error.
public struct ReplaySummary: Sendable, Equatable {
    public var lines = 0
    public var applied = 0
    public var rejected = 0
    public var evaluations = 0
    public var alerts = 0
    public var retrains = 0

    public init() {}

    /// One line for people.
    public var description: String {
        "replay: \(lines) lines, \(applied) events applied, \(rejected) rejected, \(evaluations) window evaluations, \(alerts) alert events, \(retrains) retrain events"
    }
}
