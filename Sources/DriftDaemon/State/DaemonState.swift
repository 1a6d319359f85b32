import DriftCore

/// The daemon's state file: window and alert state per baseline, and the input offsets it covers.
///
/// Written at every checkpoint *before* offsets are committed, so on restart the daemon
/// restores the windows and skips messages below `offsets` that the broker may redeliver
/// (a crash between the write and the commit): each event counts once.
public struct DaemonState: Sendable, Codable, Equatable {
    /// Format tag.
    public static let currentFormat = "driftd.state/v1"

    public var format: String
    /// When written, RFC 3339.
    public var savedAt: String
    /// Monitor state keyed by baseline id.
    public var monitors: [String: ModelMonitor.State]
    /// Next offset to apply, per topic and partition (partition as a string key).
    public var offsets: [String: [String: Int64]]

    public init(savedAt: String, monitors: [String: ModelMonitor.State], offsets: [String: [String: Int64]]) {
        self.format = Self.currentFormat
        self.savedAt = savedAt
        self.monitors = monitors
        self.offsets = offsets
    }

    enum CodingKeys: String, CodingKey {
        case format, monitors, offsets
        case savedAt = "saved_at"
    }
}
