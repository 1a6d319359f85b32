import Foundation
import Testing

@testable import DriftCore

@Suite("HTML drift report")
struct DriftReportHTMLTests {
    private func report() throws -> ComparisonReport {
        let baseline = try ComparisonTestData.baseline()
        var current = ComparisonTestData.columns(
            rows: 20_000, seed: 31, shift: .init(incomeSD: 0.5, unseenPlanShare: 0.2))
        current = ComparisonTestData.replacing("age", in: current, with: nil)
        return try BatchComparison(baseline: baseline).compare(current)
    }

    private func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test("batch comparison: every feature and the prediction carry their counts on the baseline's bins")
    func histograms() throws {
        let report = try report()
        let baseline = try ComparisonTestData.baseline()
        for verdict in report.features + [try #require(report.prediction)] {
            let h = try #require(verdict.histogram, "\(verdict.name)")
            let profile = try #require((baseline.features + [baseline.prediction!]).first { $0.name == verdict.name })
            #expect(h.baselineCounts == profile.counts)
            #expect(h.currentCounts.count == profile.binCount)
            #expect(Int(h.currentPresent) == verdict.presentCount)
            switch profile.type {
            case .numeric:
                #expect(h.kinds.first == .belowRange && h.kinds.last == .aboveRange)
                #expect(h.kinds.dropFirst().dropLast().allSatisfy { $0 == .value })
            case .categorical:
                #expect(h.kinds.last == .unseen && h.kinds.dropLast().allSatisfy { $0 == .value })
            }
        }
        // The unseen plan share is in the "other" bin; the absent age column has no present value.
        let plan = try #require(report.features.first { $0.name == "plan" }?.histogram)
        #expect(abs(plan.currentCounts.last! / plan.currentPresent - 0.2) < 0.02)
        let age = try #require(report.features.first { $0.name == "age" }?.histogram)
        #expect(age.currentPresent == 0 && age.currentMissing == 20_000)
    }

    @Test("the JSON output does not change: histograms are not encoded")
    func jsonUnchanged() throws {
        let data = try JSONEncoder().encode(try report())
        #expect(!String(decoding: data, as: UTF8.self).contains("histogram"))
    }

    @Test("page: verdict, a row and a chart per feature, urgency order, marked new-value bins")
    func page() throws {
        let report = try report()
        let page = DriftReportPage(comparison: report, input: "current.csv", generatedAt: "2026-12-03T00:00:00Z")
        #expect(page.features.map(\.name) == report.verdictsByUrgency.map(\.name))
        #expect(page.verdict.drifted == report.datasetDrifted)
        #expect(page.features.last(where: \.isPrediction)?.name == "score")
        let html = DriftReportHTML.render(page)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let charted = report.features.count + 1
        #expect(count("<svg class=\"chart\"", in: html) == charted)
        #expect(count("<tr id=\"row-", in: html) == charted)
        #expect(html.contains("class=\"verdict drifted\""))
        #expect(html.contains("Dataset drift detected: \(report.driftedCount) of 4 features drifted"))
        // Numeric features: two shaded outer bins each (income, age, score); plan and churned: "other".
        #expect(count("<rect class=\"new-bin\" data-kind=\"below_range\"", in: html) == 3)
        #expect(count("<rect class=\"new-bin\" data-kind=\"above_range\"", in: html) == 3)
        #expect(count("<rect class=\"new-bin\" data-kind=\"unseen\"", in: html) == 2)
        // Self-contained: nothing fetched from anywhere.
        #expect(!html.contains("<link"))
        #expect(!html.contains(" src="))
        #expect(!html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"))
        #expect(html.contains("@media print"))
        // Drifted features name the bins that moved most.
        #expect(
            count("<span class=\"moved\"", in: html)
                == report.features.filter { $0.drifted && $0.evidence != nil }.count)
        #expect(html.contains("moved most: other (unseen)"))
    }

    @Test("text from the data is escaped")
    func escaping() throws {
        let profile = FeatureProfile(
            name: "<b>x\"&'", type: .categorical, categories: ["<script>alert(1)</script>", "a&b"], counts: [5, 5, 0])
        let histogram = try #require(ReportHistogram(profile: profile, currentCounts: [1, 2, 7], currentMissing: 0))
        let feature = DriftReportPage.Feature(
            name: profile.name, isPrediction: false, type: .categorical, method: "jensen_shannon", rawSample: false,
            score: 0.3, threshold: 0.05, pValue: 1e-9, status: .drifted, missingShare: 0, baselineMissingShare: 0,
            newShare: 0.7, reason: "drift: <evidence>", notes: ["note & more"], histogram: histogram)
        let page = DriftReportPage(
            title: "T <i>", facts: [.init("model", "m\"1")], verdict: .init(drifted: true, headline: "h", detail: "d"),
            features: [feature], footer: "f")
        let html = DriftReportHTML.render(page)
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<b>x"))
        #expect(html.contains("&lt;b&gt;x&quot;&amp;&#39;"))
        #expect(html.contains("drift: &lt;evidence&gt;"))
        #expect(html.contains("note &amp; more"))
        #expect(html.contains("T &lt;i&gt;"))
    }

    @Test("histogram bins: labels, compact edges, shares")
    func histogramLabels() throws {
        let numeric = FeatureProfile(name: "n", type: .numeric, edges: [0, 1.5, 12_345], counts: [0, 3, 5, 0])
        let h = try #require(ReportHistogram(profile: numeric, currentCounts: [1, 1, 1, 1], currentMissing: 2))
        #expect(h.label(of: 0) == "< 0")
        #expect(h.label(of: 1) == "[0, 1.5)")
        #expect(h.label(of: 2) == "[1.5, 12.35k)")
        #expect(h.label(of: 3) == "≥ 12.35k")
        #expect(ReportHistogram.shares([1, 3]) == [0.25, 0.75])
        #expect(ReportHistogram.shares([0, 0]) == [0, 0])
        #expect(ReportHistogram.compact(0.000012) == "1.2e-05")
        #expect(ReportHistogram.compact(-2_500_000) == "-2.5M")
        #expect(ReportHistogram.compact(99.05) == "99.05")
        #expect(ReportHistogram(profile: numeric, currentCounts: [1, 1], currentMissing: 0) == nil)
    }

    @Test("y axis: 2 to 5 round steps covering the peak")
    func axis() {
        for peak in [0.0, 0.001, 0.013, 0.07, 0.12, 0.3, 0.49, 0.51, 0.99, 1.0] {
            let (step, count) = DriftReportHTML.axisSteps(peak)
            #expect(count >= 2 && count <= 5)
            #expect(step * Double(count) >= peak - 1e-12)
        }
    }

    @Test("a long category list is cut to the largest bins plus other")
    func manyCategories() throws {
        let categories = (0..<100).map { "c\($0)" }
        let counts = (0...100).map { Double($0 == 100 ? 0 : 100 - $0) }
        let profile = FeatureProfile(name: "c", type: .categorical, categories: categories, counts: counts)
        let h = try #require(ReportHistogram(profile: profile, currentCounts: counts, currentMissing: 0))
        let shown = DriftReportHTML.shownBins(
            h, baseline: ReportHistogram.shares(h.baselineCounts), current: ReportHistogram.shares(h.currentCounts))
        #expect(shown.count == DriftReportHTML.maxChartBins)
        #expect(shown.last == 100)
        #expect(Array(shown.dropLast()) == Array(0..<DriftReportHTML.maxChartBins - 1))
    }
}
