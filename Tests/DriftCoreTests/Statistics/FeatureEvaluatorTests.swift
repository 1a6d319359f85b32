import DriftCore
import Foundation
import Testing

@Suite("FeatureEvaluator decisions")
struct FeatureEvaluatorTests {
    /// A numeric profile from 100,000 N(0,1) training values on 20 quantile bins.
    static func numericProfile(seed: UInt64 = 42, missing: Double = 0) -> (FeatureProfile, [Double]) {
        var rng = SeededNormalGenerator(seed: seed)
        let training = rng.normals(100_000)
        let edges = TestBinning.quantileEdges(training, innerBins: 20)
        let mean = training.reduce(0, +) / Double(training.count)
        let variance = training.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(training.count)
        let profile = FeatureProfile(
            name: "amount", type: .numeric, edges: edges, counts: TestBinning.histogram(training, edges: edges),
            missingCount: missing,
            summary: NumericSummary(min: edges[0], max: edges[edges.count - 1], mean: mean, std: variance.squareRoot()))
        return (profile, edges)
    }

    @Test func stationaryWindowsNeverAlarmAndQuarterSdShiftAlwaysDoes() {
        let (profile, edges) = Self.numericProfile()
        var rng = SeededNormalGenerator(seed: 7)
        let rule = AlertRule()
        var worstNull = 0.0
        for _ in 0..<150 {
            let window = TestBinning.histogram(rng.normals(10_000), edges: edges)
            let e = FeatureEvaluator.evaluate(profile: profile, counts: window, missing: 0, rule: rule)
            #expect(e.status == .ok, "false alarm: \(e.reason)")
            worstNull = max(worstNull, e.score)
        }
        // Margin: the worst of 150 stationary windows is far below the threshold.
        #expect(worstNull < 0.6 * DriftMethod.jensenShannon.defaultThreshold, "worst stationary JS \(worstNull)")
        for _ in 0..<40 {
            let window = TestBinning.histogram(rng.normals(10_000, mean: 0.25), edges: edges)
            let e = FeatureEvaluator.evaluate(profile: profile, counts: window, missing: 0, rule: rule)
            #expect(e.status == .drifted, "missed 0.25 sd shift: \(e.reason)")
            #expect(e.method == "jensen_shannon")
            #expect(e.reason.contains("jensen_shannon"))
        }
    }

    @Test(arguments: DriftMethod.allCases.filter { $0 != .zTest })
    func everyDefaultThresholdSeparatesNullFromQuarterSdShift(method: DriftMethod) {
        let (profile, edges) = Self.numericProfile(seed: 5)
        var rng = SeededNormalGenerator(seed: 77)
        let rule = AlertRule(method: method)
        for _ in 0..<20 {
            let null = FeatureEvaluator.evaluate(
                profile: profile, counts: TestBinning.histogram(rng.normals(10_000), edges: edges), missing: 0,
                rule: rule)
            #expect(null.status == .ok, "\(method) false alarm: \(null.reason)")
            let shifted = FeatureEvaluator.evaluate(
                profile: profile, counts: TestBinning.histogram(rng.normals(10_000, mean: 0.25), edges: edges),
                missing: 0,
                rule: rule)
            #expect(shifted.status == .drifted, "\(method) missed shift: \(shifted.reason)")
        }
    }

    @Test func smallWindowsAreInsufficientNeverDrifted() {
        let (profile, edges) = Self.numericProfile()
        var rng = SeededNormalGenerator(seed: 3)
        let window = TestBinning.histogram(rng.normals(200, mean: 3), edges: edges)
        let e = FeatureEvaluator.evaluate(
            profile: profile, counts: window, missing: 0, rule: AlertRule(minSamples: 500))
        #expect(e.status == .insufficientData)
        #expect(!e.drifted)
        #expect(e.reason.contains("fewer than the 500"))
    }

    @Test func featureArrivingMissingIsDrift() {
        let (profile, edges) = Self.numericProfile(missing: 1_000)
        var rng = SeededNormalGenerator(seed: 4)
        let window = TestBinning.histogram(rng.normals(7_000), edges: edges)
        let e = FeatureEvaluator.evaluate(profile: profile, counts: window, missing: 3_000, rule: AlertRule())
        #expect(e.status == .drifted)
        #expect(e.reason.contains("missing share rose"))
        #expect(abs(e.missingShare - 0.3) < 1e-12)
        #expect(e.missingPValue < 1e-10)
        // Entirely missing: still a verdict, not NaN.
        let all = FeatureEvaluator.evaluate(
            profile: profile, counts: Array(repeating: 0, count: profile.binCount), missing: 10_000, rule: AlertRule())
        #expect(all.status == .drifted)
        #expect(all.score == 0)
    }

    /// A window of `events` events, each missing with probability `share`, the rest N(0, 1).
    static func windowWithMissing(_ events: Int, share: Double, rng: inout SeededNormalGenerator, edges: [Double]) -> (
        [Double], Double
    ) {
        var missing = 0.0
        var values: [Double] = []
        for _ in 0..<events {
            if rng.uniform() < share { missing += 1 } else { values.append(rng.normal()) }
        }
        return (TestBinning.histogram(values, edges: edges), missing)
    }

    @Test func missingShareThatMovedEitherWayIsDrift() {
        var rng = SeededNormalGenerator(seed: 31)
        // 0 % in training, 8 % now: below the old 0.1 rise, still a pipeline that lost a field.
        let (clean, edges) = Self.numericProfile(missing: 0)
        let (risen, risenMissing) = Self.windowWithMissing(10_000, share: 0.08, rng: &rng, edges: edges)
        let rise = FeatureEvaluator.evaluate(profile: clean, counts: risen, missing: risenMissing, rule: AlertRule())
        #expect(rise.status == .drifted, "\(rise.reason)")
        #expect(rise.reason.contains("missing share rose from 0.0% to "), "\(rise.reason)")
        #expect(rise.missingPValue < 1e-10)
        // 20 % in training (25,000 of 125,000), 5 % now: a fall is a change of what the model sees too.
        let (patchy, _) = Self.numericProfile(missing: 25_000)
        let (fallen, fallenMissing) = Self.windowWithMissing(10_000, share: 0.05, rng: &rng, edges: edges)
        let fall = FeatureEvaluator.evaluate(profile: patchy, counts: fallen, missing: fallenMissing, rule: AlertRule())
        #expect(fall.status == .drifted, "\(fall.reason)")
        #expect(fall.reason.contains("missing share fell from 20.0% to "), "\(fall.reason)")
        // Significance is still required: 5 % in training, 10 of 100 events now moved by 5 points
        // but is within noise (z ≈ 2.3, p ≈ 0.02 > alpha 0.01).
        let (fivePercent, _) = Self.numericProfile(missing: 5_263)
        let small = FeatureEvaluator.evaluate(
            profile: fivePercent, counts: TestBinning.histogram(rng.normals(90), edges: edges), missing: 10,
            rule: AlertRule(minSamples: 100))
        #expect(small.missingShare - small.baselineMissingShare >= FeatureEvaluator.missingShareChange)
        #expect(small.missingPValue > 0.01 && small.missingPValue < 0.05, "p \(small.missingPValue)")
        #expect(!small.drifted, "\(small.reason)")
    }

    @Test func stationaryMissingShareIsNeverFlagged() {
        // Training: 5,263 missing of 105,263 events (5.0 %); windows of 10,000 events with the same 5 %
        // missing: the share wanders by its binomial noise (sd 0.22 points), never by 5 points.
        let (profile, edges) = Self.numericProfile(seed: 9, missing: 5_263)
        var rng = SeededNormalGenerator(seed: 19)
        var widest = 0.0
        for _ in 0..<200 {
            let (counts, missing) = Self.windowWithMissing(10_000, share: 0.05, rng: &rng, edges: edges)
            let e = FeatureEvaluator.evaluate(profile: profile, counts: counts, missing: missing, rule: AlertRule())
            #expect(e.status == .ok, "false alarm: \(e.reason)")
            #expect(!e.reason.contains("missing share"))
            widest = max(widest, abs(e.missingShare - e.baselineMissingShare))
        }
        // The noise did move the share (the test is not vacuous), by far less than the threshold.
        #expect(widest > 0.002 && widest < 0.5 * FeatureEvaluator.missingShareChange, "widest move \(widest)")
    }

    @Test func automaticMethodDependsOnSampleSizeBelowTheNoiseLimit() {
        // 20 occupied bins, 100,000 baseline values: limit 50 (20 - 1) = 950 effective values.
        let (profile, edges) = Self.numericProfile(seed: 12)
        #expect(FeatureEvaluator.smallSampleLimit(for: profile) == 950)
        // daemon default window
        #expect(FeatureEvaluator.automaticMethod(for: profile, sampleSize: 10_000) == .jensenShannon)
        #expect(FeatureEvaluator.automaticMethod(for: profile, sampleSize: 1_000) == .jensenShannon)  // n_eff 990
        #expect(FeatureEvaluator.automaticMethod(for: profile, sampleSize: 900) == .ks)  // n_eff 892
        var rng = SeededNormalGenerator(seed: 13)
        // At the daemon's default window nothing changes.
        let big = FeatureEvaluator.evaluate(
            profile: profile, counts: TestBinning.histogram(rng.normals(10_000), edges: edges), missing: 0,
            rule: AlertRule())
        #expect(big.method == "jensen_shannon")
        #expect(!big.reason.contains("ks chosen"))
        // 600 values: the JS noise alone (≈ sqrt(19 / (8 · 596)) = 0.063) is above its 0.05 threshold.
        var nullJS = 0.0
        for _ in 0..<20 {
            let window = TestBinning.histogram(rng.normals(600), edges: edges)
            nullJS +=
                HistogramDistance.jensenShannonDistance(try! HistogramPair(baseline: profile.counts, window: window))
                / 20
            let e = FeatureEvaluator.evaluate(profile: profile, counts: window, missing: 0, rule: AlertRule())
            #expect(e.method == "ks")
            #expect(e.threshold == DriftMethod.ks.defaultThreshold)
            #expect(e.status == .ok, "\(e.reason)")
            #expect(e.reason.contains("ks chosen for a sample below n_eff 950"), "\(e.reason)")
        }
        #expect(nullJS > DriftMethod.jensenShannon.defaultThreshold, "mean null JS at 600 values \(nullJS)")
        let shifted = FeatureEvaluator.evaluate(
            profile: profile, counts: TestBinning.histogram(rng.normals(600, mean: 0.4), edges: edges), missing: 0,
            rule: AlertRule())
        #expect(shifted.method == "ks")
        #expect(shifted.status == .drifted, "\(shifted.reason)")
        // A configured threshold belongs to the type-based method: no switch.
        let configured = FeatureEvaluator.evaluate(
            profile: profile, counts: TestBinning.histogram(rng.normals(600), edges: edges), missing: 0,
            rule: AlertRule(threshold: 0.08))
        #expect(configured.method == "jensen_shannon")
        // On the default 10 bins the limit (450) is below the default minSamples (500): type only.
        let tenBins = FeatureProfile(
            name: "x", type: .numeric,
            edges: Array(edges[0...]).enumerated().filter { $0.offset % 2 == 0 }.map(\.element),
            counts: [0] + Array(repeating: 10_000, count: 10) + [0])
        #expect(FeatureEvaluator.smallSampleLimit(for: tenBins) == 450)
        #expect(FeatureEvaluator.automaticMethod(for: tenBins, sampleSize: 500) == .jensenShannon)
        #expect(FeatureEvaluator.automaticMethod(for: tenBins, sampleSize: 400) == .ks)
        // Categorical features keep the type-based choice at every size.
        let plan = FeatureProfile(
            name: "plan", type: .categorical, categories: ["a", "b", "c"], counts: [500, 300, 200, 0])
        #expect(FeatureEvaluator.automaticMethod(for: plan, sampleSize: 50) == .jensenShannon)
    }

    @Test func newCategoryIsDriftAndNamed() {
        let profile = FeatureProfile(
            name: "country", type: .categorical, categories: ["de", "fr", "it"], counts: [50_000, 30_000, 20_000, 0])
        let window: [Double] = [4_600, 2_800, 1_800, 800]
        let e = FeatureEvaluator.evaluate(profile: profile, counts: window, missing: 0, rule: AlertRule())
        #expect(e.status == .drifted)
        #expect(abs(e.unseenShare - 0.08) < 1e-12)
        #expect(e.reason.contains("% of values are in categories unseen in training"))
        #expect(e.outOfRangeShare == 0)
    }

    @Test func outOfRangeValuesAreReported() {
        let (profile, edges) = Self.numericProfile()
        var rng = SeededNormalGenerator(seed: 8)
        let values = rng.normals(9_000) + Array(repeating: 50.0, count: 1_000)
        let e = FeatureEvaluator.evaluate(
            profile: profile, counts: TestBinning.histogram(values, edges: edges), missing: 0, rule: AlertRule())
        #expect(e.status == .drifted)
        #expect(abs(e.outOfRangeShare - 0.1) < 0.001)
        #expect(e.reason.contains("% of values are outside the training range"))
    }

    @Test func binaryFeatureUsesZTest() {
        let profile = FeatureProfile(
            name: "is_new", type: .categorical, categories: ["yes", "no"], counts: [30_000, 70_000, 0])
        let same = FeatureEvaluator.evaluate(profile: profile, counts: [3_020, 6_980, 0], missing: 0, rule: AlertRule())
        #expect(same.method == "z_test")
        #expect(same.status == .ok)
        let moved = FeatureEvaluator.evaluate(
            profile: profile, counts: [4_000, 6_000, 0], missing: 0, rule: AlertRule())
        #expect(moved.status == .drifted)
        #expect(abs(moved.score - 0.1) < 1e-12)
    }

    @Test func largeWindowTinyShiftIsSignificantButNotDrift() throws {
        // p-values alone flag everything on large windows; the effect size keeps this quiet.
        let (profile, edges) = Self.numericProfile()
        var rng = SeededNormalGenerator(seed: 9)
        let window = TestBinning.histogram(rng.normals(400_000, mean: 0.03), edges: edges)
        let e = FeatureEvaluator.evaluate(profile: profile, counts: window, missing: 0, rule: AlertRule())
        #expect(try #require(e.pValue) < 0.01)
        #expect(e.status == .ok)
    }

    @Test func malformedInputGivesInsufficientData() {
        let (profile, _) = Self.numericProfile()
        let short = FeatureEvaluator.evaluate(profile: profile, counts: [1, 2, 3], missing: 0, rule: AlertRule())
        #expect(short.status == .insufficientData)
        #expect(short.reason.contains("statistics.bin_count_mismatch"))
        let nan = FeatureEvaluator.evaluate(
            profile: profile, counts: Array(repeating: 100, count: profile.binCount), missing: .nan, rule: AlertRule())
        #expect(nan.status == .insufficientData)
        let emptyBaseline = FeatureProfile(name: "x", type: .categorical, categories: ["a"], counts: [0, 0])
        let e = FeatureEvaluator.evaluate(profile: emptyBaseline, counts: [600, 0], missing: 0, rule: AlertRule())
        #expect(e.status == .insufficientData)
        #expect(e.score.isFinite)
    }

    @Test func numericOnlyMethodOnCategoricalFallsBack() {
        let profile = FeatureProfile(
            name: "c", type: .categorical, categories: ["a", "b", "c"], counts: [100, 100, 100, 0])
        let e = FeatureEvaluator.evaluate(
            profile: profile, counts: [300, 300, 300, 0], missing: 0, rule: AlertRule(method: .ks))
        #expect(e.method == "jensen_shannon")
        #expect(e.reason.contains("ks needs a numeric feature"))
        #expect(e.status == .ok)
    }

    @Test("the reason is kept unformatted and reads as the same text: notes, findings and their order")
    func reasonTexts() {
        let categorical = FeatureProfile(
            name: "c", type: .categorical, categories: ["a", "b", "c"], counts: [100, 100, 100, 0])
        let quiet = FeatureEvaluator.evaluate(
            profile: categorical, counts: [300, 300, 300, 0], missing: 0, rule: AlertRule(method: .ks))
        #expect(
            quiet.reason
                == "no drift: jensen_shannon 0 vs threshold 0.05, p=1.0000; ks needs a numeric feature, used jensen_shannon"
        )
        // Unseen categories and a missing share that rose: the method's finding first, then the
        // others in order, then the notes.
        let moved = FeatureEvaluator.evaluate(
            profile: categorical, counts: [0, 0, 500, 500], missing: 1_000, rule: AlertRule(method: .ks))
        #expect(moved.status == .drifted)
        let parts = moved.reason.components(separatedBy: "; ")
        #expect(parts.count == 4, "\(moved.reason)")
        #expect(
            parts.first?.hasPrefix("drift: jensen_shannon ") == true && parts.first?.contains(" >= 0.05 (p=") == true)
        #expect(parts.dropFirst().first?.hasPrefix("missing share rose from 0.0% to 50.0% (p=") == true)
        #expect(
            parts.dropFirst(2).first?.hasPrefix(
                "50.0% of values are in categories unseen in training (baseline 0.0%, p=") == true)
        #expect(parts.last == "ks needs a numeric feature, used jensen_shannon")
        // Too few present values: a note, no verdict.
        let mostlyMissing = FeatureProfile(
            name: "c", type: .categorical, categories: ["a", "b", "c"], counts: [100, 100, 100, 0], missingCount: 9_700)
        let few = FeatureEvaluator.evaluate(
            profile: mostlyMissing, counts: [10, 10, 10, 0], missing: 600, rule: AlertRule(minSamples: 500))
        #expect(few.status == .insufficientData)
        #expect(few.reason == "30 present values, fewer than the 500 needed to compare distributions")
        // Setting the reason replaces the explanation; equality compares the texts.
        var copy = quiet
        copy.reason = quiet.reason
        #expect(copy == quiet)
        copy.reason = "other"
        #expect(copy != quiet)
    }
}
