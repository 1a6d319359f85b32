/// The ingest stage of scale-out for one input partition: bins every configured model's events
/// of that partition into event-time panes and emits `PartialPane`s (docs/architecture.md,
/// "Scale-out").
///
/// Pure and deterministic: the partials it emits, and their sequence numbers, depend only on the
/// partition's events in offset order, never on how they were batched. So a partition replayed
/// from a checkpoint (`state`) re-creates the same partials under the same sequence numbers, and
/// the evaluator drops the repeats.
///
/// The partition's watermark is its largest event time so far minus `allowedLateness`,
/// advanced event by event. When it passes a pane's end, every model emits its open partials
/// of the panes it passed (or, with none, an empty partial carrying only the watermark). An open
/// partial reaching `flushEvents` events is emitted at once. An event of a pane the watermark
/// has passed is late: dropped and counted.
public struct PartitionIngest: Sendable {
    /// A model as the ingest stage sees it.
    public struct Model: Sendable {
        /// Baseline id (the model version).
        public let baselineID: String
        /// Pane length in event time.
        public var pane: Duration { .milliseconds(paneMillis) }
        /// Pane length, event-time ms (the hot path's form of `pane`).
        let paneMillis: Int64
        /// Slot layout of the model's window.
        public let layout: HistogramLayout
        let counters: [BinCounter]
        let cells: [DetectionCells?]

        /// The ingest view of a monitor; `nil` for a count window (not defined across partitions).
        public init?(monitor: ModelMonitor) {
            guard case .time(let duration, let panes) = monitor.window.spec else { return nil }
            self.baselineID = monitor.baseline.id
            self.paneMillis = max(1, duration.wholeMilliseconds / Int64(max(1, panes)))
            self.layout = monitor.window.layout
            self.counters = monitor.schema.allColumns.map(BinCounter.init(column:))
            self.cells = monitor.sequentialDetectors.map { $0?.cells }
        }
    }

    /// One event: its offset, the model it belongs to (index into `models`) and its row in that
    /// model's batch.
    public struct Row: Sendable {
        public var offset: Int64
        public var model: Int
        public var row: Int
        /// Creates a row reference.
        public init(offset: Int64, model: Int, row: Int) {
            self.offset = offset
            self.model = model
            self.row = row
        }
    }

    /// An open partial pane.
    public struct Fragment: Sendable, Codable, Equatable {
        public var paneIndex: Int64
        public var fromOffset: Int64
        public var toOffset: Int64
        public var events: Int
        public var minEventMillis: Int64
        public var maxEventMillis: Int64
        public var slots: [Double]
        public var cells: [[Double]]
    }

    /// One model's bookkeeping in this partition.
    public struct ModelState: Sendable, Codable, Equatable {
        /// Last sequence number used.
        public var sequence: Int64 = 0
        /// Panes below this are final (nil before the first event of the partition).
        public var watermarkPane: Int64?
        /// Open partials, ascending pane.
        public var open: [Fragment] = []
        /// Late events not yet reported.
        public var late: Int = 0
    }

    /// Everything that changes: checkpointed with the partition's next offset.
    public struct State: Sendable, Codable, Equatable {
        /// Largest event time seen in the partition.
        public var maxEventMillis: Int64?
        /// Per baseline id.
        public var models: [String: ModelState] = [:]
        /// Events counted into partials, all models (for `driftd_events_applied_total` at ingest).
        public var events: Int64 = 0
        /// Events dropped as late, all models.
        public var lateEvents: Int64 = 0
        /// Creates an empty state.
        public init() {}
    }

    public let topic: String
    public let partition: Int32
    public let models: [Model]
    /// Event time the watermark stays behind the partition's largest event time.
    public var allowedLateness: Duration { .milliseconds(allowedLatenessMillis) }
    let allowedLatenessMillis: Int64
    public let flushEvents: Int
    /// The current state.
    public private(set) var state: State
    private var modelStates: [ModelState]
    private var nextBoundary: Int64 = .min

    /// - Parameters:
    ///   - state: restored state; models it lacks start empty, models it has that are not
    ///     configured are dropped.
    public init(
        topic: String, partition: Int32, models: [Model], allowedLateness: Duration, flushEvents: Int,
        state: State = State()
    ) {
        self.topic = topic
        self.partition = partition
        self.models = models
        self.allowedLatenessMillis = max(0, allowedLateness.wholeMilliseconds)
        self.flushEvents = max(1, flushEvents)
        self.state = state
        self.modelStates = models.map { model in
            var s = state.models[model.baselineID] ?? ModelState()
            // A fragment of another layout (a changed baseline keeps its id only when equal) is dropped.
            s.open = s.open.filter { $0.slots.count == model.layout.slotCount && $0.cells.count == model.cells.count }
            return s
        }
        self.state.models = Dictionary(uniqueKeysWithValues: zip(models.map(\.baselineID), modelStates))
        self.nextBoundary = computeBoundary()
    }

    /// Adds a run of the partition's events, in offset order; returns the partials emitted, in order.
    /// - Parameters:
    ///   - rows: the events.
    ///   - batches: each model's decoded batch (index = model) that `rows` point into.
    ///   - timestamps: event time of each row (`batches[row.model].timestamps[row.row]`).
    public mutating func ingest(_ rows: [Row], batches: [ColumnarBatch]) -> [PartialPane] {
        var out: [PartialPane] = []
        // Rows waiting to be binned, per model and open fragment (binned in bulk before any emission).
        var pending: [[Int64: [Int]]] = Array(repeating: [:], count: models.count)
        for row in rows {
            let batch = batches[row.model]
            let t = batch.timestamps[row.row]
            if t > (state.maxEventMillis ?? .min) {
                state.maxEventMillis = t
                if t >= nextBoundary {
                    flush(&pending, batches: batches)
                    advanceWatermark(into: &out)
                }
            }
            let m = row.model
            let pane = SlidingWindow.floorDiv(t, models[m].paneMillis)
            if let w = modelStates[m].watermarkPane, pane < w {
                modelStates[m].late += 1
                state.lateEvents += 1
                continue
            }
            let f = fragmentIndex(model: m, pane: pane, offset: row.offset)
            modelStates[m].open[f].events += 1
            modelStates[m].open[f].toOffset = row.offset + 1
            if t < modelStates[m].open[f].minEventMillis { modelStates[m].open[f].minEventMillis = t }
            if t > modelStates[m].open[f].maxEventMillis { modelStates[m].open[f].maxEventMillis = t }
            pending[m][pane, default: []].append(row.row)
            state.events += 1
            if modelStates[m].open[f].events >= flushEvents {
                flush(&pending, batches: batches)
                let fragment = modelStates[m].open.remove(at: f)
                out.append(emit(model: m, fragment))
            }
        }
        flush(&pending, batches: batches)
        for (m, s) in modelStates.enumerated() { state.models[models[m].baselineID] = s }
        return out
    }

    /// An idle partition (`scale_out.idle_timeout`): moves the partition's largest event time up to
    /// `time` as if an event of that time had arrived, without counting one: every model's
    /// watermark moves, the open partials it passes are emitted (final) and a model with none
    /// emits a watermark-only partial. Later events of panes below the new watermark are late.
    /// Unlike `ingest`, what this emits depends on when it is called, not on the partition's
    /// events: the caller must persist the resulting state before publishing the partials
    /// (docs/architecture.md, "Idle input partitions").
    /// - Returns: the partials emitted, in order; empty when `time` moves no watermark.
    public mutating func advanceIdle(to time: EventTime) -> [PartialPane] {
        let eventMillis = time.millisecondsSinceEpoch
        guard eventMillis > (state.maxEventMillis ?? .min) else { return [] }
        let before = modelStates.map(\.watermarkPane)
        let mark = eventMillis &- allowedLatenessMillis
        let moves = models.indices.contains { m in
            SlidingWindow.floorDiv(mark, models[m].paneMillis) > (before[m] ?? .min)
        }
        guard moves else { return [] }
        state.maxEventMillis = eventMillis
        var out: [PartialPane] = []
        advanceWatermark(into: &out)
        for (m, s) in modelStates.enumerated() { state.models[models[m].baselineID] = s }
        return out
    }

    /// The open fragment of `pane` (created, in pane order, if needed).
    private mutating func fragmentIndex(model m: Int, pane: Int64, offset: Int64) -> Int {
        if let i = modelStates[m].open.firstIndex(where: { $0.paneIndex == pane }) { return i }
        let layout = models[m].layout
        let fragment = Fragment(
            paneIndex: pane, fromOffset: offset, toOffset: offset, events: 0, minEventMillis: .max,
            maxEventMillis: .min,
            slots: [Double](repeating: 0, count: layout.slotCount),
            cells: models[m].cells.map { [Double](repeating: 0, count: $0?.cellCount ?? 0) })
        let at = modelStates[m].open.firstIndex(where: { $0.paneIndex > pane }) ?? modelStates[m].open.count
        modelStates[m].open.insert(fragment, at: at)
        return at
    }

    /// Bins the pending rows into their fragments.
    private mutating func flush(_ pending: inout [[Int64: [Int]]], batches: [ColumnarBatch]) {
        for m in pending.indices where !pending[m].isEmpty {
            let model = models[m]
            let batch = batches[m]
            let featureCount = batch.features.count
            for (pane, rows) in pending[m] {
                guard let f = modelStates[m].open.firstIndex(where: { $0.paneIndex == pane }) else { continue }
                var fragment = modelStates[m].open[f]
                modelStates[m].open[f].slots = []
                for c in 0..<model.layout.columnCount {
                    let column = c < featureCount ? batch.features[c] : batch.predictions
                    guard column.count == batch.rowCount else { continue }
                    let values = rows.map { column[$0] }
                    values.withUnsafeBufferPointer { source in
                        fragment.slots.withUnsafeMutableBufferPointer { target in
                            model.counters[c].accumulate(source, into: target, base: model.layout.offsets[c])
                        }
                    }
                    if let cells = model.cells[c] {
                        for v in values { fragment.cells[c][cells.cell(of: v)] += 1 }
                    }
                }
                modelStates[m].open[f] = fragment
            }
            pending[m].removeAll(keepingCapacity: true)
        }
    }

    /// Moves each model's watermark to the partition's; emits what it passed.
    private mutating func advanceWatermark(into out: inout [PartialPane]) {
        guard let high = state.maxEventMillis else { return }
        let mark = high - allowedLatenessMillis
        for m in models.indices {
            let pane = SlidingWindow.floorDiv(mark, models[m].paneMillis)
            guard pane > (modelStates[m].watermarkPane ?? .min) else { continue }
            modelStates[m].watermarkPane = pane
            var emitted = false
            while let first = modelStates[m].open.first, first.paneIndex < pane {
                modelStates[m].open.removeFirst()
                out.append(emit(model: m, first))
                emitted = true
            }
            if !emitted {
                let empty = Fragment(
                    paneIndex: pane - 1, fromOffset: 0, toOffset: 0, events: 0, minEventMillis: .max,
                    maxEventMillis: .min,
                    slots: [], cells: [])
                out.append(emit(model: m, empty))
            }
        }
        nextBoundary = computeBoundary()
    }

    /// Smallest event time at which some model's watermark moves to a further pane.
    private func computeBoundary() -> Int64 {
        var boundary = Int64.max
        for m in models.indices {
            guard let w = modelStates[m].watermarkPane else { return .min }
            let (product, overflow) = (w + 1).multipliedReportingOverflow(by: models[m].paneMillis)
            let next = overflow ? Int64.max : product &+ allowedLatenessMillis
            boundary = min(boundary, next)
        }
        return boundary
    }

    private mutating func emit(model m: Int, _ fragment: Fragment) -> PartialPane {
        modelStates[m].sequence += 1
        var slots: [PartialPane.SparseCount] = []
        for (i, x) in fragment.slots.enumerated() where x != 0 { slots.append(.init(index: i, count: Int(x))) }
        var cells: [PartialPane.CellCount] = []
        for (c, counts) in fragment.cells.enumerated() {
            for (cell, x) in counts.enumerated() where x != 0 {
                cells.append(.init(column: c, cell: cell, count: Int(x)))
            }
        }
        let late = modelStates[m].late
        modelStates[m].late = 0
        return PartialPane(
            baselineID: models[m].baselineID, topic: topic, partition: partition, sequence: modelStates[m].sequence,
            fromOffset: fragment.fromOffset, toOffset: fragment.toOffset, paneIndex: fragment.paneIndex,
            watermarkPane: modelStates[m].watermarkPane ?? fragment.paneIndex, events: fragment.events,
            minEventMillis: fragment.minEventMillis, maxEventMillis: fragment.maxEventMillis, lateEvents: late,
            slots: slots, cells: cells)
    }
}
