import Foundation

// Entry point: `run` generates the streams and runs driftd; `report` prints the table.
do {
    switch try CommandLineOptions.parse(Array(CommandLine.arguments.dropFirst())) {
    case .run(let directory, let settings):
        try BenchmarkRunner(settings: settings, outputDirectory: directory).run()
    case .report(let directory, let details):
        let driftd = try JSONFiles.read(ResultsFile.self, from: directory + "/" + BenchmarkRunner.resultsFileName)
        let river = try JSONFiles.read(ResultsFile.self, from: directory + "/river-results.json")
        let table = try ReportTable(driftd: driftd, river: river)
        print(table.markdown())
        if details {
            print("\nFalse alarms on the stationary stream, per feature:\n")
            print(table.falseAlarmDetails())
        }
    }
} catch {
    FileHandle.standardError.write(Data("detection-quality: \(error)\n".utf8))
    exit(error.code == .badArgument ? 64 : 1)
}
