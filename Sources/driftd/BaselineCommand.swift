import ArgumentParser
import DriftConfig
import DriftCore
import DriftData
import Foundation

/// `driftd baseline`: baseline files.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Build and inspect training baselines.",
        subcommands: [BuildBaselineCommand.self])
}

/// `driftd baseline build`: profiles training data into a baseline file.
struct BuildBaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Profile training data (CSV or JSON lines) into a baseline file (docs/baseline.md).",
        discussion: """
            Column types are inferred (numeric when every value is a number and there are more than \
            20 distinct values; categorical otherwise) and can be forced with --numeric/--categorical. \
            Numeric bins are quantile edges of the training data with open outer bins; categorical bins \
            are the known categories plus "other"; missing rates are recorded.
            """)

    @Option(name: .long, help: "Training data: .csv (header row) or .jsonl/.ndjson (one object per line).")
    var input: String

    @Option(name: .long, help: "Model identifier, as in inference events' `model`.")
    var model: String

    @Option(name: .long, help: "Model version.")
    var version: String = "1"

    @Option(name: .long, help: "Where to write the baseline JSON.")
    var output: String

    @Option(
        name: .customLong("prediction-column"), help: "Column holding the model's output (profiled as the prediction).")
    var predictionColumn: String?

    @Option(
        name: .customLong("label-column"),
        help:
            "Column of true 0/1 labels (binary classifiers): stores the score calibration and reference metrics for estimating performance without labels; not profiled as a feature."
    )
    var labelColumn: String?

    @Option(name: .customLong("positive-threshold"), help: "With --label-column: class 1 at or above this score.")
    var positiveThreshold: Double = 0.5

    @Option(name: .customLong("numeric"), help: "Force a column numeric (repeatable).")
    var numeric: [String] = []

    @Option(name: .customLong("categorical"), help: "Force a column categorical (repeatable).")
    var categorical: [String] = []

    @Option(name: .customLong("exclude"), help: "Leave a column out, e.g. ids or labels (repeatable).")
    var exclude: [String] = []

    @Option(name: .long, help: "Quantile bins per numeric feature.")
    var bins: Int = 10

    func run() throws {
        let table: DataTable
        do {
            table = try DataTable.read(path: input)
        } catch {
            printError("driftd baseline build: \(error)")
            throw ExitCodes.data
        }
        var overrides: [String: FeatureType] = [:]
        for name in numeric { overrides[name] = .numeric }
        for name in categorical { overrides[name] = .categorical }
        var options = BaselineBuildOptions()
        options.binCount = bins
        do {
            let baseline = try table.buildBaseline(
                with: BaselineBuilder(options: options), model: model, version: version,
                predictionColumn: predictionColumn, typeOverrides: overrides, excludedColumns: Set(exclude),
                createdAt: RFC3339.format(millis: Int64(Date().timeIntervalSince1970 * 1000)), labelColumn: labelColumn,
                positiveThreshold: positiveThreshold)
            try BaselineFile.save(baseline, to: output)
            print("driftd: wrote \(output): baseline \(baseline.id), \(baseline.rowCount) rows")
            if let reference = baseline.performanceReference {
                let metrics = PerformanceEstimate.metrics.compactMap { m in
                    reference.metrics[m.rawValue].map { "\(m.rawValue) \(String(format: "%.4f", $0))" }
                }
                print(
                    "  performance reference (\(reference.labelColumn)): \(reference.rows) labelled rows, \(reference.calibration.scores.count)-point calibration; \(metrics.joined(separator: ", "))"
                )
            }
            for feature in baseline.features + (baseline.prediction.map { [$0] } ?? []) {
                let shape =
                    feature.type == .numeric
                    ? "\(feature.binCount) bins" : "\(feature.categories?.count ?? 0) categories + other"
                print(
                    "  \(feature.name): \(feature.type.rawValue), \(shape), missing \(String(format: "%.1f", feature.missingRate * 100))%"
                )
            }
        } catch {
            printError("driftd baseline build: \(error)")
            throw ExitCodes.data
        }
    }
}
