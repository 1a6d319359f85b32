import Benchmark
import PerformanceFigures

/// How figure benchmarks report to package-benchmark: three custom metrics per iteration
/// (figure, reference, ratio x1000), read back by `PerformanceSummary` from the JMH export.
public enum FigureRecording {
    /// The custom metrics of a figure whose larger values are better (rates).
    public static let rateMetrics: [BenchmarkMetric] = metrics(polarity: .prefersLarger)
    /// The custom metrics of a figure whose smaller values are better (memory).
    public static let sizeMetrics: [BenchmarkMetric] = metrics(polarity: .prefersSmaller)

    private static func metrics(polarity: BenchmarkMetric.Polarity) -> [BenchmarkMetric] {
        [
            .custom(FigureMetricName.figure, polarity: polarity, useScalingFactor: false),
            .custom(FigureMetricName.reference, polarity: polarity, useScalingFactor: false),
            .custom(FigureMetricName.ratio, polarity: polarity, useScalingFactor: false)
        ]
    }

    /// A configuration for a figure benchmark: throughput (the JMH export needs it) plus the
    /// figure metrics, one unit of work per iteration.
    ///
    /// package-benchmark records throughput as whole iterations per second, so an iteration of a
    /// second or more records none and its benchmark is left out of the JMH export. Such
    /// benchmarks call `startMeasurement()` just before `record`, so package-benchmark's own
    /// clock covers only the recording; their figures are the custom metrics.
    public static func configuration(
        smallerIsBetter: Bool = false, warmupIterations: Int = 2, maxIterations: Int = 25,
        maxSeconds: Int64 = 8
    ) -> Benchmark.Configuration {
        Benchmark.Configuration(
            metrics: [.throughput] + (smallerIsBetter ? sizeMetrics : rateMetrics),
            warmupIterations: warmupIterations,
            scalingFactor: .one,
            maxDuration: .seconds(maxSeconds),
            maxIterations: maxIterations)
    }

    /// Records one iteration: `figure` and `reference` in the figure's raw unit.
    public static func record(_ benchmark: Benchmark, figure: Double, reference: Double, smallerIsBetter: Bool = false)
    {
        let metrics = smallerIsBetter ? sizeMetrics : rateMetrics
        let ratio = reference > 0 ? figure / reference : 0
        benchmark.measurement(metrics[0], Int(figure.rounded()))
        benchmark.measurement(metrics[1], Int(reference.rounded()))
        benchmark.measurement(metrics[2], Int((ratio * FigureMetricName.ratioScale).rounded()))
    }
}
