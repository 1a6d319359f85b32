/// One model's pane with the partials of every input partition merged: what the evaluator of a
/// scale-out deployment feeds to the model's monitor, in pane order.
public struct MergedPane: Sendable, Codable, Equatable {
    /// The pane (`floor(eventTime / paneMillis)`).
    public var index: Int64
    /// Events counted.
    public var events: Int
    /// Earliest and latest event time counted, epoch ms.
    public var minEventMillis: Int64
    public var maxEventMillis: Int64
    /// Histogram slots in `HistogramLayout` order.
    public var slots: [Double]
    /// Detector cell counts per column (empty for a column without detectors).
    public var cells: [[Double]]

    /// An empty pane of the given shape.
    public init(index: Int64, slotCount: Int, cellCounts: [Int]) {
        self.index = index
        self.events = 0
        self.minEventMillis = .max
        self.maxEventMillis = .min
        self.slots = [Double](repeating: 0, count: slotCount)
        self.cells = cellCounts.map { [Double](repeating: 0, count: $0) }
    }

    /// Adds a partial of this pane; entries outside the shape are ignored and counted.
    /// - Returns: the number of entries that did not fit.
    @discardableResult
    public mutating func add(_ partial: PartialPane) -> Int {
        var misfits = 0
        events += partial.events
        if partial.events > 0 {
            minEventMillis = min(minEventMillis, partial.minEventMillis)
            maxEventMillis = max(maxEventMillis, partial.maxEventMillis)
        }
        for s in partial.slots {
            if s.index >= 0 && s.index < slots.count { slots[s.index] += Double(s.count) } else { misfits += 1 }
        }
        for c in partial.cells {
            if c.column >= 0, c.column < cells.count, c.cell >= 0, c.cell < cells[c.column].count {
                cells[c.column][c.cell] += Double(c.count)
            } else {
                misfits += 1
            }
        }
        return misfits
    }

    /// The pane as a window pane.
    public var pane: Pane {
        var p = Pane(index: index, slotCount: slots.count)
        p.slots = slots
        p.events = events
        p.minEventMillis = minEventMillis
        p.maxEventMillis = maxEventMillis
        return p
    }
}
