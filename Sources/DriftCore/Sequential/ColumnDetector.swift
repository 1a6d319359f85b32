import Foundation

/// The sequential detectors of one column (a feature or the prediction): CUSUMs of likelihood
/// ratios on the column's cells (`DetectionCells`, `DetectionLane`), calibrated to a run length
/// per lane, with the serial dependence of the stream estimated online.
///
/// **Lanes.** Numeric: mean up and down by 0.25, 0.5 and 1 normal-score sd, scale ×1.5 and
/// ×1/1.5, the missing share, the out-of-range share. Categorical: the share of each of the
/// (at most `maximumWatchedCategories`) most frequent categories holding at least 1 % (one for a
/// binary feature) up and down, the unseen-category share, the missing share. Share lanes move
/// the share by `shareSteps` (0.05, and 0.15 where there is room), the effect size the window
/// test uses for shares.
///
/// **Dependence.** The design effect `D` of a lane (the long-run variance of its increments over
/// their variance per event) is estimated by batch means (Flegal & Jones 2010) in the
/// mean-square-successive-difference form, so that a shift of level (a real change, or a stream
/// that starts drifted) does not pass for dependence: over batches of `batchSize` events with
/// means `m_k` and within-batch variances `v_k`, `D̂ = mean(B (m_k − m_{k−1})² / 2) / mean(v_k)`,
/// both running means over up to `dependenceMemory` batches (then exponentially weighted), each
/// difference term winsorised at `winsorLimit` times the current estimate. The threshold uses
/// an upper confidence value, `max(1, D̂ (1 + c s))` with `s` the relative standard error of `D̂`
/// and `c = 2 + h s / 2` (the margin that keeps the expected false-alarm rate, `E[exp(h (D − D_use)/D)]`,
/// at or below nominal). A fresh detector starts from `priorBatches` batches worth `D = 1` with that
/// wide margin: conservative for its first tens of thousands of events. A batch that begins while
/// the column's alert fires does not teach the estimate (the change itself would inflate it).
/// Rare lanes (declustered) use `D = 1`.
///
/// **Alarms.** A lane whose sum passes its threshold raises an alarm, which the column's
/// `AlertStateMachine` turns into a firing alert, keeps firing, or holds back (a cooldown after
/// a resolve of the same kind). After a published alarm every lane restarts at 0. A held lane
/// keeps its sum and raises nothing until the cooldown ends; then it fires if its sum is still
/// over the threshold (the condition still holds) and is released otherwise.
public struct ColumnDetector: Sendable {
    /// Events per batch of the dependence estimate.
    public static let batchSize = 100
    /// Most batches the dependence estimate averages over (then exponential forgetting): 10⁶ events.
    public static let dependenceMemory = 10_000.0
    /// Pseudo-batches of `D = 1` (both running means at the null variance) a fresh estimate starts from.
    public static let priorBatches = 10.0
    /// A batch's term is capped at this many times the current estimate.
    public static let winsorLimit = 12.0
    /// Mean shifts watched, in normal-score standard deviations.
    public static let meanShifts = [0.25, 0.5, 1.0]
    /// Scale factors watched.
    public static let scaleFactors = [1.5, 1 / 1.5]
    /// Moves of a share watched (absolute).
    public static let shareSteps = [0.05, 0.15]
    /// Most categories with their own lanes.
    public static let maximumWatchedCategories = 8
    /// Smallest share of a category with its own lanes.
    public static let minimumWatchedShare = 0.01

    /// What happened to an alarm.
    public enum Outcome: String, Sendable, Equatable {
        /// It fired the column's alert.
        case fired
        /// The alert was already firing; the alarm keeps it up.
        case firing
        /// Held back by a cooldown of the same kind; the lane waits for the cooldown's end.
        case held
    }

    /// One lane's crossing of its threshold.
    public struct Alarm: Sendable, Equatable {
        /// Index of the alarming value in the scanned slice.
        public var row: Int
        /// The lane.
        public var lane: Int
        /// The lane's name (`mean_up`, `category_down:"gold"`, ...): the kind of change.
        public var name: String
        /// The lane's kind.
        public var kind: DetectionLane.Kind
        /// The sum that crossed.
        public var statistic: Double
        /// The threshold it crossed.
        public var threshold: Double
        /// Values since the sum was last 0 (since the estimated change point).
        public var events: Int
        /// Event time of the run's first value.
        public var start: EventTime
        /// Event time of the alarming value.
        public var end: EventTime
        /// The lane's estimate of the changed quantity over the run (`DetectionLane.estimate`).
        public var estimate: Double
        /// Design effect the threshold used.
        public var dependence: Double
        /// What the alert series made of it.
        public var outcome: Outcome
    }

    /// Everything that changes as values arrive: persisted in checkpoints.
    public struct State: Sendable, Codable, Equatable {
        /// Identifies the lanes the state belongs to; restored only onto the same lanes.
        public var signature: String
        public var sums: [Double]
        public var runEvents: [Int]
        public var runStartMillis: [Int64]
        public var held: [Bool]
        public var batchSums: [Double]
        public var batchSquares: [Double]
        public var batchEvents: Int
        /// Per lane, the running mean of `B (m_k − m_{k−1})² / 2` over batches.
        public var dependenceNumerators: [Double]
        /// Per lane, the running mean of the within-batch variance.
        public var dependenceDenominators: [Double]
        /// Per lane, the mean of the last batch that taught the estimate (`nil` after a skipped one).
        public var previousBatchMeans: [Double?]
        /// Batches behind the estimates (prior included, capped at `dependenceMemory`).
        public var dependenceBatches: Double
        public var previousCell: Int
        /// Alarms raised (published or not) since the detector was created.
        public var alarms: Int
        /// Whether the column's alert was firing when the current dependence batch began (the
        /// batch then does not teach the estimate); absent in older state.
        public var firingAtBatchStart: Bool?
    }

    /// Column name.
    public let name: String
    /// The cells.
    public let cells: DetectionCells
    /// The lanes.
    public let lanes: [DetectionLane]
    /// Whether alarms are raised (`false`: the lanes only estimate the dependence for the window test).
    public let alarming: Bool
    /// Whether the serial dependence is estimated (`false`: events are taken as independent, `D = 1`;
    /// for calibration studies of the independent thresholds).
    public let estimatesDependence: Bool
    /// In-control run length of each lane, events.
    public private(set) var runLength: Double
    /// Current threshold of each lane.
    public private(set) var thresholds: [Double]
    /// Current design effect of each lane as the threshold uses it (>= 1).
    public private(set) var dependenceInUse: [Double]
    /// Threshold of each lane for independent data at the current run length.
    public private(set) var independentThresholds: [Double]
    /// Running state, as persisted.
    public var state: State {
        let n = lanes.count
        return State(
            signature: signature, sums: (0..<n).map { Self.get(sums, $0) },
            runEvents: (0..<n).map { Int(Self.get(runs, $0)) },
            runStartMillis: (0..<n).map { Int64(Self.get(starts, $0)) }, held: held,
            batchSums: (0..<n).map { Self.get(batchSums, $0) },
            batchSquares: (0..<n).map { Self.get(batchSquares, $0) },
            batchEvents: batchEvents, dependenceNumerators: numerators, dependenceDenominators: denominators,
            previousBatchMeans: previousMeans,
            dependenceBatches: dependenceBatches, previousCell: previousCell, alarms: alarmCount,
            firingAtBatchStart: firingAtBatchStart)
    }

    private let signature: String
    // The lanes run side by side in SIMD groups of 4 (unused slots of the last group never cross:
    // their increments are 0 and their thresholds infinite). Per group: the sums, the events of
    // each sum's run, the run's first event time (ms, exact in a Double), the batch sums of
    // centred increments, the thresholds in force (infinite while the lane is held).
    private var sums: [SIMD4<Double>]
    private var runs: [SIMD4<Double>]
    private var starts: [SIMD4<Double>]
    private var batchSums: [SIMD4<Double>]
    private var batchSquares: [SIMD4<Double>]
    private var active: [SIMD4<Double>]
    private var held: [Bool]
    private var batchEvents = 0
    private var numerators: [Double]
    private var denominators: [Double]
    private var previousMeans: [Double?]
    private var dependenceBatches: Double
    /// Design effects the thresholds were last computed for.
    private var thresholdDependence: [Double]
    private var previousCell = DetectionCells.missingCell
    /// Whether the column's alert was firing when the current dependence batch began.
    private var firingAtBatchStart = false
    /// Alarms raised since the detector was created.
    public private(set) var alarmCount = 0

    // Increments cell-major in groups (`cell * groups + g`), the same with declustered lanes'
    // increments zeroed (used when both this and the previous value fall in such a lane's rare
    // cells), which cells have any, the lanes' null means per group.
    private let table: [SIMD4<Double>]
    private let declusteredTable: [SIMD4<Double>]
    private let rareCell: [Bool]
    private let centres: [SIMD4<Double>]
    private let groups: Int
    /// Numeric: every cell boundary (bin edges and sub-cell edges) ascending, padded with +inf to
    /// a multiple of 8: the cell of `x` is 1 + the boundaries <= x.
    private let boundaries: [SIMD8<Double>]

    @inline(__always)
    private static func get(_ v: [SIMD4<Double>], _ l: Int) -> Double { v[l >> 2][l & 3] }
    @inline(__always)
    private static func set(_ v: inout [SIMD4<Double>], _ l: Int, _ x: Double) { v[l >> 2][l & 3] = x }

    /// Detectors for a profile; `nil` when it has no usable training values or no lane can be built.
    /// - Parameters:
    ///   - profile: the column's baseline profile.
    ///   - runLength: in-control run length per lane, events (> 1).
    ///   - alarming: whether the lanes raise alarms.
    ///   - estimatesDependence: whether the serial dependence is estimated (else `D = 1`).
    ///   - lanes: which of the column's lanes to run (all by default).
    public init?(
        profile: FeatureProfile, runLength: Double, alarming: Bool = true, estimatesDependence: Bool = true,
        lanes keep: (DetectionLane) -> Bool = { _ in true }
    ) {
        guard let cells = DetectionCells(profile: profile) else { return nil }
        let lanes = Self.lanes(profile: profile, cells: cells).filter(keep)
        guard !lanes.isEmpty else { return nil }
        self.estimatesDependence = estimatesDependence
        self.name = profile.name
        self.cells = cells
        self.lanes = lanes
        self.alarming = alarming
        self.runLength = max(runLength, 2)
        let count = lanes.count
        let groups = (count + 3) / 4
        self.groups = groups
        var table = [SIMD4<Double>](repeating: .zero, count: cells.cellCount * groups)
        var declusteredTable = table
        var rareCell = [Bool](repeating: false, count: cells.cellCount)
        var centres = [SIMD4<Double>](repeating: .zero, count: groups)
        for (l, lane) in lanes.enumerated() {
            centres[l >> 2][l & 3] = lane.nullMean
            for c in 0..<cells.cellCount {
                let w = lane.increments[c]
                table[c * groups + (l >> 2)][l & 3] = w
                let rare = lane.declustered && w > 0
                if rare { rareCell[c] = true }
                declusteredTable[c * groups + (l >> 2)][l & 3] = rare ? 0 : w
            }
        }
        self.table = table
        self.declusteredTable = declusteredTable
        self.rareCell = rareCell
        self.centres = centres
        var flat: [Double] = []
        if cells.type == .numeric {
            for (b, edge) in cells.edges.enumerated() {
                flat.append(edge)
                if b < cells.subEdges.count { flat += cells.subEdges[b] }
            }
            while flat.count % 8 != 0 { flat.append(.infinity) }
        }
        self.boundaries = stride(from: 0, to: flat.count, by: 8).map { k in
            SIMD8<Double>((0..<8).map { flat[k + $0] })
        }
        self.signature = lanes.map { "\($0.name)=\($0.parameter)" }.joined(separator: ",") + "|\(cells.cellCount)"
        self.sums = .init(repeating: .zero, count: groups)
        self.runs = .init(repeating: .zero, count: groups)
        self.starts = .init(repeating: .zero, count: groups)
        self.batchSums = .init(repeating: .zero, count: groups)
        self.batchSquares = .init(repeating: .zero, count: groups)
        self.active = .init(repeating: SIMD4(repeating: .infinity), count: groups)
        self.held = .init(repeating: false, count: count)
        self.numerators = lanes.map(\.nullVariance)
        self.denominators = lanes.map(\.nullVariance)
        self.previousMeans = .init(repeating: nil, count: count)
        self.dependenceBatches = Self.priorBatches
        self.thresholdDependence = .init(repeating: -1, count: count)
        self.thresholds = .init(repeating: .infinity, count: count)
        self.dependenceInUse = .init(repeating: 1, count: count)
        self.independentThresholds = lanes.map { $0.threshold(runLength: max(runLength, 2), dependence: 1) }
        refreshThresholds()
    }

    // MARK: - Lanes

    /// The lanes of a profile (see type documentation).
    static func lanes(profile: FeatureProfile, cells: DetectionCells) -> [DetectionLane] {
        var lanes: [DetectionLane] = []
        let event = cells.eventProbabilities
        switch cells.type {
        case .numeric:
            for shift in meanShifts {
                if let up = DetectionLane.normalScores(
                    kind: .meanUp, parameter: shift, shift: shift, scale: 1, cells: cells)
                {
                    lanes.append(up)
                }
                if let down = DetectionLane.normalScores(
                    kind: .meanDown, parameter: shift, shift: -shift, scale: 1, cells: cells)
                {
                    lanes.append(down)
                }
            }
            for factor in scaleFactors {
                let kind: DetectionLane.Kind = factor > 1 ? .scaleUp : .scaleDown
                if let lane = DetectionLane.normalScores(
                    kind: kind, parameter: factor, shift: 0, scale: factor, cells: cells)
                {
                    lanes.append(lane)
                }
            }
            let outside = [cells.belowCell, cells.aboveCell]
            let share = (event[cells.belowCell] + event[cells.aboveCell]) / (1 - event[0])
            for p1 in shareAlternatives(share, down: false).up {
                if let lane = DetectionLane.share(
                    kind: .outOfRange, share: p1, targets: outside, neutral: [0], cells: cells,
                    declustered: share < DetectionLane.rareShare)
                {
                    lanes.append(lane)
                }
            }
        case .categorical:
            let names = profile.categories ?? []
            let present = 1 - event[0]
            var watched: [(index: Int, share: Double)] = []
            for j in 0..<cells.categoryCount {
                let share: Double = event[j + 1] / present
                if share >= minimumWatchedShare { watched.append((j, share)) }
            }
            watched.sort { (a: (index: Int, share: Double), b: (index: Int, share: Double)) -> Bool in
                a.share > b.share || (a.share == b.share && a.index < b.index)
            }
            watched = Array(watched.prefix(cells.categoryCount == 2 ? 1 : maximumWatchedCategories))
            for (j, share) in watched.sorted(by: { $0.index < $1.index }) {
                let name = j < names.count ? names[j] : "\(j)"
                let alternatives = shareAlternatives(share, down: true)
                for p1 in alternatives.up {
                    if let lane = DetectionLane.share(
                        kind: .categoryUp, share: p1, targets: [j + 1], neutral: [0], category: j, categoryName: name,
                        cells: cells)
                    {
                        lanes.append(lane)
                    }
                }
                for p1 in alternatives.down {
                    if let lane = DetectionLane.share(
                        kind: .categoryDown, share: p1, targets: [j + 1], neutral: [0], category: j, categoryName: name,
                        cells: cells)
                    {
                        lanes.append(lane)
                    }
                }
            }
            let unseen = event[cells.unseenCell] / present
            for p1 in shareAlternatives(unseen, down: false).up {
                if let lane = DetectionLane.share(
                    kind: .unseen, share: p1, targets: [cells.unseenCell], neutral: [0], cells: cells,
                    declustered: unseen < DetectionLane.rareShare)
                {
                    lanes.append(lane)
                }
            }
        }
        let missing = cells.missingProbability
        let alternatives = shareAlternatives(missing, down: true)
        for p1 in alternatives.up {
            if let lane = DetectionLane.share(
                kind: .missingUp, share: p1, targets: [0], cells: cells, declustered: missing < DetectionLane.rareShare)
            {
                lanes.append(lane)
            }
        }
        for p1 in alternatives.down {
            if let lane = DetectionLane.share(kind: .missingDown, share: p1, targets: [0], cells: cells) {
                lanes.append(lane)
            }
        }
        return lanes
    }

    /// Alternative shares for a baseline share `p0`: up by 0.05 (and by 0.15 from a share of 1 %),
    /// down by 0.05 from 10 % (and by 0.15 from 30 %). A tiny share gets one upward lane: there the
    /// likelihood ratio of an event hardly depends on the alternative.
    static func shareAlternatives(_ p0: Double, down: Bool) -> (up: [Double], down: [Double]) {
        var up: [Double] = []
        if p0 + shareSteps[0] < 0.995 { up.append(p0 + shareSteps[0]) }
        if p0 >= 0.01, p0 + shareSteps[1] < 0.995 { up.append(p0 + shareSteps[1]) }
        var lower: [Double] = []
        if down, p0 >= 0.1 { lower.append(p0 - shareSteps[0]) }
        if down, p0 >= 0.3 { lower.append(p0 - shareSteps[1]) }
        return (up, lower)
    }

    // MARK: - Thresholds

    /// Sets the in-control run length per lane and recomputes the thresholds.
    public mutating func setRunLength(_ gamma: Double) {
        guard gamma.isFinite, gamma > 1, gamma != runLength else { return }
        runLength = gamma
        independentThresholds = lanes.map { $0.threshold(runLength: gamma, dependence: 1) }
        refreshThresholds()
    }

    /// The design effect the window test of this column should use: the largest in use over the
    /// lanes that estimate one (1 when all are declustered).
    public var windowDependence: Double {
        var d = 1.0
        for l in lanes.indices where !lanes[l].declustered { d = max(d, dependenceInUse[l]) }
        return d
    }

    /// The estimate of lane `l`'s design effect (before the margin).
    private func estimatedDependence(_ l: Int) -> Double {
        denominators[l] > 0 ? numerators[l] / denominators[l] : 1
    }

    private mutating func refreshThresholds(force: Bool = true) {
        let n = dependenceBatches
        for (l, lane) in lanes.enumerated() {
            let independent = independentThresholds[l]
            var d = 1.0
            if !lane.declustered, estimatesDependence {
                let relative = ((2 + max(0, lane.nullExcessKurtosis) / Double(Self.batchSize)) / max(n, 1)).squareRoot()
                let margin = 2 + independent * relative / 2
                d = max(1, estimatedDependence(l) * (1 + margin * relative))
            }
            dependenceInUse[l] = d
            // A design effect that moved by less than 0.1 % keeps its threshold (saves the solve).
            if !force, abs(d - thresholdDependence[l]) <= 1e-3 * d { continue }
            thresholdDependence[l] = d
            thresholds[l] = d == 1 ? independent : lane.threshold(runLength: runLength, dependence: d)
            Self.set(&active, l, held[l] || !alarming ? .infinity : thresholds[l])
        }
    }

    // MARK: - Scanning

    /// The cell of a numeric value: 1 + the boundaries <= it, counted eight at a time with
    /// SIMD compares (no branch to mispredict; the boundaries are padded with +inf to a multiple
    /// of 8); NaN is missing.
    @inline(__always)
    private static func numericCell(of value: Double, boundaries b: UnsafeBufferPointer<SIMD8<Double>>) -> Int {
        if value.isNaN { return DetectionCells.missingCell }
        let x = SIMD8<Double>(repeating: value)
        var count = SIMD8<Int64>.zero
        let one = SIMD8<Int64>(repeating: 1)
        for k in 0..<b.count {
            count &+= one.replacing(with: 0, where: b[k] .> x)
        }
        return 1 &+ Int(count.wrappedSum())
    }

    /// Feeds a column's values in order. Alarms go through `alerts` (with `rule`'s cooldown) as
    /// they happen; returns them with their outcome. NaN is a missing value.
    public mutating func scan(
        _ values: ArraySlice<Double>, timestamps: ArraySlice<Int64>, alerts: inout AlertStateMachine, rule: AlertRule
    ) -> [Alarm] {
        let count = Swift.min(values.count, timestamps.count)
        guard count > 0 else { return [] }
        var alarms: [Alarm] = []
        var i = 0
        while i < count {
            // Run until an alarm, the end of a dependence batch or the end of the slice.
            let stop = Swift.min(count, i + (Self.batchSize - batchEvents))
            let (row, crossed) = run(values, timestamps, from: i, to: stop)
            batchEvents += row - i
            i = row
            let time = timestamps[timestamps.startIndex + row - 1]
            if crossed {
                alarms.append(raise(lane: mostCrossed(), row: row - 1, time: time, alerts: &alerts, rule: rule))
            }
            if held.contains(true), let end = alerts.cooldownEnd(rule: rule), time >= end.millisecondsSinceEpoch {
                alarms += releaseHolds(row: row - 1, time: time, alerts: &alerts, rule: rule)
            }
            if batchEvents >= Self.batchSize {
                // A batch teaches the dependence estimate unless the alert was already firing when
                // it began: batches after an alarm are left out while the alert fires (a real change
                // would inflate the estimate), the batch of the alarm itself is not (leaving out the
                // batches in which a sum ran high would bias the estimate low).
                closeBatch(learning: !firingAtBatchStart)
                firingAtBatchStart = alerts.isFiring
            }
        }
        return alarms
    }

    /// The hot loop: values `from ..< to`; stops after the first value on which a sum crosses
    /// its threshold. Returns the index after the last value processed and whether one crossed.
    private mutating func run(_ values: ArraySlice<Double>, _ timestamps: ArraySlice<Int64>, from: Int, to: Int) -> (
        Int, Bool
    ) {
        var sums = self.sums
        var runs = self.runs
        var starts = self.starts
        var batch = self.batchSums
        var squares = self.batchSquares
        self.sums = []
        self.runs = []
        self.starts = []
        self.batchSums = []
        self.batchSquares = []
        let result = Self.run(
            values, timestamps, from: from, to: to, previous: &previousCell, cells: cells, groups: groups,
            alarming: alarming,
            table: table, declusteredTable: declusteredTable, rareCell: rareCell, centres: centres, active: active,
            boundaries: boundaries, sums: &sums, runs: &runs, starts: &starts, batch: &batch, squares: &squares)
        self.sums = sums
        self.runs = runs
        self.starts = starts
        self.batchSums = batch
        self.batchSquares = squares
        return result
    }

    private static func run(
        _ values: ArraySlice<Double>, _ timestamps: ArraySlice<Int64>, from: Int, to: Int, previous: inout Int,
        cells: DetectionCells, groups: Int, alarming: Bool, table: [SIMD4<Double>], declusteredTable: [SIMD4<Double>],
        rareCell: [Bool], centres: [SIMD4<Double>], active: [SIMD4<Double>], boundaries: [SIMD8<Double>],
        sums: inout [SIMD4<Double>], runs: inout [SIMD4<Double>], starts: inout [SIMD4<Double>],
        batch: inout [SIMD4<Double>],
        squares: inout [SIMD4<Double>]
    ) -> (Int, Bool) {
        var row = from
        var crossed = false
        var last = previous
        let numeric = cells.type == .numeric
        let zero = SIMD4<Double>.zero
        let one = SIMD4<Double>(repeating: 1)
        values.withUnsafeBufferPointer { v in
            timestamps.withUnsafeBufferPointer { t in
                table.withUnsafeBufferPointer { table in
                    declusteredTable.withUnsafeBufferPointer { declusteredTable in
                        rareCell.withUnsafeBufferPointer { rareCell in
                            centres.withUnsafeBufferPointer { centres in
                                active.withUnsafeBufferPointer { active in
                                    boundaries.withUnsafeBufferPointer { bounds in
                                        sums.withUnsafeMutableBufferPointer { sums in
                                            runs.withUnsafeMutableBufferPointer { runs in
                                                starts.withUnsafeMutableBufferPointer { starts in
                                                    batch.withUnsafeMutableBufferPointer { batch in
                                                        squares.withUnsafeMutableBufferPointer { squares in
                                                            while row < to {
                                                                let x = v[row]
                                                                let cell =
                                                                    numeric
                                                                    ? numericCell(of: x, boundaries: bounds)
                                                                    : cells.cell(of: x)
                                                                let increments =
                                                                    rareCell[cell] && rareCell[last]
                                                                    ? declusteredTable : table
                                                                let offset = cell * groups
                                                                let time = SIMD4<Double>(repeating: Double(t[row]))
                                                                var over = false
                                                                for g in 0..<groups {
                                                                    let w = increments[offset + g]
                                                                    let centred = w - centres[g]
                                                                    batch[g] += centred
                                                                    squares[g] += centred * centred
                                                                    guard alarming else { continue }
                                                                    let old = sums[g]
                                                                    let new = old + w
                                                                    let alive = new .> zero
                                                                    let fresh = alive .& (old .<= zero)
                                                                    sums[g] = new.replacing(with: zero, where: .!alive)
                                                                    runs[g] = (runs[g] + one).replacing(
                                                                        with: one, where: fresh
                                                                    )
                                                                    .replacing(with: zero, where: .!alive)
                                                                    starts[g] = starts[g].replacing(
                                                                        with: time, where: fresh)
                                                                    over = over || any(new .> active[g])
                                                                }
                                                                last = cell
                                                                row += 1
                                                                if over {
                                                                    crossed = true
                                                                    break
                                                                }
                                                            }
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        previous = last
        return (row, crossed)
    }

    /// The lane furthest past its threshold (relative to it) among those over it.
    private func mostCrossed() -> Int {
        var best = -1
        var bestRatio = 0.0
        for l in lanes.indices where !held[l] {
            let sum = Self.get(sums, l)
            guard sum > thresholds[l] else { continue }
            let ratio = sum / Swift.max(thresholds[l], 1e-12)
            if best < 0 || ratio > bestRatio {
                best = l
                bestRatio = ratio
            }
        }
        return Swift.max(best, 0)
    }

    /// Raises lane `l`'s alarm through the alert series and applies the outcome.
    private mutating func raise(lane l: Int, row: Int, time: Int64, alerts: inout AlertStateMachine, rule: AlertRule)
        -> Alarm
    {
        let lane = lanes[l]
        let decision = alerts.observeDetection(
            kind: lane.name, rule: rule, now: EventTime(millisecondsSinceEpoch: time))
        alarmCount &+= 1
        let sum = Self.get(sums, l)
        let events = Int(Self.get(runs, l))
        let alarm = Alarm(
            row: row, lane: l, name: lane.name, kind: lane.kind, statistic: sum, threshold: thresholds[l],
            events: events, start: EventTime(millisecondsSinceEpoch: Int64(Self.get(starts, l))),
            end: EventTime(millisecondsSinceEpoch: time),
            estimate: lane.estimate(statistic: sum, events: events), dependence: dependenceInUse[l], outcome: decision)
        if decision == .held {
            held[l] = true
            Self.set(&active, l, .infinity)
        } else {
            restart()
        }
        return alarm
    }

    /// At the end of a cooldown: held lanes still over their thresholds fire, the others are released.
    private mutating func releaseHolds(row: Int, time: Int64, alerts: inout AlertStateMachine, rule: AlertRule)
        -> [Alarm]
    {
        var best = -1
        for l in lanes.indices where held[l] {
            held[l] = false
            Self.set(&active, l, alarming ? thresholds[l] : .infinity)
            let sum = Self.get(sums, l)
            if sum > thresholds[l], best < 0 || sum / thresholds[l] > Self.get(sums, best) / thresholds[best] {
                best = l
            }
        }
        guard best >= 0 else { return [] }
        return [raise(lane: best, row: row, time: time, alerts: &alerts, rule: rule)]
    }

    private mutating func closeBatch(learning: Bool) {
        let b = Double(batchEvents)
        if estimatesDependence {
            var taught = false
            for l in lanes.indices where !lanes[l].declustered {
                let mean = Self.get(batchSums, l) / b
                guard learning else {
                    previousMeans[l] = nil
                    continue
                }
                let variance = max(0, Self.get(batchSquares, l) / b - mean * mean)
                defer { previousMeans[l] = mean }
                guard let previous = previousMeans[l] else { continue }
                let n = min(dependenceBatches + 1, Self.dependenceMemory)
                // Winsorised at 12 times the current estimate (χ²₁ exceeds 12 with probability
                // 5·10⁻⁴): one batch of changed data cannot inflate it, while a real rise of the
                // dependence still moves it within a few dozen batches.
                let limit = Self.winsorLimit * max(estimatedDependence(l), 1) * denominators[l]
                let term = min(b * (mean - previous) * (mean - previous) / 2, limit)
                numerators[l] += (term - numerators[l]) / n
                denominators[l] += (variance - denominators[l]) / n
                taught = true
            }
            if taught {
                dependenceBatches = min(dependenceBatches + 1, Self.dependenceMemory)
                refreshThresholds(force: false)
            }
        }
        for g in batchSums.indices {
            batchSums[g] = .zero
            batchSquares[g] = .zero
        }
        batchEvents = 0
    }

    /// Restarts every lane's sum and releases held lanes (after a published alarm, a window
    /// alert firing or resolving).
    public mutating func restart() {
        for g in sums.indices {
            sums[g] = .zero
            runs[g] = .zero
        }
        for l in lanes.indices where held[l] {
            held[l] = false
            Self.set(&active, l, alarming ? thresholds[l] : .infinity)
        }
    }

    /// Restores persisted state; `false` (state unchanged) when it belongs to other lanes.
    @discardableResult
    public mutating func restore(_ saved: State) -> Bool {
        let n = lanes.count
        guard saved.signature == signature, saved.sums.count == n, saved.runEvents.count == n,
            saved.runStartMillis.count == n, saved.held.count == n, saved.batchSums.count == n,
            saved.batchSquares.count == n, saved.dependenceNumerators.count == n,
            saved.dependenceDenominators.count == n,
            saved.previousBatchMeans.count == n, saved.previousCell >= 0, saved.previousCell < cells.cellCount,
            saved.dependenceBatches.isFinite, saved.dependenceBatches >= 0, saved.batchEvents >= 0,
            (saved.dependenceNumerators + saved.dependenceDenominators).allSatisfy({ $0.isFinite && $0 >= 0 }),
            saved.sums.allSatisfy({ $0.isFinite && $0 >= 0 })
        else { return false }
        for l in 0..<n {
            Self.set(&sums, l, saved.sums[l])
            Self.set(&runs, l, Double(saved.runEvents[l]))
            Self.set(&starts, l, Double(saved.runStartMillis[l]))
            Self.set(&batchSums, l, saved.batchSums[l])
            Self.set(&batchSquares, l, saved.batchSquares[l])
        }
        held = saved.held
        batchEvents = min(saved.batchEvents, Self.batchSize - 1)
        numerators = saved.dependenceNumerators
        denominators = saved.dependenceDenominators
        previousMeans = saved.previousBatchMeans
        dependenceBatches = max(saved.dependenceBatches, 1)
        previousCell = saved.previousCell
        alarmCount = saved.alarms
        firingAtBatchStart = saved.firingAtBatchStart ?? false
        refreshThresholds()
        return true
    }
}
