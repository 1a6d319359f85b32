/// The knobs of a benchmark run (command-line `run` options).
struct BenchmarkSettings: Sendable {
    /// Runs (independent seeds) per scenario.
    var seeds = 20
    /// Rows of synthetic training data behind each baseline.
    var trainingRows = 100_000
    /// Stationary events before every change point, plus a seeded jitter of up to one pane.
    var preChangeEvents = 20_000
    /// Upper bound of the change point's jitter, events.
    var changeJitter = 1_000
    /// Events after the change point; an alarm later than this is a miss.
    var horizonEvents = 50_000
    /// Events in the stationary stream (false alarms).
    var stationaryEvents = 10_000_000
    /// Events per batch fed to the monitor (a divisor of every pane size used).
    var batchEvents = 500
    /// Master seed.
    var seed: UInt64 = 20_251_122

    /// The settings as text for the results file.
    var described: [String: String] {
        [
            "runs per scenario": "\(seeds)",
            "training rows per baseline": "\(trainingRows)",
            "change point": "event \(preChangeEvents) + uniform jitter in [0, \(changeJitter))",
            "horizon after change": "\(horizonEvents) events",
            "stationary events": "\(stationaryEvents)",
            "batch": "\(batchEvents) events",
            "event time": "1 event per millisecond (alert cooldown 600,000 ms = 600,000 events)",
            "master seed": "\(seed)"
        ]
    }
}
