import Foundation

/// Renders a `ComparisonReport` as an aligned plain-text table for people
/// (`driftd compare --format table`): a header, one row per feature with drifted features first,
/// the dataset verdict, then the reasons of drifted features and the column notes.
public enum ComparisonTable {
    /// The table text, ending with a newline.
    /// - Parameter report: The report.
    /// - Returns: Lines of aligned columns (left-aligned text, right-aligned numbers).
    public static func render(_ report: ComparisonReport) -> String {
        let header = ["FEATURE", "TYPE", "METHOD", "SCORE", "THRESHOLD", "P-VALUE", "MISSING", "NEW", "STATUS"]
        let rightAligned: Set<Int> = [3, 4, 5, 6, 7]
        let verdicts = report.verdictsByUrgency
        var rows: [[String]] = []
        for v in verdicts {
            let name = report.prediction == v ? "\(v.name) (prediction)" : v.name
            let newShare = v.unseenShare ?? v.outOfRangeShare
            rows.append([
                name, v.type.rawValue, v.method.rawValue + (v.path == .rawSample ? "*" : ""),
                number(v.score), number(v.threshold), v.significancePValue.map(pValue) ?? "-",
                percent(v.missingShare), newShare.map(percent) ?? "-", status(v)
            ])
        }
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                parts.append(i == cells.count - 1 ? cell : (rightAligned.contains(i) ? pad + cell : cell + pad))
            }
            return parts.joined(separator: "  ")
        }

        var out: [String] = []
        out.append("model \(report.model)@\(report.version), baseline \(report.baselineID), \(report.rowCount) rows")
        out.append("")
        out.append(line(header))
        for row in rows { out.append(line(row)) }
        out.append("")
        let verdict = report.datasetDrifted ? "DRIFTED" : "no drift"
        let small = report.smallShiftCount > 0 ? "; \(report.smallShiftCount) with a small shift (not drift)" : ""
        out.append(
            "dataset: \(verdict): \(report.driftedCount) of \(report.features.count) features drifted (\(percent(report.driftShare)), threshold \(percent(report.driftShareThreshold)))\(small)"
        )
        if verdicts.contains(where: { $0.path == .rawSample }) {
            out.append("* scored on raw values against the baseline sample")
        }
        let drifted = verdicts.filter { $0.drifted || $0.smallShift }
        if !drifted.isEmpty {
            out.append("")
            for v in drifted {
                out.append("\(v.name): \(v.reason)")
                if let evidence = v.evidence, !evidence.bins.isEmpty {
                    let bins = evidence.bins.map {
                        "\($0.bin) \(percent($0.baselineShare)) -> \(percent($0.windowShare)) (\(number($0.contribution)))"
                    }
                    out.append("  moved most: \(bins.joined(separator: ", ")) [\(evidence.measure) terms]")
                }
            }
        }
        if let attribution = report.attribution, !attribution.isEmpty {
            out.append("")
            let parts = attribution.map {
                "\($0.feature) \($0.predictionShift >= 0 ? "+" : "")\(EvaluationExplanation.format($0.predictionShift))"
            }
            out.append(
                "mean prediction shift explained by: \(parts.joined(separator: ", ")) (baseline mean prediction per bin)"
            )
        }
        var notes: [String] = []
        if !report.missingColumns.isEmpty {
            notes.append("columns missing from the data: \(report.missingColumns.joined(separator: ", "))")
        }
        if !report.ignoredColumns.isEmpty {
            notes.append("columns not in the baseline (ignored): \(report.ignoredColumns.joined(separator: ", "))")
        }
        if !report.disabledFeatures.isEmpty {
            notes.append("disabled features: \(report.disabledFeatures.joined(separator: ", "))")
        }
        for v in verdicts where !v.notes.isEmpty { notes.append("\(v.name): \(v.notes.joined(separator: "; "))") }
        if !notes.isEmpty {
            out.append("")
            out.append(contentsOf: notes)
        }
        return out.joined(separator: "\n") + "\n"
    }

    // MARK: - Cells

    private static func status(_ v: FeatureComparison) -> String {
        switch v.verdict {
        case .drift: return "DRIFT"
        case .smallShift: return "small shift"
        case .noShift: return "ok"
        case .insufficientData: return "no verdict"
        }
    }

    private static func number(_ x: Double) -> String {
        guard x.isFinite else { return "-" }
        return String(format: "%.4f", x)
    }

    private static func pValue(_ p: Double) -> String {
        guard p.isFinite else { return "-" }
        return p < 1e-4 ? String(format: "%.1e", p) : String(format: "%.4f", p)
    }

    private static func percent(_ share: Double) -> String {
        guard share.isFinite else { return "-" }
        return String(format: "%.1f%%", share * 100)
    }
}
