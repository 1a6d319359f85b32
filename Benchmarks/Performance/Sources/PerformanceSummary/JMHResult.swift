import Foundation

/// One benchmark's entry in package-benchmark's JMH export (`--format jmh`), reduced to what
/// the summary reads: the percentiles of each secondary (custom) metric.
struct JMHResult: Decodable {
    struct Metric: Decodable {
        var scorePercentiles: [String: Double]
    }

    var benchmark: String
    var secondaryMetrics: [String: Metric]?

    /// The median (p50) of `metric` over the iterations, if recorded.
    func median(_ metric: String) -> Double? {
        secondaryMetrics?[metric]?.scorePercentiles["50.0"]
    }

    /// The key results are stored under: the benchmark name as the export writes it
    /// (`package.benchmark.<Target>.<name with spaces as underscores>`), without the target.
    static func key(benchmarkName: String) -> String {
        benchmarkName.replacingOccurrences(of: " ", with: "_")
    }

    /// Reads every `*.jmh.json` file in `directory`, keyed by `key(benchmarkName:)`.
    static func load(directory: String) throws -> [String: JMHResult] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jmh.json") }
        guard !names.isEmpty else {
            throw SummaryError("no *.jmh.json export in \(directory)")
        }
        var results: [String: JMHResult] = [:]
        for name in names.sorted() {
            let path = (directory as NSString).appendingPathComponent(name)
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let decoded: [JMHResult]
            do {
                decoded = try JSONDecoder().decode([JMHResult].self, from: data)
            } catch {
                throw SummaryError("\(path) is not a JMH export: \(error)")
            }
            for result in decoded {
                // "package.benchmark.<Target>.<Name>": the name follows the third dot.
                let parts = result.benchmark.split(separator: ".", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count == 4 else { continue }
                results[String(parts[3])] = result
            }
        }
        return results
    }
}
