import Foundation

/// Joins driftd's and River's results into the markdown tables of the report.
struct ReportTable {
    /// A column of the table: a detector and the results file it comes from.
    private struct Column {
        let detector: ResultsFile.Detector
        let file: ResultsFile
    }

    private let driftd: ResultsFile
    private let river: ResultsFile
    private let columns: [Column]

    /// Checks that both files describe the same streams.
    init(driftd: ResultsFile, river: ResultsFile) throws(BenchmarkError) {
        var changes: [String: Int] = [:]
        for run in driftd.runs { changes["\(run.scenario)#\(run.seed)"] = run.changeIndex }
        for run in river.runs {
            guard let change = changes["\(run.scenario)#\(run.seed)"] else {
                throw BenchmarkError(.badResults, "River ran \(run.scenario) seed \(run.seed), which driftd did not")
            }
            guard change == run.changeIndex else {
                throw BenchmarkError(
                    .badResults,
                    "\(run.scenario) seed \(run.seed): change at \(run.changeIndex) for River, \(change) for driftd")
            }
        }
        guard river.runs.count == driftd.runs.count else {
            throw BenchmarkError(.badResults, "River has \(river.runs.count) runs, driftd \(driftd.runs.count)")
        }
        self.driftd = driftd
        self.river = river
        let proposals = driftd.detectors.filter { $0.id.hasPrefix("proposal") }
        let current = driftd.detectors.filter { !$0.id.hasPrefix("proposal") }
        columns =
            current.map { Column(detector: $0, file: driftd) }
            + river.detectors.map { Column(detector: $0, file: river) }
            + proposals.map { Column(detector: $0, file: driftd) }
    }

    /// The main table: rows = scenarios (median delay and detection rate), last row = false
    /// alarms per million stationary events per feature.
    func markdown() -> String {
        var lines: [String] = []
        lines.append("| scenario | " + columns.map(\.detector.label).joined(separator: " | ") + " |")
        lines.append("|---|" + columns.map { _ in "---:" }.joined(separator: "|") + "|")
        for scenario in driftd.scenarios {
            let cells = columns.map { cell(scenario: scenario.id, column: $0) }
            lines.append("| \(scenario.title) | " + cells.joined(separator: " | ") + " |")
        }
        let events = max(1, driftd.stationaryEvents) / 1_000_000
        let alarmCells = columns.map { falseAlarmCell($0) }
        lines.append(
            "| **false alarms per 10⁶ stationary events per feature** (\(events) M events × 4 features) | "
                + alarmCells.joined(separator: " | ") + " |")
        return lines.joined(separator: "\n")
    }

    /// Per-feature false alarms (and, for driftd, the largest score / threshold seen).
    func falseAlarmDetails() -> String {
        let features = driftd.stationary.first?.features.map(\.feature) ?? []
        var lines = [
            "| detector | " + features.map { "\($0): alarms" }.joined(separator: " | ")
                + " | " + features.map { "\($0): max score/threshold" }.joined(separator: " | ")
                + " | sequential detector alarms (all features) |"
        ]
        lines.append("|---|" + Array(repeating: "---:", count: features.count * 2 + 1).joined(separator: "|") + "|")
        for column in columns {
            guard let stationary = column.file.stationary.first(where: { $0.detector == column.detector.id }) else {
                continue
            }
            let byName = Dictionary(stationary.features.map { ($0.feature, $0) }, uniquingKeysWith: { a, _ in a })
            let alarms = features.map { byName[$0].map { "\($0.alarms)" } ?? "–" }
            let ratios = features.map { name in byName[name]?.maxScoreRatio.map { String(format: "%.2f", $0) } ?? "–" }
            let sequential = stationary.features.compactMap(\.sequentialAlarms)
            let raw = sequential.isEmpty ? "–" : "\(sequential.reduce(0, +))"
            lines.append("| \(column.detector.label) | " + (alarms + ratios + [raw]).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    // MARK: - Cells

    private func cell(scenario: String, column: Column) -> String {
        let outcomes = column.file.runs.filter { $0.scenario == scenario }.compactMap {
            $0.outcomes[column.detector.id]
        }
        guard !outcomes.isEmpty else { return "–" }
        let delays = outcomes.compactMap(\.delay).sorted()
        let rate = "\(delays.count)/\(outcomes.count)"
        guard !delays.isEmpty else { return "missed (\(rate))" }
        let middle = delays.count / 2
        let median = delays.count % 2 == 1 ? Double(delays[middle]) : Double(delays[middle - 1] + delays[middle]) / 2
        return "\(Self.grouped(Int(median.rounded()))) (\(rate))"
    }

    private func falseAlarmCell(_ column: Column) -> String {
        guard let stationary = column.file.stationary.first(where: { $0.detector == column.detector.id }),
            !stationary.features.isEmpty, column.file.stationaryEvents > 0
        else { return "–" }
        let featureEvents = Double(column.file.stationaryEvents) * Double(stationary.features.count)
        let alarms = stationary.features.reduce(0) { $0 + $1.alarms }
        if alarms == 0 {
            // 95 % upper confidence bound of a Poisson rate with no event observed: 3 / exposure.
            return "0 (< " + String(format: "%.2f", 3 / featureEvents * 1e6) + ")"
        }
        let rate = Double(alarms) / featureEvents * 1e6
        return rate >= 100 ? Self.grouped(Int(rate.rounded())) : String(format: rate >= 10 ? "%.0f" : "%.2f", rate)
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }
}
