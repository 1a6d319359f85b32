/// Decoded inference events of one model, laid out by column for vectorised histogram updates.
///
/// Every column holds one `Double` per row: numeric columns the value, categorical columns
/// the bin index (as a `Double`) already resolved at decode time. `Double.nan` marks a
/// missing value; input NaN and infinities are rejected by the decoder, so NaN here is
/// never data.
public struct ColumnarBatch: Sendable {
    /// Schema the columns follow.
    public let schema: ModelSchema
    /// Per feature, in schema order: `rowCount` values each.
    public var features: [[Double]]
    /// Prediction values (numeric) or bin indexes (categorical); NaN when absent.
    public var predictions: [Double]
    /// Event time of each row, epoch milliseconds.
    public var timestamps: [Int64]

    /// Creates an empty batch with room for `capacity` rows.
    public init(schema: ModelSchema, capacity: Int = 0) {
        self.schema = schema
        self.features = schema.features.map { _ in
            var column: [Double] = []
            column.reserveCapacity(capacity)
            return column
        }
        self.predictions = []
        self.predictions.reserveCapacity(capacity)
        self.timestamps = []
        self.timestamps.reserveCapacity(capacity)
    }

    /// Number of rows.
    public var rowCount: Int { timestamps.count }

    /// Appends one row; `values` must have one entry per schema feature.
    public mutating func append(timestamp: Int64, values: [Double], prediction: Double) {
        precondition(values.count == features.count, "row width does not match schema")
        for i in values.indices { features[i].append(values[i]) }
        predictions.append(prediction)
        timestamps.append(timestamp)
    }

    /// Removes all rows, keeping capacity.
    public mutating func removeAll() {
        for i in features.indices { features[i].removeAll(keepingCapacity: true) }
        predictions.removeAll(keepingCapacity: true)
        timestamps.removeAll(keepingCapacity: true)
    }
}
