import DriftConfig
import DriftCore
import Foundation

/// A scoring model with a numeric prediction, its events and labels, for the accuracy tests.
///
/// Model "scorer": feature x ~ N(0, 1), prediction ~ U(0, 1) (the baseline's distributions, so
/// the stream itself never drifts); the predicted class is 1 when the prediction is >= 0.5.
enum AccuracyFixtures {
    static let model = "scorer"

    static func baseline() throws -> Baseline {
        var r = SplitMix64(seed: 17)
        var x: [DataValue] = []
        var p: [DataValue] = []
        for _ in 0..<20_000 {
            x.append(.number(PipelineHarness.normal(&r)))
            p.append(.number(r.nextUnitInterval()))
        }
        return try BaselineBuilder().build(
            model: model, version: "1",
            columns: [DataColumn(name: "x", values: x), DataColumn(name: "prediction", values: p)],
            predictionColumn: "prediction")
    }

    /// Window of 200 labels in 4 panes, verdicts from 100 labels, alert below 0.8 after 2 evaluations.
    static let rule = AccuracyRule(
        enabled: true, windowEvents: 200, panes: 4, minSamples: 100, minAccuracy: 0.8, forEvaluations: 2,
        cooldown: .zero, severity: .critical)

    static func modelConfiguration(_ baseline: Baseline) -> ModelConfiguration {
        ModelConfiguration(
            baselinePath: "(memory)", baseline: baseline, window: .count(events: 2_000, panes: 4),
            evaluationInterval: .seconds(1),
            defaultRule: AlertRule(forEvaluations: 2, cooldown: .zero, minSamples: 1_000),
            retrain: RetrainRule(driftShare: 1.0), accuracy: rule)
    }

    /// One inference event; returns it with its predicted class.
    static func event(id: String, timestamp: Int64, random r: inout SplitMix64) -> (json: String, positive: Bool) {
        let x = PipelineHarness.normal(&r)
        let prediction = r.nextUnitInterval()
        let json =
            #"{"model":"scorer","version":"1","id":"\#(id)","timestamp":\#(timestamp),"features":{"x":\#(x)},"prediction":\#(prediction)}"#
        return (json, prediction >= 0.5)
    }

    /// The label event for a prediction: agreeing with it, or not.
    static func label(id: String, positive: Bool, agree: Bool, timestamp: Int64) -> String {
        let truth = agree ? positive : !positive
        return #"{"model":"scorer","id":"\#(id)","label":\#(truth ? "true" : "0"),"timestamp":\#(timestamp)}"#
    }

    /// Whether label `i` agrees with its prediction, for a stream of the given accuracy
    /// (spread evenly: exactly `accuracy` of every 10 labels).
    static func agrees(_ i: Int, accuracy: Double) -> Bool {
        Double(i % 10) < accuracy * 10
    }
}
