import Foundation

/// Compares a candidate version with the incumbent on their live events of the same event-time
/// range and decides once: roll back or promote (`CanaryRule`; docs/statistics.md, "Canary comparison").
///
/// Events are summed per pane of `rule.step` event time. A pane closes once events a full
/// pane later have been seen (events older than a closed pane are counted in `lateEvents` and
/// left out), and the comparison starts with the first pane in which the candidate has events:
/// the incumbent's events before it are not compared. After each closed pane, every quantity's
/// difference (candidate − incumbent) gets a normal-mixture confidence sequence
/// (`ConfidenceSequence`) at level `alpha / K` for `K` quantities, mixing variance the squared
/// margin. Rollback: an interval lies beyond its margin on the worse side. Promote: both versions
/// have `minEvents` events and every interval lies within its margins. The decision is made once;
/// the state, decision included, is `Codable` for checkpoints, so a replay after a rollback or a
/// crash makes the same decision on the same panes.
public struct CanaryComparison: Sendable {
    /// Which version an event belongs to.
    public enum Arm: Int, Sendable {
        case incumbent = 0
        case candidate = 1
    }

    /// One compared quantity, resolved against both versions' schemas.
    public struct Quantity: Sendable, Equatable {
        /// Name in payloads.
        public var name: String
        /// Its metric.
        public var metric: CanaryMetric
        /// Margin on the test scale (latency: ln of the ratio).
        public var margin: Double
        /// Which way is worse.
        public var direction: Direction
        /// Where the value comes from, per arm.
        var source: Source
    }

    /// Which way a quantity is worse.
    public enum Direction: String, Sendable, Equatable {
        /// A move either way (a difference from the incumbent).
        case twoSided = "two_sided"
        case higherIsWorse = "higher_is_worse"
        case lowerIsWorse = "lower_is_worse"
    }

    enum Source: Sendable, Equatable {
        /// Numeric column (`nil`: the prediction), divided by `scale`.
        case numeric(column: [Int?], scale: Double)
        /// Indicator of a category: per arm the column (`nil`: the prediction) and the bin index.
        case category(column: [Int?], bin: [Int])
        case latency
        /// 1 per rejected event, 0 per applied one (`recordRejects`).
        case rejects
        /// 1 per correct joined label, 0 per wrong one (`recordLabel`).
        case accuracy
    }

    /// Checkpointed state.
    public struct State: Sendable, Codable, Equatable {
        /// Moments per arm per quantity over the closed panes since the start.
        public var totals: [[RunningMoments]]
        /// Events per arm over the closed panes since the start.
        public var events: [Int]
        /// Open panes by index: moments per arm per quantity, and events per arm.
        public var panes: [Int64: Pane]
        /// Index of the last closed pane; nil before any closed.
        public var closedThrough: Int64?
        /// Index of the first compared pane; nil until the candidate has an event in a closed pane.
        public var startPane: Int64?
        /// Latency sketches per arm over the compared range.
        public var latency: [QuantileSketch]
        /// The decision, once made.
        public var decision: CanaryPayload?
        /// Events that came after their pane had closed.
        public var lateEvents: Int
        /// The rule the state was made under (a changed rule starts afresh).
        public var rule: CanaryRule
    }

    /// Sums of one open pane.
    public struct Pane: Sendable, Codable, Equatable {
        public var moments: [[RunningMoments]]
        public var events: [Int]
        public var latency: [QuantileSketch]
    }

    /// The rule.
    public let rule: CanaryRule
    /// The compared quantities.
    public let quantities: [Quantity]
    /// The state.
    public private(set) var state: State

    /// Builds the comparison of two versions.
    /// - Parameters:
    ///   - rule: The canary rule.
    ///   - incumbent: The incumbent's baseline.
    ///   - candidate: The candidate's baseline.
    /// - Throws: `BaselineError` when a schema cannot be built.
    public init(rule: CanaryRule, incumbent: Baseline, candidate: Baseline) throws(BaselineError) {
        let schemas = [try ModelSchema(baseline: incumbent), try ModelSchema(baseline: candidate)]
        var quantities: [Quantity] = []
        for metric in rule.margins.keys.sorted() {
            let margin = rule.margins[metric] ?? 1
            switch metric {
            case .prediction:
                guard let profile = incumbent.prediction, candidate.prediction != nil else { continue }
                quantities += Self.resolve(
                    name: "prediction", profile: profile, columns: [nil, nil], schemas: schemas, metric: metric,
                    margin: margin,
                    scale: 1)
            case .features:
                for profile in incumbent.features {
                    guard let c = schemas[1].featureIndex[profile.name], let i = schemas[0].featureIndex[profile.name]
                    else { continue }
                    let sd = profile.summary?.std ?? 1
                    quantities += Self.resolve(
                        name: "feature:\(profile.name)", profile: profile, columns: [i, c], schemas: schemas,
                        metric: metric,
                        margin: margin, scale: sd > 0 && sd.isFinite ? sd : 1)
                }
            case .latency:
                quantities.append(
                    Quantity(
                        name: "latency", metric: .latency, margin: log(margin), direction: .higherIsWorse,
                        source: .latency))
            case .rejectRate:
                quantities.append(
                    Quantity(
                        name: "reject_rate", metric: .rejectRate, margin: margin, direction: .higherIsWorse,
                        source: .rejects))
            case .accuracy:
                quantities.append(
                    Quantity(
                        name: "accuracy", metric: .accuracy, margin: margin, direction: .lowerIsWorse, source: .accuracy
                    ))
            }
        }
        self.rule = rule
        self.quantities = quantities
        self.state = Self.emptyState(rule: rule, count: quantities.count)
    }

    private static func emptyState(rule: CanaryRule, count: Int) -> State {
        State(
            totals: [[RunningMoments]](
                repeating: [RunningMoments](repeating: RunningMoments(), count: count), count: 2),
            events: [0, 0], panes: [:], closedThrough: nil, startPane: nil,
            latency: [QuantileSketch(), QuantileSketch()], decision: nil, lateEvents: 0, rule: rule)
    }

    private static func resolve(
        name: String, profile: FeatureProfile, columns: [Int?], schemas: [ModelSchema], metric: CanaryMetric,
        margin: Double,
        scale: Double
    ) -> [Quantity] {
        guard profile.type == .categorical else {
            return [
                Quantity(
                    name: name, metric: metric, margin: margin, direction: .twoSided,
                    source: .numeric(column: columns, scale: scale))
            ]
        }
        var result: [Quantity] = []
        for category in profile.categories ?? [] {
            let bins = (0..<2).map { arm -> Int? in
                let column = columns[arm].map { schemas[arm].features[$0] } ?? schemas[arm].prediction
                return column?.categoryIndex[category]
            }
            guard let b0 = bins[0], let b1 = bins[1] else { continue }
            result.append(
                Quantity(
                    name: "\(name)[\(category)]", metric: metric, margin: margin, direction: .twoSided,
                    source: .category(column: columns, bin: [b0, b1])))
        }
        return result
    }

    /// Restores a checkpointed state; false (and a fresh state kept) when it was made under another rule.
    public mutating func restore(_ saved: State) -> Bool {
        guard saved.rule == rule, saved.totals.allSatisfy({ $0.count == quantities.count }) else { return false }
        state = saved
        return true
    }

    /// Whether the comparison has decided.
    public var isDecided: Bool { state.decision != nil }

    /// Adds one version's rows to their panes.
    /// - Parameters:
    ///   - arm: The version.
    ///   - batch: Its rows.
    ///   - latencies: `latency_ms` per row (NaN: absent); may be empty.
    public mutating func ingest(_ arm: Arm, batch: ColumnarBatch, latencies: [Double]) {
        guard state.decision == nil else { return }
        let a = arm.rawValue
        for r in 0..<batch.rowCount {
            let pane =
                batch.timestamps[r] >= 0
                ? batch.timestamps[r] / rule.stepMillis : (batch.timestamps[r] + 1) / rule.stepMillis - 1
            if let closed = state.closedThrough, pane <= closed {
                state.lateEvents += 1
                continue
            }
            var open =
                state.panes[pane]
                ?? Pane(
                    moments: [[RunningMoments]](
                        repeating: [RunningMoments](repeating: RunningMoments(), count: quantities.count), count: 2),
                    events: [0, 0], latency: [QuantileSketch(), QuantileSketch()])
            open.events[a] += 1
            let latency = r < latencies.count ? latencies[r] : .nan
            for (k, q) in quantities.enumerated() {
                let value: Double
                switch q.source {
                case .numeric(let column, let scale):
                    let raw = column[a].map { batch.features[$0][r] } ?? batch.predictions[r]
                    value = raw / scale
                case .category(let column, let bin):
                    let raw = column[a].map { batch.features[$0][r] } ?? batch.predictions[r]
                    value = raw.isNaN ? .nan : (Int(raw) == bin[a] ? 1 : 0)
                case .latency:
                    value = latency > 0 ? log(latency) : .nan
                case .rejects:
                    value = 0
                case .accuracy:
                    value = .nan
                }
                if !value.isNaN { open.moments[a][k].add(value) }
            }
            if latency > 0 { open.latency[a].add(latency) }
            state.panes[pane] = open
        }
    }

    /// Counts rejected events of a version (in the pane of event time `at`; events of closed panes
    /// are late): each a 1 of the reject-rate quantity, beside the 0 of every applied event.
    public mutating func recordRejects(_ arm: Arm, count: Int, at time: EventTime) {
        record(
            arm, source: .rejects, values: [Double](repeating: 1, count: count), atMillis: time.millisecondsSinceEpoch)
    }

    /// Counts a joined label of a version's prediction: 1 when correct, 0 when not (in the pane
    /// of the label's time).
    public mutating func recordLabel(_ arm: Arm, correct: Bool, at time: EventTime) {
        record(arm, source: .accuracy, values: [correct ? 1 : 0], atMillis: time.millisecondsSinceEpoch)
    }

    private mutating func record(_ arm: Arm, source: Source, values: [Double], atMillis: Int64) {
        guard state.decision == nil, !values.isEmpty, let k = quantities.firstIndex(where: { $0.source == source })
        else { return }
        let pane = Self.floorDiv(atMillis, rule.stepMillis)
        if let closed = state.closedThrough, pane <= closed {
            state.lateEvents += values.count
            return
        }
        var open =
            state.panes[pane]
            ?? Pane(
                moments: [[RunningMoments]](
                    repeating: [RunningMoments](repeating: RunningMoments(), count: quantities.count), count: 2),
                events: [0, 0], latency: [QuantileSketch(), QuantileSketch()])
        for value in values { open.moments[arm.rawValue][k].add(value) }
        state.panes[pane] = open
    }

    /// Closes the panes that ended a full pane before `watermark` (the latest event time of
    /// either version), evaluating after each; returns the decision when one is made now.
    public mutating func advance(to watermark: EventTime) -> CanaryPayload? {
        guard state.decision == nil else { return nil }
        let lastClosable = Self.floorDiv(watermark.millisecondsSinceEpoch, rule.stepMillis) - 2
        for pane in state.panes.keys.sorted() where pane <= lastClosable {
            guard let open = state.panes.removeValue(forKey: pane) else { continue }
            state.closedThrough = pane
            if state.startPane == nil {
                guard open.events[Arm.candidate.rawValue] > 0 else { continue }
                state.startPane = pane
            }
            for a in 0..<2 {
                state.events[a] += open.events[a]
                state.latency[a].merge(open.latency[a])
                for k in quantities.indices { state.totals[a][k].merge(open.moments[a][k]) }
            }
            if let decision = evaluate(paneEnd: (pane + 1) * rule.stepMillis) {
                state.decision = decision
                state.panes.removeAll()
                return decision
            }
        }
        if let closed = state.closedThrough, closed < lastClosable { state.closedThrough = lastClosable }
        return nil
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : (a + 1) / b - 1
    }

    /// The comparison of every quantity now, without deciding (for status pages and tests).
    public var comparisons: [CanaryPayload.Comparison] {
        let alphaEach = rule.alpha / Double(max(1, quantities.count))
        return quantities.indices.compactMap { compare($0, alpha: alphaEach) }
    }

    private func compare(_ k: Int, alpha: Double) -> CanaryPayload.Comparison? {
        let q = quantities[k]
        let inc = state.totals[0][k]
        let cand = state.totals[1][k]
        guard inc.count >= 2, cand.count >= 2 else { return nil }
        let d = cand.mean - inc.mean
        let v = max(cand.variance / cand.count + inc.variance / inc.count, 1e-12)
        let h = ConfidenceSequence.halfWidth(variance: v, mixingVariance: q.margin * q.margin, alpha: alpha)
        let worse =
            switch q.direction {
            case .twoSided: d - h > q.margin || d + h < -q.margin
            case .higherIsWorse: d - h > q.margin
            case .lowerIsWorse: d + h < -q.margin
            }
        let latency = q.source == .latency
        return CanaryPayload.Comparison(
            quantity: q.name, metric: q.metric,
            incumbentValue: latency ? exp(inc.mean) : inc.mean, candidateValue: latency ? exp(cand.mean) : cand.mean,
            difference: latency ? exp(d) : d, lower: latency ? exp(d - h) : d - h, upper: latency ? exp(d + h) : d + h,
            margin: latency ? exp(q.margin) : q.margin, direction: q.direction.rawValue, worse: worse,
            incumbentEvents: Int(inc.count), candidateEvents: Int(cand.count))
    }

    /// How far a comparison's interval lies beyond its margin, in margins (for ordering).
    private func excess(_ c: CanaryPayload.Comparison) -> Double {
        if c.metric == .latency { return log(c.lower) / log(c.margin) - 1 }
        return max(c.lower - c.margin, -c.margin - c.upper) / c.margin
    }

    private func evaluate(paneEnd: Int64) -> CanaryPayload? {
        guard state.events.allSatisfy({ $0 >= CanaryRule.warmupEvents }) else { return nil }
        let current = comparisons
        let worse = current.filter(\.worse).sorted { excess($0) > excess($1) }
        let decision: String
        if let first = worse.first {
            decision = "rollback"
            _ = first
        } else if state.events.allSatisfy({ $0 >= rule.minEvents }), current.count == quantities.count,
            current.allSatisfy({ c in
                switch c.direction {
                case Direction.higherIsWorse.rawValue: c.metric == .latency ? c.upper <= c.margin : c.upper <= c.margin
                case Direction.lowerIsWorse.rawValue: c.lower >= -c.margin
                default: c.lower >= -c.margin && c.upper <= c.margin
                }
            })
        {
            decision = "promote"
        } else {
            return nil
        }
        let start = (state.startPane ?? 0) * rule.stepMillis
        let events = state.events[0] + state.events[1]
        let lead = worse.first
        var p99: CanaryPayload.Percentile?
        if let i = state.latency[0].quantile(0.99), let c = state.latency[1].quantile(0.99) {
            p99 = CanaryPayload.Percentile(incumbent: i, candidate: c)
        }
        let reason: String
        if let lead {
            reason =
                "candidate \(rule.candidate) is worse than incumbent \(rule.incumbent) beyond the margin on "
                + worse.map(\.quantity).joined(separator: ", ")
                + " (\(lead.quantity): \(Self.short(lead.candidateValue)) vs \(Self.short(lead.incumbentValue)), interval [\(Self.short(lead.lower)), \(Self.short(lead.upper))], margin \(Self.short(lead.margin)))"
        } else {
            reason =
                "candidate \(rule.candidate) is within the margins of incumbent \(rule.incumbent) on all \(current.count) compared quantities after \(state.events[1]) candidate and \(state.events[0]) incumbent events"
        }
        return CanaryPayload(
            model: rule.model, incumbent: rule.incumbent, candidate: rule.candidate, decision: decision,
            metric: lead?.quantity, worse: worse.map(\.quantity), incumbentValue: lead?.incumbentValue,
            candidateValue: lead?.candidateValue, interval: lead.map { [$0.lower, $0.upper] }, comparisons: current,
            events: CanaryPayload.Events(incumbent: state.events[0], candidate: state.events[1]),
            window: EventWindow(
                start: RFC3339.format(millis: start), end: RFC3339.format(millis: paneEnd), events: events),
            latencyP99: p99, alpha: rule.alpha, method: "msprt_normal_mixture",
            fingerprint: Fingerprint.of(rule.model, rule.incumbent, rule.candidate, "canary"), reason: reason)
    }

    private static func short(_ x: Double) -> String {
        String(format: "%.4g", x)
    }
}
