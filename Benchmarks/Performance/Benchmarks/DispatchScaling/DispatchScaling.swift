import Benchmark
import Dispatch
import DriftCore
import PerformanceFigures
import PerformanceSupport

/// Window ingestion of wide batches with `DispatchQueue.concurrentPerform` across features
/// (`SlidingWindow.parallelThreshold = 0`) against the same work on one core (threshold `.max`),
/// in feature-values per second. The counters are checked equal every iteration.
///
/// "1 core" is the mean single-core rate of the cores the parallel ingest runs on: in each
/// iteration the serial ingest runs once pinned to each core (`CoreAffinity`). This host's vCPUs
/// differ in SIMD speed from moment to moment, each on its own, so a serial run on whichever
/// core the benchmark thread is on compared 2 cores with a random one of them
/// (docs/performance.md, "Dispatch").
///
/// "Dispatch efficiency" compares, in the same iteration, binning across columns on all cores
/// with what the machine gives on all cores for the same kernel with nothing shared: one whole
/// single-core ingest per core at once, each pinned to its core and timed by itself, their rates
/// summed (one `concurrentPerform` per measurement, not one per batch).
///
/// The "Dispatch crossover" benchmarks repeat the comparison for smaller batches; they are
/// the measurements `SlidingWindow.parallelThreshold` is tuned from (docs/performance.md).
let benchmarks: @Sendable () -> Void = {
    let figure = FigureCatalogue.dispatchScaling
    let cores = CoreAffinity.allowedCores()
    let wide = SharedWorkload { try ScalingWorkload(rows: 8_192, repetitions: 8) }
    Benchmark(figure.benchmarkName, configuration: FigureRecording.configuration(maxIterations: 40)) { benchmark in
        try measure(benchmark, workload: wide.get(), cores: cores)
    }
    Benchmark(
        FigureCatalogue.dispatchEfficiency.benchmarkName,
        configuration: FigureRecording.configuration(maxIterations: 40)
    ) { benchmark in
        try measureEfficiency(benchmark, workload: wide.get(), cores: cores)
    }
    for rows in [64, 128, 256, 512, 1_024, 2_048] {
        let shared = SharedWorkload { try ScalingWorkload(rows: rows, repetitions: max(1, 65_536 / rows)) }
        let name = "Dispatch crossover \(rows * ScalingWorkload.featureCount) values"
        Benchmark(name, configuration: FigureRecording.configuration(maxIterations: 20, maxSeconds: 4)) { benchmark in
            try measure(benchmark, workload: shared.get(), cores: cores)
        }
    }
}

private func measure(_ benchmark: Benchmark, workload: ScalingWorkload, cores: [Int]) throws {
    for _ in benchmark.scaledIterations {
        var parallel = workload.makeWindow(threshold: 0)
        var serial = cores.map { _ in workload.makeWindow(threshold: .max) }
        var perCore = [Double](repeating: 0, count: cores.count)
        let round = SideBySide.round(
            iteration: benchmark.currentIteration,
            subject: { workload.ingest(into: &parallel) },
            reference: {
                for i in cores.indices {
                    perCore[i] = CoreAffinity.onCore(cores[i]) {
                        SideBySide.seconds { workload.ingest(into: &serial[i]) }
                    }
                }
            })
        guard serial.allSatisfy({ $0.state == parallel.state }) else {
            throw WorkloadError("parallel and serial windows differ")
        }
        let values = Double(workload.valuesPerRound)
        let oneCore = perCore.reduce(0) { $0 + values / $1 } / Double(cores.count)
        FigureRecording.record(benchmark, figure: values / round.subject, reference: oneCore)
    }
}

private func measureEfficiency(_ benchmark: Benchmark, workload: ScalingWorkload, cores: [Int]) throws {
    for _ in benchmark.scaledIterations {
        var parallel = workload.makeWindow(threshold: 0)
        let together = WindowSet(cores: cores, workload: workload)
        let round = SideBySide.round(
            iteration: benchmark.currentIteration,
            subject: { workload.ingest(into: &parallel) },
            reference: { DispatchQueue.concurrentPerform(iterations: cores.count) { together.ingest(at: $0) } })
        var serial = workload.makeWindow(threshold: .max)
        workload.ingest(into: &serial)
        guard parallel.state == serial.state, together.states.allSatisfy({ $0 == serial.state }) else {
            throw WorkloadError("parallel, per-core and serial windows differ")
        }
        let values = Double(workload.valuesPerRound)
        let allCores = together.seconds.reduce(0) { $0 + values / $1 }
        FigureRecording.record(benchmark, figure: values / round.subject, reference: allCores)
    }
}

/// One single-core window per core, in storage of its own: worker `index` alone touches
/// element `index` (its window and its time), and no Swift array is mutated from two threads.
private final class WindowSet: @unchecked Sendable {
    private let windows: UnsafeMutablePointer<SlidingWindow>
    private let times: UnsafeMutablePointer<Double>
    private let cores: [Int]
    private let workload: ScalingWorkload

    init(cores: [Int], workload: ScalingWorkload) {
        self.cores = cores
        self.workload = workload
        windows = .allocate(capacity: cores.count)
        times = .allocate(capacity: cores.count)
        for i in cores.indices {
            (windows + i).initialize(to: workload.makeWindow(threshold: .max))
            (times + i).initialize(to: 0)
        }
    }

    deinit {
        windows.deinitialize(count: cores.count)
        windows.deallocate()
        times.deallocate()
    }

    /// Ingests the workload into window `index` on core `cores[index]`, timing it.
    func ingest(at index: Int) {
        times[index] = CoreAffinity.onCore(cores[index]) {
            SideBySide.seconds { workload.ingest(into: &windows[index]) }
        }
    }

    var states: [SlidingWindow.State] { cores.indices.map { windows[$0].state } }

    /// Seconds each core's ingest took.
    var seconds: [Double] { cores.indices.map { times[$0] } }
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
        for r in 0..<rows {
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
        for _ in 0..<repetitions { blackHole(window.ingest(batch)) }
    }
}
