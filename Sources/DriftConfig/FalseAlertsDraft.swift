import DriftCore
import Foundation

/// Reads `false_alerts` (a model's false-alert budget): `N/duration`, e.g. `1/30d`, `0.5/7d`, `2/1d`.
enum FalseAlertsDraft {
    /// Allowed number of false alerts per period.
    static let alertsRange = 1e-6...1e6
    /// Allowed period, milliseconds: 1 minute to 10 years.
    static let periodRange: ClosedRange<Int64> = 60_000...3_650 * 86_400_000

    /// The budget, or `nil` after reporting what is wrong.
    static func read(_ value: ConfigurationValue, with reader: ConfigurationReader) -> Located<FalseAlertBudget>? {
        guard let text = reader.string(value) else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 2, let alerts = ScalarSyntax.number(parts[0]), alerts.isFinite,
            let period = DurationText.milliseconds(from: parts[1])
        else {
            reader.diagnostics.report(
                .invalidValue, at: value.location,
                "expected false alerts per period like \"1/30d\" (a number, \"/\", a duration such as 7d or 12h), got \(value.described)"
            )
            return nil
        }
        guard alertsRange.contains(alerts) else {
            reader.diagnostics.report(
                .outOfRange, at: value.location,
                "\(parts[0]) false alerts is out of range: must be between 1e-6 and 1e6 per period")
            return nil
        }
        guard periodRange.contains(period) else {
            reader.diagnostics.report(
                .outOfRange, at: value.location,
                "period \(parts[1]) is out of range \(DurationText.format(milliseconds: periodRange.lowerBound))...\(DurationText.format(milliseconds: periodRange.upperBound))"
            )
            return nil
        }
        return Located(value: FalseAlertBudget(alerts: alerts, period: .milliseconds(period)), location: value.location)
    }
}
