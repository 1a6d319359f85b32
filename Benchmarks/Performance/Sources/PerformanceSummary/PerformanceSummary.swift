import Foundation
import PerformanceFigures

/// Prints one line per figure of `make bench` from package-benchmark's JMH export: the median
/// (p50) over iterations of the figure, of the reference measured side by side, and of their
/// per-iteration ratio, with the target and whether it is met.
///
/// Usage: `PerformanceSummary [--partial] <directory holding *.jmh.json>`. Exit status 0 when every
/// figure was found, 1 when some are missing (a benchmark failed), 2 on bad usage or unreadable
/// input. With `--partial` (a run filtered to some targets, `make bench BENCH_ARGS=...`) missing
/// figures are listed as not run and do not fail; a failed benchmark still fails its own run.
@main
struct PerformanceSummary {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let partial = arguments.first == "--partial"
        if partial { arguments.removeFirst() }
        guard let directory = arguments.first, arguments.count == 1 else {
            FileHandle.standardError.write(Data("usage: PerformanceSummary [--partial] <jmh export directory>\n".utf8))
            exit(2)
        }
        let results: [String: JMHResult]
        do {
            results = try JMHResult.load(directory: directory)
        } catch {
            FileHandle.standardError.write(Data("PerformanceSummary: \(error)\n".utf8))
            exit(2)
        }
        print(MachineDescription.current().line)
        var missing = 0
        for figure in FigureCatalogue.all {
            guard let result = results[JMHResult.key(benchmarkName: figure.benchmarkName)],
                let value = result.median(FigureMetricName.figure),
                let reference = result.median(FigureMetricName.reference),
                let ratioScaled = result.median(FigureMetricName.ratio)
            else {
                if partial {
                    print("\(figure.title): not run (filtered out)")
                } else {
                    print("\(figure.title): MISSING (benchmark failed or was filtered out)")
                    missing += 1
                }
                continue
            }
            let ratio = ratioScaled / FigureMetricName.ratioScale
            let verdict: String
            if case .reportOnly = figure.target {
                verdict = "no target"
            } else {
                verdict =
                    "target \(figure.target.text(unit: figure.unit)): "
                    + (figure.target.isMet(value: value, ratio: ratio) ? "met" : "NOT MET")
            }
            var line = "\(figure.title): \(figure.unit.format(value)); reference \(figure.unit.format(reference)) "
            line += "(\(figure.reference)); ratio \(Figure.Unit.decimal(ratio, places: 2)); "
            line += verdict
            print(line)
        }
        exit(missing == 0 ? 0 : 1)
    }
}
