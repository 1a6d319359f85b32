/// One model at the evaluator of a scale-out deployment: the `PaneMerger` that assembles panes
/// from the partials of every input partition, the model's `ModelMonitor` that slides the window
/// and decides, and a `PaneDetector` per column (docs/architecture.md, "Scale-out").
public struct MergedModelMonitor: Sendable {
    /// The monitor (window, window tests, alert and retrain policy).
    public private(set) var monitor: ModelMonitor
    /// Sequence numbers, watermarks and panes in waiting.
    public private(set) var merger: PaneMerger
    /// Pane detectors per column.
    public private(set) var detectors: [PaneDetector?]
    private let cellCounts: [Int]

    /// - Parameters:
    ///   - monitor: a fresh monitor of the model (time window).
    ///   - sources: the input partitions, `topic[partition]`, every pane waits for.
    public init(monitor: ModelMonitor, sources: [String]) {
        self.monitor = monitor
        self.merger = PaneMerger(sources: sources)
        self.detectors = monitor.sequentialDetectors.map { $0.flatMap(PaneDetector.init(detector:)) }
        self.cellCounts = monitor.sequentialDetectors.map { $0?.cells.cellCount ?? 0 }
    }

    /// Merges a partial and evaluates every pane it completes, in pane order.
    public mutating func accept(_ partial: PartialPane) -> (outcome: PaneMerger.Outcome, outputs: [MonitorOutput]) {
        let outcome = merger.accept(partial, slotCount: monitor.window.layout.slotCount, cellCounts: cellCounts)
        guard outcome == .merged else { return (outcome, []) }
        var outputs: [MonitorOutput] = []
        for pane in merger.takeReady() { outputs += monitor.ingestMerged(pane, detectors: &detectors) }
        return (outcome, outputs)
    }

    /// Everything to persist.
    public struct State: Sendable, Codable, Equatable {
        public var monitor: ModelMonitor.State
        public var merger: PaneMerger
        public var detectors: [PaneDetector.State?]
    }

    /// The state to persist.
    public var state: State {
        State(monitor: monitor.state, merger: merger, detectors: detectors.map { $0?.state })
    }

    /// Restores persisted state; false (fresh state kept) when it does not fit the model.
    public mutating func restore(_ saved: State) -> Bool {
        guard saved.detectors.count == detectors.count, saved.merger.sources == merger.sources else { return false }
        var restored = monitor
        guard restored.restore(saved.monitor) else { return false }
        var panes = detectors
        for c in panes.indices {
            if let s = saved.detectors[c] { panes[c]?.restore(s) }
        }
        monitor = restored
        detectors = panes
        merger = saved.merger
        return true
    }
}
