/// Every figure `make bench` reports, in print order (`docs/performance.md` explains each).
public enum FigureCatalogue {
    /// Decoding events into columnar batches against simdjson's raw On-Demand iteration.
    public static func decode(features: Int) -> Figure {
        Figure(
            benchmarkName: "Decode \(features) features",
            title: "decode events -> columnar batches, \(features) features",
            unit: .bytesPerSecond,
            reference: "simdjson raw On-Demand iteration of the same events",
            target: .ratioAtLeast(0.7))
    }

    /// Binning one column against `edges` quantile edges against the plain scalar loop.
    public static func binUpdate(edges: Int) -> Figure {
        Figure(
            benchmarkName: "Bin update \(edges) edges",
            title: "bin updates per core, \(edges) edges",
            unit: .valuesPerSecond,
            reference: "plain scalar loop (binary search per value)",
            target: edges == 16 ? .valueAtLeast(0.5e9) : .reportOnly)
    }

    /// Binning a wide batch with `concurrentPerform` across features against one core: the
    /// mean rate of the same serial ingest run pinned to each core in turn.
    public static let dispatchScaling = Figure(
        benchmarkName: "Dispatch scaling",
        title: "window ingest across features, all cores",
        unit: .valuesPerSecond,
        reference: "the same work on 1 core, mean of one run pinned to each core",
        target: .ratioAtLeast(1.8))

    /// Binning across columns on all cores against what the machine gives on all cores for the
    /// same kernel with nothing shared (one single-core window ingest per core at once, each
    /// pinned to its core and timed by itself, rates summed), timed back to back in one
    /// iteration: the share of the machine's 2-core throughput the parallel path reaches at that
    /// moment.
    public static let dispatchEfficiency = Figure(
        benchmarkName: "Dispatch efficiency",
        title: "window ingest across features, all cores, against the machine's own all-core rate",
        unit: .valuesPerSecond,
        reference: "independent single-core ingests, one pinned to each core, at once, rates summed",
        target: .reportOnly)

    /// The daemon's consume path on the embedded broker against a plain librdkafka consumer.
    public static func endToEnd(features: Int) -> Figure {
        Figure(
            benchmarkName: "End to end \(features) features",
            title: "embedded broker -> decode -> windows -> evaluation, \(features) features",
            unit: .eventsPerSecond,
            reference: "plain librdkafka consumer on the same broker and data",
            target: .ratioAtLeast(0.5))
    }

    /// Window memory per monitored (model, feature) at the default window: heap bytes held with
    /// 1,000 features, against the size computed from the window layout.
    public static let memoryPerFeatureWindow = Figure(
        benchmarkName: "Memory per feature window",
        title: "memory per monitored (model, feature), default window, heap held",
        unit: .bytes,
        reference: "computed: (panes + open + sum) x (bins + 1) x 8 B",
        target: .valueAtMost(16 * 1024))

    /// Everything a monitored (model, feature) holds: window, baseline profile (with its raw
    /// sample for the sample tests), schema, rule and alert state; heap bytes held against computed.
    public static let memoryPerFeatureMonitor = Figure(
        benchmarkName: "Memory per feature monitor",
        title: "memory per monitored (model, feature), whole monitor incl. baseline, heap held",
        unit: .bytes,
        reference: "computed: window + baseline edges, counts and sample x 8 B",
        target: .valueAtMost(16 * 1024))

    /// Input formats of the format decode figures (`docs/events.md`, "Input formats").
    public static let formats = ["cloudevents-binary", "cloudevents-structured", "oip-v2", "kserve-logger", "seldon-v2"]

    /// Reading one input format into columnar batches (unwrap or transcode, join, decode) against
    /// decoding the same events in driftd's own format, in events per second, side by side.
    public static func formatDecode(format: String) -> Figure {
        Figure(
            benchmarkName: "Decode format \(format)",
            title: "decode \(format) messages -> columnar batches, 20 features",
            unit: .eventsPerSecond,
            reference: "the same events in driftd's own format (format driftd)",
            target: .reportOnly)
    }

    /// Feature counts of the decode and end-to-end figures.
    public static let featureCounts = [20, 50]
    /// Edge counts of the bin update figures.
    public static let edgeCounts = [8, 16, 32, 64]

    /// All figures in print order.
    public static var all: [Figure] {
        featureCounts.map(decode(features:)) + formats.map(formatDecode(format:)) + edgeCounts.map(binUpdate(edges:))
            + [dispatchScaling, dispatchEfficiency]
            + featureCounts.map(endToEnd(features:)) + [memoryPerFeatureWindow, memoryPerFeatureMonitor]
    }
}
