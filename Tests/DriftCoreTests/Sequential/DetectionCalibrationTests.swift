import DriftCore
import Foundation
import Testing

/// Stationary streams for calibration: columns drawn from the training distributions through a
/// Gaussian copula, so that serial dependence can be added without changing any marginal:
/// an AR(1) latent normal with coefficient `phi`, and "sticky" repeats (the previous value again
/// with probability `repeats`).
struct CalibrationStream {
    /// What a column holds.
    enum Kind {
        /// N(0, 1).
        case normal
        /// Exp(1), skewed.
        case exponential
        /// Integer counts with many ties: Poisson(30).
        case counts
        /// Categories a, b, c, d at 40/30/20/10 % (bin indexes of `categories`), missing 10 % of the time.
        case categorical
    }

    static let categories = ["a", "b", "c", "d"]

    var random: SplitMix64
    let kind: Kind
    let phi: Double
    let repeats: Double
    private var latent = 0.0
    private var last: Double?

    init(_ kind: Kind, seed: UInt64, phi: Double = 0, repeats: Double = 0) {
        self.random = SplitMix64(seed: seed)
        self.kind = kind
        self.phi = phi
        self.repeats = repeats
    }

    /// The next value: a number, or a category's bin index under `schemaIndex`; NaN is missing.
    mutating func next(schemaIndex: [String: Int] = [:]) -> Double {
        if let last, repeats > 0, random.nextUnitInterval() < repeats { return last }
        latent = phi * latent + (1 - phi * phi).squareRoot() * random.nextStandardNormal()
        let u = SpecialFunctions.normalCDF(latent)
        let value: Double
        switch kind {
        case .normal: value = latent
        case .exponential: value = -log1p(-u)
        case .counts:
            // Poisson(30) by inversion of u.
            var k = 0.0
            var p = exp(-30.0)
            var cumulative = p
            while cumulative < u && k < 150 {
                k += 1
                p *= 30 / k
                cumulative += p
            }
            value = k
        case .categorical:
            if u < 0.1 {
                value = .nan
            } else {
                let v = (u - 0.1) / 0.9
                let name = v < 0.4 ? "a" : v < 0.7 ? "b" : v < 0.9 ? "c" : "d"
                value = Double(schemaIndex[name] ?? 0)
            }
        }
        last = value
        return value
    }

    /// A baseline column of `rows` independent values.
    static func column(_ kind: Kind, name: String, rows: Int, seed: UInt64) -> DataColumn {
        var s = CalibrationStream(kind, seed: seed)
        var values: [DataValue] = []
        let index = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        for _ in 0..<rows {
            let v = s.next(schemaIndex: index)
            switch kind {
            case .categorical: values.append(v.isNaN ? .missing : .string(categories[Int(v)]))
            default: values.append(.number(v))
            }
        }
        return DataColumn(name: name, values: values)
    }
}

/// The false-alarm rate the budget promises, measured at budgets small enough to count alarms.
///
/// Tolerance: alarms of a detector with in-control run length γ over `n` events are close to
/// Poisson(n/γ) (a renewal process with near-geometric gaps, γ ≫ 1). A test passes when the
/// count is at most the one-sided 99.98 % Poisson bound, `n/γ + 3.5 √(n/γ) + 1`: a detector at
/// its configured rate fails it with probability 2·10⁻⁴. Per-lane tests also require at least a
/// quarter of the configured count, so the calibration is checked from both sides (the lanes
/// are conservative by their baseline-error margin, `DetectionLane.tilt`, and the overshoot
/// bound, but not by orders of magnitude).
@Suite("Sequential detectors: calibration at small budgets")
struct DetectionCalibrationTests {
    static func baseline() throws -> Baseline {
        try BaselineBuilder().build(
            model: "m", version: "1",
            columns: [
                CalibrationStream.column(.normal, name: "x", rows: 50_000, seed: 1),
                CalibrationStream.column(.exponential, name: "y", rows: 50_000, seed: 2),
                CalibrationStream.column(.counts, name: "n", rows: 50_000, seed: 3),
                CalibrationStream.column(.categorical, name: "c", rows: 50_000, seed: 4)
            ])
    }

    static let kinds: [CalibrationStream.Kind] = [.normal, .exponential, .counts, .categorical]

    static func poissonBound(_ mean: Double) -> Double { mean + 3.5 * mean.squareRoot() + 1 }

    /// Alarms of `detector` over `n` values of `stream`. The alert series restarts after each
    /// dependence batch (100 values), as if every alert resolved at once: the dependence estimate
    /// skips batches that begin while the alert fires.
    static func alarms(
        _ detector: inout ColumnDetector, _ stream: inout CalibrationStream, n: Int, index: [String: Int]
    ) -> Int {
        var count = 0
        var values = [Double](repeating: 0, count: ColumnDetector.batchSize)
        let times = [Int64](repeating: 0, count: values.count)
        var done = 0
        while done < n {
            for i in values.indices { values[i] = stream.next(schemaIndex: index) }
            var series = AlertStateMachine()
            count +=
                detector.scan(
                    values[...], timestamps: times[...], alerts: &series, rule: AlertRule(cooldown: .zero)
                )
                .count
            done += values.count
        }
        return count
    }

    @Test("each lane alone on independent data: alarms at or below the run length, within a factor 4")
    func lanes() throws {
        let baseline = try Self.baseline()
        let schema = try ModelSchema(baseline: baseline)
        let gamma = 500.0
        let n = 60_000
        var checked = 0
        for (c, profile) in baseline.features.enumerated() {
            let all = try #require(ColumnDetector(profile: profile, runLength: gamma))
            for lane in all.lanes where !lane.declustered {
                var detector = try #require(
                    ColumnDetector(
                        profile: profile, runLength: gamma, estimatesDependence: false,
                        lanes: { $0.name == lane.name && $0.parameter == lane.parameter }))
                var stream = CalibrationStream(Self.kinds[c], seed: 100 + UInt64(checked))
                let count = Self.alarms(&detector, &stream, n: n, index: schema.features[c].categoryIndex)
                let expected = Double(n) / gamma
                #expect(
                    Double(count) <= Self.poissonBound(expected),
                    "\(profile.name) \(lane.name) \(lane.parameter): \(count) alarms, configured \(expected)")
                #expect(
                    Double(count) >= expected / 4,
                    "\(profile.name) \(lane.name) \(lane.parameter): \(count) alarms, configured \(expected)")
                checked += 1
            }
        }
        #expect(checked >= 30)
    }

    @Test(
        "whole columns with the dependence estimate: independent, AR(1) 0.3 / 0.5 / 0.7, repeated values",
        arguments: [(0.0, 0.0), (0.3, 0.0), (0.5, 0.0), (0.7, 0.0), (0.0, 0.3)])
    func dependent(phi: Double, repeats: Double) throws {
        let baseline = try Self.baseline()
        let schema = try ModelSchema(baseline: baseline)
        let gamma = 1_000.0
        let n = 120_000
        for c in [0, 2, 3] {
            let profile = baseline.features[c]
            var detector = try #require(ColumnDetector(profile: profile, runLength: gamma))
            var stream = CalibrationStream(Self.kinds[c], seed: 7 + UInt64(c), phi: phi, repeats: repeats)
            let count = Self.alarms(&detector, &stream, n: n, index: schema.features[c].categoryIndex)
            // Union bound over the lanes.
            let configured = Double(n) / gamma * Double(detector.lanes.count)
            #expect(
                Double(count) <= Self.poissonBound(configured),
                "\(profile.name) phi \(phi) repeats \(repeats): \(count) alarms, configured at most \(configured)")
            // The estimate sees the dependence: the mean (or category) lanes' design effect in use.
            let first = try #require(detector.lanes.indices.first { !detector.lanes[$0].declustered })
            let d = detector.dependenceInUse[first]
            if phi >= 0.5 { #expect(d > 1.5, "\(profile.name) phi \(phi): design effect \(d)") }
            if phi == 0 && repeats == 0 { #expect(d < 1.3, "\(profile.name) independent: design effect \(d)") }
        }
    }

    @Test("rare lanes: runs of unseen categories count once, so clustered rare values keep the rate")
    func declustering() throws {
        // 0.05 % of training values in categories seen only in the "other" bin.
        let profile = FeatureProfile(
            name: "c", type: .categorical, categories: ["a", "b"], counts: [59_970, 39_980, 50], missingCount: 0)
        var detector = try #require(ColumnDetector(profile: profile, runLength: 1e5, lanes: { $0.kind == .unseen }))
        let lane = detector.lanes[0]
        #expect(lane.declustered)
        // Values: "other" (bin 2) at the baseline's rate, and each repeated with probability 0.6.
        var random = SplitMix64(seed: 5)
        let p0 = lane.baselineShare
        let n = 1_000_000
        var values = [Double](repeating: 0, count: n)
        var longRuns = 0
        var run = 0
        for i in 0..<n {
            if i > 0, values[i - 1] == 2, random.nextUnitInterval() < 0.6 {
                values[i] = 2
            } else {
                values[i] = random.nextUnitInterval() < p0 * 0.4 ? 2 : (random.nextUnitInterval() < 0.6 ? 0 : 1)
            }
            run = values[i] == 2 ? run + 1 : 0
            if run == 3 { longRuns += 1 }
        }
        var series = AlertStateMachine()
        let times = [Int64](repeating: 0, count: n)
        let count = detector.scan(
            values[...], timestamps: times[...], alerts: &series, rule: AlertRule(cooldown: .zero)
        ).count
        // Each run of three would cross the threshold if every value counted: 3 x ln(0.05 / p0) > h.
        #expect(3 * lane.increments[3] > detector.thresholds[0])
        #expect(longRuns >= 15)
        #expect(Double(count) <= Self.poissonBound(Double(n) / 1e5), "\(count) alarms, \(longRuns) runs of 3")
    }

    @Test(
        "the model's budget: false alerts per period at or below the configured number",
        arguments: [(0.0, 0.0), (0.5, 0.0), (0.0, 0.3)])
    func monitor(phi: Double, repeats: Double) throws {
        let baseline = try Self.baseline()
        // One false alert per 10 s at 1 event/ms: 10,000 events per allowed false alert.
        let budget = FalseAlertBudget(alerts: 1, period: .seconds(10))
        var monitor = try ModelMonitor(
            baseline: baseline, window: .count(events: 5_000, panes: 5),
            rule: { _ in AlertRule(cooldown: .zero) },
            retrain: RetrainRule(), budget: budget)
        var streams = Self.kinds.enumerated().map {
            CalibrationStream($1, seed: 300 + UInt64($0), phi: phi, repeats: repeats)
        }
        let n = 200_000
        var fired = 0
        var t: Int64 = 0
        while t < Int64(n) {
            var batch = ColumnarBatch(schema: monitor.schema, capacity: 1_000)
            for _ in 0..<1_000 {
                let row = streams.indices.map {
                    streams[$0].next(schemaIndex: monitor.schema.features[$0].categoryIndex)
                }
                batch.append(timestamp: t, values: row, prediction: .nan)
                t += 1
            }
            for case .alert(let alert) in monitor.ingest(batch) where alert.status == .firing { fired += 1 }
        }
        let allowed = Double(n) / 10_000
        #expect(
            Double(fired) <= Self.poissonBound(allowed),
            "phi \(phi) repeats \(repeats): \(fired) false alerts, budget \(allowed)")
        // The rate the budget was spread at is the one observed.
        #expect(abs(monitor.eventRate.perMillisecond - 1) < 0.01)
    }
}
