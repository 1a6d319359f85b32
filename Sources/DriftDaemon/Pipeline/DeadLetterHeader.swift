/// Header names of dead-letter records (docs/events.md). The value and key are the original
/// message's, unchanged.
public enum DeadLetterHeader {
    /// Stable reason code, e.g. `wrong_type`.
    public static let reason = "driftd-reason"
    /// Human-readable detail (not a stable contract).
    public static let detail = "driftd-detail"
    /// The offending field, when there is one.
    public static let field = "driftd-field"
    /// Topic the message was read from (the file, in `driftd replay`).
    public static let sourceTopic = "driftd-source-topic"
    /// Partition it was read from.
    public static let sourcePartition = "driftd-source-partition"
    /// Its offset (the line number, in `driftd replay`).
    public static let sourceOffset = "driftd-source-offset"
    /// When driftd rejected it, RFC 3339.
    public static let rejectedAt = "driftd-rejected-at"
}
