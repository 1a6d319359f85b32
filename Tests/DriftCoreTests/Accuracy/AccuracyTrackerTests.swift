import DriftCore
import Testing

@Suite("Accuracy window and alert")
struct AccuracyTrackerTests {
    /// Window of 100 labels in 4 panes of 25; alert below 0.8 after 2 evaluations; resolve at 0.84.
    let rule = AccuracyRule(
        enabled: true, windowEvents: 100, panes: 4, minSamples: 50, minAccuracy: 0.8, alpha: 0.01,
        forEvaluations: 2, cooldown: .zero)

    /// Feeds `count` labels of which a share `accuracy` (spread evenly) are correct.
    private func feed(_ tracker: inout AccuracyTracker, _ count: Int, accuracy: Double, from start: Int64 = 0)
        -> [AccuracyEvaluation]
    {
        var evaluations: [AccuracyEvaluation] = []
        var owed = 0.0
        for i in 0..<count {
            owed += accuracy
            let correct = owed >= 1
            if correct { owed -= 1 }
            if let e = tracker.record(correct: correct, at: EventTime(millisecondsSinceEpoch: start + Int64(i))) {
                evaluations.append(e)
            }
        }
        return evaluations
    }

    @Test("accuracy over a sliding count window: panes enter and leave with exact counts")
    func slidingMath() {
        var tracker = AccuracyTracker(rule: rule)
        // Pane 1: 25 labels, 20 correct.
        var evaluations: [AccuracyEvaluation] = []
        for i in 0..<25 {
            if let e = tracker.record(correct: i < 20, at: EventTime(millisecondsSinceEpoch: Int64(i))) {
                evaluations.append(e)
            }
        }
        #expect(evaluations.count == 1)
        #expect(evaluations[0].labelled == 25 && evaluations[0].correct == 20)
        #expect(evaluations[0].accuracy == 0.8)
        // Three more panes, all correct: the window is full (100).
        evaluations = feed(&tracker, 75, accuracy: 1, from: 100)
        #expect(evaluations.map(\.labelled) == [50, 75, 100])
        #expect(evaluations.last?.correct == 95)
        // A fifth pane, all wrong, pushes out the first: 75 correct of 100.
        evaluations = feed(&tracker, 25, accuracy: 0, from: 200)
        #expect(evaluations.count == 1)
        #expect(evaluations[0].labelled == 100 && evaluations[0].correct == 75)
        #expect(evaluations[0].start.millisecondsSinceEpoch == 100 && evaluations[0].end.millisecondsSinceEpoch == 224)
        #expect(tracker.accuracy == 0.75)
        #expect(tracker.pendingLabels == 0)
        // Labels in the open pane are not in the window yet.
        _ = tracker.record(correct: false, at: EventTime(millisecondsSinceEpoch: 300))
        #expect(tracker.pendingLabels == 1 && tracker.labelled == 100)
    }

    @Test("fires after `for` significant evaluations below min_accuracy, with the p-value")
    func firesBelowMinimum() throws {
        var tracker = AccuracyTracker(rule: rule)
        let evaluations = feed(&tracker, 100, accuracy: 0.4)
        // 25 and then 50 labels: below min_samples (50) only for the first.
        #expect(evaluations[0].verdict == .noData)
        #expect(evaluations[0].pValue == nil)
        #expect(evaluations[1].verdict == .drifted && evaluations[1].transition == nil)
        #expect(evaluations[2].verdict == .drifted && evaluations[2].transition == .fire)
        #expect(evaluations[2].firing)
        let p = try #require(evaluations[2].pValue)
        #expect(p < 1e-10)
        #expect(evaluations[3].transition == nil && evaluations[3].firing)
    }

    @Test("hysteresis: accuracy between min and resolve keeps firing; resolves after `for` clear evaluations")
    func hysteresis() {
        var tracker = AccuracyTracker(rule: rule)
        _ = feed(&tracker, 100, accuracy: 0.4)
        #expect(tracker.alert.isFiring)
        // 0.82 sits between min_accuracy 0.8 and the resolve level 0.84: hold, for as long as it lasts.
        let band = feed(&tracker, 400, accuracy: 0.82, from: 1_000)
        #expect(band.suffix(8).allSatisfy { $0.verdict == .hold && $0.firing })
        #expect(!band.contains { $0.transition == .resolve })
        let recovered = feed(&tracker, 100, accuracy: 0.96, from: 2_000)
        let resolve = recovered.firstIndex { $0.transition == .resolve }
        #expect(resolve != nil)
        if let resolve {
            #expect(recovered[resolve].verdict == .clear)
            #expect(resolve >= 1 && recovered[resolve - 1].verdict == .clear)
            #expect(!recovered[resolve].firing)
        }
    }

    @Test("a small significant shortfall fires but an insignificant one does not")
    func significance() {
        // 0.78 over 100 labels: p(X <= 78 | 100, 0.8) is about 0.37, far from 0.01.
        var tracker = AccuracyTracker(rule: rule)
        let evaluations = feed(&tracker, 1_000, accuracy: 0.78)
        #expect(evaluations.allSatisfy { $0.verdict != .drifted })
        #expect(evaluations.allSatisfy { !$0.firing })
        #expect(evaluations.last.map { $0.accuracy < 0.8 } == true)
    }

    @Test("tiny windows never page, even when every label is wrong")
    func tinyWindows() {
        let small = AccuracyRule(
            enabled: true, windowEvents: 1_000, panes: 100, minSamples: 100, minAccuracy: 0.9, forEvaluations: 1,
            cooldown: .zero)
        var tracker = AccuracyTracker(rule: small)
        let evaluations = feed(&tracker, 90, accuracy: 0)
        #expect(evaluations.count == 9)
        #expect(evaluations.allSatisfy { $0.verdict == .noData && !$0.firing && $0.transition == nil })
        // The 100th wrong label reaches min_samples: now it fires.
        let next = feed(&tracker, 10, accuracy: 0, from: 90)
        #expect(next.last?.transition == .fire)
    }

    @Test("without min_accuracy accuracy is tracked but never alerts")
    func trackOnly() {
        var tracker = AccuracyTracker(rule: AccuracyRule(enabled: true, windowEvents: 100, panes: 4, minSamples: 1))
        let evaluations = feed(&tracker, 200, accuracy: 0)
        #expect(evaluations.count == 8)
        #expect(evaluations.allSatisfy { $0.verdict == .noData && $0.accuracy == 0 && !$0.firing })
    }

    @Test("cooldown after a resolve holds back the next firing, in label event time")
    func cooldown() {
        let cooling = AccuracyRule(
            enabled: true, windowEvents: 100, panes: 4, minSamples: 50, minAccuracy: 0.8, forEvaluations: 1,
            cooldown: .seconds(10))
        var tracker = AccuracyTracker(rule: cooling)
        #expect(feed(&tracker, 100, accuracy: 0.3).contains { $0.transition == .fire })
        #expect(feed(&tracker, 100, accuracy: 1, from: 1_000).contains { $0.transition == .resolve })
        // Drops again 1 s later: within the cooldown, no firing.
        #expect(!feed(&tracker, 100, accuracy: 0.3, from: 2_000).contains { $0.transition == .fire })
        // After the cooldown it fires.
        #expect(feed(&tracker, 100, accuracy: 0.3, from: 20_000).contains { $0.transition == .fire })
    }

    @Test("state round trip resumes the window; a state of another pane size is refused")
    func state() throws {
        var tracker = AccuracyTracker(rule: rule)
        _ = feed(&tracker, 110, accuracy: 0.5)
        let saved = tracker.state
        var resumed = try #require(AccuracyTracker(rule: rule, state: saved))
        #expect(resumed.labelled == tracker.labelled && resumed.correct == tracker.correct)
        #expect(resumed.pendingLabels == 10)
        #expect(resumed.alert == tracker.alert)
        let a = feed(&tracker, 40, accuracy: 1, from: 500)
        let b = feed(&resumed, 40, accuracy: 1, from: 500)
        #expect(a == b)
        let other = AccuracyRule(enabled: true, windowEvents: 40, panes: 4, minAccuracy: 0.8)
        #expect(AccuracyTracker(rule: other, state: saved) == nil)
        var broken = saved
        broken.open.correct = broken.open.labelled + 1
        #expect(AccuracyTracker(rule: rule, state: broken) == nil)
    }
}
