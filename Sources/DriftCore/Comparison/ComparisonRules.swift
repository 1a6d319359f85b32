/// How a batch comparison judges each feature: configured rules plus overrides, and the dataset rule.
///
/// Per feature, the **method** is the first of
/// 1. `featureMethods[name]` (must fit the feature's type, else `ComparisonError.methodNotApplicable`),
/// 2. `method` (skipped, with a note, for features it cannot score),
/// 3. the configured rule's method (`featureRules[name] ?? defaultRule`; skipped with a note if it
///    does not fit),
/// 4. `FeatureEvaluator.automaticMethod(for:)` (by type); `BatchComparison` then applies the
///    sample-size rule of `FeatureEvaluator.automaticMethod(for:sampleSize:)` when the method and
///    the threshold are both built in (few numeric values: `ks` on the raw values).
///
/// The **threshold** is the first of `featureThresholds[name]`, `threshold`, the configured rule's
/// threshold, then the method's default, except that the configured threshold is dropped when an
/// override replaced the configured method by a different one: a threshold belongs to the method it
/// was set with.
///
/// A feature whose configured rule is disabled is skipped unless a per-feature override names it.
/// The prediction column uses `predictionRule ?? defaultRule` and the per-feature overrides under
/// the prediction profile's name.
public struct ComparisonRules: Sendable, Equatable {
    /// The configured rule of features without an entry in `featureRules` (alpha, minimum
    /// samples, method, threshold, enabled).
    public var defaultRule: AlertRule
    /// Configured rules per feature name (e.g. `ModelConfiguration.featureRules`).
    public var featureRules: [String: AlertRule]
    /// Configured rule of the prediction column; `nil` uses `defaultRule`.
    public var predictionRule: AlertRule?
    /// Global method override, applied to every feature it can score.
    public var method: DriftMethod?
    /// Global threshold override.
    public var threshold: Double?
    /// Per-feature method overrides, by feature name.
    public var featureMethods: [String: DriftMethod]
    /// Per-feature threshold overrides, by feature name.
    public var featureThresholds: [String: Double]
    /// Override of every rule's `minSamples` (present plus missing values needed for a verdict).
    public var minSamples: Int?
    /// Share of compared features that must drift for the dataset to count as drifted, in (0, 1].
    public var driftShare: Double

    /// The default dataset drift share.
    public static let defaultDriftShare = 0.5

    /// Creates rules.
    /// - Parameters:
    ///   - defaultRule: Configured rule of features without their own entry.
    ///   - featureRules: Configured rules by feature name.
    ///   - predictionRule: Configured rule of the prediction column.
    ///   - method: Global method override.
    ///   - threshold: Global threshold override.
    ///   - featureMethods: Per-feature method overrides.
    ///   - featureThresholds: Per-feature threshold overrides.
    ///   - minSamples: Override of every rule's minimum sample count.
    ///   - driftShare: Dataset drift share, in (0, 1].
    public init(
        defaultRule: AlertRule = AlertRule(), featureRules: [String: AlertRule] = [:], predictionRule: AlertRule? = nil,
        method: DriftMethod? = nil, threshold: Double? = nil, featureMethods: [String: DriftMethod] = [:],
        featureThresholds: [String: Double] = [:], minSamples: Int? = nil,
        driftShare: Double = ComparisonRules.defaultDriftShare
    ) {
        self.defaultRule = defaultRule
        self.featureRules = featureRules
        self.predictionRule = predictionRule
        self.method = method
        self.threshold = threshold
        self.featureMethods = featureMethods
        self.featureThresholds = featureThresholds
        self.minSamples = minSamples
        self.driftShare = driftShare
    }

    // MARK: - Validation

    /// Checks the rules against a baseline: overrides name known features, per-feature methods
    /// fit their feature, thresholds are finite and non-negative, the drift share is in (0, 1]
    /// and the minimum sample count is at least 1.
    /// - Parameter baseline: The baseline the rules will be applied to.
    /// - Throws: `ComparisonError` for the first problem, in a stable order.
    public func validate(against baseline: Baseline) throws(ComparisonError) {
        guard driftShare.isFinite, driftShare > 0, driftShare <= 1 else {
            throw ComparisonError(.invalidDriftShare, "dataset drift share must be in (0, 1], got \(driftShare)")
        }
        if let minSamples, minSamples < 1 {
            throw ComparisonError(.invalidMinSamples, "minimum samples must be at least 1, got \(minSamples)")
        }
        if let threshold { try Self.checkThreshold(threshold, feature: nil) }
        let profiles = baseline.features + (baseline.prediction.map { [$0] } ?? [])
        var byName: [String: FeatureProfile] = [:]
        for profile in profiles { byName[profile.name] = profile }
        for name in Set(featureMethods.keys).union(featureThresholds.keys).sorted() {
            guard let profile = byName[name] else {
                throw ComparisonError(
                    .unknownFeature, feature: name,
                    "baseline \(baseline.id) has no feature '\(name)'\(Self.suggestion(for: name, among: profiles.map(\.name)))"
                )
            }
            if let method = featureMethods[name], !Self.method(method, fits: profile) {
                throw ComparisonError(
                    .methodNotApplicable, feature: name,
                    "\(method.rawValue) cannot score \(Self.describe(profile))")
            }
            if let threshold = featureThresholds[name] { try Self.checkThreshold(threshold, feature: name) }
        }
    }

    // MARK: - Resolution

    /// The configured rule of a profile before overrides.
    /// - Parameters:
    ///   - profile: The feature (or prediction) profile.
    ///   - isPrediction: Whether the profile is the baseline's prediction.
    /// - Returns: `predictionRule ?? defaultRule` for the prediction, else `featureRules[name] ?? defaultRule`.
    public func configuredRule(for profile: FeatureProfile, isPrediction: Bool) -> AlertRule {
        if isPrediction { return predictionRule ?? defaultRule }
        return featureRules[profile.name] ?? defaultRule
    }

    /// Whether a feature takes part in the comparison: its configured rule is enabled, or a
    /// per-feature override names it.
    /// - Parameters:
    ///   - profile: The feature (or prediction) profile.
    ///   - isPrediction: Whether the profile is the baseline's prediction.
    /// - Returns: `true` when the feature is compared.
    public func isEnabled(_ profile: FeatureProfile, isPrediction: Bool) -> Bool {
        configuredRule(for: profile, isPrediction: isPrediction).enabled
            || featureMethods[profile.name] != nil || featureThresholds[profile.name] != nil
    }

    /// Applies every layer to one feature (see the type documentation).
    /// - Parameters:
    ///   - profile: The feature (or prediction) profile.
    ///   - isPrediction: Whether the profile is the baseline's prediction.
    /// - Returns: The method, threshold and their sources. A per-feature method that does not fit
    ///   is skipped with a note here; `validate(against:)` refuses it beforehand.
    public func resolve(for profile: FeatureProfile, isPrediction: Bool) -> ResolvedComparisonRule {
        var configured = configuredRule(for: profile, isPrediction: isPrediction)
        if let minSamples { configured.minSamples = minSamples }
        var notes: [String] = []
        var chosen: (method: DriftMethod, source: ComparisonRuleSource)?
        let candidates: [(DriftMethod?, ComparisonRuleSource, String)] = [
            (featureMethods[profile.name], .featureOverride, "per-feature method"),
            (method, .override, "method override"),
            (configured.method, .configuration, "configured method")
        ]
        for case let (method?, source, label) in candidates {
            if Self.method(method, fits: profile) {
                chosen = (method, source)
                break
            }
            notes.append("\(label) \(method.rawValue) cannot score \(Self.describe(profile)), skipped")
        }
        let method = chosen?.method ?? FeatureEvaluator.automaticMethod(for: profile)
        let methodSource = chosen?.source ?? .builtIn

        let threshold: Double
        let thresholdSource: ComparisonRuleSource
        if let value = featureThresholds[profile.name] {
            (threshold, thresholdSource) = (value, .featureOverride)
        } else if let value = self.threshold {
            (threshold, thresholdSource) = (value, .override)
        } else if let value = configured.threshold,
            methodSource == .configuration || methodSource == .builtIn || configured.method == method
        {
            (threshold, thresholdSource) = (value, .configuration)
        } else {
            if configured.threshold != nil {
                notes.append(
                    "configured threshold dropped: it was set for \(configured.method?.rawValue ?? "the automatic method"), not \(method.rawValue)"
                )
            }
            (threshold, thresholdSource) = (method.defaultThreshold, .builtIn)
        }
        return ResolvedComparisonRule(
            rule: configured, method: method, threshold: threshold, methodSource: methodSource,
            thresholdSource: thresholdSource, notes: notes)
    }

    /// Whether a method can score a feature: numeric-only methods (`ks`, `cramer_von_mises`,
    /// `anderson_darling`, `wasserstein`) need a numeric feature; `z_test` needs a categorical
    /// feature with at most two categories; the others fit every feature.
    /// - Parameters:
    ///   - method: The method.
    ///   - profile: The feature profile.
    /// - Returns: `true` when the method fits.
    public static func method(_ method: DriftMethod, fits profile: FeatureProfile) -> Bool {
        if method.requiresNumeric { return profile.type == .numeric }
        if method == .zTest { return profile.type == .categorical && (profile.categories?.count ?? 0) <= 2 }
        return true
    }

    // MARK: - Private

    private static func checkThreshold(_ value: Double, feature: String?) throws(ComparisonError) {
        guard value.isFinite, value >= 0 else {
            throw ComparisonError(
                .invalidThreshold, feature: feature, "threshold must be a finite number >= 0, got \(value)")
        }
    }

    private static func describe(_ profile: FeatureProfile) -> String {
        switch profile.type {
        case .numeric: return "numeric feature \(profile.name)"
        case .categorical: return "categorical feature \(profile.name) (\(profile.categories?.count ?? 0) categories)"
        }
    }

    /// `; did you mean "x"?` for the closest name within edit distance 2, else empty.
    private static func suggestion(for name: String, among names: [String]) -> String {
        var best: (name: String, distance: Int)?
        for candidate in names {
            let d = editDistance(Array(name.utf8), Array(candidate.utf8))
            if d <= 2, d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        return best.map { "; did you mean '\($0.name)'?" } ?? ""
    }

    private static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
