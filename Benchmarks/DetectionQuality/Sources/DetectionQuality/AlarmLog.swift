/// What one detector configuration did on one stream, per feature.
struct AlarmLog: Sendable {
    /// One feature's record.
    struct Feature: Sendable {
        /// Event indexes of alarms (alert firings, and sequential-detector alarms), ascending.
        var alarms: [Int] = []
        /// Window evaluations that gave a verdict (ok or drifted).
        var evaluations = 0
        /// Of those, the ones judged drifted.
        var driftedEvaluations = 0
        /// Largest score / threshold seen over the evaluations with a verdict.
        var maxScoreRatio = 0.0
        /// Alarms of `ModelMonitor`'s sequential detectors, including those that fired no alert
        /// (the feature was already firing, or cooling down).
        var sequentialAlarms = 0
    }

    /// Per feature, in schema order.
    var features: [Feature]

    init(featureCount: Int) { features = Array(repeating: Feature(), count: featureCount) }

    /// The first alarm of `feature` at or after event `index`.
    func firstAlarm(feature: Int, atOrAfter index: Int) -> Int? {
        features[feature].alarms.first { $0 >= index }
    }

    /// Alarms of `feature` before event `index`.
    func alarms(feature: Int, before index: Int) -> Int {
        features[feature].alarms.count { $0 < index }
    }
}
