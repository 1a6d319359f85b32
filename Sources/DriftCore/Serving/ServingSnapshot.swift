/// A serving window as it stands after a pane closed: the merged latency sketch and cost sums of its panes.
public struct ServingSnapshot: Sendable, Equatable {
    /// Latencies in the window (events without `latency_ms` are not in it).
    public var sketch: QuantileSketch
    /// Events in the window, with or without a latency or cost.
    public var events: Int
    /// Sum of the `cost` fields of the window's events that carry one.
    public var costSum: Double
    /// Events of the window that carry a `cost` field.
    public var costEvents: Int
    /// Earliest event time in the window.
    public var start: EventTime
    /// Latest event time in the window.
    public var end: EventTime

    /// Creates a snapshot.
    public init(
        sketch: QuantileSketch, events: Int, costSum: Double, costEvents: Int, start: EventTime, end: EventTime
    ) {
        self.sketch = sketch
        self.events = events
        self.costSum = costSum
        self.costEvents = costEvents
        self.start = start
        self.end = end
    }

    /// The window's value of `statistic` (`nil` when the window holds no latency).
    public func value(of statistic: LatencyStatistic) -> Double? { statistic.value(in: sketch) }

    /// The window's cost: each event's `cost` field, or `costPer1000Predictions / 1000` for an
    /// event without one when a rate is configured; `nil` when no event has a cost.
    /// - Parameter costPer1000Predictions: The version's configured cost per 1,000 predictions.
    public func totalCost(costPer1000Predictions: Double?) -> Double? {
        let uncosted = events - costEvents
        if let rate = costPer1000Predictions {
            return costSum + Double(uncosted) * rate / 1000
        }
        return costEvents > 0 ? costSum : nil
    }

    /// Cost per 1,000 predictions in the window (over the events that have a cost).
    public func costPer1000(costPer1000Predictions: Double?) -> Double? {
        guard let total = totalCost(costPer1000Predictions: costPer1000Predictions) else { return nil }
        let costed = costPer1000Predictions == nil ? costEvents : events
        return costed > 0 ? total / Double(costed) * 1000 : nil
    }

    /// Cost per hour: the window's cost over its length. Time windows pass their configured
    /// length; count windows use the event-time span of the window (`nil` when it is 0).
    /// - Parameters:
    ///   - costPer1000Predictions: The version's configured cost per 1,000 predictions.
    ///   - windowLength: The window's length for time windows, `nil` for count windows.
    public func costPerHour(costPer1000Predictions: Double?, windowLength: Duration?) -> Double? {
        guard let total = totalCost(costPer1000Predictions: costPer1000Predictions) else { return nil }
        let span = (windowLength ?? (end - start)).wholeMilliseconds
        guard span > 0 else { return nil }
        return total / (Double(span) / 3_600_000)
    }
}
