/// The content of a model's window at the moment a pane closed: what evaluation looks at.
public struct WindowSnapshot: Sendable, Equatable {
    /// Counters summed over the window's closed panes, in `HistogramLayout` order.
    public var slots: [Double]
    /// Events in the window.
    public var events: Int
    /// Earliest event time in the window (the epoch when empty).
    public var start: EventTime
    /// Latest event time in the window (the epoch when empty).
    public var end: EventTime
    /// Index of the pane whose closing produced this snapshot.
    public var closedPane: Int64

    /// Creates a snapshot.
    /// - Parameters:
    ///   - slots: Counters summed over the window's panes.
    ///   - events: Events in the window.
    ///   - start: Earliest event time.
    ///   - end: Latest event time.
    ///   - closedPane: Index of the pane whose closing produced it.
    public init(slots: [Double], events: Int, start: EventTime, end: EventTime, closedPane: Int64) {
        self.slots = slots
        self.events = events
        self.start = start
        self.end = end
        self.closedPane = closedPane
    }

    /// Counts of column `c`'s bins, in bin order.
    public func binCounts(column c: Int, layout: HistogramLayout) -> ArraySlice<Double> {
        slots[layout.binRange(column: c)]
    }

    /// Missing values of column `c`.
    public func missing(column c: Int, layout: HistogramLayout) -> Double {
        slots[layout.missingSlot(column: c)]
    }
}
