/// The life of one alert series (a model's feature, or its prediction): pending, firing, resolving.
///
/// A value type fed one verdict per evaluation; it returns the transition to publish, if any.
/// Side effects (publishing) are the caller's. See `AlertRule` for the meaning of the knobs.
public struct AlertStateMachine: Sendable, Codable, Equatable {
    /// Where the series stands.
    public enum Phase: String, Sendable, Codable {
        /// Not firing, no drift streak.
        case inactive
        /// Drifted for fewer than `forEvaluations` evaluations, or waiting out the cooldown.
        case pending
        /// Alert published as firing.
        case firing
        /// Firing, below the resolve threshold for fewer than `forEvaluations` evaluations.
        case resolving
    }

    /// A change to publish.
    public enum Transition: String, Sendable, Equatable {
        case fire
        case resolve
    }

    /// Current phase.
    public private(set) var phase: Phase = .inactive
    /// Consecutive evaluations supporting the next transition.
    public private(set) var streak: Int = 0
    /// When the current firing started, epoch ms.
    public private(set) var firedAtMillis: Int64?
    /// When the series last resolved, epoch ms (for the cooldown).
    public private(set) var lastResolvedMillis: Int64?

    public init() {}

    /// Whether the series is firing (resolving counts as firing: it has not resolved yet).
    public var isFiring: Bool { phase == .firing || phase == .resolving }

    /// Feeds one verdict at time `nowMillis`; returns the transition to publish, if any.
    public mutating func observe(_ verdict: AlertVerdict, rule: AlertRule, nowMillis: Int64) -> Transition? {
        let needed = max(1, rule.forEvaluations)
        switch (phase, verdict) {
        case (_, .noData):
            return nil
        case (.inactive, .drifted), (.pending, .drifted):
            streak = phase == .inactive ? 1 : streak + 1
            phase = .pending
            let cooledDown = lastResolvedMillis.map { nowMillis - $0 >= rule.cooldownMillis } ?? true
            guard streak >= needed, cooledDown else { return nil }
            phase = .firing
            streak = 0
            firedAtMillis = nowMillis
            return .fire
        case (.inactive, _), (.pending, _):
            phase = .inactive
            streak = 0
            return nil
        case (.firing, .clear), (.resolving, .clear):
            streak = phase == .firing ? 1 : streak + 1
            phase = .resolving
            guard streak >= needed else { return nil }
            phase = .inactive
            streak = 0
            lastResolvedMillis = nowMillis
            return .resolve
        case (.firing, _), (.resolving, _):
            phase = .firing
            streak = 0
            return nil
        }
    }

    /// Feeds a sequential detector's alarm at event time `nowMillis`: drift established on its
    /// own, without waiting for `forEvaluations` drifted evaluations. Fires at once unless the
    /// series is still cooling down after a resolve (it then stays pending, as a drifted
    /// evaluation would leave it); while firing it restarts any resolve streak, so a change that
    /// keeps alarming keeps the alert firing.
    public mutating func observeAlarm(rule: AlertRule, nowMillis: Int64) -> Transition? {
        switch phase {
        case .firing, .resolving:
            phase = .firing
            streak = 0
            return nil
        case .inactive, .pending:
            let cooledDown = lastResolvedMillis.map { nowMillis - $0 >= rule.cooldownMillis } ?? true
            guard cooledDown else {
                if phase == .inactive { streak = 1 }
                phase = .pending
                return nil
            }
            phase = .firing
            streak = 0
            firedAtMillis = nowMillis
            return .fire
        }
    }
}
