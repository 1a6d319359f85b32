import Benchmark
import DriftCore
import MallocInterposerSwift
import PerformanceFigures
import PerformanceSupport

/// Memory per monitored (model, feature) at the default window (10,000 events in 10 panes,
/// default baselines: 10 quantile bins + 2 outer bins per numeric feature): the heap bytes a
/// 1,000-feature model still holds once its window is full, divided by 1,000, against the size
/// computed from the layout.
///
/// Measured with the malloc interposer package-benchmark links (bytes allocated minus bytes
/// freed between two points, so only what stays live counts). A resident-size delta is not
/// usable inside the benchmark process: the allocator serves the model from pages freed by
/// earlier iterations, so RSS barely moves (see docs/performance.md).
///
/// Two figures: the window alone, and the whole `ModelMonitor` (window, baseline profile with
/// its raw sample, schema, rules and alert state).
let benchmarks: @Sendable () -> Void = {
    // Requesting a malloc metric makes package-benchmark hook the interposer for the run.
    var configuration = FigureRecording.configuration(
        smallerIsBetter: true, warmupIterations: 0, maxIterations: 3, maxSeconds: 60)
    configuration.metrics.append(.mallocCountTotal)

    Benchmark(FigureCatalogue.memoryPerFeatureWindow.benchmarkName, configuration: configuration) { benchmark in
        let model = try SyntheticModel(featureCount: MemoryWorkload.featureCount, trainingRows: 2_000)
        let schema = try model.schema()
        let before = MemoryWorkload.liveBytes()
        var window = SlidingWindow(schema: schema, spec: .default)
        MemoryWorkload.fill(schema: schema) { blackHole(window.ingest($0)) }
        let held = MemoryWorkload.liveBytes() - before
        blackHole(window.events)
        let computed =
            Double(MemoryWorkload.windowBytes(schema: schema, spec: .default)) / Double(MemoryWorkload.featureCount)
        try MemoryWorkload.record(benchmark, heldBytes: held, computed: computed)
    }

    Benchmark(FigureCatalogue.memoryPerFeatureMonitor.benchmarkName, configuration: configuration) { benchmark in
        let before = MemoryWorkload.liveBytes()
        let model = try SyntheticModel(featureCount: MemoryWorkload.featureCount, trainingRows: 2_000)
        var monitor = try ModelMonitor(
            baseline: model.baseline, window: .default, rule: { _ in AlertRule() }, retrain: RetrainRule())
        MemoryWorkload.fill(schema: monitor.schema) { blackHole(monitor.ingest($0)) }
        let held = MemoryWorkload.liveBytes() - before
        blackHole(monitor.window.events)
        let profiles = model.baseline.features + (model.baseline.prediction.map { [$0] } ?? [])
        let profileBytes = profiles.reduce(0) { total, p in
            total + 8 * ((p.edges?.count ?? 0) + p.counts.count + (p.sample?.count ?? 0))
        }
        let computed =
            Double(MemoryWorkload.windowBytes(schema: monitor.schema, spec: .default) + profileBytes)
            / Double(MemoryWorkload.featureCount)
        try MemoryWorkload.record(benchmark, heldBytes: held, computed: computed)
    }
}

enum MemoryWorkload {
    static let featureCount = 1_000
    /// Rows per ingested batch; 11 panes' worth in all, so the window is full and has slid.
    static let batchRows = 500

    /// Bytes allocated and not yet freed since the interposer was hooked.
    static func liveBytes() -> Int {
        let statistics = MallocInterposerSwift.getStatistics()
        return statistics.mallocBytesCount - statistics.freeBytesCount
    }

    /// Feeds 11,000 events of values spread over each column's bins, `batchRows` at a time.
    static func fill(schema: ModelSchema, _ ingest: (ColumnarBatch) -> Void) {
        var random = SplitMix64(seed: 5)
        var batch = ColumnarBatch(schema: schema, capacity: batchRows)
        var row = [Double](repeating: 0, count: schema.features.count)
        for r in 0..<batchRows {
            for (c, column) in schema.features.enumerated() {
                let u = random.nextUnitInterval()
                if column.type == .categorical {
                    row[c] = Double(Int(u * Double(column.binCount)))
                } else if let low = column.edges.first, let high = column.edges.last {
                    row[c] = low + (high - low) * u
                } else {
                    row[c] = u
                }
            }
            batch.append(timestamp: Int64(r), values: row, prediction: random.nextUnitInterval())
        }
        for _ in 0..<22 { ingest(batch) }
    }

    static func record(_ benchmark: Benchmark, heldBytes: Int, computed: Double) throws {
        guard heldBytes > 0 else {
            throw WorkloadError("the malloc interposer counted no live bytes; is it hooked on this platform?")
        }
        // An iteration can take a second or more (the whole monitor runs its detectors and
        // evaluations): package-benchmark's clock covers the recording only (FigureRecording).
        benchmark.startMeasurement()
        FigureRecording.record(
            benchmark, figure: Double(heldBytes) / Double(featureCount), reference: computed, smallerIsBetter: true)
    }

    /// Bytes of a window's counters: closed panes, the open pane and the running sum, each
    /// `slotCount` doubles, plus each array's header (32 B).
    static func windowBytes(schema: ModelSchema, spec: WindowSpec) -> Int {
        let layout = HistogramLayout(schema: schema)
        return (spec.panes + 2) * (layout.slotCount * 8 + 32)
    }
}
