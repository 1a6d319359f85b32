/// One pane of an accuracy window: the scored labels of a contiguous slice of the label stream.
public struct AccuracyPane: Sendable, Codable, Equatable {
    /// Labels equal to the prediction.
    public var correct: Int = 0
    /// Labels scored.
    public var labelled: Int = 0
    /// Earliest label event time, epoch ms.
    public var minMillis: Int64 = .max
    /// Latest label event time, epoch ms.
    public var maxMillis: Int64 = .min

    /// An empty pane.
    public init() {}

    /// Counts one scored label.
    /// - Parameters:
    ///   - correct: Whether the prediction was right.
    ///   - millis: The label's event time.
    public mutating func add(correct: Bool, millis: Int64) {
        labelled += 1
        if correct { self.correct += 1 }
        if millis < minMillis { minMillis = millis }
        if millis > maxMillis { maxMillis = millis }
    }
}
