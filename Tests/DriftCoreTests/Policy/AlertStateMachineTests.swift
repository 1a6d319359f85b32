import DriftCore
import Testing

private func step(_ m: inout AlertStateMachine, _ v: AlertVerdict, rule: AlertRule, nowMillis: Int64)
    -> AlertStateMachine.Transition?
{
    m.observe(v, rule: rule, nowMillis: nowMillis)
}

private func observeRetrain(_ m: inout RetrainStateMachine, firingShare: Double, rule: RetrainRule, nowMillis: Int64)
    -> Bool
{
    m.observe(firingShare: firingShare, rule: rule, nowMillis: nowMillis)
}

@Suite("Alert policy")
struct AlertStateMachineTests {
    let rule = AlertRule(threshold: 0.2, resolveThreshold: 0.1, forEvaluations: 2, cooldownMillis: 1000)

    @Test("fires after `for` consecutive drifted evaluations, not before")
    func firesAfterStreak() {
        var m = AlertStateMachine()
        #expect(step(&m, .drifted, rule: rule, nowMillis: 1) == nil)
        #expect(m.phase == .pending)
        #expect(step(&m, .drifted, rule: rule, nowMillis: 2) == .fire)
        #expect(m.isFiring)
        #expect(m.firedAtMillis == 2)
    }

    @Test("a broken streak starts over")
    func brokenStreak() {
        var m = AlertStateMachine()
        _ = m.observe(.drifted, rule: rule, nowMillis: 1)
        #expect(step(&m, .clear, rule: rule, nowMillis: 2) == nil)
        #expect(m.phase == .inactive)
        #expect(step(&m, .drifted, rule: rule, nowMillis: 3) == nil)
        #expect(step(&m, .drifted, rule: rule, nowMillis: 4) == .fire)
    }

    @Test("hysteresis: scores in the band keep the alert firing; it resolves only after `for` clear evaluations")
    func hysteresis() {
        var m = AlertStateMachine()
        _ = m.observe(.drifted, rule: rule, nowMillis: 1)
        _ = m.observe(.drifted, rule: rule, nowMillis: 2)
        #expect(step(&m, .hold, rule: rule, nowMillis: 3) == nil)
        #expect(step(&m, .clear, rule: rule, nowMillis: 4) == nil)
        #expect(m.phase == .resolving)
        #expect(step(&m, .hold, rule: rule, nowMillis: 5) == nil)
        #expect(m.phase == .firing)
        #expect(step(&m, .clear, rule: rule, nowMillis: 6) == nil)
        #expect(step(&m, .clear, rule: rule, nowMillis: 7) == .resolve)
        #expect(!m.isFiring)
        #expect(m.lastResolvedMillis == 7)
    }

    @Test("cooldown: no re-fire until the cooldown after resolving has passed")
    func cooldown() {
        var m = AlertStateMachine()
        _ = m.observe(.drifted, rule: rule, nowMillis: 0)
        _ = m.observe(.drifted, rule: rule, nowMillis: 1)
        _ = m.observe(.clear, rule: rule, nowMillis: 2)
        #expect(step(&m, .clear, rule: rule, nowMillis: 3) == .resolve)
        #expect(step(&m, .drifted, rule: rule, nowMillis: 10) == nil)
        #expect(step(&m, .drifted, rule: rule, nowMillis: 20) == nil)
        #expect(m.phase == .pending)
        #expect(step(&m, .drifted, rule: rule, nowMillis: 1002) == nil)
        #expect(step(&m, .drifted, rule: rule, nowMillis: 1003) == .fire)
    }

    @Test("no data never moves the machine")
    func noData() {
        var m = AlertStateMachine()
        _ = m.observe(.drifted, rule: rule, nowMillis: 1)
        #expect(step(&m, .noData, rule: rule, nowMillis: 2) == nil)
        #expect(step(&m, .drifted, rule: rule, nowMillis: 3) == .fire)
        #expect(step(&m, .noData, rule: rule, nowMillis: 4) == nil)
        #expect(m.isFiring)
    }

    @Test("retrain: at the drift share, once per cooldown")
    func retrain() {
        let r = RetrainRule(driftShare: 0.5, cooldownMillis: 100)
        var m = RetrainStateMachine()
        #expect(!observeRetrain(&m, firingShare: 0.4, rule: r, nowMillis: 0))
        #expect(observeRetrain(&m, firingShare: 0.5, rule: r, nowMillis: 1))
        #expect(!observeRetrain(&m, firingShare: 0.9, rule: r, nowMillis: 50))
        #expect(observeRetrain(&m, firingShare: 0.9, rule: r, nowMillis: 101))
        #expect(!observeRetrain(&m, firingShare: 0, rule: RetrainRule(driftShare: 0), nowMillis: 1000))
        #expect(!observeRetrain(&m, firingShare: 1, rule: RetrainRule(enabled: false), nowMillis: 1000))
    }
}
