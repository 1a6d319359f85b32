/// Scale-out over several instances (docs/architecture.md, "Scale-out"): which stages this
/// process runs and the internal topic between them.
public struct ScaleOutSettings: Sendable, Equatable {
    /// Which stages run in this process.
    public enum Mode: String, Sendable, CaseIterable {
        /// One process does everything (the embedded default, no internal topic).
        case single
        /// Decode and bin into partial panes, published to the internal topic.
        case ingest
        /// Merge partial panes, slide windows, decide, publish alerts.
        case evaluate
        /// Both stages, each with its own consumer.
        case both
    }

    /// Default internal topic.
    public static let defaultInternalTopic = "driftd-partial-panes"
    /// Default consumer group of the evaluate stage.
    public static let defaultEvaluatorGroup = "driftd-evaluator"
    /// Default events after which an open partial pane is published early.
    public static let defaultFlushEvents = 50_000

    public var mode: Mode
    /// Topic between the stages (keyed by model).
    public var internalTopic: String
    /// Consumer group of the evaluate stage.
    public var evaluatorGroup: String
    /// Partitions of each input topic as configured (`nil`: taken from the brokers' metadata at
    /// start); when set, the evaluate stage checks it against the metadata and refuses to start on a
    /// mismatch.
    public var inputPartitions: Int?
    /// Event time a partition's watermark stays behind its latest event.
    public var allowedLateness: Duration
    /// Events after which an open partial pane is published before its pane closes.
    public var flushEvents: Int
    /// Wall time an input partition must stay caught up (nothing left to read) before the ingest
    /// stage moves its watermark to the latest it knows of its other partitions; `nil`: never
    /// (docs/architecture.md, "Idle input partitions").
    public var idleTimeout: Duration?

    /// Creates settings (`single` by default).
    public init(
        mode: Mode = .single, internalTopic: String = ScaleOutSettings.defaultInternalTopic,
        evaluatorGroup: String = ScaleOutSettings.defaultEvaluatorGroup, inputPartitions: Int? = nil,
        allowedLateness: Duration = .zero, flushEvents: Int = ScaleOutSettings.defaultFlushEvents,
        idleTimeout: Duration? = nil
    ) {
        self.mode = mode
        self.internalTopic = internalTopic
        self.evaluatorGroup = evaluatorGroup
        self.inputPartitions = inputPartitions
        self.allowedLateness = allowedLateness
        self.flushEvents = flushEvents
        self.idleTimeout = idleTimeout
    }

    /// Whether this process runs the ingest stage.
    public var runsIngest: Bool { mode == .ingest || mode == .both }
    /// Whether this process runs the evaluate stage.
    public var runsEvaluate: Bool { mode == .evaluate || mode == .both }
}
