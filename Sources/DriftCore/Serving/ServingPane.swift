/// One pane of a `ServingWindow`: the latencies and costs of a slice of the stream.
public struct ServingPane: Sendable, Codable, Equatable {
    /// Pane number (count windows: sequence; time windows: event time / pane length).
    public var index: Int64
    /// Events in the pane, with or without a latency.
    public var events: Int
    /// Latencies of the pane.
    public var sketch: QuantileSketch
    /// Sum of the `cost` fields of the pane's events that carry one.
    public var costSum: Double = 0
    /// Events of the pane that carry a `cost` field.
    public var costEvents: Int = 0
    /// Earliest event time in the pane, epoch ms (`Int64.max` when empty).
    public var startMillis: Int64 = .max
    /// Latest event time in the pane, epoch ms (`Int64.min` when empty).
    public var endMillis: Int64 = .min

    /// An empty pane.
    public init(index: Int64, relativeAccuracy: Double) {
        self.index = index
        self.events = 0
        self.sketch = QuantileSketch(relativeAccuracy: relativeAccuracy)
    }

    /// Adds one event; a NaN latency or cost (absent) is not recorded, the event is counted.
    public mutating func add(latency: Double, cost: Double, timestamp: Int64) {
        events += 1
        if !latency.isNaN { sketch.add(latency) }
        if !cost.isNaN {
            costSum += cost
            costEvents += 1
        }
        if timestamp < startMillis { startMillis = timestamp }
        if timestamp > endMillis { endMillis = timestamp }
    }
}
