/// One figure of `make bench`: what is measured, against which reference, and its target.
///
/// The benchmarks register one package-benchmark benchmark per figure, named `benchmarkName`,
/// that reports three custom metrics each iteration (`FigureMetric`): the figure, the reference
/// measured side by side in the same process, and their ratio. `PerformanceSummary` reads the
/// exported results back through this catalogue and prints one line per figure.
public struct Figure: Sendable, Equatable {
    /// How a figure is judged.
    public enum Target: Sendable, Equatable {
        /// The ratio figure / reference must be at least this.
        case ratioAtLeast(Double)
        /// The figure itself must be at least this (in `unit`); the ratio is reported only.
        case valueAtLeast(Double)
        /// The figure itself must be at most this (in `unit`); the ratio is reported only.
        case valueAtMost(Double)
        /// No target: figure and ratio are reported.
        case reportOnly

        /// Whether `value` (in the figure's unit) and `ratio` meet the target.
        public func isMet(value: Double, ratio: Double) -> Bool {
            switch self {
            case .ratioAtLeast(let minimum): return ratio >= minimum
            case .valueAtLeast(let minimum): return value >= minimum
            case .valueAtMost(let maximum): return value <= maximum
            case .reportOnly: return true
            }
        }

        /// The target as text, e.g. `ratio >= 0.70`.
        public func text(unit: Unit) -> String {
            switch self {
            case .ratioAtLeast(let minimum): return "ratio >= \(Self.format(minimum))"
            case .valueAtLeast(let minimum): return ">= \(unit.format(minimum))"
            case .valueAtMost(let maximum): return "<= \(unit.format(maximum))"
            case .reportOnly: return "reported"
            }
        }

        private static func format(_ x: Double) -> String {
            let hundredths = Int((x * 100).rounded())
            let fraction = hundredths % 100
            return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
        }
    }

    /// The unit a figure's raw metric value (an integer) is recorded in, and how it prints.
    public enum Unit: String, Sendable, Equatable {
        /// Bytes per second, printed as MB/s (10^6).
        case bytesPerSecond
        /// Values (feature values binned) per second, printed as G values/s.
        case valuesPerSecond
        /// Events per second, printed as k events/s.
        case eventsPerSecond
        /// Bytes, printed as KiB.
        case bytes

        /// `value` (raw unit) as text with its display unit.
        public func format(_ value: Double) -> String {
            switch self {
            case .bytesPerSecond: return "\(Self.decimal(value / 1e6, places: 1)) MB/s"
            case .valuesPerSecond: return "\(Self.decimal(value / 1e9, places: 3)) G values/s"
            case .eventsPerSecond: return "\(Self.decimal(value / 1e3, places: 1)) k events/s"
            case .bytes: return "\(Self.decimal(value / 1024, places: 2)) KiB"
            }
        }

        /// `x` rounded to `places` decimals, without Foundation.
        public static func decimal(_ x: Double, places: Int) -> String {
            var scale = 1.0
            for _ in 0..<places { scale *= 10 }
            let scaled = (abs(x) * scale).rounded()
            guard scaled < 1e15 else { return "\(x)" }
            let whole = Int(scaled) / Int(scale)
            var fraction = String(Int(scaled) % Int(scale))
            while fraction.count < places { fraction = "0" + fraction }
            let sign = x < 0 && scaled > 0 ? "-" : ""
            return places == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
        }
    }

    /// Stable identifier, also the package-benchmark benchmark name.
    public let benchmarkName: String
    /// What the figure measures, for the summary line.
    public let title: String
    /// Unit of the figure and of its reference.
    public let unit: Unit
    /// What the reference is.
    public let reference: String
    /// The target the figure is judged by.
    public let target: Target

    /// Creates a figure description.
    public init(benchmarkName: String, title: String, unit: Unit, reference: String, target: Target) {
        self.benchmarkName = benchmarkName
        self.title = title
        self.unit = unit
        self.reference = reference
        self.target = target
    }
}
