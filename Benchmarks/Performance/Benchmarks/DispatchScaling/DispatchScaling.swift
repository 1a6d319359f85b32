import Benchmark
import Dispatch
import Foundation
import DriftCore
import PerformanceFigures
import PerformanceSupport

/// Window ingestion of wide batches with `DispatchQueue.concurrentPerform` across features
/// (`SlidingWindow.parallelThreshold = 0`) against the same work on one core (threshold `.max`),
/// in feature-values per second. The counters are checked equal every iteration.
///
/// "Dispatch efficiency" compares, in the same iteration, binning across columns on all cores
/// with what the machine gives on all cores for the same kernel with nothing shared: one whole
/// single-core ingest per core at once (one `concurrentPerform` per measurement, not one per
/// batch). On this shared virtual machine the 2-core throughput moves within seconds, so the
/// scaling figure alone says as much about the host as about the code (docs/performance.md).
///
/// The "Dispatch crossover" benchmarks repeat the comparison for smaller batches; they are
/// the measurements `SlidingWindow.parallelThreshold` is tuned from (docs/performance.md).
let benchmarks: @Sendable () -> Void = {
    let figure = FigureCatalogue.dispatchScaling
    let wide = SharedWorkload { try ScalingWorkload(rows: 8_192, repetitions: 8) }
    Benchmark(figure.benchmarkName, configuration: FigureRecording.configuration(maxIterations: 40)) { benchmark in
        try measure(benchmark, workload: wide.get())
    }
    Benchmark(FigureCatalogue.dispatchEfficiency.benchmarkName, configuration: FigureRecording.configuration(maxIterations: 40)) { benchmark in
        try measureEfficiency(benchmark, workload: wide.get())
    }
    for rows in [64, 128, 256, 512, 1_024, 2_048] {
        let shared = SharedWorkload { try ScalingWorkload(rows: rows, repetitions: max(1, 65_536 / rows)) }
        let name = "Dispatch crossover \(rows * ScalingWorkload.featureCount) values"
        Benchmark(name, configuration: FigureRecording.configuration(maxIterations: 20, maxSeconds: 4)) { benchmark in
            try measure(benchmark, workload: shared.get())
        }
    }
}

private func measure(_ benchmark: Benchmark, workload: ScalingWorkload) throws {
    for _ in benchmark.scaledIterations {
        var parallel = workload.makeWindow(threshold: 0)
        var serial = workload.makeWindow(threshold: .max)
        let round = SideBySide.round(
            iteration: benchmark.currentIteration,
            subject: { workload.ingest(into: &parallel) },
            reference: { workload.ingest(into: &serial) })
        guard parallel.state == serial.state else {
            throw WorkloadError("parallel and serial windows differ")
        }
        let values = Double(workload.valuesPerRound)
        FigureRecording.record(benchmark, figure: values / round.subject, reference: values / round.reference)
    }
}

private func measureEfficiency(_ benchmark: Benchmark, workload: ScalingWorkload) throws {
    let cores = max(2, ProcessInfo.processInfo.activeProcessorCount)
    for _ in benchmark.scaledIterations {
        var parallel = workload.makeWindow(threshold: 0)
        let together = WindowSet(count: cores, workload: workload)
        let round = SideBySide.round(
            iteration: benchmark.currentIteration,
            subject: { workload.ingest(into: &parallel) },
            reference: { DispatchQueue.concurrentPerform(iterations: cores) { together.ingest(at: $0) } })
        var serial = workload.makeWindow(threshold: .max)
        workload.ingest(into: &serial)
        guard parallel.state == serial.state, together.states.allSatisfy({ $0 == serial.state }) else {
            throw WorkloadError("parallel, per-core and serial windows differ")
        }
        let values = Double(workload.valuesPerRound)
        FigureRecording.record(
            benchmark, figure: values / round.subject, reference: values * Double(cores) / round.reference)
    }
}

/// One single-core window per worker, in storage of its own: worker `index` alone touches
/// element `index`, and no Swift array is mutated from two threads.
private final class WindowSet: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<SlidingWindow>
    private let count: Int
    private let workload: ScalingWorkload

    init(count: Int, workload: ScalingWorkload) {
        self.count = count
        self.workload = workload
        storage = .allocate(capacity: count)
        for i in 0 ..< count { (storage + i).initialize(to: workload.makeWindow(threshold: .max)) }
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    /// Ingests the workload into window `index`.
    func ingest(at index: Int) { workload.ingest(into: &storage[index]) }

    var states: [SlidingWindow.State] { (0 ..< count).map { storage[$0].state } }
}

/// `featureCount` numeric features with the default 11 edges, plus a numeric prediction; a batch
/// of `rows` rows ingested `repetitions` times per measurement into a window whose panes never
/// close during the run (so only binning is measured).
struct ScalingWorkload: Sendable {
    static let featureCount = 48

    let schema: ModelSchema
    let batch: ColumnarBatch
    let repetitions: Int

    init(rows: Int, repetitions: Int) throws {
        let model = try SyntheticModel(featureCount: Self.featureCount)
        schema = try model.schema()
        var random = SplitMix64(seed: 3)
        var batch = ColumnarBatch(schema: schema, capacity: rows)
        var row = [Double](repeating: 0, count: schema.features.count)
        for r in 0 ..< rows {
            for (c, column) in schema.features.enumerated() {
                let u = random.nextUnitInterval()
                if column.type == .categorical {
                    row[c] = Double(Int(u * Double(column.binCount)))
                } else if let low = column.edges.first, let high = column.edges.last {
                    row[c] = low + (high - low) * (1.2 * u - 0.1)
                } else {
                    row[c] = u
                }
            }
            batch.append(timestamp: Int64(r), values: row, prediction: random.nextUnitInterval())
        }
        self.batch = batch
        self.repetitions = repetitions
    }

    /// Values binned per measurement (all columns, prediction included).
    var valuesPerRound: Int { batch.rowCount * schema.allColumns.count * repetitions }

    func makeWindow(threshold: Int) -> SlidingWindow {
        var window = SlidingWindow(schema: schema, spec: .count(events: 1 << 40, panes: 10))
        window.parallelThreshold = threshold
        return window
    }

    func ingest(into window: inout SlidingWindow) {
        for _ in 0 ..< repetitions { blackHole(window.ingest(batch)) }
    }
}
