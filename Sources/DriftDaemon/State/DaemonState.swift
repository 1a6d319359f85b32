import DriftCore

/// The daemon's state file: window and alert state per baseline, and the input offsets it covers.
///
/// Written at every checkpoint *before* offsets are committed, so on restart the daemon
/// restores the windows and skips messages below `offsets` that the broker may redeliver
/// (a crash between the write and the commit): each event counts once.
///
/// With accuracy tracking, `accuracy` holds each model's accuracy window and alert state and
/// its newest `maxSavedPredictions` predictions waiting for labels (older ones are not saved:
/// their labels count as unmatched after a restart). State files without the key (older
/// daemons, or no accuracy tracking) still load.
public struct DaemonState: Sendable, Codable, Equatable {
    /// Format tag.
    public static let currentFormat = "driftd.state/v1"
    /// Predictions waiting for labels saved per model at most (the newest ones): about 60 bytes
    /// of JSON each, so at most about 6 MB per model are written per checkpoint.
    public static let maxSavedPredictions = 100_000

    public var format: String
    /// When written, RFC 3339.
    public var savedAt: String
    /// Monitor state keyed by baseline id.
    public var monitors: [String: ModelMonitor.State]
    /// Next offset to apply, per topic and partition (partition as a string key).
    public var offsets: [String: [String: Int64]]
    /// Accuracy tracking state keyed by baseline id; nil when no model tracks accuracy.
    public var accuracy: [String: AccuracyMonitor.State]?

    public init(
        savedAt: String, monitors: [String: ModelMonitor.State], offsets: [String: [String: Int64]],
        accuracy: [String: AccuracyMonitor.State]? = nil
    ) {
        self.format = Self.currentFormat
        self.savedAt = savedAt
        self.monitors = monitors
        self.offsets = offsets
        self.accuracy = accuracy
    }

    enum CodingKeys: String, CodingKey {
        case format, monitors, offsets, accuracy
        case savedAt = "saved_at"
    }
}
