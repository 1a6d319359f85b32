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
    /// Per row, the event's `latency_ms` (NaN when absent or null).
    public var latencies: [Double]
    /// Per row, the event's `cost` (NaN when absent or null).
    public var costs: [Double]

    /// Creates a model batch.
    /// - Parameters:
    ///   - columns: The rows.
    ///   - eventIDs: Event ids per row, if captured.
    ///   - messageIndexes: Source message index per row.
    ///   - versionFallbackCount: Rows that arrived by version fallback.
    ///   - latencies: `latency_ms` per row (NaN when absent); `nil`: all absent.
    ///   - costs: `cost` per row (NaN when absent); `nil`: all absent.
    public init(
        columns: ColumnarBatch, eventIDs: [String?]?, messageIndexes: [Int], versionFallbackCount: Int,
        latencies: [Double]? = nil, costs: [Double]? = nil
    ) {
        self.columns = columns
        self.latencies = latencies ?? [Double](repeating: .nan, count: columns.rowCount)
        self.costs = costs ?? [Double](repeating: .nan, count: columns.rowCount)
        self.eventIDs = eventIDs
        self.messageIndexes = messageIndexes
        self.versionFallbackCount = versionFallbackCount
    }
}
