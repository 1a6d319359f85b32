import DriftCore
import Foundation

/// Seeded traffic of two live versions for canary tests: a numeric feature `x` ~ N(0, 1), a
/// numeric prediction ~ N(0.3, 0.1) (plus `predictionShift` for the candidate) and a log-normal
/// latency around 50 ms (times `latencyFactor` for the candidate), `perPane` events of each
/// version per one-minute pane.
struct CanarySimulation {
    static func baseline(version: String) -> Baseline {
        Baseline(
            id: "m@\(version):test", model: "m", version: version, rowCount: 1000,
            features: [
                FeatureProfile(
                    name: "x", type: .numeric, edges: [-1, 0, 1], counts: [160, 340, 340, 160],
                    summary: NumericSummary(min: -4, max: 4, mean: 0, std: 1))
            ],
            prediction: FeatureProfile(
                name: "prediction", type: .numeric, edges: [0.3], counts: [500, 500],
                summary: NumericSummary(min: 0, max: 1, mean: 0.3, std: 0.1)))
    }

    static let rule = CanaryRule(
        model: "m", incumbent: "1", candidate: "2",
        margins: [.prediction: 0.02, .features: 0.1, .latency: 1.2], alpha: 0.05, minEvents: 2000,
        step: .seconds(60))

    var predictionShift = 0.0
    var latencyFactor = 1.0
    var perPane = 200
    var maxPanes = 200

    /// Runs until the comparison decides or `maxPanes` panes passed; returns the decision and
    /// the number of candidate events fed until then.
    func run(seed: UInt64, rule: CanaryRule = Self.rule) throws -> (
        decision: CanaryPayload?, candidateEvents: Int, comparison: CanaryComparison
    ) {
        var random = SeededNormalGenerator(seed: seed)
        var comparison = try CanaryComparison(
            rule: rule, incumbent: Self.baseline(version: "1"), candidate: Self.baseline(version: "2"))
        let schemas = [
            try ModelSchema(baseline: Self.baseline(version: "1")),
            try ModelSchema(baseline: Self.baseline(version: "2"))
        ]
        var fed = 0
        for pane in 0..<maxPanes {
            for arm in [CanaryComparison.Arm.incumbent, .candidate] {
                var batch = ColumnarBatch(schema: schemas[arm.rawValue], capacity: perPane)
                var latencies: [Double] = []
                let candidate = arm == .candidate
                for i in 0..<perPane {
                    let t =
                        Int64(pane) * rule.step.wholeMilliseconds + Int64(i) * rule.step.wholeMilliseconds
                        / Int64(perPane)
                    batch.append(
                        timestamp: t, values: [random.normal()],
                        prediction: random.normal(mean: 0.3 + (candidate ? predictionShift : 0), std: 0.1))
                    latencies.append(50 * exp(0.5 * random.normal()) * (candidate ? latencyFactor : 1))
                }
                comparison.ingest(arm, batch: batch, latencies: latencies)
                if candidate { fed += perPane }
            }
            if let decision = comparison.advance(
                to: EventTime(millisecondsSinceEpoch: Int64(pane + 1) * rule.step.wholeMilliseconds - 1))
            {
                return (decision, fed, comparison)
            }
        }
        return (nil, fed, comparison)
    }
}
