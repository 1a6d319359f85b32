import DriftCore

/// The configuration file as read, before overrides, defaults and baselines are applied.
/// Every value keeps its location.
struct ConfigurationDraft {
    /// Settings that may appear in `defaults` and in each model.
    struct Layer {
        var window: Located<WindowSpec>?
        var evaluationIntervalMillis: Located<Int64>?
        var drift = DriftRuleDraft()
        var retrain = RetrainDraft()
        var accuracy = AccuracyDraft()
        var serving = ServingDraft()
        var falseAlerts: Located<FalseAlertBudget>?
    }

    /// One entry of `models`.
    struct Model {
        var location: ConfigurationLocation
        var baseline: Located<String>?
        var layer = Layer()
        var features: [(name: Located<String>, rule: DriftRuleDraft)] = []
        var prediction: Located<DriftRuleDraft>?
        var tensors: TensorsDraft?
    }

    /// `models[].tensors`: how tensors become features, with the location of every name.
    struct TensorsDraft {
        var location: ConfigurationLocation
        var inputs: [(tensor: Located<String>, columns: [Located<String?>])] = []
        var prediction: Located<TensorMapping.Output>?
    }

    /// The `kafka` section.
    struct Kafka {
        var brokers: Located<String>?
        var groupID: Located<String>?
        var inputTopics: Located<[String]>?
        /// Each input topic's settings and the location of its list entry.
        var inputTopicSettings: [Located<InputTopic>] = []
        var joinTTLMillis: Located<Int64>?
        var joinMaxPending: Located<Int>?
        var labelTopics: Located<[String]>?
        var alertTopic: Located<String>?
        var retrainTopic: Located<String>?
        var deadLetterTopic: Located<String>?
        var properties: Located<[Located<String>: String]>?
        var consumerProperties: Located<[Located<String>: String]>?
        var producerProperties: Located<[Located<String>: String]>?
        var batchSize: Located<Int>?
    }

    var root: ConfigurationLocation
    var kafka = Kafka()
    var maxEventBytes: Located<Int>?
    var maxFutureSkewMillis: Located<Int64>?
    var decodeThreads: Located<Int>?
    var defaults = Layer()
    var models: Located<[Model]>?
    /// The `versions` section (unknown versions, idle retirement, canaries).
    var versions = VersionsDraft()
    /// Where the `versions` section is, for errors that span it.
    var versionsLocation: ConfigurationLocation?
    /// Whether the document has a `models` key (even one that failed to read).
    var hasModelsKey = false
    var stateDirectory: Located<String?>?
    var stateTopic: Located<String?>?
    var checkpointIntervalMillis: Located<Int64>?
    var scaleOutMode: Located<ScaleOutSettings.Mode>?
    var scaleOutInternalTopic: Located<String>?
    var scaleOutEvaluatorGroup: Located<String>?
    var scaleOutInputPartitions: Located<Int>?
    var scaleOutLatenessMillis: Located<Int64>?
    var scaleOutFlushEvents: Located<Int>?
    var scaleOutIdleTimeoutMillis: Located<Int64>?
    var scaleOutLocation: ConfigurationLocation?
    var httpEnabled: Located<Bool>?
    var httpAddress: Located<String>?
    var httpPort: Located<Int>?
    var logLevel: Located<LoggingSettings.Level>?
    var logFormat: Located<LoggingSettings.Format>?

    init(root: ConfigurationLocation) {
        self.root = root
    }
}

extension Located: Hashable, Equatable where Value: Hashable {
    static func == (lhs: Located, rhs: Located) -> Bool { lhs.value == rhs.value }
    func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
