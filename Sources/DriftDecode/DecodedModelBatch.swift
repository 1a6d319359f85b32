import DriftCore

/// The rows of one schema decoded from a batch of messages.
public struct DecodedModelBatch: Sendable {
    /// The rows, by column (NaN = missing; categorical columns hold bin indexes).
    public var columns: ColumnarBatch
    /// Per row, the event `id` (nil when the event had none); nil unless `captureIDs` is set.
    public var eventIDs: [String?]?
    /// Per row, the index of the message it came from in the decoded batch.
    public var messageIndexes: [Int]
    /// Rows routed to this schema by version fallback.
    public var versionFallbackCount: Int

    /// Creates a model batch.
    /// - Parameters:
    ///   - columns: The rows.
    ///   - eventIDs: Event ids per row, if captured.
    ///   - messageIndexes: Source message index per row.
    ///   - versionFallbackCount: Rows that arrived by version fallback.
    public init(columns: ColumnarBatch, eventIDs: [String?]?, messageIndexes: [Int], versionFallbackCount: Int) {
        self.columns = columns
        self.eventIDs = eventIDs
        self.messageIndexes = messageIndexes
        self.versionFallbackCount = versionFallbackCount
    }
}
