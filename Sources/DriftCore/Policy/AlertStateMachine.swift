/// The life of one alert series (a model's feature, or its prediction): pending, firing, resolving.
///
/// A value type fed one verdict per evaluation; it returns the transition to publish, if any.
/// Side effects (publishing) are the caller's. See `AlertRule` for the meaning of the knobs.
///
/// **Kinds and the cooldown.** Every detection has a kind: a sequential lane's name
/// (`mean_up`, `missing_up`, `category_down:"gold"`, ...) or a window finding (`distribution`,
/// `missing_up`/`missing_down`, `out_of_range`/`unseen`). The kinds seen while an alert fires are
/// remembered when it resolves; the cooldown after the resolve only holds back detections of
/// those kinds and of the kinds they set off (`follows(_:from:)`: a mean shift also widens the
/// spread of the normal scores, pushes values out of range and moves the window's distribution;
/// one category's rise lowers the others). A detection of another kind or direction fires at
/// once (a window finding still needs `forEvaluations` drifted evaluations); one of the same kind
/// is held, and published when the cooldown ends if the condition still holds (a drifted
/// evaluation after the cooldown, or a sequential lane still over its threshold:
/// `ColumnDetector`). Nothing is dropped while it holds.
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
    /// Event time when the current firing started.
    public private(set) var firedAt: EventTime?
    /// Event time when the series last resolved (for the cooldown).
    public private(set) var lastResolved: EventTime?
    /// Kinds of detection seen while the current alert fires (sorted).
    public private(set) var firingKinds: [String] = []
    /// Kinds of the last resolved alert: what its cooldown holds back (sorted).
    public private(set) var resolvedKinds: [String] = []

    /// Kind of the window's distribution finding, and of detections given without a kind.
    public static let distributionKind = "distribution"
    /// Kind of `observeAlarm(rule:now:)`, a sequential alarm given without a kind.
    public static let alarmKind = "alarm"

    /// A series that has seen nothing.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case phase, streak, firingKinds, resolvedKinds
        case firedAt = "firedAtMillis"
        case lastResolved = "lastResolvedMillis"
    }

    /// Decodes a series; the kinds may be absent (state saved before they existed).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        phase = try c.decode(Phase.self, forKey: .phase)
        streak = try c.decode(Int.self, forKey: .streak)
        firedAt = try c.decodeIfPresent(EventTime.self, forKey: .firedAt)
        lastResolved = try c.decodeIfPresent(EventTime.self, forKey: .lastResolved)
        firingKinds = try c.decodeIfPresent([String].self, forKey: .firingKinds) ?? []
        resolvedKinds = try c.decodeIfPresent([String].self, forKey: .resolvedKinds) ?? []
    }

    /// Event time when the cooldown after the last resolve ends (`nil`: never resolved).
    public func cooldownEnd(rule: AlertRule) -> EventTime? {
        lastResolved.map { $0 + rule.cooldown }
    }

    /// Whether a detection of `kinds` at `now` is held back by the cooldown: within it,
    /// and every kind is one the resolved alert had.
    public func isCoolingDown(kinds: [String], rule: AlertRule, now: EventTime) -> Bool {
        guard let last = lastResolved, now - last < rule.cooldown else { return false }
        // State saved before kinds existed: the cooldown holds everything back, as it did then.
        if resolvedKinds.isEmpty { return true }
        return kinds.allSatisfy { kind in resolvedKinds.contains { $0 == kind || Self.follows(kind, from: $0) } }
    }

    /// Whether a change of kind `cause` sets off detections of kind `effect` as well, so that
    /// during a cooldown after `cause` they are the same condition, not a new one.
    /// - A mean shift (either way) raises the normal scores' spread (`scale_up`), pushes values out
    ///   of the training range and moves the window's distribution; so does a wider spread (except
    ///   the mean); a narrower spread moves the distribution.
    /// - A category's rise lowers the other categories' shares; a category's fall (or the rise of
    ///   unseen categories) raises the others' or lowers them (`unseen` lowers every category).
    /// Directions never follow from each other: a fall after a rise is a new condition.
    public static func follows(_ effect: String, from cause: String) -> Bool {
        let distribution = distributionKind
        switch cause {
        case "mean_up", "mean_down": return ["scale_up", "out_of_range", distribution].contains(effect)
        case "scale_up", "out_of_range": return ["scale_up", "out_of_range", distribution].contains(effect)
        case "scale_down": return effect == distribution
        case "unseen": return effect.hasPrefix("category_down:") || effect == distribution
        default: break
        }
        for (prefix, other) in [("category_up:", "category_down:"), ("category_down:", "category_up:")]
        where cause.hasPrefix(prefix) {
            let category = cause.dropFirst(prefix.count)
            if effect == distribution { return true }
            if prefix == "category_down:", effect == "unseen" { return true }
            return effect.hasPrefix(other) && effect.dropFirst(other.count) != category
        }
        return false
    }

    private mutating func note(_ kinds: [String]) {
        for kind in kinds where !firingKinds.contains(kind) { firingKinds.append(kind) }
        firingKinds.sort()
    }

    /// Whether the series is firing (resolving counts as firing: it has not resolved yet).
    public var isFiring: Bool { phase == .firing || phase == .resolving }

    /// Feeds one verdict at event time `now`; returns the transition to publish, if any.
    /// `kinds` names a drifted verdict's findings (default: a distribution change).
    public mutating func observe(
        _ verdict: AlertVerdict, kinds: [String] = [AlertStateMachine.distributionKind], rule: AlertRule,
        now: EventTime
    ) -> Transition? {
        let needed = max(1, rule.forEvaluations)
        switch (phase, verdict) {
        case (_, .noData):
            return nil
        case (.inactive, .drifted), (.pending, .drifted):
            streak = phase == .inactive ? 1 : streak + 1
            phase = .pending
            guard streak >= needed, !isCoolingDown(kinds: kinds, rule: rule, now: now) else { return nil }
            phase = .firing
            streak = 0
            firedAt = now
            firingKinds = []
            note(kinds)
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
            lastResolved = now
            resolvedKinds = firingKinds
            firingKinds = []
            return .resolve
        case (.firing, _), (.resolving, _):
            if verdict == .drifted { note(kinds) }
            phase = .firing
            streak = 0
            return nil
        }
    }

    /// Feeds a sequential detector's alarm of kind `kind` at event time `now`: drift
    /// established on its own, without waiting for `forEvaluations` drifted evaluations. Fires at
    /// once unless the series is cooling down after a resolve that had this kind (`held`: the
    /// caller holds the detection until the cooldown ends); while firing it restarts any resolve
    /// streak, so a change that keeps alarming keeps the alert firing.
    public mutating func observeDetection(kind: String, rule: AlertRule, now: EventTime) -> ColumnDetector.Outcome {
        switch phase {
        case .firing, .resolving:
            phase = .firing
            streak = 0
            note([kind])
            return .firing
        case .inactive, .pending:
            guard !isCoolingDown(kinds: [kind], rule: rule, now: now) else { return .held }
            phase = .firing
            streak = 0
            firedAt = now
            firingKinds = []
            note([kind])
            return .fired
        }
    }

    /// `observeDetection(kind:rule:now:)` for an alarm without a kind (`alarmKind`):
    /// `.fire` when it fired the alert, `nil` otherwise; a held alarm leaves the series pending.
    public mutating func observeAlarm(rule: AlertRule, now: EventTime) -> Transition? {
        switch observeDetection(kind: Self.alarmKind, rule: rule, now: now) {
        case .fired: return .fire
        case .firing: return nil
        case .held:
            if phase == .inactive { streak = 1 }
            phase = .pending
            return nil
        }
    }
}
