/// How urgent an alert is, as carried in alert events.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    case info
    case warning
    case critical

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        let order: [Severity] = [.info, .warning, .critical]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}
