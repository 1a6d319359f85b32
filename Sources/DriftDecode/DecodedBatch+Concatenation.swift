import DriftCore

extension DecodedBatch {
    /// Joins the results of decoding consecutive slices of one batch of messages into the result
    /// of decoding the whole batch: rows, ids and message indexes in message order, rejects in
    /// message order, counters summed.
    ///
    /// Unknown feature names are summed by (model, version, name) in order of first appearance;
    /// each part applied `DecoderOptions.maxUnknownFeatureNames` on its own, so past that bound
    /// a name may be counted by name in one part and in `unknownFeatureOverflow` in another. The
    /// total of both is the same as one decoder's.
    /// - Parameters:
    ///   - parts: Results of decoding the slices, in slice order.
    ///   - schemaOrder: The registry's schemas; models come out in this order.
    /// - Returns: One batch; message indexes count from the first message of the first slice.
    public static func concatenating(_ parts: [DecodedBatch], schemaOrder: [ModelSchema]) -> DecodedBatch {
        if parts.count == 1 { return parts[0] }
        var models: [DecodedModelBatch] = []
        var rejects: [DecodeReject] = []
        var unknown: [UnknownFeatureCount] = []
        var unknownPosition: [UnknownKey: Int] = [:]
        var overflow = 0
        var offsets: [Int] = []
        var offset = 0
        for part in parts {
            offsets.append(offset)
            for reject in part.rejects {
                rejects.append(DecodeReject(messageIndex: reject.messageIndex + offset, error: reject.error))
            }
            for entry in part.unknownFeatures {
                let key = UnknownKey(model: entry.model, version: entry.version, name: entry.name)
                if let position = unknownPosition[key] {
                    unknown[position].count += entry.count
                } else {
                    unknownPosition[key] = unknown.count
                    unknown.append(entry)
                }
            }
            overflow += part.unknownFeatureOverflow
            offset += part.messageCount
        }
        for schema in schemaOrder {
            var merged: DecodedModelBatch?
            for (p, part) in parts.enumerated() {
                guard
                    let slice = part.models.first(where: {
                        $0.columns.schema.model == schema.model && $0.columns.schema.version == schema.version
                    })
                else { continue }
                guard var whole = merged else {
                    var first = slice
                    if offsets[p] != 0 { first.messageIndexes = slice.messageIndexes.map { $0 + offsets[p] } }
                    merged = first
                    continue
                }
                whole.append(slice, messageOffset: offsets[p])
                merged = whole
            }
            if let merged { models.append(merged) }
        }
        return DecodedBatch(
            models: models, rejects: rejects, unknownFeatures: unknown, unknownFeatureOverflow: overflow,
            messageCount: offset)
    }

    private struct UnknownKey: Hashable {
        var model: String
        var version: String
        var name: String
    }
}

extension DecodedModelBatch {
    /// Appends the rows of a later slice of the same schema.
    mutating func append(_ other: DecodedModelBatch, messageOffset: Int) {
        for c in columns.features.indices { columns.features[c].append(contentsOf: other.columns.features[c]) }
        columns.predictions.append(contentsOf: other.columns.predictions)
        columns.timestamps.append(contentsOf: other.columns.timestamps)
        latencies.append(contentsOf: other.latencies)
        costs.append(contentsOf: other.costs)
        if eventIDs != nil {
            eventIDs?.append(contentsOf: other.eventIDs ?? Array(repeating: nil, count: other.columns.rowCount))
        }
        messageIndexes.append(contentsOf: other.messageIndexes.lazy.map { $0 + messageOffset })
        versionFallbackCount += other.versionFallbackCount
    }
}
