import Dispatch

/// A model's sliding window over its event stream, built from panes.
///
/// The window is the last `spec.panes` *closed* panes. Ingestion adds events to the open
/// pane; when it closes (count windows: it holds `events / panes` events; time windows: an
/// event of a later pane arrives, or `advance(to:)` passes its end) the pane joins the
/// window, the oldest pane leaves it, and a `WindowSnapshot` is returned for evaluation. The
/// window's counters are kept as a running sum, so a slide costs O(slots) however long the
/// window is.
///
/// Time windows use event time. Late events (of a pane older than the open one) are added
/// to their pane while it is still inside the window and counted in the next evaluation;
/// older ones are dropped and counted in `lateEvents`. Events too far in the future are the
/// caller's concern (the daemon rejects them before ingestion, see `maxAcceptedMillis`).
public struct SlidingWindow: Sendable {
    /// How the window is cut.
    public let spec: WindowSpec
    /// Slot layout shared by panes and snapshots.
    public let layout: HistogramLayout
    /// Values per batch (rows x columns) from which columns are binned in parallel. The
    /// crossover measured on an idle 2-core machine (`Dispatch crossover` benchmarks): 0.75x at
    /// 3,072 values, 1.09x at 12,288, 1.27x at 24,576, 1.47x at 49,152 (docs/performance.md).
    public var parallelThreshold: Int = 16_384

    private let counters: [BinCounter]
    private var closed: [Pane] = []
    private var open: Pane
    private var aggregate: [Double]
    private var started = false
    /// Events dropped because their pane had already left the window.
    public private(set) var lateEvents: Int = 0

    /// An empty window for `schema`'s columns.
    public init(schema: ModelSchema, spec: WindowSpec) {
        self.spec = spec
        self.layout = HistogramLayout(schema: schema)
        self.counters = schema.allColumns.map(BinCounter.init(column:))
        self.open = Pane(index: 0, slotCount: layout.slotCount)
        self.aggregate = [Double](repeating: 0, count: layout.slotCount)
    }

    // MARK: - Reading

    /// Events in the window (closed panes only).
    public var events: Int { closed.reduce(0) { $0 + $1.events } }

    /// Events in the open pane, not yet part of the window.
    public var pendingEvents: Int { open.events }

    /// The window as it stands, or nil before the first pane has closed.
    public var snapshot: WindowSnapshot? {
        guard let last = closed.last else { return nil }
        return makeSnapshot(closedPane: last.index)
    }

    // MARK: - Ingestion

    /// Adds a batch's rows; returns one snapshot per pane closed, in order.
    public mutating func ingest(_ batch: ColumnarBatch) -> [WindowSnapshot] {
        ingest(batch, rows: 0..<batch.rowCount)
    }

    /// Adds rows `rows` of a batch (no copy of the columns); returns one snapshot per pane closed, in order.
    public mutating func ingest(_ batch: ColumnarBatch, rows: Range<Int>) -> [WindowSnapshot] {
        let rows = rows.clamped(to: 0..<batch.rowCount)
        guard !rows.isEmpty else { return [] }
        switch spec {
        case .count(let events, let panes):
            return ingestCounted(batch, rows: rows, paneSize: max(1, events / max(1, panes)))
        case .time(let duration, let panes):
            return ingestTimed(batch, rows: rows, paneMillis: max(1, duration.wholeMilliseconds / Int64(max(1, panes))))
        }
    }

    /// Time windows: closes the open pane if `now` lies past its end (idle streams).
    /// Count windows: no effect.
    public mutating func advance(to now: EventTime) -> [WindowSnapshot] {
        guard case .time(let duration, let panes) = spec, started else { return [] }
        let paneMillis = max(1, duration.wholeMilliseconds / Int64(max(1, panes)))
        let index = Self.floorDiv(now.millisecondsSinceEpoch, paneMillis)
        guard index > open.index else { return [] }
        return moveOpenPane(to: index).map { [$0] } ?? []
    }

    private mutating func ingestCounted(_ batch: ColumnarBatch, rows all: Range<Int>, paneSize: Int) -> [WindowSnapshot]
    {
        started = true
        var snapshots: [WindowSnapshot] = []
        var row = all.lowerBound
        let n = all.upperBound
        while row < n {
            let take = min(paneSize - open.events, n - row)
            let rows = row..<row + take
            accumulate(batch, rows: rows, into: &open.slots)
            open.noteTimes(batch.timestamps[rows], count: take)
            row += take
            if open.events >= paneSize, let snapshot = moveOpenPane(to: open.index + 1) {
                snapshots.append(snapshot)
            }
        }
        return snapshots
    }

    private mutating func ingestTimed(_ batch: ColumnarBatch, rows all: Range<Int>, paneMillis: Int64)
        -> [WindowSnapshot]
    {
        let indexes = batch.timestamps[all].map { Self.floorDiv($0, paneMillis) }
        if !started {
            started = true
            open.index = indexes.min() ?? 0
        }
        var snapshots: [WindowSnapshot] = []
        if let first = indexes.first, indexes.allSatisfy({ $0 == first }) {
            route(batch, rows: all, pane: first, snapshots: &snapshots)
            return snapshots
        }
        // Rows span several panes: route each pane's rows in pane order.
        var groups: [Int64: [Int]] = [:]
        for (offset, index) in indexes.enumerated() { groups[index, default: []].append(all.lowerBound + offset) }
        for pane in groups.keys.sorted() {
            let rows = groups[pane]!
            var part = ColumnarBatch(schema: batch.schema, capacity: rows.count)
            for c in part.features.indices { part.features[c] = rows.map { batch.features[c][$0] } }
            part.predictions = rows.map { batch.predictions[$0] }
            part.timestamps = rows.map { batch.timestamps[$0] }
            route(part, rows: 0..<rows.count, pane: pane, snapshots: &snapshots)
        }
        return snapshots
    }

    private mutating func route(
        _ batch: ColumnarBatch, rows: Range<Int>, pane: Int64, snapshots: inout [WindowSnapshot]
    ) {
        if pane > open.index, let snapshot = moveOpenPane(to: pane) {
            snapshots.append(snapshot)
        }
        if pane == open.index {
            accumulate(batch, rows: rows, into: &open.slots)
            open.noteTimes(batch.timestamps[rows], count: rows.count)
        } else if let i = closed.firstIndex(where: { $0.index == pane }) {
            var scratch = [Double](repeating: 0, count: layout.slotCount)
            accumulate(batch, rows: rows, into: &scratch)
            for s in scratch.indices where scratch[s] != 0 {
                closed[i].slots[s] += scratch[s]
                aggregate[s] += scratch[s]
            }
            closed[i].noteTimes(batch.timestamps[rows], count: rows.count)
        } else {
            lateEvents += rows.count
        }
    }

    /// Closes the open pane (if it holds events), slides the window, opens pane `index`.
    ///
    /// The snapshot of the closing pane is its own window, the `panes` panes ending with it; only
    /// then does the window slide on to `index`. When event time jumps by more than the window
    /// (an idle stream, a gap in the data) the slide to `index` would otherwise evict the closing
    /// pane before it was evaluated.
    private mutating func moveOpenPane(to index: Int64) -> WindowSnapshot? {
        let closing = open
        open = Pane(index: index, slotCount: layout.slotCount)
        let panes = Int64(spec.panes)
        var snapshot: WindowSnapshot?
        if !closing.isEmpty {
            closed.append(closing)
            for s in aggregate.indices { aggregate[s] += closing.slots[s] }
            evictPanes(below: closing.index + 1 - panes)
            snapshot = makeSnapshot(closedPane: closing.index)
        }
        evictPanes(below: index - panes)
        return snapshot
    }

    /// Removes the closed panes with an index below `keepFrom` from the window.
    private mutating func evictPanes(below keepFrom: Int64) {
        while let oldest = closed.first, oldest.index < keepFrom {
            for s in aggregate.indices { aggregate[s] -= oldest.slots[s] }
            closed.removeFirst()
        }
    }

    /// Adds a pane counted elsewhere (the scale-out evaluator's merged panes) as the next closed
    /// pane and slides the window; returns its snapshot. Time windows only, in ascending pane order:
    /// a pane at or below the last one added is ignored (returns nil).
    public mutating func addClosedPane(_ pane: Pane) -> WindowSnapshot? {
        guard case .time = spec, pane.slots.count == layout.slotCount, pane.events > 0 else { return nil }
        if let last = closed.last, pane.index <= last.index { return nil }
        started = true
        open = pane
        return moveOpenPane(to: pane.index + 1)
    }

    private func makeSnapshot(closedPane: Int64) -> WindowSnapshot {
        var start = Int64.max
        var end = Int64.min
        var events = 0
        for pane in closed {
            events += pane.events
            start = min(start, pane.minEventMillis)
            end = max(end, pane.maxEventMillis)
        }
        return WindowSnapshot(
            slots: aggregate, events: events, start: EventTime(millisecondsSinceEpoch: events > 0 ? start : 0),
            end: EventTime(millisecondsSinceEpoch: events > 0 ? end : 0), closedPane: closedPane)
    }

    // MARK: - Binning

    private func accumulate(_ batch: ColumnarBatch, rows: Range<Int>, into slots: inout [Double]) {
        let columns = layout.columnCount
        let featureCount = batch.features.count
        let layout = self.layout
        let counters = self.counters
        slots.withUnsafeMutableBufferPointer { target in
            nonisolated(unsafe) let target = target
            let work: @Sendable (Int) -> Void = { c in
                let column = c < featureCount ? batch.features[c][rows] : batch.predictions[rows]
                column.withUnsafeBufferPointer { counters[c].accumulate($0, into: target, base: layout.offsets[c]) }
            }
            if columns > 1 && rows.count * columns >= parallelThreshold {
                // Each column owns a disjoint slot range: no locks, results identical to serial.
                DispatchQueue.concurrentPerform(iterations: columns, execute: work)
            } else {
                for c in 0..<columns { work(c) }
            }
        }
    }

    @inline(__always)
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    // MARK: - Persistence

    /// The window's restorable state.
    public struct State: Sendable, Codable, Equatable {
        public var closed: [Pane]
        public var open: Pane
        public var started: Bool
        public var lateEvents: Int
    }

    /// The state to persist across restarts.
    public var state: State { State(closed: closed, open: open, started: started, lateEvents: lateEvents) }

    /// Restores a window from persisted state; returns nil when the state does not fit the layout
    /// (the baseline changed), in which case the caller starts an empty window.
    public init?(schema: ModelSchema, spec: WindowSpec, state: State) {
        self.init(schema: schema, spec: spec)
        let width = layout.slotCount
        guard state.open.slots.count == width, state.closed.allSatisfy({ $0.slots.count == width }),
            state.closed.count <= spec.panes
        else { return nil }
        closed = state.closed
        open = state.open
        started = state.started
        lateEvents = state.lateEvents
        for pane in closed { for s in aggregate.indices { aggregate[s] += pane.slots[s] } }
    }
}
