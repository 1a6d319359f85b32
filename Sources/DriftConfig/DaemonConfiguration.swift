import DriftCore

/// Everything the daemon needs to run, resolved and validated (see `ConfigurationLoader`).
public struct DaemonConfiguration: Sendable, Equatable {
    /// The configuration file it was read from; `nil` when built from flags alone.
    public var sourceFile: String?
    /// Kafka connection and topics.
    public var kafka: KafkaSettings
    /// Input bounds.
    public var limits: LimitSettings
    /// Monitored model versions, in configuration order (a model's versions oldest first);
    /// (model, version) pairs are unique.
    public var models: [ModelConfiguration]
    /// Unknown versions, idle retirement and canary comparisons (`versions:`).
    public var versions: VersionPolicy
    /// Snapshots.
    public var state: StateSettings
    /// Metrics and health endpoint.
    public var http: HTTPSettings
    /// Logging.
    public var logging: LoggingSettings
    /// Scale-out stages (`single` by default).
    public var scaleOut: ScaleOutSettings = ScaleOutSettings()

    /// Creates a configuration (validation is `ConfigurationLoader`'s job).
    /// - Parameters:
    ///   - sourceFile: File it was read from.
    ///   - kafka: Kafka settings.
    ///   - limits: Input bounds.
    ///   - models: Monitored models.
    ///   - state: Snapshot settings.
    ///   - http: HTTP endpoint settings.
    ///   - logging: Logging settings.
    ///   - versions: Version policy.
    public init(
        sourceFile: String? = nil, kafka: KafkaSettings, limits: LimitSettings = LimitSettings(),
        models: [ModelConfiguration],
        state: StateSettings = StateSettings(), http: HTTPSettings = HTTPSettings(),
        logging: LoggingSettings = LoggingSettings(),
        versions: VersionPolicy = VersionPolicy()
    ) {
        self.versions = versions
        self.sourceFile = sourceFile
        self.kafka = kafka
        self.limits = limits
        self.models = models
        self.state = state
        self.http = http
        self.logging = logging
    }

    /// The model configuration for a model name, if monitored (its newest version: listed last).
    /// - Parameter model: Model identifier.
    /// - Returns: Its configuration.
    public func model(named model: String) -> ModelConfiguration? {
        models.last { $0.model == model }
    }
}
