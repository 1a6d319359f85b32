/// Everything the daemon needs to run, resolved and validated (see `ConfigurationLoader`).
public struct DaemonConfiguration: Sendable, Equatable {
    /// The configuration file it was read from; `nil` when built from flags alone.
    public var sourceFile: String?
    /// Kafka connection and topics.
    public var kafka: KafkaSettings
    /// Input bounds.
    public var limits: LimitSettings
    /// Monitored models, in configuration order; model names are unique.
    public var models: [ModelConfiguration]
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
    public init(
        sourceFile: String? = nil, kafka: KafkaSettings, limits: LimitSettings = LimitSettings(), models: [ModelConfiguration],
        state: StateSettings = StateSettings(), http: HTTPSettings = HTTPSettings(), logging: LoggingSettings = LoggingSettings()
    ) {
        self.sourceFile = sourceFile
        self.kafka = kafka
        self.limits = limits
        self.models = models
        self.state = state
        self.http = http
        self.logging = logging
    }

    /// The model configuration for a model name, if monitored.
    /// - Parameter model: Model identifier.
    /// - Returns: Its configuration.
    public func model(named model: String) -> ModelConfiguration? {
        models.first { $0.model == model }
    }
}
