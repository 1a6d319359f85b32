/// The evaluator's bookkeeping for one model in a scale-out deployment: which partials were
/// merged (highest sequence per input partition), each input partition's watermark, and the
/// panes still waiting for some partition (docs/architecture.md, "Scale-out").
///
/// A pane is ready when the watermark of every expected input partition has passed it; its
/// content is then the sum of the partials of all partitions, whatever the order in which they
/// arrived. Partials are accepted per input partition strictly in sequence: a repeat (at or
/// below the highest merged) is ignored, one beyond the next expected (a gap: something before it
/// was not delivered) is ignored too, and arrives again when the ingest stage redoes its epoch.
public struct PaneMerger: Sendable, Codable, Equatable {
    /// What `accept` did with a partial.
    public enum Outcome: String, Sendable, Equatable {
        case merged
        case repeated
        case gap
        /// Of a pane already evaluated (cannot happen with a correct ingest stage; counted).
        case tooLate
    }

    /// Expected input partitions, `topic[partition]`.
    public let sources: [String]
    /// Highest sequence merged per input partition.
    public private(set) var highestSequence: [String: Int64] = [:]
    /// Watermark pane per input partition (panes below are final there).
    public private(set) var watermarks: [String: Int64] = [:]
    /// Panes with partials, not yet evaluated.
    public private(set) var pending: [Int64: MergedPane] = [:]
    /// Panes below this were handed out.
    public private(set) var closedBelow: Int64 = .min
    /// Events merged, all time.
    public private(set) var eventsMerged: Int64 = 0
    /// Events the ingest stage dropped as late, all time.
    public private(set) var lateEvents: Int64 = 0
    /// Partials ignored because their pane was already evaluated, all time.
    public private(set) var tooLate: Int64 = 0

    /// - Parameter sources: the input partitions every pane waits for.
    public init(sources: [String]) {
        self.sources = sources.sorted()
    }

    /// Merges a partial if it is the next of its partition.
    public mutating func accept(_ partial: PartialPane, slotCount: Int, cellCounts: [Int]) -> Outcome {
        let source = partial.source
        let highest = highestSequence[source] ?? 0
        if partial.sequence <= highest { return .repeated }
        if partial.sequence > highest + 1 { return .gap }
        highestSequence[source] = partial.sequence
        watermarks[source] = max(watermarks[source] ?? .min, partial.watermarkPane)
        lateEvents += Int64(partial.lateEvents)
        guard partial.events > 0 else { return .merged }
        guard partial.paneIndex >= closedBelow else {
            tooLate += 1
            return .tooLate
        }
        var pane =
            pending[partial.paneIndex]
            ?? MergedPane(index: partial.paneIndex, slotCount: slotCount, cellCounts: cellCounts)
        pane.add(partial)
        pending[partial.paneIndex] = pane
        eventsMerged += Int64(partial.events)
        return .merged
    }

    /// The lowest watermark over the expected partitions (`nil` while one has reported none).
    public var lowWatermark: Int64? {
        var low = Int64.max
        for s in sources {
            guard let w = watermarks[s] else { return nil }
            low = min(low, w)
        }
        return sources.isEmpty ? nil : low
    }

    /// Removes and returns the panes every partition has passed, in pane order.
    public mutating func takeReady() -> [MergedPane] {
        guard let low = lowWatermark, low > closedBelow else { return [] }
        let ready = pending.keys.filter { $0 < low }.sorted()
        closedBelow = low
        return ready.compactMap { pending.removeValue(forKey: $0) }
    }
}
