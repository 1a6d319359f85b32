/// A prediction held by a `PredictionStore` until its label arrives.
public struct PendingPrediction: Sendable, Equatable {
    /// The inference event's `id`.
    public var id: String
    /// Class code of the prediction (see `PredictionClasses`).
    public var predictedClass: Int32
    /// Event time of the inference event.
    public var eventTime: EventTime
    /// Whether a label has been joined to it (later labels are duplicates).
    public var labelled: Bool
    /// The prediction as scored: the numeric prediction (a score or a value), or for a
    /// categorical model the class code again.
    public var score: Double

    /// Creates a held prediction.
    /// - Parameters:
    ///   - id: Inference event id.
    ///   - predictedClass: Class code.
    ///   - eventTime: Event time of the inference event.
    ///   - labelled: Whether it has been labelled.
    ///   - score: The prediction as scored (default: the class code).
    public init(id: String, predictedClass: Int32, eventTime: EventTime, labelled: Bool = false, score: Double? = nil) {
        self.score = score ?? Double(predictedClass)
        self.id = id
        self.predictedClass = predictedClass
        self.eventTime = eventTime
        self.labelled = labelled
    }
}
