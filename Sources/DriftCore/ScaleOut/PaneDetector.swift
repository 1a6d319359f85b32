/// The sequential detectors of one column at the evaluator of a scale-out deployment: the
/// column's CUSUM lanes run once per merged pane on the pane's cell counts (docs/architecture.md,
/// "Sequential detectors on merged statistics").
///
/// A lane's increment over a pane is `Σ count(cell) · w(cell)`, the sum of its per-event
/// increments. The pane CUSUM `S_k = max(0, S_{k−1} + Σ_k)` is never above the per-event CUSUM at
/// the pane's end, so with the per-event threshold it alarms no more often than the per-event
/// detector under no change. Serial dependence is estimated with panes as batches (mean-square
/// successive differences of pane means over the within-pane variance, both exact from the cell
/// counts), starting from `ColumnDetector.priorBatches` pseudo-panes at `D = 1`. Declustered lanes
/// (whose increments depend on the previous event) are left out.
public struct PaneDetector: Sendable {
    /// The lanes run (the column detector's lanes that are not declustered).
    public let lanes: [DetectionLane]
    /// Indexes of `lanes` in the column detector's lanes.
    public let laneIndexes: [Int]

    /// Everything that changes, as persisted.
    public struct State: Sendable, Codable, Equatable {
        public var sums: [Double]
        public var runEvents: [Int]
        public var runStartMillis: [Int64]
        public var numerators: [Double]
        public var denominators: [Double]
        public var previousMeans: [Double?]
        public var panes: Double
        public var alarms: Int
    }

    /// The running state.
    public private(set) var state: State

    /// The detector of an alarming column detector; `nil` when it does not alarm or has no lane left.
    public init?(detector: ColumnDetector) {
        guard detector.alarming else { return nil }
        let kept = detector.lanes.indices.filter { !detector.lanes[$0].declustered }
        guard !kept.isEmpty else { return nil }
        self.laneIndexes = kept
        self.lanes = kept.map { detector.lanes[$0] }
        let n = kept.count
        self.state = State(
            sums: .init(repeating: 0, count: n), runEvents: .init(repeating: 0, count: n),
            runStartMillis: .init(repeating: 0, count: n), numerators: lanes.map(\.nullVariance),
            denominators: lanes.map(\.nullVariance), previousMeans: .init(repeating: nil, count: n),
            panes: ColumnDetector.priorBatches, alarms: 0)
    }

    /// The design effect lane `l` uses.
    public func dependence(_ l: Int) -> Double {
        state.denominators[l] > 0 ? max(1, state.numerators[l] / state.denominators[l]) : 1
    }

    /// Restores persisted state; `false` (unchanged) when it does not fit the lanes.
    @discardableResult
    public mutating func restore(_ saved: State) -> Bool {
        let n = lanes.count
        guard saved.sums.count == n, saved.runEvents.count == n, saved.runStartMillis.count == n,
            saved.numerators.count == n, saved.denominators.count == n, saved.previousMeans.count == n,
            saved.sums.allSatisfy({ $0.isFinite && $0 >= 0 })
        else { return false }
        state = saved
        return true
    }

    /// Restarts every lane's sum (after a published alarm, a window alert firing or resolving).
    public mutating func restart() {
        for l in lanes.indices {
            state.sums[l] = 0
            state.runEvents[l] = 0
        }
    }

    /// Adds one merged pane's cell counts; an alarm goes through `alerts` (with `rule`'s cooldown).
    /// - Parameters:
    ///   - runLength: in-control run length per lane, events.
    /// - Returns: the alarm raised, if any (its `row` is 0, `outcome` what the alert series made of it).
    public mutating func observe(
        cells counts: [Double], startMillis: Int64, endMillis: Int64, runLength: Double, firing: Bool,
        alerts: inout AlertStateMachine, rule: AlertRule
    ) -> ColumnDetector.Alarm? {
        let n = counts.reduce(0, +)
        guard n > 0 else { return nil }
        var best = -1
        var bestRatio = 1.0
        var thresholds = [Double](repeating: .infinity, count: lanes.count)
        for (l, lane) in lanes.enumerated() {
            var sum = 0.0
            var squares = 0.0
            let w = lane.increments
            for c in counts.indices where counts[c] != 0 && c < w.count {
                sum += counts[c] * w[c]
                squares += counts[c] * w[c] * w[c]
            }
            let mean = sum / n
            let variance = max(0, squares / n - mean * mean)
            // Dependence: batch means over panes; a pane that begins while the alert fires does not teach it.
            if !firing, let previous = state.previousMeans[l] {
                let k = min(state.panes + 1, ColumnDetector.dependenceMemory)
                let limit = ColumnDetector.winsorLimit * dependence(l) * state.denominators[l]
                let term = min(n * (mean - previous) * (mean - previous) / 2, limit)
                state.numerators[l] += (term - state.numerators[l]) / k
                state.denominators[l] += (variance - state.denominators[l]) / k
            }
            state.previousMeans[l] = firing ? nil : mean
            let before = state.sums[l]
            let after = max(0, before + sum)
            state.sums[l] = after
            if after == 0 {
                state.runEvents[l] = 0
            } else {
                if before == 0 { state.runStartMillis[l] = startMillis }
                state.runEvents[l] += Int(n)
            }
            let threshold = lane.threshold(runLength: runLength, dependence: dependence(l))
            thresholds[l] = threshold
            if after > threshold, after / threshold > bestRatio {
                best = l
                bestRatio = after / threshold
            }
        }
        if !firing { state.panes = min(state.panes + 1, ColumnDetector.dependenceMemory) }
        guard best >= 0 else { return nil }
        let lane = lanes[best]
        let outcome = alerts.observeDetection(
            kind: lane.name, rule: rule, now: EventTime(millisecondsSinceEpoch: endMillis))
        state.alarms &+= 1
        let sum = state.sums[best]
        let events = state.runEvents[best]
        let alarm = ColumnDetector.Alarm(
            row: 0, lane: laneIndexes[best], name: lane.name, kind: lane.kind, statistic: sum,
            threshold: thresholds[best],
            events: events, start: EventTime(millisecondsSinceEpoch: state.runStartMillis[best]),
            end: EventTime(millisecondsSinceEpoch: endMillis),
            estimate: lane.estimate(statistic: sum, events: events), dependence: dependence(best), outcome: outcome)
        // A held alarm keeps its sums (it is tried again at the next pane, after the cooldown).
        if outcome != .held { restart() }
        return alarm
    }
}
