/// How many false alerts a model may raise per period of time, in the user's terms
/// (`false_alerts: 1/30d`): the budget every detector of the model shares.
///
/// `ModelMonitor` turns it into a run length per sequential detector and a significance level
/// per window evaluation at the model's observed event rate, splitting it equally (Bonferroni)
/// over everything that can raise an alert: each detector lane of each column, and each
/// column's window test (docs/statistics.md, section 7).
public struct FalseAlertBudget: Sendable, Equatable, Codable, CustomStringConvertible {
    /// False alerts allowed per period (> 0).
    public var alerts: Double
    /// The period of event time (at least 1 ms; whole milliseconds count).
    public var period: Duration

    /// One false alert per model per 30 days.
    public static let `default` = FalseAlertBudget(alerts: 1, period: .seconds(30 * 86_400))

    /// Creates a budget; `alerts` and `period` must be positive (`isValid`).
    public init(alerts: Double, period: Duration) {
        self.alerts = alerts
        self.period = period
    }

    /// Whether both parts are positive and finite.
    public var isValid: Bool { alerts.isFinite && alerts > 0 && period.wholeMilliseconds > 0 }

    enum CodingKeys: String, CodingKey {
        case alerts
        case period = "periodMillis"
    }

    /// Decodes `alerts` and `periodMillis` (integer milliseconds).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            alerts: try c.decode(Double.self, forKey: .alerts),
            period: .milliseconds(try c.decode(Int64.self, forKey: .period)))
    }

    /// Encodes `alerts` and the period as integer milliseconds under `periodMillis`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(alerts, forKey: .alerts)
        try c.encode(period.wholeMilliseconds, forKey: .period)
    }

    /// Run length (in-control average events between false alarms) of each of `detectors`
    /// detectors sharing the budget equally at `eventsPerMillisecond`:
    /// `detectors · rate · period / alerts`.
    public func runLength(detectors: Int, eventsPerMillisecond: Double) -> Double {
        Double(max(detectors, 1)) * max(eventsPerMillisecond, 0) * Double(period.wholeMilliseconds) / alerts
    }

    /// Significance level of one evaluation of a test that holds one of `detectors` equal
    /// shares and is evaluated `evaluationsPerPeriod` times per period (a union bound over its
    /// evaluations: `alerts / detectors / evaluationsPerPeriod`, at most 1).
    public func evaluationLevel(detectors: Int, evaluationsPerPeriod: Double) -> Double {
        guard evaluationsPerPeriod > 0 else { return 1 }
        return min(1, alerts / Double(max(detectors, 1)) / evaluationsPerPeriod)
    }

    /// `alerts/period`, e.g. `1/30d`, `0.5/7d`, `2/12h`.
    public var description: String {
        let count = alerts == alerts.rounded() && abs(alerts) < 1e15 ? "\(Int64(alerts))" : "\(alerts)"
        var rest = period.wholeMilliseconds
        var text = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)]
        where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return "\(count)/\(text.isEmpty ? "0s" : text)"
    }
}
