import DriftCore
import DriftDaemon
import Foundation
import Testing

@Suite("Demo scenario: delayed labels")
struct DemoScenarioTests {
    @Test("the demo's labels agree with the predicted class at each stage's rate; only the last stage is below 92%")
    func labelsFollowTheStage() throws {
        let scenario = DriftScenario.standard(stageEvents: 5_000)
        #expect(scenario.stages.map(\.labelAccuracy).filter { $0 < 0.92 } == [0.85])
        #expect(scenario.stages[5].labelAccuracy == 0.85)
        var traffic = SyntheticTraffic()
        for (number, stage) in scenario.stages.enumerated() {
            var agreeing = 0
            for i in 0 ..< 1_000 {
                let index = number * 5_000 + i
                _ = traffic.event(index: index, timestampMillis: 0, stage: stage)
                let prediction = traffic.lastPrediction
                let json = traffic.label(index: index, prediction: prediction, accuracy: stage.labelAccuracy, timestampMillis: 7)
                let label = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
                #expect(label["id"] as? String == "req-\(index)" && label["timestamp"] as? Int == 7)
                if (label["label"] as? Int == 1) == (prediction >= 0.5) { agreeing += 1 }
            }
            #expect(abs(Double(agreeing) / 1_000 - stage.labelAccuracy) < 1e-9, "stage \(number + 1)")
        }
    }
}
