/// The parsed command line.
///
/// ```
/// DetectionQuality run --out DIR [--seeds N] [--stationary-events N] [--horizon N]
/// DetectionQuality report --out DIR [--details]
/// ```
enum CommandLineOptions {
    /// Generate the streams and run driftd over them.
    case run(outputDirectory: String, settings: BenchmarkSettings)
    /// Print the table from `DIR/driftd-results.json` and `DIR/river-results.json`.
    case report(outputDirectory: String, details: Bool)

    /// Usage text.
    static let usage = """
        usage: DetectionQuality run --out DIR [--seeds N] [--stationary-events N] [--horizon N] [--training-rows N]
               DetectionQuality report --out DIR [--details]
        """

    /// Parses arguments (without the program name).
    static func parse(_ arguments: [String]) throws(BenchmarkError) -> CommandLineOptions {
        guard let command = arguments.first else { throw BenchmarkError(.badArgument, "no command\n" + usage) }
        var out: String?
        var details = false
        var settings = BenchmarkSettings()
        var rest = arguments.dropFirst()[...]
        func integer(_ name: String, minimum: Int) throws(BenchmarkError) -> Int {
            guard let text = rest.popFirst() else { throw BenchmarkError(.badArgument, "\(name) needs a value") }
            guard let value = Int(String(text.filter { $0 != "_" })), value >= minimum else {
                throw BenchmarkError(.badArgument, "\(name) must be an integer >= \(minimum), got '\(text)'")
            }
            return value
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--out":
                guard let value = rest.popFirst(), !value.isEmpty else {
                    throw BenchmarkError(.badArgument, "--out needs a directory")
                }
                out = value
            case "--seeds": settings.seeds = try integer(flag, minimum: 1)
            case "--stationary-events": settings.stationaryEvents = try integer(flag, minimum: settings.batchEvents)
            case "--horizon": settings.horizonEvents = try integer(flag, minimum: 1_000)
            case "--training-rows": settings.trainingRows = try integer(flag, minimum: 1_000)
            case "--details": details = true
            default: throw BenchmarkError(.badArgument, "unknown argument '\(flag)'\n" + usage)
            }
        }
        guard let out else { throw BenchmarkError(.badArgument, "--out is required\n" + usage) }
        switch command {
        case "run": return .run(outputDirectory: out, settings: settings)
        case "report": return .report(outputDirectory: out, details: details)
        default: throw BenchmarkError(.badArgument, "unknown command '\(command)'\n" + usage)
        }
    }
}
