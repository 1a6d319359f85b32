import DriftCore
import Foundation

/// Generates inference events for the demo model `churn`, shaped by a `DriftScenario`.
///
/// Features: `tenure_months`, `monthly_spend`, `age`, `sessions_per_week` (numeric),
/// `plan`, `region`, `device` (categorical); the prediction is a churn probability that
/// depends on them, so input drift shows up as prediction drift too.
public struct SyntheticTraffic: Sendable {
    /// Model id of the generated events.
    public let model: String
    /// Model version of the generated events.
    public let version: String
    private var random: SplitMix64
    /// The prediction of the last event `event(index:at:stage:)` made.
    public private(set) var lastPrediction = 0.0

    public init(model: String = "churn", version: String = "3", seed: UInt64 = 42) {
        self.model = model
        self.version = version
        self.random = SplitMix64(seed: seed)
    }

    /// Column names, in the order `trainingRow` returns them.
    public static let columns = [
        "tenure_months", "monthly_spend", "age", "sessions_per_week", "plan", "region", "device", "prediction"
    ]

    /// One training row (stationary distribution), as data values in `columns` order.
    public mutating func trainingRow() -> [DataValue] {
        let row = sample(stage: nil)
        return [
            .number(row.tenure), .number(row.spend), row.age.map(DataValue.number) ?? .missing,
            .number(row.sessions), .string(row.plan), .string(row.region), .string(row.device), .number(row.prediction)
        ]
    }

    /// The label event of the event `index`, delayed: it agrees with the predicted class
    /// (`prediction >= 0.5` churns) for `accuracy` of every 100 consecutive events.
    /// - Parameters:
    ///   - index: The labelled event's index (its id is `req-<index>`).
    ///   - prediction: The event's prediction.
    ///   - accuracy: The stage's label accuracy.
    ///   - time: The label's event time.
    /// - Returns: The label event JSON.
    public func label(index: Int, prediction: Double, accuracy: Double, at time: EventTime) -> String {
        let predicted = prediction >= 0.5
        let agree = Double(index % 100) < accuracy * 100
        return
            #"{"model":"\#(model)","id":"req-\#(index)","label":\#(predicted == agree ? 1 : 0),"timestamp":\#(time.millisecondsSinceEpoch)}"#
    }

    /// One inference event as a JSON object (one Kafka message).
    /// - Parameters:
    ///   - index: Event index (its id is `req-<index>`).
    ///   - time: Event time.
    ///   - stage: The scenario stage.
    ///   - version: The version serving it (nil: this generator's `version`).
    ///   - logitShift: Added to the prediction's logit (a candidate that predicts differently).
    ///   - latencyFactor: Multiplies the latency (a slower candidate).
    public mutating func event(
        index: Int, at time: EventTime, stage: DriftScenario.Stage, version: String? = nil, logitShift: Double = 0,
        latencyFactor: Double = 1
    ) -> String {
        let row = sample(stage: stage, logitShift: logitShift)
        lastPrediction = row.prediction
        let age = row.age.map { fmt($0) } ?? "null"
        return """
            {"model":"\(model)","version":"\(version ?? self.version)","id":"req-\(index)","timestamp":\(time.millisecondsSinceEpoch),\
            "features":{"tenure_months":\(fmt(row.tenure)),"monthly_spend":\(fmt(row.spend)),"age":\(age),\
            "sessions_per_week":\(fmt(row.sessions)),"plan":"\(row.plan)","region":"\(row.region)","device":"\(row.device)"},\
            "prediction":\(fmt(row.prediction)),"latency_ms":\(fmt((4 + 6 * random.nextUnitInterval()) * latencyFactor))}
            """
    }

    // MARK: - Sampling

    private struct Row {
        var tenure: Double, spend: Double, age: Double?, sessions: Double
        var plan: String, region: String, device: String, prediction: Double
    }

    private mutating func sample(stage: DriftScenario.Stage?, logitShift: Double = 0) -> Row {
        let tenure = (-24 * log(1 - random.nextUnitInterval())).rounded()
        let spend = 70 + 15 * (normal() + (stage?.spendShiftSD ?? 0))
        let ageValue = min(90, max(18, 42 + 12 * normal())).rounded()
        let age: Double? = random.nextUnitInterval() < (stage?.ageMissingShare ?? 0) ? nil : ageValue
        let sessionsNoise = normal()
        let sessions = (Foundation.exp(1.2 + 0.5 * sessionsNoise) * 10).rounded() / 10
        let plan: String
        if stage?.planMixChanged == true {
            plan = pick(["basic", "pro", "enterprise", "trial"], [0.25, 0.25, 0.2, 0.3])
        } else {
            plan = pick(["basic", "pro", "enterprise"], [0.5, 0.35, 0.15])
        }
        let region = pick(["eu", "us", "apac", "latam"], [0.35, 0.4, 0.15, 0.1])
        let device = pick(["ios", "android", "web"], [0.3, 0.45, 0.25])
        let predictionNoise = normal()
        let logit =
            -1.0 - 0.04 * tenure + 0.03 * (spend - 70) + (plan == "basic" ? 0.5 : 0) + 0.3 * predictionNoise
            + logitShift
        let prediction = 1 / (1 + Foundation.exp(-logit))
        return Row(
            tenure: tenure, spend: spend, age: age, sessions: sessions, plan: plan, region: region,
            device: device, prediction: prediction)
    }

    private mutating func normal() -> Double { random.nextStandardNormal() }

    private mutating func pick(_ values: [String], _ weights: [Double]) -> String {
        var u = random.nextUnitInterval() * weights.reduce(0, +)
        for (value, weight) in zip(values, weights) {
            if u < weight { return value }
            u -= weight
        }
        return values[values.count - 1]
    }

    private func fmt(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String((x * 10_000).rounded() / 10_000)
    }
}
