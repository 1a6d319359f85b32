import DriftCore
import Foundation
import Testing

/// The three verdicts between two 200,000-row data sets (seeded, deterministic): a 0.05 sd mean
/// shift is a small but certain shift, reported and counted apart from drift.
@Suite("Batch comparison: drift, small shift, none")
struct BatchComparisonVerdictTests {
    static let rows = 200_000

    @Test("a 0.05 sd mean shift in 200,000 rows is a small shift; the same distribution is none")
    func smallShiftBetweenLargeFiles() throws {
        let baseline = try ComparisonTestData.baseline(rows: Self.rows)
        let comparison = try BatchComparison(baseline: baseline)

        let shifted = try comparison.compare(
            ComparisonTestData.columns(rows: Self.rows, seed: 2, shift: .init(incomeSD: 0.05)))
        let income = try #require(shifted.features.first { $0.name == "income" })
        #expect(income.verdict == .smallShift, "\(income.reason)")
        #expect(income.status == .ok && !income.drifted)
        #expect(income.score < income.threshold)
        #expect((income.significancePValue ?? 1) < 1e-6)
        #expect(income.reason.hasPrefix("small shift: jensen_shannon"), "\(income.reason)")
        for other in shifted.features where other.name != "income" {
            #expect(other.verdict == .noShift, "\(other.name): \(other.reason)")
        }
        #expect(shifted.prediction?.verdict == .noShift)
        #expect(shifted.smallShiftCount == 1)
        #expect(shifted.driftedCount == 0 && shifted.driftShare == 0 && !shifted.datasetDrifted)

        let same = try comparison.compare(ComparisonTestData.columns(rows: Self.rows, seed: 3))
        for feature in same.features + [try #require(same.prediction)] {
            #expect(feature.verdict == .noShift, "\(feature.name): \(feature.reason)")
        }
        #expect(same.smallShiftCount == 0 && same.driftedCount == 0)
    }

    @Test("JSON, table and HTML show the small shift; the drift share ignores it")
    func outputs() throws {
        let baseline = try ComparisonTestData.baseline(rows: Self.rows)
        let columns = ComparisonTestData.columns(
            rows: Self.rows, seed: 2, shift: .init(incomeSD: 0.05, unseenPlanShare: 0.2))
        let report = try BatchComparison(baseline: baseline).compare(columns)
        #expect(report.features.first { $0.name == "plan" }?.verdict == .drift)
        #expect(report.features.first { $0.name == "income" }?.verdict == .smallShift)
        #expect(report.driftedCount == 1 && report.smallShiftCount == 1)
        #expect(report.driftShare == 1.0 / Double(report.features.count), "a small shift is not in the drift share")
        #expect(report.verdictsByUrgency.prefix(2).map(\.name) == ["plan", "income"])

        let encoder = JSONEncoder()
        let json = try #require(try JSONSerialization.jsonObject(with: encoder.encode(report)) as? [String: Any])
        #expect(json["small_shift_count"] as? Int == 1)
        #expect(json["small_shift_features"] as? [String] == ["income"])
        let features = try #require(json["features"] as? [[String: Any]])
        let verdicts = Dictionary(
            uniqueKeysWithValues: features.map { ($0["name"] as? String ?? "", $0["verdict"] as? String ?? "") })
        #expect(verdicts == ["income": "small_shift", "plan": "drift", "age": "none", "churned": "none"])

        let table = ComparisonTable.render(report)
        #expect(table.contains("small shift"))
        #expect(table.contains("1 with a small shift (not drift)"))
        #expect(table.contains("income: small shift: jensen_shannon"))

        let html = DriftReportHTML.render(DriftReportPage(comparison: report))
        #expect(html.contains("<span class=\"badge small\""))
        #expect(html.contains("1 with a small but certain shift (not drift)"))
    }
}
