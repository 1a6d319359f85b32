/// Where a feature's drift method or threshold came from in a batch comparison.
///
/// Layers, highest first: a per-feature override, a global override, the configured rule,
/// the built-in default (automatic method choice, the method's default threshold).
public enum ComparisonRuleSource: String, Sendable, Equatable, Codable, CaseIterable {
    /// A per-feature override (`--feature-method`, `--feature-threshold`).
    case featureOverride = "feature_override"
    /// A global override (`--method`, `--threshold`).
    case override
    /// The configured rule of the feature (config file, or the caller's `AlertRule`).
    case configuration
    /// Built in: `FeatureEvaluator.automaticMethod(for:sampleSize:)` or `DriftMethod.defaultThreshold`.
    case builtIn = "default"
}
