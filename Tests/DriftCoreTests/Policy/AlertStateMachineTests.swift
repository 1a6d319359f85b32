import DriftCore
import Testing

private func step(_ m: inout AlertStateMachine, _ v: AlertVerdict, rule: AlertRule, now: EventTime)
    -> AlertStateMachine.Transition?
{
    m.observe(v, rule: rule, now: now)
}

private func observeRetrain(_ m: inout RetrainStateMachine, firingShare: Double, rule: RetrainRule, now: EventTime)
    -> Bool
{
    m.observe(firingShare: firingShare, rule: rule, now: now)
}

@Suite("Alert policy")
struct AlertStateMachineTests {
    let rule = AlertRule(threshold: 0.2, resolveThreshold: 0.1, forEvaluations: 2, cooldown: .milliseconds(1000))

    @Test("fires after `for` consecutive drifted evaluations, not before")
    func firesAfterStreak() {
        var m = AlertStateMachine()
        #expect(step(&m, .drifted, rule: rule, now: EventTime(millisecondsSinceEpoch: 1)) == nil)
        #expect(m.phase == .pending)
        #expect(step(&m, .drifted, rule: rule, now: EventTime(millisecondsSinceEpoch: 2)) == .fire)
        #expect(m.isFiring)
        #expect(m.firedAt?.millisecondsSinceEpoch == 2)
    }

    @Test("a broken streak starts over")
    func brokenStreak() {
        var m = AlertStateMachine()
        _ = m.observe(.drifted, rule: rule, now: EventTime(millisecondsSinceEpoch: 1))
        #expect(step(&m, .clear, rule: rule, now: EventTime(millisecondsSinceEpoch: 2)) == nil)
        #expect(m.phase == .inactive)
        #expect(step(&m, .drifted, rule: rule, now: EventTime(millisecondsSinceEpoch: 3)) == nil)
        #expect(step(&m, .drifted, rule: rule, now: EventTime(millisecondsSinceEpoch: 4)) == .fire)
    }

    @Test("hysteresis: scores in the band keep the alert firing; it resolves only after `for` clear evaluations")
    func hysteresis() {
        var m = AlertStateMachine()
        _ = m.observe(.drifted, rule: rule, now: EventTime(millisecondsSinceEpoch: 1))
        _ = m.observe(.drifted, rule: rule, now: EventTime(millisecondsSinceEpoch: 2))
        #expect(step(&m, .hold, rule: rule, now: EventTime(millisecondsSinceEpoch: 3)) == nil)
        #expect(step(&m, .clear, rule: rule, now: EventTime(millisecondsSinceEpoch: 4)) == nil)
        #expect(m.phase == .resolving)
        #expect(step(&m, .hold, rule: rule, now: EventTime(millisecondsSinceEpoch: 5)) == nil)
        #expect(m.phase == .firing)
        #expect(step(&m, .clear, rule: rule, now: EventTime(millisecondsSinceEpoch: 6)) == nil)
        #expect(step(&m, .clear, rule: rule, now: EventTime(millisecondsSinceEpoch: 7)) == .resolve)
        #expect(!m.isFiring)
        #expect(m.lastResolved?.millisecondsSinceEpoch == 7)
    }

    @Test("cooldown: no re-fire until the cooldown after resolving has passed")
    func cooldown() {
        var m = AlertStateMachine()
        _ = m.observe(.drifted, rule: rule, now: EventTime(millisecondsSinceEpoch: 0))
        _ = m.observe(.drifted, rule: rule, now: EventTime(millisecondsSinceEpoch: 1))
        _ = m.observe(.clear, rule: rule, now: EventTime(millisecondsSinceEpoch: 2))
        #expect(step(&m, .clear, rule: rule, now: EventTime(millisecondsSinceEpoch: 3)) == .resolve)
        #expect(step(&m, .drifted, rule: rule, now: EventTime(millisecondsSinceEpoch: 10)) == nil)
        #expect(step(&m, .drifted, rule: rule, now: EventTime(millisecondsSinceEpoch: 20)) == nil)
        #expect(m.phase == .pending)
        #expect(step(&m, .drifted, rule: rule, now: EventTime(millisecondsSinceEpoch: 1002)) == nil)
        #expect(step(&m, .drifted, rule: rule, now: EventTime(millisecondsSinceEpoch: 1003)) == .fire)
    }

    @Test("no data never moves the machine")
    func noData() {
        var m = AlertStateMachine()
        _ = m.observe(.drifted, rule: rule, now: EventTime(millisecondsSinceEpoch: 1))
        #expect(step(&m, .noData, rule: rule, now: EventTime(millisecondsSinceEpoch: 2)) == nil)
        #expect(step(&m, .drifted, rule: rule, now: EventTime(millisecondsSinceEpoch: 3)) == .fire)
        #expect(step(&m, .noData, rule: rule, now: EventTime(millisecondsSinceEpoch: 4)) == nil)
        #expect(m.isFiring)
    }

    @Test("retrain: at the drift share, once per cooldown")
    func retrain() {
        let r = RetrainRule(driftShare: 0.5, cooldown: .milliseconds(100))
        var m = RetrainStateMachine()
        #expect(!observeRetrain(&m, firingShare: 0.4, rule: r, now: EventTime(millisecondsSinceEpoch: 0)))
        #expect(observeRetrain(&m, firingShare: 0.5, rule: r, now: EventTime(millisecondsSinceEpoch: 1)))
        #expect(!observeRetrain(&m, firingShare: 0.9, rule: r, now: EventTime(millisecondsSinceEpoch: 50)))
        #expect(observeRetrain(&m, firingShare: 0.9, rule: r, now: EventTime(millisecondsSinceEpoch: 101)))
        #expect(
            !observeRetrain(
                &m, firingShare: 0, rule: RetrainRule(driftShare: 0), now: EventTime(millisecondsSinceEpoch: 1000)))
        #expect(
            !observeRetrain(
                &m, firingShare: 1, rule: RetrainRule(enabled: false), now: EventTime(millisecondsSinceEpoch: 1000)))
    }
}
