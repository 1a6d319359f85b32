import DriftCore

/// Everything decoded from one batch of inference messages.
public struct DecodedBatch: Sendable {
    /// One entry per schema that received rows, in registry order.
    public var models: [DecodedModelBatch]
    /// Messages that produced no row, in message order.
    public var rejects: [DecodeReject]
    /// Unknown feature names seen in accepted events, per schema (bounded, see `DecoderOptions`).
    public var unknownFeatures: [UnknownFeatureCount]
    /// Unknown feature occurrences not counted by name because the bound was reached.
    public var unknownFeatureOverflow: Int
    /// Number of messages decoded.
    public var messageCount: Int

    /// Creates a decoded batch.
    /// - Parameters:
    ///   - models: Rows per schema.
    ///   - rejects: Rejected messages.
    ///   - unknownFeatures: Unknown feature counters.
    ///   - unknownFeatureOverflow: Occurrences beyond the counter bound.
    ///   - messageCount: Messages decoded.
    public init(
        models: [DecodedModelBatch], rejects: [DecodeReject], unknownFeatures: [UnknownFeatureCount],
        unknownFeatureOverflow: Int, messageCount: Int
    ) {
        self.models = models
        self.rejects = rejects
        self.unknownFeatures = unknownFeatures
        self.unknownFeatureOverflow = unknownFeatureOverflow
        self.messageCount = messageCount
    }

    /// Rows accepted, all schemas together.
    public var acceptedCount: Int { models.reduce(0) { $0 + $1.columns.rowCount } }

    /// Rows accepted by version fallback, all schemas together.
    public var versionFallbackCount: Int { models.reduce(0) { $0 + $1.versionFallbackCount } }
}
