import DriftCore
import Foundation
import Testing

@Suite("BatchComparison")
struct BatchComparisonTests {
    typealias Data = ComparisonTestData

    private func feature(_ report: ComparisonReport, _ name: String) throws -> FeatureComparison {
        try #require(report.features.first { $0.name == name })
    }

    @Test("identical distributions: no feature drifts, the dataset does not drift")
    func identicalDistributions() throws {
        let baseline = try Data.baseline()
        let report = try BatchComparison(baseline: baseline).compare(Data.columns(rows: 20_000, seed: 2))
        #expect(report.rowCount == 20_000)
        #expect(report.features.map(\.name) == ["income", "age", "plan", "churned"])
        for f in report.features {
            #expect(f.status == .ok, "\(f.name): \(f.reason)")
            #expect(f.score < f.threshold / 2, "\(f.name) score \(f.score)")
        }
        #expect(report.prediction?.status == .ok)
        #expect(report.driftedCount == 0)
        #expect(report.driftShare == 0)
        #expect(!report.datasetDrifted)
        #expect(report.missingColumns.isEmpty && report.ignoredColumns.isEmpty && report.disabledFeatures.isEmpty)
        #expect(try feature(report, "churned").method == .zTest)
        #expect(try feature(report, "plan").method == .jensenShannon)
    }

    @Test("a shifted numeric feature drifts under the automatic method, and only it")
    func shiftedFeatureAutomatic() throws {
        let baseline = try Data.baseline()
        let current = Data.columns(rows: 20_000, seed: 3, shift: .init(incomeSD: 0.5))
        let report = try BatchComparison(baseline: baseline).compare(current)
        let income = try feature(report, "income")
        #expect(income.drifted)
        #expect(income.method == .jensenShannon)
        #expect(income.methodSource == .builtIn)
        #expect(income.path == .binned)
        #expect(income.pValue == nil)  // a distance: no own p-value
        #expect((income.significancePValue ?? 1) < 1e-6)
        #expect(income.reason.hasPrefix("drift: jensen_shannon"))
        #expect(report.features.filter(\.drifted).map(\.name) == ["income"])
        #expect(report.driftShare == 0.25)
        #expect(!report.datasetDrifted)
    }

    @Test(
        "a small data set on a 20-bin baseline takes ks on the raw values automatically; a large one keeps jensen_shannon"
    )
    func automaticMethodBySampleSize() throws {
        let baseline = try BaselineBuilder(options: BaselineBuildOptions(binCount: 20)).build(
            model: "churn", version: "1", columns: Data.columns(rows: 20_000, seed: 1), predictionColumn: "score")
        let income = try #require(baseline.features.first { $0.name == "income" })
        #expect(FeatureEvaluator.smallSampleLimit(for: income) == 950)
        let small = try BatchComparison(baseline: baseline).compare(
            Data.columns(rows: 600, seed: 3, shift: .init(incomeSD: 0.5)))
        let shifted = try feature(small, "income")
        #expect(shifted.method == .ks)
        #expect(shifted.methodSource == .builtIn)
        #expect(shifted.threshold == DriftMethod.ks.defaultThreshold)
        #expect(shifted.path == .rawSample)
        #expect(shifted.drifted, "\(shifted.reason)")
        #expect(shifted.notes.contains { $0.contains("ks chosen for a sample below n_eff 950") })
        let quiet = try feature(small, "age")
        #expect(quiet.method == .ks)
        #expect(quiet.status == .ok, "\(quiet.reason)")
        #expect(try feature(small, "plan").method == .jensenShannon)  // categorical: type only
        let large = try BatchComparison(baseline: baseline).compare(
            Data.columns(rows: 20_000, seed: 3, shift: .init(incomeSD: 0.5)))
        #expect(try feature(large, "income").method == .jensenShannon)
        #expect(try feature(large, "income").path == .binned)
        // A method override is never replaced.
        let pinned = try BatchComparison(baseline: baseline, rules: ComparisonRules(method: .psi)).compare(
            Data.columns(rows: 600, seed: 3))
        #expect(try feature(pinned, "income").method == .psi)
    }

    @Test("ks takes the raw-sample path: the exact test of every value against the baseline sample")
    func rawSamplePath() throws {
        let baseline = try Data.baseline()
        let current = Data.columns(rows: 20_000, seed: 3, shift: .init(incomeSD: 0.5))
        let report = try BatchComparison(baseline: baseline, rules: ComparisonRules(method: .ks)).compare(current)
        let income = try feature(report, "income")
        #expect(income.path == .rawSample)
        #expect(income.method == .ks)
        #expect(income.methodSource == .override)
        #expect(income.drifted)
        let sample = try #require(baseline.features.first { $0.name == "income" }?.sample)
        #expect(income.baselineSampleSize == sample.count)
        let values = current[0].values.compactMap { value -> Double? in
            if case .number(let x) = value { return x }
            return nil
        }
        let exact = try TwoSampleTests.kolmogorovSmirnov(sample, values)
        #expect(income.score == exact.statistic)
        #expect(income.pValue == exact.pValue)
        #expect(abs(income.score - 0.197) < 0.03)  // D of N(0,1) vs N(0.5,1) is 0.197
        // Categorical features cannot take ks: the global override is skipped for them.
        let plan = try feature(report, "plan")
        #expect(plan.method == .jensenShannon)
        #expect(plan.methodSource == .builtIn)
        #expect(plan.notes.contains { $0.contains("method override ks cannot score") })
        // The unshifted numeric feature stays quiet on the raw path too.
        let age = try feature(report, "age")
        #expect(age.path == .rawSample)
        #expect(age.status == .ok)
    }

    @Test("every numeric-only method scores on raw values; wasserstein is divided by the baseline std")
    func rawSampleMethods() throws {
        let baseline = try Data.baseline()
        let current = Data.columns(rows: 10_000, seed: 4, shift: .init(incomeSD: 0.5))
        for method in [DriftMethod.cramerVonMises, .andersonDarling, .wasserstein] {
            let report = try BatchComparison(baseline: baseline, rules: ComparisonRules(method: method)).compare(
                current)
            let income = try feature(report, "income")
            #expect(income.path == .rawSample, "\(method)")
            #expect(income.drifted, "\(method): \(income.reason)")
            #expect(try feature(report, "age").status == .ok, "\(method)")
            if method == .wasserstein {
                #expect(income.pValue == nil)
                #expect(abs(income.score - 0.5) < 0.1)  // mean shift of 0.5 sd
            } else {
                #expect(income.pValue != nil)
            }
        }
    }

    @Test("a categorical feature with a new category drifts on the unseen share")
    func unseenCategory() throws {
        let baseline = try Data.baseline()
        let current = Data.columns(rows: 20_000, seed: 5, shift: .init(unseenPlanShare: 0.2))
        let report = try BatchComparison(baseline: baseline).compare(current)
        let plan = try feature(report, "plan")
        #expect(plan.drifted)
        #expect(abs((plan.unseenShare ?? 0) - 0.2) < 0.02)
        #expect(plan.outOfRangeShare == nil)
        #expect(plan.reason.contains("categories unseen in training"))
    }

    @Test("a baseline feature absent from the data is 100% missing, which is drift")
    func missingColumn() throws {
        let baseline = try Data.baseline()
        let current = Data.replacing("age", in: Data.columns(rows: 5_000, seed: 6), with: nil)
        let report = try BatchComparison(baseline: baseline).compare(current)
        let age = try feature(report, "age")
        #expect(!age.columnPresent)
        #expect(age.missingShare == 1)
        #expect(age.presentCount == 0)
        #expect(age.drifted)
        #expect(age.reason.contains("missing share rose from 0.0% to 100.0%"))
        #expect(report.missingColumns == ["age"])
    }

    @Test("columns the baseline does not profile are ignored and listed")
    func ignoredColumns() throws {
        let baseline = try Data.baseline()
        var current = Data.columns(rows: 5_000, seed: 7)
        current.append(DataColumn(name: "customer_id", values: (0..<5_000).map { .string("c\($0)") }))
        let report = try BatchComparison(baseline: baseline).compare(current)
        #expect(report.ignoredColumns == ["customer_id"])
        #expect(report.features.count == 4)
    }

    @Test("a constant column: same constant is no drift, another constant is out of range")
    func constantColumn() throws {
        var training = Data.columns(rows: 5_000, seed: 8)
        training.append(
            DataColumn(name: "flag", values: Array(repeating: .number(5), count: 5_000), typeOverride: .numeric))
        let baseline = try BaselineBuilder().build(model: "m", version: "1", columns: training)
        let flag = try #require(baseline.features.first { $0.name == "flag" })
        #expect(flag.edges == [5, 5.0.nextUp])

        let same =
            Data.columns(rows: 5_000, seed: 9) + [
                DataColumn(name: "flag", values: Array(repeating: .number(5), count: 5_000))
            ]
        let quiet = try BatchComparison(baseline: baseline).compare(same)
        let quietFlag = try feature(quiet, "flag")
        #expect(quietFlag.status == .ok, "\(quietFlag.reason)")
        #expect(quietFlag.score == 0)

        let other =
            Data.columns(rows: 5_000, seed: 9) + [
                DataColumn(name: "flag", values: Array(repeating: .number(6), count: 5_000))
            ]
        let moved = try feature(try BatchComparison(baseline: baseline).compare(other), "flag")
        #expect(moved.drifted)
        #expect(moved.outOfRangeShare == 1)

        // Raw path on a constant feature: Wasserstein divides by 0.001 instead of a zero std.
        let rules = ComparisonRules(featureMethods: ["flag": .wasserstein])
        let raw = try feature(try BatchComparison(baseline: baseline, rules: rules).compare(other), "flag")
        #expect(raw.path == .rawSample)
        #expect(raw.score == 1 / 0.001)
        #expect(raw.drifted)
    }

    @Test("wrong-type values in a numeric column count as missing and are located")
    func wrongTypeValues() throws {
        let baseline = try Data.baseline()
        var income = Data.columns(rows: 5_000, seed: 10)[0].values
        income[7] = .string("N/A")
        income[9] = .bool(true)
        income[11] = .number(.infinity)
        let current = Data.replacing("income", in: Data.columns(rows: 5_000, seed: 10), with: income)
        let f = try feature(try BatchComparison(baseline: baseline).compare(current), "income")
        #expect(f.wrongTypeCount == 3)
        #expect(f.firstWrongTypeRow == 7)
        #expect(f.presentCount == 4_997)
        #expect(f.missingShare == 3.0 / 5_000)
        #expect(f.status == .ok)
        #expect(f.notes.contains { $0.contains("3 value(s) are not finite numbers, first at row 7") })
    }

    @Test("the dataset drifts when the drift share reaches the threshold")
    func datasetRule() throws {
        let baseline = try Data.baseline()
        // income and plan drift: 2 of 4 features.
        let current = Data.columns(rows: 20_000, seed: 11, shift: .init(incomeSD: 0.5, unseenPlanShare: 0.2))
        let half = try BatchComparison(baseline: baseline).compare(current)
        #expect(half.driftedCount == 2)
        #expect(half.driftShare == 0.5)
        #expect(half.datasetDrifted)
        let strict = try BatchComparison(baseline: baseline, rules: ComparisonRules(driftShare: 0.75)).compare(current)
        #expect(strict.driftShare == 0.5)
        #expect(!strict.datasetDrifted)
        #expect(strict.driftShareThreshold == 0.75)
    }

    @Test("the prediction is reported but not counted in the drift share")
    func prediction() throws {
        let baseline = try Data.baseline()
        var current = Data.columns(rows: 10_000, seed: 12)
        current = Data.replacing("score", in: current, with: (0..<10_000).map { .number(Double($0 % 100) / 400) })
        let report = try BatchComparison(baseline: baseline).compare(current)
        let prediction = try #require(report.prediction)
        #expect(prediction.name == "score")
        #expect(prediction.drifted)
        #expect(report.driftedCount == 0)
        #expect(!report.datasetDrifted)
        // A file without the prediction column: no prediction verdict, not a missing column.
        let featuresOnly = try BatchComparison(baseline: baseline).compare(
            Data.replacing("score", in: current, with: nil))
        #expect(featuresOnly.prediction == nil)
        #expect(featuresOnly.missingColumns.isEmpty)
        #expect(featuresOnly.features.count == 4)
    }

    @Test("a disabled feature is left out unless a per-feature override names it")
    func disabledFeature() throws {
        let baseline = try Data.baseline()
        let current = Data.columns(rows: 5_000, seed: 13)
        var off = AlertRule()
        off.enabled = false
        let disabled = try BatchComparison(baseline: baseline, rules: ComparisonRules(featureRules: ["plan": off]))
            .compare(current)
        #expect(disabled.disabledFeatures == ["plan"])
        #expect(!disabled.features.contains { $0.name == "plan" })
        let named = try BatchComparison(
            baseline: baseline, rules: ComparisonRules(featureRules: ["plan": off], featureMethods: ["plan": .psi])
        ).compare(current)
        #expect(named.disabledFeatures.isEmpty)
        #expect(try feature(named, "plan").method == .psi)
    }

    @Test("the comparison is identical whether features run in parallel or not")
    func deterministic() throws {
        let baseline = try Data.baseline()
        let current = Data.columns(rows: 30_000, seed: 14, shift: .init(incomeSD: 0.1))
        let comparison = try BatchComparison(baseline: baseline, rules: ComparisonRules(method: .andersonDarling))
        let first = try comparison.compare(current)
        #expect(try comparison.compare(current) == first)
        // Few rows run serially; the verdict of each feature does not depend on the others.
        let small = Array(current.map { DataColumn(name: $0.name, values: Array($0.values.prefix(2_000))) })
        let serial = try comparison.compare(small)
        let alone = try BatchComparison(
            baseline: baseline, rules: ComparisonRules(method: .andersonDarling)
        ).compare(small.filter { $0.name == "income" })
        #expect(try feature(serial, "income") == feature(alone, "income"))
    }
}
