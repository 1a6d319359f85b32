/// One sub-window: the counters of a contiguous slice of events.
public struct Pane: Sendable, Codable, Equatable {
    /// Count windows: sequence number of the pane; time windows: `eventTime / paneMillis`.
    public var index: Int64
    /// Counters in `HistogramLayout` order.
    public var slots: [Double]
    /// Events counted.
    public var events: Int
    /// Earliest event time counted, epoch ms.
    public var minEventMillis: Int64
    /// Latest event time counted, epoch ms.
    public var maxEventMillis: Int64

    /// An empty pane.
    public init(index: Int64, slotCount: Int) {
        self.index = index
        self.slots = [Double](repeating: 0, count: slotCount)
        self.events = 0
        self.minEventMillis = .max
        self.maxEventMillis = .min
    }

    /// Whether the pane has counted nothing.
    public var isEmpty: Bool { events == 0 }

    /// Records the time range of `timestamps` (counts are added by the caller).
    mutating func noteTimes(_ timestamps: some Sequence<Int64>, count: Int) {
        for t in timestamps {
            if t < minEventMillis { minEventMillis = t }
            if t > maxEventMillis { maxEventMillis = t }
        }
        events += count
    }
}
