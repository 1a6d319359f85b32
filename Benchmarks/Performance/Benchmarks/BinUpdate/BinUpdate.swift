import Benchmark
import DriftCore
import PerformanceFigures
import PerformanceSupport

/// Binning one column of values on one core: `BinCounter` (SIMD compare-all-edges with
/// sub-histograms) against the plain scalar loop (`BinSearch.bin` per value, one counter array),
/// at 8, 16, 32 and 64 edges, in feature-values per second. Both count the same values and the
/// counts are checked equal every iteration.
let benchmarks: @Sendable () -> Void = {
    for edges in FigureCatalogue.edgeCounts {
        let figure = FigureCatalogue.binUpdate(edges: edges)
        let shared = SharedWorkload { try BinWorkload(edgeCount: edges) }
        Benchmark(figure.benchmarkName, configuration: FigureRecording.configuration(maxIterations: 40)) { benchmark in
            let workload = try shared.get()
            for _ in benchmark.scaledIterations {
                var simd: [Double] = []
                var scalar: [Double] = []
                let round = SideBySide.round(
                    iteration: benchmark.currentIteration,
                    subject: { simd = workload.countWithBinCounter() },
                    reference: { scalar = workload.countWithScalarLoop() })
                guard simd == scalar else {
                    throw WorkloadError("BinCounter and the scalar loop disagree at \(edges) edges")
                }
                let values = Double(workload.values.count * BinWorkload.repetitions)
                FigureRecording.record(benchmark, figure: values / round.subject, reference: values / round.reference)
            }
        }
    }
}

/// One column of 64 Ki values spread over (and beyond) `edgeCount` edges, 1% missing, counted
/// `repetitions` times per measurement (a column the size of a large Kafka batch stays in cache,
/// as it does in the daemon right after decoding).
struct BinWorkload: Sendable {
    static let valueCount = 65_536
    static let repetitions = 16

    let column: ModelSchema.Column
    let counter: BinCounter
    let values: [Double]

    init(edgeCount: Int) throws {
        let edges = (0..<edgeCount).map { Double($0) * 10 / Double(edgeCount) }
        let profile = FeatureProfile(
            name: "x", type: .numeric, edges: edges, counts: [Double](repeating: 1, count: edgeCount + 1))
        let schema = try ModelSchema(
            baseline: Baseline(id: "bench", model: "bench", version: "1", rowCount: 1, features: [profile]))
        column = schema.features[0]
        counter = BinCounter(column: column)
        var random = SplitMix64(seed: UInt64(edgeCount))
        values = (0..<Self.valueCount).map { _ in
            let u = random.nextUnitInterval()
            return u < 0.01 ? .nan : -1 + 12 * random.nextUnitInterval()
        }
    }

    /// Counts with `BinCounter`; returns bins then the missing count.
    func countWithBinCounter() -> [Double] {
        var slots = [Double](repeating: 0, count: column.binCount + 1)
        values.withUnsafeBufferPointer { v in
            slots.withUnsafeMutableBufferPointer { s in
                for _ in 0..<Self.repetitions { counter.accumulate(v, into: s, base: 0) }
            }
        }
        return slots
    }

    /// Counts with a binary search per value into one `Double` counter array.
    func countWithScalarLoop() -> [Double] {
        var slots = [Double](repeating: 0, count: column.binCount + 1)
        let edges = column.edges
        let missing = column.binCount
        for _ in 0..<Self.repetitions {
            for v in values {
                if v.isNaN {
                    slots[missing] += 1
                } else {
                    slots[BinSearch.bin(of: v, edges: edges)] += 1
                }
            }
        }
        return slots
    }
}
