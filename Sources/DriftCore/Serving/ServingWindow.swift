/// A sliding window of serving latencies and costs per (model, version), in panes like `SlidingWindow`.
///
/// The window is the last `spec.panes` closed panes; each pane holds a `QuantileSketch`, and
/// a pane's closing returns the merge of the window's panes (`ServingSnapshot`). Count windows
/// close a pane every `events / panes` events (events without a latency count too, so the
/// panes line up with the model's drift window); time windows cut panes by event time, add
/// late events to their pane while it is still in the window and drop older ones
/// (`lateEvents`). The state is `Codable` so it can be checkpointed.
public struct ServingWindow: Sendable, Codable, Equatable {
    /// How the window is cut.
    public let spec: WindowSpec
    /// Relative accuracy of the pane sketches.
    public let relativeAccuracy: Double
    /// Closed panes in the window, oldest first.
    public private(set) var closed: [ServingPane] = []
    /// The pane being filled.
    public private(set) var open: ServingPane
    /// Events dropped because their pane had already left the window.
    public private(set) var lateEvents: Int = 0
    private var started = false

    /// An empty window.
    public init(spec: WindowSpec, relativeAccuracy: Double = 0.01) {
        self.spec = spec
        self.relativeAccuracy = relativeAccuracy
        self.open = ServingPane(index: 0, relativeAccuracy: relativeAccuracy)
    }

    /// The window as it stands, or nil before the first pane has closed.
    public var snapshot: ServingSnapshot? {
        guard !closed.isEmpty else { return nil }
        var sketch = QuantileSketch(relativeAccuracy: relativeAccuracy)
        var events = 0
        var costSum = 0.0
        var costEvents = 0
        var start = Int64.max
        var end = Int64.min
        for pane in closed {
            sketch.merge(pane.sketch)
            events += pane.events
            costSum += pane.costSum
            costEvents += pane.costEvents
            start = Swift.min(start, pane.startMillis)
            end = Swift.max(end, pane.endMillis)
        }
        return ServingSnapshot(
            sketch: sketch, events: events, costSum: costSum, costEvents: costEvents,
            start: EventTime(millisecondsSinceEpoch: start == .max ? 0 : start),
            end: EventTime(millisecondsSinceEpoch: end == .min ? 0 : end))
    }

    /// Adds events (`latencies[i]`, `costs[i]` NaN when the event has none); returns one
    /// snapshot per pane closed, in order.
    public mutating func ingest(timestamps: [Int64], latencies: [Double], costs: [Double]) -> [ServingSnapshot] {
        precondition(
            timestamps.count == latencies.count && timestamps.count == costs.count, "one latency and cost per timestamp"
        )
        var result: [ServingSnapshot] = []
        switch spec {
        case .count(let events, let panes):
            let paneSize = Swift.max(1, events / Swift.max(1, panes))
            for i in timestamps.indices {
                open.add(latency: latencies[i], cost: costs[i], timestamp: timestamps[i])
                if open.events >= paneSize {
                    close(next: open.index + 1)
                    if let s = snapshot { result.append(s) }
                }
            }
        case .time(let duration, let panes):
            let paneMillis = Swift.max(1, duration.wholeMilliseconds / Int64(Swift.max(1, panes)))
            for i in timestamps.indices {
                let index = Self.floorDiv(timestamps[i], paneMillis)
                if !started {
                    started = true
                    open = ServingPane(index: index, relativeAccuracy: relativeAccuracy)
                }
                if index > open.index {
                    close(next: index)
                    if let s = snapshot { result.append(s) }
                    open.add(latency: latencies[i], cost: costs[i], timestamp: timestamps[i])
                } else if index == open.index {
                    open.add(latency: latencies[i], cost: costs[i], timestamp: timestamps[i])
                } else if let k = closed.firstIndex(where: { $0.index == index }) {
                    closed[k].add(latency: latencies[i], cost: costs[i], timestamp: timestamps[i])
                } else if index >= open.index - Int64(panes) {
                    // A pane of the window that had no event yet.
                    var pane = ServingPane(index: index, relativeAccuracy: relativeAccuracy)
                    pane.add(latency: latencies[i], cost: costs[i], timestamp: timestamps[i])
                    closed.insert(pane, at: closed.firstIndex { $0.index > index } ?? closed.count)
                } else {
                    lateEvents += 1
                }
            }
        }
        return result
    }

    /// Time windows: closes the open pane if `now` lies past its end (idle streams).
    /// Count windows: no effect.
    public mutating func advance(to now: EventTime) -> [ServingSnapshot] {
        guard case .time(let duration, let panes) = spec, started else { return [] }
        let paneMillis = Swift.max(1, duration.wholeMilliseconds / Int64(Swift.max(1, panes)))
        let index = Self.floorDiv(now.millisecondsSinceEpoch, paneMillis)
        guard index > open.index else { return [] }
        close(next: index)
        return snapshot.map { [$0] } ?? []
    }

    /// Closes the open pane, drops panes that left the window, opens pane `next`.
    private mutating func close(next: Int64) {
        closed.append(open)
        let panes = Int64(spec.panes)
        switch spec {
        case .count:
            if closed.count > spec.panes { closed.removeFirst(closed.count - spec.panes) }
        case .time:
            // The window covers panes (next - panes) ..< next.
            closed.removeAll { $0.index < next - panes }
        }
        open = ServingPane(index: next, relativeAccuracy: relativeAccuracy)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
