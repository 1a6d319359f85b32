import Benchmark
import DriftCore
import DriftDecode
import PerformanceFigures
import PerformanceSupport

/// Decoding Kafka-sized batches of inference events into columnar batches (simdjson On-Demand,
/// feature lookup, type checks, category binning, column writes) against the raw On-Demand
/// iteration of the same bytes with the same parser (`InferenceEventDecoder.referenceIteration`),
/// in MB/s of JSON, measured side by side in each iteration.
let benchmarks: @Sendable () -> Void = {
    for features in FigureCatalogue.featureCounts {
        let figure = FigureCatalogue.decode(features: features)
        let shared = SharedWorkload { try DecodeWorkload(features: features) }
        Benchmark(figure.benchmarkName, configuration: FigureRecording.configuration(maxIterations: 30)) { benchmark in
            let workload = try shared.get()
            for _ in benchmark.scaledIterations {
                let round = try SideBySide.round(
                    iteration: benchmark.currentIteration,
                    subject: { try workload.decodeAll() },
                    reference: { try workload.iterateAll() })
                let bytes = Double(workload.corpus.totalBytes)
                FigureRecording.record(benchmark, figure: bytes / round.subject, reference: bytes / round.reference)
            }
        }
    }
}

/// 40,000 events decoded in batches of the daemon's default Kafka batch size.
struct DecodeWorkload: Sendable {
    static let eventCount = 40_000
    static let batchSize = 2_000

    let corpus: EventCorpus
    let decoder: InferenceEventDecoder

    init(features: Int) throws {
        let model = try SyntheticModel(featureCount: features)
        corpus = model.events(count: Self.eventCount, startMillis: 1_795_300_000_000)
        decoder = try InferenceEventDecoder(registry: SchemaRegistry(schemas: [model.schema()]))
    }

    /// Decodes every event; fails if any is rejected (the comparison would be meaningless).
    func decodeAll() throws {
        var start = 0
        while start < corpus.count {
            let range = start..<min(corpus.count, start + Self.batchSize)
            let decoded = corpus.withPayloads(range, fallbackMillis: 0) {
                decoder.decode(count: range.count, payload: $0)
            }
            guard decoded.rejects.isEmpty, decoded.acceptedCount == range.count else {
                throw WorkloadError(
                    "decode rejected \(decoded.rejects.count) events: \(decoded.rejects.first.map { "\($0.error)" } ?? "")"
                )
            }
            blackHole(decoded)
            start = range.upperBound
        }
    }

    /// Iterates every event with the raw On-Demand reference.
    func iterateAll() throws {
        var start = 0
        while start < corpus.count {
            let range = start..<min(corpus.count, start + Self.batchSize)
            let result = corpus.withPayloads(range, fallbackMillis: 0) {
                decoder.referenceIteration(count: range.count, payload: $0)
            }
            guard result.parsed == range.count else {
                throw WorkloadError("reference iteration parsed \(result.parsed) of \(range.count) events")
            }
            blackHole(result.checksum)
            start = range.upperBound
        }
    }
}
