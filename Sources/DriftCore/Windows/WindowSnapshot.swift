/// The content of a model's window at the moment a pane closed: what evaluation looks at.
public struct WindowSnapshot: Sendable, Equatable {
    /// Counters summed over the window's closed panes, in `HistogramLayout` order.
    public var slots: [Double]
    /// Events in the window.
    public var events: Int
    /// Earliest event time in the window, epoch ms (0 when empty).
    public var startMillis: Int64
    /// Latest event time in the window, epoch ms (0 when empty).
    public var endMillis: Int64
    /// Index of the pane whose closing produced this snapshot.
    public var closedPane: Int64

    public init(slots: [Double], events: Int, startMillis: Int64, endMillis: Int64, closedPane: Int64) {
        self.slots = slots
        self.events = events
        self.startMillis = startMillis
        self.endMillis = endMillis
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
