/// Decides when a model's drift is broad enough to publish a retrain event.
///
/// A retrain is requested when the share of monitored features firing reaches the rule's
/// `driftShare`, and again only after `cooldown` if the share is still there. Performance
/// rules with `retrain: true` ask through `request(rule:now:)` and share the cooldown.
public struct RetrainStateMachine: Sendable, Codable, Equatable {
    /// Event time of the last retrain request.
    public private(set) var lastRequest: EventTime?

    /// A machine that has requested nothing yet.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case lastRequest = "lastRequestMillis"
    }

    /// Feeds the current share of firing features; returns true when a retrain event is due.
    public mutating func observe(firingShare: Double, rule: RetrainRule, now: EventTime) -> Bool {
        guard rule.enabled, firingShare > 0, firingShare >= rule.driftShare else { return false }
        if let last = lastRequest, now - last < rule.cooldown { return false }
        lastRequest = now
        return true
    }

    /// A request from another trigger (a performance rule with `retrain: true`): granted, and
    /// recorded, when the rule is enabled and the cooldown since the last request of either
    /// trigger has passed. Performance requests run on label event time, drift-share ones on
    /// inference event time, so a request may be stamped before the last one: the cooldown
    /// is measured on the distance between the two either way (and a request is recorded only
    /// if it is the later one).
    /// - Parameters:
    ///   - rule: The model's retrain rule (enabled flag, cooldown).
    ///   - now: Event time of the request.
    /// - Returns: Whether a retrain event is due.
    public mutating func request(rule: RetrainRule, now: EventTime) -> Bool {
        guard rule.enabled else { return false }
        if let last = lastRequest, max(now - last, last - now) < rule.cooldown { return false }
        lastRequest = max(now, lastRequest ?? now)
        return true
    }
}
