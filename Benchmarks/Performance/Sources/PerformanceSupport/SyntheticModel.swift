import DriftCore
import Foundation

/// A model with `featureCount` features for the benchmarks: its baseline, built by
/// `BaselineBuilder` from generated training rows (default options: 10 quantile bins per
/// numeric feature, so 11 edges and 12 bins), and inference events drawn from the same
/// distributions, as JSON the daemon accepts (`docs/events.md`).
///
/// Every fifth feature is categorical (5 categories); the others are numeric with varied
/// shapes. The prediction is numeric. Events with 20 features are about 480 bytes, with 50
/// about 1.1 KB, the sizes the daemon is designed for.
public struct SyntheticModel: Sendable {
    /// Model id in events and baseline.
    public let model: String
    /// Model version in events and baseline.
    public let version: String
    /// Feature names in schema order.
    public let featureNames: [String]
    /// The baseline built from training rows.
    public let baseline: Baseline

    private static let categories = ["basic", "pro", "enterprise", "trial", "partner"]

    /// Builds the baseline from `trainingRows` generated rows.
    ///
    /// - Parameters:
    ///   - featureCount: number of features (at least 1).
    ///   - trainingRows: rows the baseline is built from.
    ///   - seed: seed of the generated rows.
    /// - Throws: `BaselineBuildError` if the builder refuses the generated columns (a bug here).
    public init(featureCount: Int, trainingRows: Int = 5_000, seed: UInt64 = 7) throws(BaselineBuildError) {
        self.model = "bench-\(featureCount)"
        self.version = "1"
        let names = (0..<max(1, featureCount)).map { Self.name(ofFeature: $0) }
        self.featureNames = names
        var random = SplitMix64(seed: seed)
        var columns = names.map { DataColumn(name: $0, values: []) }
        var prediction = DataColumn(name: "prediction", values: [])
        for _ in 0..<trainingRows {
            for f in names.indices {
                if Self.isCategorical(f) {
                    columns[f].values.append(.string(Self.category(&random)))
                } else {
                    columns[f].values.append(.number(Self.numeric(feature: f, &random)))
                }
            }
            prediction.values.append(.number(random.nextUnitInterval()))
        }
        self.baseline = try BaselineBuilder().build(
            model: model, version: version, columns: columns + [prediction], predictionColumn: "prediction")
    }

    /// The schema of the baseline.
    public func schema() throws(BaselineError) -> ModelSchema { try ModelSchema(baseline: baseline) }

    /// `count` inference events as JSON bytes, stamped one millisecond apart from `startMillis`.
    public func events(count: Int, startMillis: Int64, seed: UInt64 = 11) -> EventCorpus {
        var random = SplitMix64(seed: seed)
        var corpus = EventCorpus()
        var text = ""
        for i in 0..<max(0, count) {
            text.removeAll(keepingCapacity: true)
            text +=
                "{\"model\":\"\(model)\",\"version\":\"\(version)\",\"id\":\"req-\(i)\",\"timestamp\":\(startMillis + Int64(i)),\"features\":{"
            for (f, name) in featureNames.enumerated() {
                if f > 0 { text += "," }
                text += "\"\(name)\":"
                if Self.isCategorical(f) {
                    text += "\"\(Self.category(&random))\""
                } else {
                    text += Self.format(Self.numeric(feature: f, &random))
                }
            }
            text +=
                "},\"prediction\":\(Self.format(random.nextUnitInterval())),\"latency_ms\":\(Self.format(2 + 8 * random.nextUnitInterval()))}"
            corpus.append(Array(text.utf8))
        }
        return corpus
    }

    // MARK: - Distributions

    /// Feature names such as `feature_07`.
    public static func name(ofFeature f: Int) -> String { f < 10 ? "feature_0\(f)" : "feature_\(f)" }

    /// Whether feature `f` is categorical.
    public static func isCategorical(_ f: Int) -> Bool { f % 5 == 4 }

    private static func category(_ random: inout SplitMix64) -> String {
        let u = random.nextUnitInterval()
        let index = u < 0.4 ? 0 : u < 0.7 ? 1 : u < 0.85 ? 2 : u < 0.95 ? 3 : 4
        return categories[index]
    }

    private static func numeric(feature f: Int, _ random: inout SplitMix64) -> Double {
        let u = random.nextUnitInterval()
        switch f % 4 {
        case 0: return 100 * u  // uniform
        case 1: return -30 * Foundation.log(max(1 - u, 1e-300))  // exponential, skewed
        case 2: return 50 + 10 * (u + random.nextUnitInterval() + random.nextUnitInterval() - 1.5) * 2  // bell-shaped
        default: return (u * 1000).rounded()  // integer-valued
        }
    }

    /// Four decimals, as a producer would write them.
    private static func format(_ x: Double) -> String {
        let scaled = (x * 10_000).rounded()
        guard abs(scaled) < 1e15 else { return "\(x)" }
        let whole = Int64(scaled) / 10_000
        let fraction = abs(Int64(scaled) % 10_000)
        let sign = scaled < 0 && whole == 0 ? "-" : ""
        var digits = String(fraction)
        while digits.count < 4 { digits = "0" + digits }
        return "\(sign)\(whole).\(digits)"
    }
}
