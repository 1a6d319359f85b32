/// One pane of a performance window: the scored labels of a contiguous slice of the label
/// stream, with the (prediction, label) pairs the metrics are computed from.
public struct AccuracyPane: Sendable, Codable, Equatable {
    /// Labels equal to the prediction (classifiers).
    public var correct: Int = 0
    /// Labels scored.
    public var labelled: Int = 0
    /// Earliest label event time, epoch ms.
    public var minMillis: Int64 = .max
    /// Latest label event time, epoch ms.
    public var maxMillis: Int64 = .min
    /// Earliest event time of the labelled predictions (the inference events), epoch ms.
    public var dataMinMillis: Int64 = .max
    /// Latest event time of the labelled predictions, epoch ms.
    public var dataMaxMillis: Int64 = .min
    /// Per scored label: the prediction (score, class code or value; see `PerformanceMetrics`).
    public var predictions: [Double] = []
    /// Per scored label: the label (class code or value).
    public var labels: [Double] = []

    /// An empty pane.
    public init() {}

    /// Whether the pane holds its pairs (false for a pane saved before they were kept).
    public var hasPairs: Bool { predictions.count == labelled && labels.count == labelled }

    /// Counts one scored label.
    /// - Parameters:
    ///   - correct: Whether the prediction was right (classifiers; false for regression).
    ///   - millis: The label's event time.
    ///   - prediction: The prediction as scored.
    ///   - label: The label as scored.
    ///   - dataMillis: The prediction's event time.
    public mutating func add(
        correct: Bool, millis: Int64, prediction: Double = 0, label: Double = 0, dataMillis: Int64? = nil
    ) {
        labelled += 1
        if correct { self.correct += 1 }
        if millis < minMillis { minMillis = millis }
        if millis > maxMillis { maxMillis = millis }
        let data = dataMillis ?? millis
        if data < dataMinMillis { dataMinMillis = data }
        if data > dataMaxMillis { dataMaxMillis = data }
        predictions.append(prediction)
        labels.append(label)
    }

    enum CodingKeys: String, CodingKey {
        case correct, labelled, minMillis, maxMillis, predictions, labels
        case dataMinMillis = "data_min_ms"
        case dataMaxMillis = "data_max_ms"
    }

    /// Encodes the counts, and the pairs compactly (base64 of the doubles' bit patterns).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(correct, forKey: .correct)
        try c.encode(labelled, forKey: .labelled)
        try c.encode(minMillis, forKey: .minMillis)
        try c.encode(maxMillis, forKey: .maxMillis)
        try c.encode(dataMinMillis, forKey: .dataMinMillis)
        try c.encode(dataMaxMillis, forKey: .dataMaxMillis)
        try c.encode(LittleEndianBlob.encode(predictions.map(\.bitPattern)), forKey: .predictions)
        try c.encode(LittleEndianBlob.encode(labels.map(\.bitPattern)), forKey: .labels)
    }

    /// Decodes a pane; one saved before pairs were kept decodes without them (`hasPairs` false).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        correct = try c.decode(Int.self, forKey: .correct)
        labelled = try c.decode(Int.self, forKey: .labelled)
        minMillis = try c.decode(Int64.self, forKey: .minMillis)
        maxMillis = try c.decode(Int64.self, forKey: .maxMillis)
        dataMinMillis = try c.decodeIfPresent(Int64.self, forKey: .dataMinMillis) ?? minMillis
        dataMaxMillis = try c.decodeIfPresent(Int64.self, forKey: .dataMaxMillis) ?? maxMillis
        func doubles(_ key: CodingKeys) throws -> [Double] {
            guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return [] }
            guard let bits: [UInt64] = LittleEndianBlob.decode(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c, debugDescription: "not base64 of 8-byte values")
            }
            return bits.map(Double.init(bitPattern:))
        }
        predictions = try doubles(.predictions)
        labels = try doubles(.labels)
    }
}
