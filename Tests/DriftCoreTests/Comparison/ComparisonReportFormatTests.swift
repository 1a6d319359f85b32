import DriftCore
import Foundation
import Testing

@Suite("ComparisonReport JSON and table")
struct ComparisonReportFormatTests {
    private func report() throws -> ComparisonReport {
        let baseline = try ComparisonTestData.baseline()
        var current = ComparisonTestData.columns(
            rows: 20_000, seed: 31, shift: .init(incomeSD: 0.5, unseenPlanShare: 0.2))
        current = ComparisonTestData.replacing("age", in: current, with: nil)
        current.append(DataColumn(name: "extra", values: Array(repeating: .number(1), count: 20_000)))
        return try BatchComparison(baseline: baseline, rules: ComparisonRules(featureMethods: ["income": .ks])).compare(
            current)
    }

    private func json(_ report: ComparisonReport) throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(report)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("top level: features, drift_share, dataset_drifted and the column lists")
    func topLevelShape() throws {
        let object = try json(report())
        #expect(
            Set(object.keys) == [
                "model", "version", "baseline_id", "row_count", "features", "prediction", "disabled_features",
                "missing_columns", "ignored_columns", "drifted_count", "feature_count", "drift_share",
                "drift_share_threshold", "dataset_drifted", "attribution", "small_shift_count", "small_shift_features"
            ])
        #expect(object["drift_share"] as? Double == 0.75)
        #expect(object["dataset_drifted"] as? Bool == true)
        #expect(object["drifted_count"] as? Int == 3)
        #expect(object["feature_count"] as? Int == 4)
        #expect(object["missing_columns"] as? [String] == ["age"])
        #expect(object["ignored_columns"] as? [String] == ["extra"])
        #expect(object["row_count"] as? Int == 20_000)
    }

    @Test("feature objects: name, type, method, score, threshold, p_value, drifted and the shares")
    func featureShape() throws {
        let object = try json(report())
        let features = try #require(object["features"] as? [[String: Any]])
        #expect(features.map { $0["name"] as? String } == ["income", "age", "plan", "churned"])
        let expectedKeys: Set<String> = [
            "name", "type", "method", "method_source", "threshold_source", "path", "score", "threshold", "p_value",
            "significance_p_value", "status", "drifted", "verdict", "column_present", "row_count", "present_count",
            "missing_share", "baseline_missing_share", "unseen_share", "out_of_range_share", "wrong_type_count",
            "first_wrong_type_row", "baseline_sample_size", "reason", "notes", "evidence"
        ]
        for feature in features { #expect(Set(feature.keys) == expectedKeys) }
        // Where each drifted distribution moved: its bins, with both shares and the contribution.
        for feature in features where feature["drifted"] as? Bool == true && feature["column_present"] as? Bool == true
        {
            let evidence = try #require(feature["evidence"] as? [String: Any], "\(feature["name"] ?? "")")
            let bins = try #require(evidence["bins"] as? [[String: Any]])
            #expect(!bins.isEmpty && bins.count <= 3)
            #expect(bins.allSatisfy { Set($0.keys) == ["bin", "baseline_share", "window_share", "contribution"] })
        }
        #expect(features[1]["evidence"] is NSNull)  // age: no column, nothing present
        let income = features[0]
        #expect(income["method"] as? String == "ks")
        #expect(income["path"] as? String == "raw_sample")
        #expect(income["method_source"] as? String == "feature_override")
        #expect(income["p_value"] is Double)  // ks has a p-value
        #expect(income["unseen_share"] is NSNull)  // numeric
        #expect(income["out_of_range_share"] is Double)
        #expect(income["drifted"] as? Bool == true)
        #expect(income["type"] as? String == "numeric")
        let age = features[1]
        #expect(age["missing_share"] as? Double == 1)
        #expect(age["column_present"] as? Bool == false)
        #expect(age["status"] as? String == "drifted")
        let plan = features[2]
        #expect(plan["p_value"] is NSNull)  // jensen_shannon is a distance
        #expect(plan["significance_p_value"] is Double)
        #expect(plan["out_of_range_share"] is NSNull)  // categorical
        #expect(((plan["unseen_share"] as? Double) ?? 0) > 0.15)
        #expect(plan["threshold_source"] as? String == "default")
        let churned = features[3]
        #expect(churned["method"] as? String == "z_test")
        #expect(churned["p_value"] is Double)
        #expect(churned["drifted"] as? Bool == false)
        let prediction = try #require(object["prediction"] as? [String: Any])
        #expect(prediction["name"] as? String == "score")
    }

    @Test("non-finite numbers encode as null")
    func nonFinite() throws {
        var r = try report()
        r.features[0].score = .infinity
        r.features[0].pValue = .nan
        let features = try #require(try json(r)["features"] as? [[String: Any]])
        #expect(features[0]["score"] is NSNull)
        #expect(features[0]["p_value"] is NSNull)
    }

    @Test("table: aligned columns, drifted features first, dataset verdict, reasons and notes")
    func table() throws {
        let r = try report()
        let text = ComparisonTable.render(r)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let headerIndex = try #require(lines.firstIndex { $0.hasPrefix("FEATURE") })
        let rows = Array(lines[(headerIndex + 1)...].prefix { !$0.isEmpty })
        #expect(rows.count == 5)  // 4 features + the prediction
        let statuses = rows.map { $0.split(separator: " ").last.map(String.init) ?? "" }
        #expect(statuses == ["DRIFT", "DRIFT", "DRIFT", "ok", "ok"])
        #expect(rows.contains { $0.hasPrefix("score (prediction)") })
        // Right-aligned numeric columns end at the same offset on every row.
        let header = lines[headerIndex]
        let scoreEnd = try #require(header.range(of: "SCORE")).upperBound.utf16Offset(in: header)
        for row in rows {
            let prefix = String(row.prefix(scoreEnd))
            #expect(prefix.last?.isNumber == true, "\(row)")
        }
        #expect(text.contains("dataset: DRIFTED: 3 of 4 features drifted (75.0%, threshold 50.0%)"))
        #expect(text.contains("ks*"))
        #expect(text.contains("columns missing from the data: age"))
        #expect(text.contains("columns not in the baseline (ignored): extra"))
        #expect(text.contains("\nincome: drift: ks "))
        // Each drifted feature's reason is followed by where it moved.
        let movedLines = lines.filter { $0.hasPrefix("  moved most: ") }
        #expect(movedLines.count == 2, "\(text)")  // income and plan; age has no column
        #expect(movedLines.allSatisfy { $0.contains(" -> ") && $0.hasSuffix(" terms]") })
        if let attribution = r.attribution, !attribution.isEmpty {
            #expect(text.contains("mean prediction shift explained by: \(attribution[0].feature) "))
        } else {
            #expect(!text.contains("mean prediction shift explained by"))
        }
    }
}
