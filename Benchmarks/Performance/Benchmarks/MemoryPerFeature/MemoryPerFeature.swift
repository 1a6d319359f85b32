import Benchmark
import DriftCore
import PerformanceFigures
import PerformanceSupport

/// Memory per monitored (model, feature) at the default window (10,000 events in 10 panes,
/// default baselines: 10 quantile bins + 2 outer bins per numeric feature), measured as the
/// resident-size delta of a 1,000-feature model with a full window, divided by 1,000, against
/// the size computed from the layout. The allocator's live-byte delta (glibc `mallinfo2`) is
/// recorded too, as the "heap bytes" metric.
///
/// Two figures: the window alone, and the whole `ModelMonitor` (window, baseline profile with
/// its raw sample, schema, rules and alert state).
let benchmarks: @Sendable () -> Void = {
    let heapMetric = BenchmarkMetric.custom("heap bytes", polarity: .prefersSmaller, useScalingFactor: false)
    var configuration = FigureRecording.configuration(smallerIsBetter: true, warmupIterations: 0, maxIterations: 3, maxSeconds: 60)
    configuration.metrics.append(heapMetric)

    Benchmark(FigureCatalogue.memoryPerFeatureWindow.benchmarkName, configuration: configuration) { benchmark in
        let model = try SyntheticModel(featureCount: MemoryWorkload.featureCount, trainingRows: 2_000)
        let schema = try model.schema()
        let before = MemoryWorkload.sample()
        var window = SlidingWindow(schema: schema, spec: .default)
        MemoryWorkload.fill(schema: schema) { blackHole(window.ingest($0)) }
        let after = MemoryWorkload.sample()
        blackHole(window.events)
        let computed = Double(MemoryWorkload.windowBytes(schema: schema, spec: .default)) / Double(MemoryWorkload.featureCount)
        try MemoryWorkload.record(benchmark, before: before, after: after, computed: computed, heapMetric: heapMetric)
    }

    Benchmark(FigureCatalogue.memoryPerFeatureMonitor.benchmarkName, configuration: configuration) { benchmark in
        let before = MemoryWorkload.sample()
        let model = try SyntheticModel(featureCount: MemoryWorkload.featureCount, trainingRows: 2_000)
        var monitor = try ModelMonitor(baseline: model.baseline, window: .default, rule: { _ in AlertRule() }, retrain: RetrainRule())
        MemoryWorkload.fill(schema: monitor.schema) { blackHole(monitor.ingest($0)) }
        let after = MemoryWorkload.sample()
        blackHole(monitor.window.events)
        let schema = monitor.schema
        let profiles = model.baseline.features + (model.baseline.prediction.map { [$0] } ?? [])
        let profileBytes = profiles.reduce(0) { total, p in
            total + 8 * ((p.edges?.count ?? 0) + p.counts.count + (p.sample?.count ?? 0))
        }
        let computed = Double(MemoryWorkload.windowBytes(schema: schema, spec: .default) + profileBytes)
            / Double(MemoryWorkload.featureCount)
        try MemoryWorkload.record(benchmark, before: before, after: after, computed: computed, heapMetric: heapMetric)
    }
}

enum MemoryWorkload {
    static let featureCount = 1_000
    /// Rows per ingested batch; 11 panes' worth in all, so the window is full and has slid.
    static let batchRows = 500

    struct Sample {
        var resident: Int
        var heap: Int
    }

    static func sample() -> Sample {
        ProcessMemory.trim()
        return Sample(resident: ProcessMemory.residentBytes() ?? 0, heap: ProcessMemory.heapInUseBytes() ?? 0)
    }

    /// Feeds 11,000 events of values spread over each column's bins, `batchRows` at a time.
    static func fill(schema: ModelSchema, _ ingest: (ColumnarBatch) -> Void) {
        var random = SplitMix64(seed: 5)
        var batch = ColumnarBatch(schema: schema, capacity: batchRows)
        var row = [Double](repeating: 0, count: schema.features.count)
        for r in 0 ..< batchRows {
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
        for _ in 0 ..< 22 { ingest(batch) }
    }

    static func record(_ benchmark: Benchmark, before: Sample, after: Sample, computed: Double, heapMetric: BenchmarkMetric) throws {
        guard before.resident > 0, after.resident > 0 else {
            throw WorkloadError("resident size is not readable on this platform")
        }
        let resident = Double(after.resident - before.resident) / Double(featureCount)
        let heap = Double(after.heap - before.heap) / Double(featureCount)
        FigureRecording.record(benchmark, figure: resident, reference: computed, smallerIsBetter: true)
        benchmark.measurement(heapMetric, Int(heap.rounded()))
    }

    /// Bytes of a window's counters: closed panes, the open pane and the running sum, each
    /// `slotCount` doubles, plus each array's header (32 B) and allocator overhead (16 B).
    static func windowBytes(schema: ModelSchema, spec: WindowSpec) -> Int {
        let layout = HistogramLayout(schema: schema)
        let arrays = spec.panes + 2
        return arrays * (layout.slotCount * 8 + 48)
    }
}
