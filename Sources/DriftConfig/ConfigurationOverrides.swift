/// Settings given on the command line; each non-`nil` field wins over the configuration file.
///
/// Without a file, these plus the documented defaults make the whole configuration, so
/// `driftd run --brokers localhost:9092 --baseline churn.json` needs no YAML at all.
public struct ConfigurationOverrides: Sendable, Equatable {
    /// `--brokers HOST:PORT[,HOST:PORT]`: replaces `kafka.brokers`.
    public var brokers: String?
    /// `--input-topic T` (repeatable): replaces `kafka.input_topics`.
    public var inputTopics: [String]?
    /// `--alert-topic`: replaces `kafka.alert_topic`.
    public var alertTopic: String?
    /// `--retrain-topic`: replaces `kafka.retrain_topic`.
    public var retrainTopic: String?
    /// `--dead-letter-topic`: replaces `kafka.dead_letter_topic`.
    public var deadLetterTopic: String?
    /// `--group-id`: replaces `kafka.group_id`.
    public var groupID: String?
    /// `--baseline PATH` (repeatable): replaces the file's `models`; each baseline is
    /// monitored with the file's `defaults` (or the built-in defaults). Relative paths are
    /// resolved against the working directory.
    public var baselines: [String]?
    /// `--state-dir`: replaces `state.directory`.
    public var stateDirectory: String?
    /// `--http-address`: replaces `http.address`.
    public var httpAddress: String?
    /// `--http-port`: replaces `http.port`.
    public var httpPort: Int?
    /// `--log-level`: replaces `logging.level`.
    public var logLevel: LoggingSettings.Level?
    /// `--log-format`: replaces `logging.format`.
    public var logFormat: LoggingSettings.Format?

    /// Creates overrides; leave a field `nil` to keep the file's value or the default.
    public init(
        brokers: String? = nil, inputTopics: [String]? = nil, alertTopic: String? = nil, retrainTopic: String? = nil,
        deadLetterTopic: String? = nil, groupID: String? = nil, baselines: [String]? = nil,
        stateDirectory: String? = nil,
        httpAddress: String? = nil, httpPort: Int? = nil, logLevel: LoggingSettings.Level? = nil,
        logFormat: LoggingSettings.Format? = nil
    ) {
        self.brokers = brokers
        self.inputTopics = inputTopics
        self.alertTopic = alertTopic
        self.retrainTopic = retrainTopic
        self.deadLetterTopic = deadLetterTopic
        self.groupID = groupID
        self.baselines = baselines
        self.stateDirectory = stateDirectory
        self.httpAddress = httpAddress
        self.httpPort = httpPort
        self.logLevel = logLevel
        self.logFormat = logFormat
    }
}
