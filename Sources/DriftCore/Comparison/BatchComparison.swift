import Dispatch

/// Compares a whole dataset (columns read from a file, in memory) with a baseline: the engine of
/// `driftd compare`. Pure: no file access.
///
/// Per baseline feature (and the prediction):
/// 1. The rule comes from `ComparisonRules` (overrides, configured rule, automatic choice).
/// 2. The column is counted on the baseline's bins (`ColumnHistogram`); a column the data lacks is
///    entirely missing, which is drift by the missing-share rule.
/// 3. `FeatureEvaluator` judges the histogram: missing-share rise, unseen categories or
///    out-of-range values, and the distribution (effect size at or above threshold and p < alpha).
/// 4. For `ks`, `cramer_von_mises`, `anderson_darling` and `wasserstein` on a numeric feature whose
///    baseline stores a raw sample, the distribution part is instead decided by the exact two-sample
///    test of every finite value against that sample (`TwoSampleTests`); the other findings stay.
///
/// The dataset drifts when the share of compared features that drifted is at least
/// `rules.driftShare` (the prediction is reported but not counted). Features are compared in
/// parallel; the result does not depend on the order of evaluation.
public struct BatchComparison: Sendable {
    /// Smallest baseline sample (and number of current values) for the raw-sample path.
    public static let minimumRawSampleSize = 2

    /// The baseline compared against.
    public let baseline: Baseline
    /// The rules.
    public let rules: ComparisonRules
    private let schema: ModelSchema

    /// Prepares a comparison, checking the baseline and the rules.
    /// - Parameters:
    ///   - baseline: The baseline.
    ///   - rules: Rules and overrides.
    /// - Throws: `ComparisonError` `.invalidBaseline` for a baseline that breaks its invariants, or
    ///   the first problem of the rules (`ComparisonRules.validate(against:)`).
    public init(baseline: Baseline, rules: ComparisonRules = ComparisonRules()) throws(ComparisonError) {
        do {
            schema = try ModelSchema(baseline: baseline)
        } catch {
            throw ComparisonError(
                .invalidBaseline, feature: error.feature, "baseline \(baseline.id): \(error.description)")
        }
        try rules.validate(against: baseline)
        self.baseline = baseline
        self.rules = rules
    }

    /// Compares the data with the baseline.
    /// - Parameter columns: The data, one column per field; columns the baseline does not profile
    ///   are ignored and listed in the report.
    /// - Returns: The report.
    /// - Throws: `ComparisonError` `.duplicateColumn` or `.columnLengthMismatch`.
    public func compare(_ columns: [DataColumn]) throws(ComparisonError) -> ComparisonReport {
        var byName: [String: Int] = [:]
        for (index, column) in columns.enumerated() {
            if byName.updateValue(index, forKey: column.name) != nil {
                throw ComparisonError(.duplicateColumn, feature: column.name, "two columns are named '\(column.name)'")
            }
        }
        let rowCount = columns.first?.count ?? 0
        if let ragged = columns.first(where: { $0.count != rowCount }) {
            throw ComparisonError(
                .columnLengthMismatch, feature: ragged.name,
                "column has \(ragged.count) values, '\(columns[0].name)' has \(rowCount)")
        }

        struct Task: Sendable {
            var profile: FeatureProfile
            var column: ModelSchema.Column
            var isPrediction: Bool
        }
        var tasks: [Task] = []
        var disabled: [String] = []
        for (profile, column) in zip(baseline.features, schema.features) {
            if rules.isEnabled(profile, isPrediction: false) {
                tasks.append(Task(profile: profile, column: column, isPrediction: false))
            } else {
                disabled.append(profile.name)
            }
        }
        // The prediction is compared only when the data has it: production files often do not.
        if let profile = baseline.prediction, let column = schema.prediction, byName[profile.name] != nil,
            rules.isEnabled(profile, isPrediction: true)
        {
            tasks.append(Task(profile: profile, column: column, isPrediction: true))
        }

        let columnIndex = byName
        let work = tasks
        var results = [FeatureComparison?](repeating: nil, count: work.count)
        results.withUnsafeMutableBufferPointer { target in
            nonisolated(unsafe) let target = target
            let body: @Sendable (Int) -> Void = { i in
                let task = work[i]
                let data = columnIndex[task.profile.name].map { columns[$0] }
                target[i] = compareFeature(
                    profile: task.profile, column: task.column, isPrediction: task.isPrediction, data: data,
                    rowCount: rowCount)
            }
            // Each task writes only its own slot: no locks, the same result as a serial loop.
            if work.count > 1 && rowCount * work.count >= 100_000 {
                DispatchQueue.concurrentPerform(iterations: work.count, execute: body)
            } else {
                for i in 0..<work.count { body(i) }
            }
        }
        let verdicts = zip(tasks, results).compactMap { task, result in result.map { (task.isPrediction, $0) } }
        let profiled = Set(baseline.features.map(\.name) + (baseline.prediction.map { [$0.name] } ?? []))
        let missingColumns = baseline.features.map(\.name).filter { byName[$0] == nil }
        let features = verdicts.filter { !$0.0 }.map(\.1)
        var report = ComparisonReport(
            model: baseline.model, version: baseline.version, baselineID: baseline.id, rowCount: rowCount,
            features: features, prediction: verdicts.first { $0.0 }?.1,
            disabledFeatures: disabled, missingColumns: missingColumns,
            ignoredColumns: columns.map(\.name).filter { !profiled.contains($0) },
            driftShareThreshold: rules.driftShare)
        let profiles = Dictionary(baseline.features.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let attributed = features.compactMap { f in profiles[f.name].map { ($0, f.binCounts) } }
            .filter { $0.0.predictionMeans != nil && $0.1.reduce(0, +) > 0 }
        if !attributed.isEmpty {
            report.attribution = PredictionAttribution.rank(profiles: attributed.map(\.0), counts: attributed.map(\.1))
        }
        return report
    }

    // MARK: - One feature

    private func compareFeature(
        profile: FeatureProfile, column: ModelSchema.Column, isPrediction: Bool, data: DataColumn?, rowCount: Int
    ) -> FeatureComparison {
        var resolved = rules.resolve(for: profile, isPrediction: isPrediction)
        var method = resolved.method
        var wantsRaw = method.requiresNumeric && profile.type == .numeric
        var histogram: ColumnHistogram
        switch (data, profile.type) {
        case (nil, _): histogram = .absent(rowCount: rowCount, binCount: column.binCount)
        case (let data?, .numeric): histogram = .numeric(data, schemaColumn: column, keepValues: wantsRaw)
        case (let data?, .categorical): histogram = .categorical(data, schemaColumn: column)
        }
        // Automatic method and threshold: by type and sample size (few values: ks on the raw values).
        var sizeNote: String?
        if resolved.methodSource == .builtIn, resolved.thresholdSource == .builtIn, let data, profile.type == .numeric {
            let bySize = FeatureEvaluator.automaticMethod(for: profile, sampleSize: histogram.counts.reduce(0, +))
            if bySize != method {
                resolved = ResolvedComparisonRule(
                    rule: resolved.rule, method: bySize, threshold: bySize.defaultThreshold, methodSource: .builtIn,
                    thresholdSource: .builtIn, notes: resolved.notes)
                method = bySize
                sizeNote = EvaluationExplanation.smallSampleNote(limit: FeatureEvaluator.smallSampleLimit(for: profile))
                if method.requiresNumeric && !wantsRaw {
                    wantsRaw = true
                    histogram = .numeric(data, schemaColumn: column, keepValues: true)
                }
            }
        }
        let evaluation = FeatureEvaluator.evaluate(
            profile: profile, counts: histogram.counts, missing: histogram.missing, rule: resolved.rule)

        var notes = resolved.notes
        if let sizeNote { notes.append(sizeNote) }
        if data == nil { notes.append("no column '\(profile.name)' in the data: every row counts as missing") }
        if histogram.wrongTypeCount > 0 {
            let row = histogram.firstWrongTypeRow.map { ", first at row \($0)" } ?? ""
            notes.append("\(histogram.wrongTypeCount) value(s) are not finite numbers\(row); counted as missing")
        }
        var comparison = FeatureComparison(
            name: profile.name, type: profile.type, method: method, methodSource: resolved.methodSource,
            thresholdSource: resolved.thresholdSource, path: .binned, score: evaluation.score,
            threshold: evaluation.threshold, pValue: method.hasOwnPValue ? evaluation.pValue : nil,
            significancePValue: evaluation.pValue, status: evaluation.status, columnPresent: data != nil,
            rowCount: rowCount, presentCount: Int(histogram.counts.reduce(0, +)), missingShare: evaluation.missingShare,
            baselineMissingShare: evaluation.baselineMissingShare,
            unseenShare: profile.type == .categorical ? evaluation.unseenShare : nil,
            outOfRangeShare: profile.type == .numeric ? evaluation.outOfRangeShare : nil,
            wrongTypeCount: histogram.wrongTypeCount, firstWrongTypeRow: histogram.firstWrongTypeRow,
            baselineSampleSize: nil, reason: evaluation.reason, notes: notes)
        comparison.smallShift = evaluation.smallShift
        comparison.evidence = DriftEvidence(profile: profile, counts: histogram.counts, method: method.rawValue)
        comparison.binCounts = histogram.counts
        comparison.histogram = ReportHistogram(
            profile: profile, currentCounts: histogram.counts, currentMissing: histogram.missing)

        // The raw-sample path replaces the binned distribution verdict when a verdict was reached.
        guard wantsRaw, evaluation.status != .insufficientData else { return comparison }
        let sample = profile.sample ?? []
        guard sample.count >= Self.minimumRawSampleSize, histogram.finiteValues.count >= Self.minimumRawSampleSize
        else {
            comparison.notes.append(
                "baseline has \(sample.count) raw sample value(s), fewer than \(Self.minimumRawSampleSize): scored on bins"
            )
            return comparison
        }
        do {
            let raw = try RawSampleScore.compute(
                method: method, baselineSample: sample, current: histogram.finiteValues, profile: profile,
                binnedSignificance: evaluation.pValue)
            apply(
                raw, to: &comparison, evaluation: evaluation, profile: profile, histogram: histogram,
                rule: resolved.rule)
        } catch {
            comparison.notes.append("raw-sample \(method.rawValue) failed (\(error.description)): scored on bins")
        }
        return comparison
    }

    /// Replaces the distribution part of a binned verdict by the raw-sample score, keeping the
    /// missing-share and new-value findings (same rules as `FeatureEvaluator`).
    private func apply(
        _ raw: RawSampleScore, to comparison: inout FeatureComparison, evaluation: FeatureEvaluation,
        profile: FeatureProfile, histogram: ColumnHistogram, rule: AlertRule
    ) {
        let alpha = rule.alpha
        let method = comparison.method
        var findings: [String] = []
        var notes: [String] = []
        let rawText = "raw values: \(histogram.finiteValues.count) vs a \(raw.baselineSampleSize)-value baseline sample"
        if raw.score >= comparison.threshold && raw.significance < alpha {
            findings.append(
                "\(method.rawValue) \(FeatureEvaluator.format(raw.score)) >= \(FeatureEvaluator.format(comparison.threshold)) (p=\(FeatureEvaluator.pString(raw.significance)); \(rawText))"
            )
        } else {
            notes.append(
                "\(method.rawValue) \(FeatureEvaluator.format(raw.score)) vs threshold \(FeatureEvaluator.format(comparison.threshold)), p=\(FeatureEvaluator.pString(raw.significance)) (\(rawText))"
            )
        }
        if FeatureEvaluator.missingShareMoved(
            from: evaluation.baselineMissingShare, to: evaluation.missingShare, pValue: evaluation.missingPValue,
            alpha: alpha)
        {
            findings.append(
                EvaluationExplanation.missingShareText(
                    from: evaluation.baselineMissingShare, to: evaluation.missingShare, pValue: evaluation.missingPValue
                ))
        }
        let outer = FeatureEvaluator.newValueBinIndexes(profile: profile, binCount: profile.counts.count)
        let baselineNew = outer.reduce(0) { $0 + profile.counts[$1] }
        let windowNew = outer.reduce(0) { $0 + histogram.counts[$1] }
        let present = histogram.counts.reduce(0, +)
        let newTest = ContingencyTest.twoProportionZTest(
            successes1: baselineNew, total1: profile.presentCount, successes2: windowNew, total2: present)
        let newShare = present > 0 ? windowNew / present : 0
        if newShare - newTest.firstShare >= FeatureEvaluator.newValueShareIncrease && newTest.pValue < alpha {
            findings.append(
                "\(FeatureEvaluator.percent(newShare)) of values are outside the training range (baseline \(FeatureEvaluator.percent(newTest.firstShare)), p=\(FeatureEvaluator.pString(newTest.pValue)))"
            )
        }
        comparison.path = .rawSample
        comparison.score = raw.score
        comparison.pValue = raw.pValue
        comparison.significancePValue = raw.significance
        comparison.baselineSampleSize = raw.baselineSampleSize
        if findings.isEmpty {
            comparison.status = .ok
            comparison.smallShift =
                raw.score < comparison.threshold
                && raw.significance < FeatureEvaluator.smallShiftLevel(alpha: alpha)
            comparison.reason = (comparison.smallShift ? "small shift: " : "no drift: ") + notes.joined(separator: "; ")
        } else {
            comparison.smallShift = false
            comparison.status = .drifted
            comparison.reason = "drift: " + (findings + notes).joined(separator: "; ")
        }
    }
}
