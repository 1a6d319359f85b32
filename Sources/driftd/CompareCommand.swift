import ArgumentParser
import DriftConfig
import DriftCore
import DriftData
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `driftd compare`: compares a whole data file with a baseline, the way users run Evidently.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract:
            "Compare a whole CSV or JSON-lines file with a baseline; print per-feature drift and the dataset verdict.",
        discussion: """
            Every baseline feature is judged with the daemon's rules (docs/statistics.md); ks, \
            cramer_von_mises, anderson_darling and wasserstein use raw values against the baseline's \
            sample (docs/compare.md). Method per feature: --feature-method, then --method, then the \
            config file, then automatic. Exit codes: 0 compared (drift or not), 1 dataset drifted with \
            --fail-on-drift, 65 unreadable or malformed data, 78 bad flags, config or baseline.
            """)

    @Option(name: .long, help: "Baseline JSON file. Optional with --config naming one model (or --model).")
    var baseline: String?

    @Option(name: .long, help: "Data to compare: .csv (header row) or .jsonl/.ndjson (one object per line).")
    var input: String?

    @Option(
        name: .long,
        help:
            "Output: table (for people, drifted features first), json, or html (one self-contained page with a chart per feature)."
    )
    var format: String = "table"

    @Option(name: .long, help: "YAML configuration file: per-feature rules, alpha, min_samples, retrain.drift_share.")
    var config: String?

    @Option(name: .long, help: "With --config and no --baseline: the model whose baseline and rules to use.")
    var model: String?

    @Option(name: .long, help: "Drift method for every feature it can score (auto = automatic choice).")
    var method: String?

    @Option(name: .long, help: "Threshold for every feature (a number >= 0).")
    var threshold: String?

    @Option(name: .customLong("feature-method"), help: "Per-feature method, NAME=METHOD (repeatable).")
    var featureMethods: [String] = []

    @Option(name: .customLong("feature-threshold"), help: "Per-feature threshold, NAME=NUMBER (repeatable).")
    var featureThresholds: [String] = []

    @Option(
        name: .customLong("min-samples"),
        help: "Rows (present + missing) needed for a verdict. Default: 500 or the config's.")
    var minSamples: String?

    @Option(
        name: .customLong("drift-share"),
        help: "Share of features drifting at which the dataset drifts, in (0, 1]. Default: 0.5 or the config's.")
    var driftShare: String?

    @Flag(name: .customLong("fail-on-drift"), help: "Exit 1 when the dataset drifted.")
    var failOnDrift = false

    @Flag(name: .long, help: "Print the time spent loading, reading and comparing to standard error.")
    var timings = false

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let startCPU = Self.processCPUSeconds()
        let outputFormat = try parseFormat()
        let overrides = try parseOverrides()
        let (baseline, configured) = try loadBaselineAndConfiguration()
        var rules = ComparisonRules(
            defaultRule: configured?.defaultRule ?? AlertRule(), featureRules: configured?.featureRules ?? [:],
            predictionRule: configured?.predictionRule, method: overrides.method, threshold: overrides.threshold,
            featureMethods: overrides.featureMethods, featureThresholds: overrides.featureThresholds,
            minSamples: overrides.minSamples)
        rules.driftShare = overrides.driftShare ?? configured?.retrain.driftShare ?? ComparisonRules.defaultDriftShare
        let comparison: BatchComparison
        do {
            comparison = try BatchComparison(baseline: baseline, rules: rules)
        } catch {
            throw fail(flagMessage(error), code: ExitCodes.configuration)
        }
        let loaded = clock.now
        let loadedCPU = Self.processCPUSeconds()

        guard let input else { throw fail("--input is required", code: ExitCodes.configuration) }
        let table: DataTable
        do {
            table = try DataTable.read(path: input)
        } catch {
            throw fail("\(error)", code: ExitCodes.data)
        }
        let read = clock.now
        let readCPU = Self.processCPUSeconds()

        let report: ComparisonReport
        do {
            report = try comparison.compare(table.columns)
        } catch {
            throw fail(
                "\(input): \(error.message)", code: error.isDataProblem ? ExitCodes.data : ExitCodes.configuration)
        }
        let compared = clock.now
        let comparedCPU = Self.processCPUSeconds()

        warnAboutData(report, table: table, columnNotes: outputFormat != .table)
        switch outputFormat {
        case .table:
            FileHandle.standardOutput.write(Data(ComparisonTable.render(report).utf8))
        case .html:
            let page = DriftReportPage(
                comparison: report, input: input,
                generatedAt: RFC3339.format(millis: Int64((Date().timeIntervalSince1970 * 1000).rounded())))
            FileHandle.standardOutput.write(Data(DriftReportHTML.render(page).utf8))
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            do {
                var data = try encoder.encode(report)
                data.append(UInt8(ascii: "\n"))
                FileHandle.standardOutput.write(data)
            } catch {
                throw fail("cannot encode the report: \(error)", code: ExitCodes.runtime)
            }
        }
        if timings {
            func seconds(_ d: Duration) -> Double {
                let (s, atto) = d.components
                return Double(s) + Double(atto) * 1e-18
            }
            func phase(_ name: String, wall: Duration, cpu: Double) -> String {
                "\(name) " + String(format: "%.3f s wall, %.3f s cpu", seconds(wall), cpu)
            }
            printError(
                "driftd compare: timings: "
                    + [
                        phase("baseline+rules", wall: loaded - start, cpu: loadedCPU - startCPU),
                        phase(
                            "read \(table.rowCount)x\(table.columns.count)", wall: read - loaded,
                            cpu: readCPU - loadedCPU),
                        phase("compare", wall: compared - read, cpu: comparedCPU - readCPU)
                    ].joined(separator: "; "))
        }
        if failOnDrift && report.datasetDrifted { throw ExitCode(1) }
    }

    // MARK: - Flags

    private enum OutputFormat: String, CaseIterable {
        case table, json, html
    }

    private struct Overrides {
        var method: DriftMethod?
        var threshold: Double?
        var featureMethods: [String: DriftMethod] = [:]
        var featureThresholds: [String: Double] = [:]
        var minSamples: Int?
        var driftShare: Double?
    }

    private func parseFormat() throws -> OutputFormat {
        guard let parsed = OutputFormat(rawValue: format) else {
            throw fail("--format must be table, json or html, got '\(format)'", code: ExitCodes.configuration)
        }
        return parsed
    }

    private func parseOverrides() throws -> Overrides {
        var overrides = Overrides()
        if let method, method != "auto" { overrides.method = try parseMethod(method, flag: "--method") }
        if let threshold { overrides.threshold = try parseNumber(threshold, flag: "--threshold") }
        for entry in featureMethods {
            let (name, value) = try split(entry, flag: "--feature-method")
            guard overrides.featureMethods[name] == nil else {
                throw fail("--feature-method: '\(name)' given twice", code: ExitCodes.configuration)
            }
            overrides.featureMethods[name] = try parseMethod(value, flag: "--feature-method \(name)")
        }
        for entry in featureThresholds {
            let (name, value) = try split(entry, flag: "--feature-threshold")
            guard overrides.featureThresholds[name] == nil else {
                throw fail("--feature-threshold: '\(name)' given twice", code: ExitCodes.configuration)
            }
            overrides.featureThresholds[name] = try parseNumber(value, flag: "--feature-threshold \(name)")
        }
        if let minSamples {
            guard let value = Int(minSamples), value >= 1 else {
                throw fail(
                    "--min-samples must be a whole number >= 1, got '\(minSamples)'", code: ExitCodes.configuration)
            }
            overrides.minSamples = value
        }
        if let driftShare {
            let value = try parseNumber(driftShare, flag: "--drift-share")
            guard value > 0, value <= 1 else {
                throw fail("--drift-share must be in (0, 1], got \(driftShare)", code: ExitCodes.configuration)
            }
            overrides.driftShare = value
        }
        return overrides
    }

    private func parseMethod(_ text: String, flag: String) throws -> DriftMethod {
        guard let method = DriftMethod(rawValue: text) else {
            let known = DriftMethod.allCases.map(\.rawValue).joined(separator: ", ")
            throw fail("\(flag): unknown method '\(text)'; use one of \(known)", code: ExitCodes.configuration)
        }
        return method
    }

    private func parseNumber(_ text: String, flag: String) throws -> Double {
        guard let value = Double(text), value.isFinite, value >= 0 else {
            throw fail("\(flag) must be a number >= 0, got '\(text)'", code: ExitCodes.configuration)
        }
        return value
    }

    private func split(_ entry: String, flag: String) throws -> (String, String) {
        guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex,
            entry.index(after: equals) != entry.endIndex
        else {
            throw fail("\(flag) expects NAME=VALUE, got '\(entry)'", code: ExitCodes.configuration)
        }
        return (String(entry[..<equals]), String(entry[entry.index(after: equals)...]))
    }

    // MARK: - Baseline and configuration

    /// The baseline to compare with and, with `--config`, the model's configured rules.
    private func loadBaselineAndConfiguration() throws -> (Baseline, ModelConfiguration?) {
        var configuration: DaemonConfiguration?
        if let config {
            do {
                // compare contacts no broker: a config written for compare alone need not name one.
                configuration = try ConfigurationLoader.load(file: config, requireBrokers: false)
            } catch {
                printError(
                    "driftd compare: invalid configuration (\(error.errors.count) problem\(error.errors.count == 1 ? "" : "s")):"
                )
                for problem in error.errors { printError("  \(problem)") }
                throw ExitCodes.configuration
            }
        }
        let baseline: Baseline
        if let path = self.baseline {
            do {
                baseline = try BaselineFile.load(path: path)
            } catch {
                throw fail("\(error)", code: ExitCodes.configuration)
            }
        } else if let configuration {
            let chosen: ModelConfiguration?
            if let model {
                chosen = configuration.model(named: model)
            } else {
                chosen = configuration.models.count == 1 ? configuration.models.first : nil
            }
            guard let chosen else {
                let names = configuration.models.map(\.model).joined(separator: ", ")
                let problem =
                    model.map { "\(config ?? "config") has no model '\($0)'" }
                    ?? "\(config ?? "config") monitors \(configuration.models.count) models"
                throw fail(
                    "\(problem) (\(names)); name one with --model or give --baseline", code: ExitCodes.configuration)
            }
            return (chosen.baseline, chosen)
        } else {
            throw fail("give --baseline, or --config with one model", code: ExitCodes.configuration)
        }
        guard let configuration else { return (baseline, nil) }
        let name = model ?? baseline.model
        guard let configured = configuration.model(named: name) else {
            let names = configuration.models.map(\.model).joined(separator: ", ")
            throw fail(
                "\(config ?? "config") has no model '\(name)' (models: \(names)); its rules cannot apply to baseline \(baseline.id)",
                code: ExitCodes.configuration)
        }
        if configured.baseline.id != baseline.id {
            printError(
                "driftd compare: note: using the rules of model \(configured.model) from \(config ?? "config") (baseline \(configured.baseline.id)) with baseline \(baseline.id)"
            )
        }
        return (baseline, configured)
    }

    // MARK: - Output helpers

    /// Names the flag behind a rule problem.
    private func flagMessage(_ error: ComparisonError) -> String {
        switch error.code {
        case .unknownFeature, .methodNotApplicable:
            return "per-feature override: \(error.message)"
        case .invalidThreshold, .invalidDriftShare, .invalidMinSamples:
            return "\(error.message)"
        default:
            return "\(baseline ?? "baseline"): \(error.message)"
        }
    }

    /// Data problems that do not stop the comparison, on standard error with file and line; the
    /// missing and ignored columns too when the output (JSON) is not read by people.
    private func warnAboutData(_ report: ComparisonReport, table: DataTable, columnNotes: Bool) {
        for verdict in report.features + (report.prediction.map { [$0] } ?? []) where verdict.wrongTypeCount > 0 {
            let line = verdict.firstWrongTypeRow.flatMap { $0 < table.rowLines.count ? table.rowLines[$0] : nil }
            printError(
                "driftd compare: warning: \(table.file)\(line.map { ":\($0)" } ?? ""): numeric feature \(verdict.name) has \(verdict.wrongTypeCount) value(s) that are not finite numbers (first here); counted as missing"
            )
        }
        guard columnNotes else { return }
        if !report.missingColumns.isEmpty {
            printError(
                "driftd compare: warning: \(table.file) has no column for \(report.missingColumns.joined(separator: ", ")); compared as 100% missing"
            )
        }
        if !report.ignoredColumns.isEmpty {
            printError(
                "driftd compare: note: ignored columns not in the baseline: \(report.ignoredColumns.joined(separator: ", "))"
            )
        }
    }

    /// CPU time used by the process so far (all threads), seconds.
    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return .nan }
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Prints `driftd compare: message` and returns the exit code to throw.
    private func fail(_ message: String, code: ExitCode) -> ExitCode {
        printError("driftd compare: \(message)")
        return code
    }
}
