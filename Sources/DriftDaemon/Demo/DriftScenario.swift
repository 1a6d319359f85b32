/// The demo's drift schedule: which distribution shift is active over which range of events.
public struct DriftScenario: Sendable {
    /// One stage of the schedule.
    public struct Stage: Sendable, Equatable {
        /// What is shown to the user when the stage begins.
        public var title: String
        /// Events in this stage.
        public var events: Int
        /// `monthly_spend` mean shift, in training standard deviations.
        public var spendShiftSD: Double
        /// Whether `plan` takes a new mix, including an unseen "trial" plan.
        public var planMixChanged: Bool
        /// Share of events where `age` is missing.
        public var ageMissingShare: Double
        /// Share of the stage's events whose (delayed) label agrees with the predicted class.
        public var labelAccuracy: Double = 0.97
        /// Share of the stage's events served by the candidate version of the canary (version 4).
        public var canaryShare: Double = 0
        /// The candidate's prediction shift, on the logit scale.
        public var canaryLogitShift: Double = 0
        /// The candidate's latency, as a multiple of the incumbent's.
        public var canaryLatencyFactor: Double = 1
    }

    /// Stages in order; after the last, the schedule repeats.
    public var stages: [Stage]

    /// The default story: stationary, a spend shift, a plan-mix change on top, missing ages,
    /// recovery, then concept drift: inputs as in training but the labels agree with only 85%
    /// of the predictions, which only the performance rule sees (accuracy below 92%, retrain);
    /// last a canary: version 4 takes 30% of the traffic, predicts higher churn and answers twice
    /// as slowly, and the canary comparison with version 3 publishes one `io.driftd.rollback`.
    public static func standard(stageEvents: Int) -> DriftScenario {
        DriftScenario(stages: [
            Stage(
                title: "stationary traffic (matches training)", events: stageEvents, spendShiftSD: 0,
                planMixChanged: false, ageMissingShare: 0),
            Stage(
                title: "monthly_spend shifts up by 1 sd", events: stageEvents, spendShiftSD: 1, planMixChanged: false,
                ageMissingShare: 0),
            Stage(
                title: "plan mix changes and an unseen 'trial' plan appears (spend still shifted)", events: stageEvents,
                spendShiftSD: 1, planMixChanged: true, ageMissingShare: 0),
            Stage(
                title: "spend and plan recover; age starts arriving missing (35%)", events: stageEvents,
                spendShiftSD: 0, planMixChanged: false, ageMissingShare: 0.35),
            Stage(
                title: "all features back to the training distribution", events: stageEvents, spendShiftSD: 0,
                planMixChanged: false, ageMissingShare: 0),
            Stage(
                title: "concept drift: inputs as in training, but labels agree with only 85% of predictions",
                events: stageEvents, spendShiftSD: 0, planMixChanged: false, ageMissingShare: 0, labelAccuracy: 0.85),
            Stage(
                title: "canary: version 4 serves 30% of traffic; its predictions skew up and its latency doubles",
                events: stageEvents, spendShiftSD: 0, planMixChanged: false, ageMissingShare: 0, canaryShare: 0.3,
                canaryLogitShift: 0.8, canaryLatencyFactor: 2)
        ])
    }

    /// The stage active at event `index` (0-based), and its position in the schedule.
    public func stage(at index: Int) -> (number: Int, stage: Stage) {
        let cycle = max(1, stages.reduce(0) { $0 + $1.events })
        var position = index % cycle
        for (i, stage) in stages.enumerated() {
            if position < stage.events { return (i, stage) }
            position -= stage.events
        }
        return (stages.count - 1, stages[stages.count - 1])
    }
}
