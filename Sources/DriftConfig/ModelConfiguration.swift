import DriftCore

/// One monitored model, fully resolved: its baseline, window, evaluation cadence and rules.
public struct ModelConfiguration: Sendable, Equatable {
    /// Path of the baseline file as resolved (relative paths in a config file are resolved
    /// against the file's directory).
    public var baselinePath: String
    /// The loaded, validated baseline.
    public var baseline: Baseline
    /// The sliding window.
    public var window: WindowSpec
    /// Time between evaluations.
    public var evaluationInterval: Duration
    /// The model's rule: `defaults.drift` overlaid by the model's `drift`.
    public var defaultRule: AlertRule
    /// The rule of every baseline feature (model rule overlaid by the feature's overrides).
    public var featureRules: [String: AlertRule]
    /// The rule of the prediction column; `nil` when the baseline has no prediction profile.
    public var predictionRule: AlertRule?
    /// When the model asks for retraining.
    public var retrain: RetrainRule
    /// Accuracy tracking on delayed labels (`enabled` resolved; see docs/accuracy.md).
    public var accuracy: AccuracyRule
    /// Latency and cost: sketch accuracy, pricing and objectives (`latency:` and `cost:` keys).
    public var serving: ServingRule
    /// False alerts the model may raise per period, across all its columns and detectors
    /// (`false_alerts`, default one per 30 days).
    public var falseAlerts: FalseAlertBudget
    /// How the tensors of the `oip-v2`, `kserve-logger` and `seldon-v2` input formats become this
    /// model's features (`tensors:`), checked against the baseline at load; `nil` when not set.
    public var tensors: TensorMapping?

    /// Creates a model configuration.
    /// - Parameters:
    ///   - baselinePath: Where the baseline was loaded from.
    ///   - baseline: The baseline.
    ///   - window: The sliding window.
    ///   - evaluationInterval: Time between evaluations.
    ///   - defaultRule: The model-level rule.
    ///   - featureRules: Per-feature rules; features absent here use `defaultRule`.
    ///   - predictionRule: Rule of the prediction column.
    ///   - retrain: Retrain policy.
    ///   - accuracy: Accuracy tracking (off by default).
    ///   - falseAlerts: The model's false-alert budget.
    public init(
        baselinePath: String, baseline: Baseline, window: WindowSpec = .default,
        evaluationInterval: Duration = .seconds(10),
        defaultRule: AlertRule = AlertRule(), featureRules: [String: AlertRule] = [:], predictionRule: AlertRule? = nil,
        retrain: RetrainRule = RetrainRule(), accuracy: AccuracyRule = AccuracyRule(),
        serving: ServingRule = ServingRule(),
        falseAlerts: FalseAlertBudget = .default, tensors: TensorMapping? = nil
    ) {
        self.tensors = tensors
        self.serving = serving
        self.baselinePath = baselinePath
        self.baseline = baseline
        self.window = window
        self.evaluationInterval = evaluationInterval
        self.defaultRule = defaultRule
        self.featureRules = featureRules
        self.predictionRule = predictionRule
        self.retrain = retrain
        self.accuracy = accuracy
        self.falseAlerts = falseAlerts
    }

    /// The model identifier (`baseline.model`).
    public var model: String { baseline.model }

    /// The rule for a feature: its own entry in `featureRules`, else `defaultRule`.
    /// - Parameter feature: Feature name.
    /// - Returns: The resolved rule.
    public func rule(forFeature feature: String) -> AlertRule {
        featureRules[feature] ?? defaultRule
    }
}
