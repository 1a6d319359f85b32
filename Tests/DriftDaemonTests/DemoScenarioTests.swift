import DriftConfig
import DriftCore
import DriftDaemon
import DriftDecode
import Foundation
import Testing

@Suite("Demo scenario: delayed labels")
struct DemoScenarioTests {
    @Test(
        "the demo's labels agree with the predicted class at each stage's rate; only the concept-drift stage is below 92%"
    )
    func labelsFollowTheStage() throws {
        let scenario = DriftScenario.standard(stageEvents: 5_000)
        #expect(scenario.stages.map(\.labelAccuracy).filter { $0 < 0.92 } == [0.85])
        #expect(scenario.stages[5].labelAccuracy == 0.85)
        var traffic = SyntheticTraffic()
        for (number, stage) in scenario.stages.enumerated() {
            var agreeing = 0
            for i in 0..<1_000 {
                let index = number * 5_000 + i
                _ = traffic.event(index: index, at: .epoch, stage: stage)
                let prediction = traffic.lastPrediction
                let json = traffic.label(
                    index: index, prediction: prediction, accuracy: stage.labelAccuracy,
                    at: EventTime(millisecondsSinceEpoch: 7))
                let label = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
                #expect(label["id"] as? String == "req-\(index)" && label["timestamp"] as? Int == 7)
                if (label["label"] as? Int == 1) == (prediction >= 0.5) { agreeing += 1 }
            }
            #expect(abs(Double(agreeing) / 1_000 - stage.labelAccuracy) < 1e-9, "stage \(number + 1)")
        }
    }

    @Test(
        "the demo's canary stage: version 4 on 30% of the traffic is rolled back once, naming predictions and latency")
    func canaryStage() throws {
        let stage = DriftScenario.standard(stageEvents: 40_000).stages[6]
        #expect(stage.canaryShare == 0.3 && stage.canaryLatencyFactor == 2)
        let models = try ["3", "4"].map { version in
            ModelConfiguration(
                baselinePath: "(memory)", baseline: try DemoRunner.baseline(version: version, createdAt: nil))
        }
        let processor = try EventProcessor(
            models: models, maxEventBytes: 65_536, maxFutureSkew: nil,
            versions: VersionPolicy(canaries: [DemoRunner.canaryRule]))
        var generator = SyntheticTraffic()
        var decisions: [CanaryPayload] = []
        // 4,000 events per second, as the demo produces them, for 10 seconds.
        for second in 0..<10 {
            let lines = (0..<4_000).map { i in
                Array(
                    DemoRunner.event(
                        &generator, index: second * 4_000 + i,
                        at: EventTime(millisecondsSinceEpoch: 1_795_300_000_000 + Int64(second * 1_000 + i / 4)),
                        stage: stage
                    ).utf8)
            }
            let result = lines.withUnsafeBufferPointers { buffers in
                processor.process(count: buffers.count, now: WallClockTime(millisecondsSinceEpoch: 0)) {
                    EventPayload(bytes: buffers[$0], fallbackTimestampMs: 0)
                }
            }
            decisions += result.outputs.compactMap { if case .canary(let d) = $0 { d } else { nil } }
        }
        #expect(decisions.count == 1)
        let decision = try #require(decisions.first)
        #expect(decision.decision == "rollback" && decision.candidate == "4" && decision.incumbent == "3")
        #expect(decision.worse.contains("prediction") && decision.worse.contains("latency"), "\(decision.worse)")
    }
}
