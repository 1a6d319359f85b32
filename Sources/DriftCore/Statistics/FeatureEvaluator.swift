import Foundation

/// Judges one window histogram of a feature against its baseline profile, under an `AlertRule`.
///
/// Method: the rule's, or automatically by feature type and sample size (`automaticMethod(for:sampleSize:)`).
///
/// Decision rules (docs/statistics.md):
/// - Fewer than `rule.minSamples` window events (present + missing), or an empty baseline:
///   `insufficientData`, never drifted.
/// - Distribution drift: `score >= threshold` AND `p < rule.alpha`, where `p` is the method's own
///   p-value or, for plain distances, the chi-square test of homogeneity on the same bins.
///   Needs at least `minSamples` present values.
/// - Missing drift: the missing share moved, up or down, by at least `missingShareChange`
///   (absolute) and the two-proportion z-test of the two shares gives `p < alpha`.
/// - Categorical unseen categories / numeric out-of-range values: the share of the "other" bin
///   (resp. the open outer bins) rose by at least `newValueShareIncrease` with `p < alpha`.
/// Any of these makes the feature drifted; the reason names each.
/// - Small but certain shift (`FeatureEvaluation.smallShift`, not drift): no drift, the score
///   below the threshold and its p-value below `smallShiftLevel(alpha:)`.
public enum FeatureEvaluator {
    /// The strict significance level of the small-shift verdict when the rule's `alpha` is looser:
    /// 10^-6. Between two 200,000-row samples a 0.05 sd mean shift reaches p = 4e-45 on 10
    /// quantile bins while its Jensen-Shannon distance is 0.017, far below 0.05
    /// (Fixtures/statistics/small_shift.json); two samples of one distribution reach 10^-6 once in
    /// a million comparisons per feature.
    public static let smallShiftStrictLevel = 1e-6

    /// The level a p-value must be below for a small but certain shift: `alpha` when it is already
    /// stricter than `smallShiftStrictLevel` (the daemon's false-alert budget), else that level.
    /// - Parameter alpha: The rule's significance level.
    public static func smallShiftLevel(alpha: Double) -> Double { min(alpha, smallShiftStrictLevel) }

    /// Absolute change of the missing share, a rise or a fall, that counts as drift (when significant).
    /// A pipeline that starts dropping a field (0 % → 8 %) and one that starts filling a field that
    /// used to be empty (20 % → 5 %) both changed what the model sees.
    public static let missingShareChange = 0.05
    /// Absolute rise of the unseen-category or out-of-range share that counts as drift (when significant).
    public static let newValueShareIncrease = 0.05

    /// The method chosen by feature type alone (the choice for large samples): z-test for binary
    /// categorical features (two categories), Jensen-Shannon distance otherwise (on the quantile
    /// bins for numeric features).
    public static func automaticMethod(for profile: FeatureProfile) -> DriftMethod {
        if profile.type == .categorical, (profile.categories?.count ?? 0) == 2 { return .zTest }
        return .jensenShannon
    }

    /// The method chosen by feature type and sample size: `automaticMethod(for:)`, except that a
    /// numeric feature compared on fewer values than `smallSampleLimit(for:)` (as the effective
    /// size `n m / (n + m)` with the baseline's `n` present values) uses `ks`.
    ///
    /// Below that size the Jensen-Shannon distance of two samples from the same distribution,
    /// about `sqrt((k - 1) / (8 n_eff))` on `k` occupied bins, is already at its default threshold:
    /// the threshold no longer separates drift from noise and only the chi-square p-value on
    /// `k - 1` degrees of freedom decides. KS then decides by its own p-value on one ordered
    /// statistic (more power against shifts of location or scale from few values), and
    /// `driftd compare` runs it on the raw values with the exact small-sample distribution.
    /// - Parameters:
    ///   - profile: the baseline profile.
    ///   - sampleSize: present (non-missing) values in the window or data set.
    public static func automaticMethod(for profile: FeatureProfile, sampleSize: Double) -> DriftMethod {
        let byType = automaticMethod(for: profile)
        guard byType == .jensenShannon, profile.type == .numeric, sampleSize > 0, profile.presentCount > 0 else {
            return byType
        }
        let effective = profile.presentCount * sampleSize / (profile.presentCount + sampleSize)
        return effective < smallSampleLimit(for: profile) ? .ks : byType
    }

    /// The effective sample size below which a numeric feature's automatic method is `ks`:
    /// `(k - 1) / (8 t²)` with `k` the baseline's occupied bins and `t` the Jensen-Shannon default
    /// threshold (0.05), i.e. `50 (k - 1)` (rounded to a whole number): 450 on 10 bins (below
    /// the default `minSamples` of 500, so never at the defaults), 950 on 20 bins.
    public static func smallSampleLimit(for profile: FeatureProfile) -> Double {
        let occupied = profile.counts.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        let t = DriftMethod.jensenShannon.defaultThreshold
        return (Double(max(occupied - 1, 1)) / (8 * t * t)).rounded()
    }

    /// Evaluates a window against the baseline profile.
    /// - Parameters:
    ///   - profile: the baseline profile (bins and counts).
    ///   - counts: window counts per bin, in the profile's bin order.
    ///   - missing: window events where the feature was missing.
    ///   - rule: method (nil = automatic), threshold (nil = the method's default), alpha, minSamples.
    ///   - designEffect: how much serial correlation inflates the variance of the window's counts
    ///     (>= 1; 1 for independent events). The p-values are computed on the window's counts
    ///     divided by it (Kish's effective sample size); scores, shares and `minSamples` use the
    ///     counts as they are.
    /// - Returns: the evaluation; malformed input (bin count mismatch, negative or non-finite counts,
    ///   a numeric-only method on a categorical feature) gives `insufficientData` with the reason.
    public static func evaluate(
        profile: FeatureProfile, counts: [Double], missing: Double, rule: AlertRule, designEffect: Double = 1
    ) -> FeatureEvaluation {
        let effect = designEffect.isFinite ? max(1, designEffect) : 1
        var verdict = EvaluationExplanation.Verdict(
            type: profile.type, drifted: false, ok: false, minSamples: rule.minSamples)
        var method: DriftMethod
        if let chosen = rule.method {
            method = chosen
        } else if rule.threshold == nil {
            // A configured threshold belongs to the type-based method: no size switch then.
            method = automaticMethod(for: profile, sampleSize: counts.reduce(0, +))
            if method != automaticMethod(for: profile) { verdict.smallSampleLimit = smallSampleLimit(for: profile) }
        } else {
            method = automaticMethod(for: profile)
        }
        if method.requiresNumeric && profile.type == .categorical {
            verdict.substitution = (method.rawValue, automaticMethod(for: profile).rawValue)
            method = automaticMethod(for: profile)
        }
        let threshold = rule.threshold ?? method.defaultThreshold
        let alpha = rule.alpha
        let baselineMissingShare = profile.missingRate
        var evaluation = FeatureEvaluation(
            feature: profile.name, type: profile.type, method: method.rawValue, score: 0, threshold: threshold,
            pValue: nil, status: .insufficientData, sampleSize: 0, missingShare: 0,
            baselineMissingShare: baselineMissingShare, missingPValue: 1, unseenShare: 0, outOfRangeShare: 0, reason: ""
        )

        let pair: HistogramPair
        do {
            pair = try HistogramPair(baseline: profile.counts, window: counts)
        } catch {
            evaluation.reason = "unusable input: \(error.description)"
            return evaluation
        }
        guard missing.isFinite, missing >= 0 else {
            evaluation.reason = "unusable input: missing count \(missing)"
            return evaluation
        }
        let present = pair.windowTotal
        let events = present + missing
        evaluation.sampleSize = events
        evaluation.missingShare = events > 0 ? missing / events : 0
        let missingTest = ContingencyTest.twoProportionZTest(
            successes1: profile.missingCount, total1: profile.presentCount + profile.missingCount,
            successes2: missing / effect, total2: events / effect)
        evaluation.missingPValue = missingTest.pValue

        // New values: the "other" bin (categorical) or the open outer bins (numeric).
        let newValueBins = newValueBinIndexes(profile: profile, binCount: pair.binCount)
        let baselineNew = newValueBins.reduce(0) { $0 + pair.baseline[$1] }
        let windowNew = newValueBins.reduce(0) { $0 + pair.window[$1] }
        let newShare = present > 0 ? windowNew / present : 0
        if profile.type == .categorical {
            evaluation.unseenShare = newShare
        } else {
            evaluation.outOfRangeShare = newShare
        }

        guard pair.baselineTotal > 0 else {
            evaluation.reason = "baseline has no values for this feature"
            return evaluation
        }
        guard events >= Double(rule.minSamples) else {
            evaluation.reason = "\(format(events)) window events, fewer than the \(rule.minSamples) needed"
            return evaluation
        }

        if missingShareMoved(
            from: baselineMissingShare, to: evaluation.missingShare, pValue: missingTest.pValue, alpha: alpha)
        {
            verdict.missingChange = .init(
                from: baselineMissingShare, to: evaluation.missingShare, pValue: missingTest.pValue)
        }

        if present >= Double(rule.minSamples) {
            let newTest = ContingencyTest.twoProportionZTest(
                successes1: baselineNew, total1: pair.baselineTotal, successes2: windowNew / effect,
                total2: present / effect)
            if newShare - newTest.firstShare >= newValueShareIncrease && newTest.pValue < alpha {
                verdict.newValueRise = .init(from: newTest.firstShare, to: newShare, pValue: newTest.pValue)
            }
            let scale = profile.summary.map { $0.std } ?? 1
            let result: DriftScore
            do {
                result = try method.score(pair, edges: profile.edges, scale: scale > 0 ? scale : 1e-3)
            } catch {
                evaluation.reason = "unusable input: \(error.description)"
                return evaluation
            }
            // Serially correlated events: the tests see the effective sample (counts / design effect).
            var testPair = pair
            if effect > 1, let scaled = try? HistogramPair(baseline: profile.counts, window: counts.map { $0 / effect })
            {
                testPair = scaled
            }
            // Anderson-Darling's p-value is interpolated and floored at 0.001 (scipy's table): below
            // that level, as the false-alert budget asks for in the daemon, significance comes from
            // the chi-square test on the same bins, as for the plain distances.
            let ownPValueReachesAlpha = method != .andersonDarling || alpha >= AndersonDarlingDistribution.pValueFloor
            let p: Double
            if method.hasOwnPValue && ownPValueReachesAlpha {
                let own =
                    effect > 1
                    ? (try? method.score(testPair, edges: profile.edges, scale: scale > 0 ? scale : 1e-3)) : result
                p = own?.pValue ?? 1
            } else {
                p = ContingencyTest.chiSquare(testPair).pValue
            }
            evaluation.score = result.score
            evaluation.pValue = p
            verdict.method = .init(
                method: method.rawValue, score: result.score, threshold: threshold, pValue: p,
                drifted: result.score >= threshold && p < alpha)
        } else {
            verdict.tooFewPresent = present
        }

        verdict.drifted = verdict.missingChange != nil || verdict.newValueRise != nil || verdict.method?.drifted == true
        if verdict.drifted {
            evaluation.status = .drifted
        } else {
            evaluation.status = present >= Double(rule.minSamples) ? .ok : .insufficientData
            verdict.ok = evaluation.status == .ok
            if verdict.ok, let m = verdict.method, m.score < m.threshold, m.pValue < smallShiftLevel(alpha: alpha) {
                verdict.smallShift = true
                evaluation.smallShift = true
            }
        }
        evaluation.explanation = EvaluationExplanation(verdict)
        return evaluation
    }

    /// Whether a missing share that moved from `baseline` to `window` is drift: by at least
    /// `missingShareChange` in either direction, and significant (`pValue < alpha`, the
    /// two-proportion z-test of the two shares).
    public static func missingShareMoved(from baseline: Double, to window: Double, pValue: Double, alpha: Double)
        -> Bool
    {
        abs(window - baseline) >= missingShareChange && pValue < alpha
    }

    // MARK: - Helpers

    static func newValueBinIndexes(profile: FeatureProfile, binCount: Int) -> [Int] {
        guard binCount > 0 else { return [] }
        switch profile.type {
        case .categorical: return [binCount - 1]
        case .numeric: return binCount > 1 ? [0, binCount - 1] : [0]
        }
    }

    static func percent(_ share: Double) -> String { EvaluationExplanation.percent(share) }
    static func format(_ x: Double) -> String { EvaluationExplanation.format(x) }
    static func pString(_ p: Double) -> String { EvaluationExplanation.pString(p) }
}
