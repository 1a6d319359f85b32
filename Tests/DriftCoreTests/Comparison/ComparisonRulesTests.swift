import DriftCore
import Testing

@Suite("ComparisonRules")
struct ComparisonRulesTests {
    private func profiles() throws -> (
        baseline: Baseline, income: FeatureProfile, plan: FeatureProfile, churned: FeatureProfile
    ) {
        let baseline = try ComparisonTestData.baseline(rows: 3_000)
        func named(_ n: String) throws -> FeatureProfile { try #require(baseline.features.first { $0.name == n }) }
        return (baseline, try named("income"), try named("plan"), try named("churned"))
    }

    @Test("without overrides or configuration: automatic method, its default threshold")
    func builtIn() throws {
        let p = try profiles()
        let rules = ComparisonRules()
        let income = rules.resolve(for: p.income, isPrediction: false)
        #expect(income.method == .jensenShannon && income.threshold == DriftMethod.jensenShannon.defaultThreshold)
        #expect(income.methodSource == .builtIn && income.thresholdSource == .builtIn)
        #expect(rules.resolve(for: p.churned, isPrediction: false).method == .zTest)
    }

    @Test("per-feature override > global override > configured rule > automatic, for the method")
    func methodPrecedence() throws {
        let p = try profiles()
        let configured = AlertRule(method: .psi, threshold: 0.3)
        var rules = ComparisonRules(featureRules: ["income": configured, "plan": configured])
        #expect(rules.resolve(for: p.income, isPrediction: false).method == .psi)
        #expect(rules.resolve(for: p.income, isPrediction: false).methodSource == .configuration)
        #expect(rules.resolve(for: p.income, isPrediction: false).threshold == 0.3)

        rules.method = .ks
        let overridden = rules.resolve(for: p.income, isPrediction: false)
        #expect(overridden.method == .ks && overridden.methodSource == .override)
        // The configured 0.3 was set for psi; ks gets its own default.
        #expect(overridden.threshold == DriftMethod.ks.defaultThreshold && overridden.thresholdSource == .builtIn)
        #expect(overridden.notes.contains { $0.contains("configured threshold dropped") })
        // ks cannot score a categorical feature: the configured psi stays, with its threshold.
        let plan = rules.resolve(for: p.plan, isPrediction: false)
        #expect(plan.method == .psi && plan.methodSource == .configuration && plan.threshold == 0.3)

        rules.featureMethods = ["income": .wasserstein]
        let perFeature = rules.resolve(for: p.income, isPrediction: false)
        #expect(perFeature.method == .wasserstein && perFeature.methodSource == .featureOverride)
    }

    @Test("per-feature threshold > global threshold > configured threshold (same method) > default")
    func thresholdPrecedence() throws {
        let p = try profiles()
        var rules = ComparisonRules(featureRules: ["income": AlertRule(method: .psi, threshold: 0.3)], method: .psi)
        // The override picks the configured method again: the configured threshold still applies.
        #expect(rules.resolve(for: p.income, isPrediction: false).threshold == 0.3)
        #expect(rules.resolve(for: p.income, isPrediction: false).thresholdSource == .configuration)
        rules.threshold = 0.2
        #expect(rules.resolve(for: p.income, isPrediction: false).threshold == 0.2)
        #expect(rules.resolve(for: p.income, isPrediction: false).thresholdSource == .override)
        #expect(rules.resolve(for: p.plan, isPrediction: false).threshold == 0.2)
        rules.featureThresholds = ["income": 0.11]
        #expect(rules.resolve(for: p.income, isPrediction: false).threshold == 0.11)
        #expect(rules.resolve(for: p.income, isPrediction: false).thresholdSource == .featureOverride)
        #expect(rules.resolve(for: p.plan, isPrediction: false).threshold == 0.2)
    }

    @Test("overrides change verdicts: a high per-feature threshold silences a drifted feature")
    func overridesChangeVerdicts() throws {
        let baseline = try ComparisonTestData.baseline()
        let current = ComparisonTestData.columns(rows: 20_000, seed: 21, shift: .init(incomeSD: 0.5))
        let quiet = try BatchComparison(baseline: baseline, rules: ComparisonRules(featureThresholds: ["income": 0.5]))
            .compare(current)
        let income = try #require(quiet.features.first { $0.name == "income" })
        #expect(income.status == .ok && income.threshold == 0.5)
        let loud = try BatchComparison(
            baseline: baseline, rules: ComparisonRules(threshold: 0.05, featureThresholds: ["income": 0.5])
        )
        .compare(current)
        #expect(loud.features.first { $0.name == "income" }?.drifted == false)
        #expect(loud.features.first { $0.name == "income" }?.thresholdSource == .featureOverride)
    }

    @Test("min-samples override applies to every feature")
    func minSamples() throws {
        let baseline = try ComparisonTestData.baseline()
        let current = ComparisonTestData.columns(rows: 300, seed: 22)
        let defaults = try BatchComparison(baseline: baseline).compare(current)
        #expect(defaults.features.allSatisfy { $0.status == .insufficientData })
        let lowered = try BatchComparison(baseline: baseline, rules: ComparisonRules(minSamples: 100)).compare(current)
        #expect(lowered.features.allSatisfy { $0.status == .ok })
    }

    @Test("bad rules throw stable codes")
    func validation() throws {
        let baseline = try ComparisonTestData.baseline(rows: 3_000)
        func code(_ rules: ComparisonRules) -> ComparisonError.Code? {
            do {
                _ = try BatchComparison(baseline: baseline, rules: rules)
                return nil
            } catch { return error.code }
        }
        #expect(code(ComparisonRules(featureMethods: ["incme": .psi])) == .unknownFeature)
        #expect(code(ComparisonRules(featureThresholds: ["nope": 0.1])) == .unknownFeature)
        #expect(code(ComparisonRules(featureMethods: ["plan": .ks])) == .methodNotApplicable)
        #expect(code(ComparisonRules(featureMethods: ["plan": .zTest])) == .methodNotApplicable)
        #expect(code(ComparisonRules(featureMethods: ["churned": .zTest])) == nil)
        #expect(code(ComparisonRules(threshold: -1)) == .invalidThreshold)
        #expect(code(ComparisonRules(featureThresholds: ["income": .nan])) == .invalidThreshold)
        #expect(code(ComparisonRules(driftShare: 0)) == .invalidDriftShare)
        #expect(code(ComparisonRules(driftShare: 1.5)) == .invalidDriftShare)
        #expect(code(ComparisonRules(minSamples: 0)) == .invalidMinSamples)
        #expect(code(ComparisonRules(featureMethods: ["score": .ks])) == nil)  // the prediction can be overridden
        do {
            _ = try BatchComparison(baseline: baseline, rules: ComparisonRules(featureMethods: ["incme": .psi]))
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("did you mean 'income'?"))
            #expect(!error.isDataProblem)
        }
        var broken = baseline
        broken.features[0].counts = [1]
        #expect(throws: ComparisonError.self) { try BatchComparison(baseline: broken) }
    }

    @Test("malformed columns are data problems")
    func columnProblems() throws {
        let comparison = try BatchComparison(baseline: ComparisonTestData.baseline(rows: 3_000))
        let twice = [DataColumn(name: "income", values: [.number(1)]), DataColumn(name: "income", values: [.number(2)])]
        #expect(throws: ComparisonError.self) { try comparison.compare(twice) }
        do {
            _ = try comparison.compare([
                DataColumn(name: "income", values: [.number(1)]), DataColumn(name: "age", values: [])
            ])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .columnLengthMismatch)
            #expect(error.feature == "age")
            #expect(error.isDataProblem)
        }
        // No columns at all: every feature is missing, zero rows, no verdict.
        let empty = try comparison.compare([])
        #expect(empty.rowCount == 0)
        #expect(empty.features.allSatisfy { $0.status == .insufficientData })
        #expect(!empty.datasetDrifted)
    }
}
