/// Sequential (per event) mean-shift detection on one numeric column: a small bank of two-sided
/// CUSUM / Page-Hinkley detectors tuned to different shift sizes, sharing one false-alarm budget.
///
/// Every non-missing value is standardised with the baseline's mean and standard deviation and
/// clipped to `±clip` standard deviations, `z = clamp((x - mean) / std)`; each detector `d`
/// runs `up = max(0, up + z - delta_d)` and `down = max(0, down - z - delta_d)` and alarms when a
/// sum exceeds its threshold. A CUSUM with reference `delta` is fastest for a shift of
/// `2 delta`, so the bank (0.125, 0.25 and 0.5 sd by default) is fast for shifts of 0.25, 0.5 and
/// 1 sd at once. After an alarm every sum restarts at 0, so the next alarm needs fresh evidence.
///
/// Thresholds come from the in-control average run length `runLength` (events between false
/// alarms on data like the baseline): the alarm rate `1 / runLength` is split over the
/// detectors by `shares` and over the two directions equally (a union bound: the detectors see
/// the same values, so the true rate is lower). Each one-sided threshold comes from
/// `CusumThreshold`, with the tilt estimated from the baseline's raw sample standardised and
/// clipped the same way, capped at the normal tilt `2 delta`: a heavy tail (a skewed feature)
/// gets a higher threshold on its heavy side, and no side gets a lower one than normal data would.
/// Without a usable sample (fewer than `minimumSampleSize` finite values) the normal tilt is used.
///
/// Cost per value: one subtraction, one multiplication and a clamp, then the (up to 4) detectors
/// side by side in SIMD lanes: per direction an add, a compare with 0, three selects for the
/// sum, its run length and start, and a compare with the thresholds; no branch but the alarm
/// test, no allocation.
public struct SequentialDetectorBank: Sendable, Codable, Equatable {
    /// Reference values of the default bank, in standard deviations.
    public static let defaultDeltas: [Double] = [0.125, 0.25, 0.5]
    /// Shares of the false-alarm budget of the default bank's detectors (sum 1).
    public static let defaultShares: [Double] = [0.8, 0.12, 0.08]
    /// Standardised values are clipped to this many standard deviations.
    public static let clip = 4.0
    /// Fewest finite sample values used to estimate the tilt from the data.
    public static let minimumSampleSize = 200

    /// Which way the mean moved.
    public enum Direction: String, Sendable, Codable, Equatable {
        /// The mean rose.
        case up
        /// The mean fell.
        case down
    }

    /// One two-sided detector of the bank and its running sums.
    public struct Detector: Sendable, Codable, Equatable {
        /// Reference value (allowed drift per value), in standard deviations.
        public let delta: Double
        /// Threshold of the upward sum.
        public let upperThreshold: Double
        /// Threshold of the downward sum.
        public let lowerThreshold: Double
        /// Upward cumulative sum.
        public fileprivate(set) var upward: Double = 0
        /// Downward cumulative sum.
        public fileprivate(set) var downward: Double = 0
        /// Values since the upward sum was last 0 (the run since the estimated change point).
        public fileprivate(set) var upwardEvents: Int = 0
        /// Values since the downward sum was last 0.
        public fileprivate(set) var downwardEvents: Int = 0
        /// Event time of the first value of the upward run, epoch ms.
        public fileprivate(set) var upwardStartMillis: Int64 = 0
        /// Event time of the first value of the downward run, epoch ms.
        public fileprivate(set) var downwardStartMillis: Int64 = 0

        /// A detector with empty sums.
        public init(delta: Double, upperThreshold: Double, lowerThreshold: Double) {
            self.delta = delta
            self.upperThreshold = upperThreshold
            self.lowerThreshold = lowerThreshold
        }

        fileprivate mutating func reset() {
            upward = 0
            downward = 0
            upwardEvents = 0
            downwardEvents = 0
        }
    }

    /// A raised alarm: which detector, how far past its threshold, over which run of values.
    public struct Alarm: Sendable, Equatable {
        /// Index of the alarming value in the scanned column.
        public var row: Int
        /// Reference value of the detector that alarmed, in standard deviations.
        public var delta: Double
        /// Direction of the shift.
        public var direction: Direction
        /// The sum that crossed the threshold.
        public var statistic: Double
        /// The threshold it crossed.
        public var threshold: Double
        /// Values in the run since the sum was last 0 (since the estimated change point).
        public var events: Int
        /// Event time of the run's first value, epoch ms.
        public var startMillis: Int64
        /// Event time of the alarming value, epoch ms.
        public var endMillis: Int64
        /// Mean standardised value over the run: the estimated shift, in standard deviations (signed).
        public var estimatedShift: Double
    }

    /// Baseline mean used to standardise.
    public let mean: Double
    /// Baseline standard deviation used to standardise (> 0).
    public let std: Double
    /// In-control average run length the thresholds were set for.
    public let runLength: Double
    /// The detectors, in increasing `delta`.
    public private(set) var detectors: [Detector]
    /// Alarms raised since the bank was created (restored with its state).
    public private(set) var alarmCount: Int = 0

    /// Creates a bank for a numeric profile.
    /// - Parameters:
    ///   - profile: a numeric feature profile with a summary whose standard deviation is > 0.
    ///   - runLength: in-control average run length of the whole bank, events (> 1).
    ///   - deltas: 1 to 4 reference values, each > 0.
    ///   - shares: share of the false-alarm budget per delta, each > 0 (normalised to sum 1).
    /// - Throws: `StatisticsError` `.badParameter` for a categorical profile, a missing or
    ///   degenerate summary, or parameters out of their domain.
    public init(
        profile: FeatureProfile, runLength: Double, deltas: [Double] = defaultDeltas, shares: [Double] = defaultShares
    ) throws(StatisticsError) {
        guard profile.type == .numeric else {
            throw StatisticsError(.badParameter, "\(profile.name): sequential detection needs a numeric feature")
        }
        guard let summary = profile.summary, summary.mean.isFinite, summary.std.isFinite, summary.std > 0 else {
            throw StatisticsError(.badParameter, "\(profile.name): no baseline mean and standard deviation > 0 to standardise with")
        }
        guard runLength.isFinite, runLength > 1 else {
            throw StatisticsError(.badParameter, "run length \(runLength) must be finite and > 1")
        }
        guard (1 ... 4).contains(deltas.count), deltas.count == shares.count else {
            throw StatisticsError(
                .badParameter, "need 1 to 4 deltas and one share per delta (\(deltas.count) deltas, \(shares.count) shares)")
        }
        guard deltas.allSatisfy({ $0.isFinite && $0 > 0 }), shares.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw StatisticsError(.badParameter, "deltas and shares must be finite and > 0")
        }
        self.mean = summary.mean
        self.std = summary.std
        self.runLength = runLength
        let clipped = Self.standardisedSample(profile.sample)
        let total = shares.reduce(0, +)
        var detectors: [Detector] = []
        for (delta, share) in zip(deltas, shares).sorted(by: { $0.0 < $1.0 }) {
            // Alarm rate share / runLength, half per direction.
            let oneSided = 2 * runLength * total / share
            let upper = try Self.threshold(sample: clipped, delta: delta, runLength: oneSided)
            let lower = try Self.threshold(sample: clipped?.map { -$0 }, delta: delta, runLength: oneSided)
            detectors.append(Detector(delta: delta, upperThreshold: upper, lowerThreshold: lower))
        }
        self.detectors = detectors
    }

    /// The sample standardised with its own mean and standard deviation (so only its shape
    /// counts; the baseline's moments come from all training rows) and clipped; `nil` when too small.
    private static func standardisedSample(_ sample: [Double]?) -> [Double]? {
        let finite = (sample ?? []).filter(\.isFinite)
        guard finite.count >= minimumSampleSize else { return nil }
        let n = Double(finite.count)
        let m = finite.reduce(0, +) / n
        let variance = finite.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n
        guard variance > 0, variance.isFinite else { return nil }
        let s = variance.squareRoot()
        return finite.map { Swift.min(clip, Swift.max(-clip, ($0 - m) / s)) }
    }

    /// One-sided threshold for `delta` at `runLength`, from the sample's tilt capped at the normal one.
    private static func threshold(sample: [Double]?, delta: Double, runLength: Double) throws(StatisticsError) -> Double {
        let normal = 2 * delta
        var theta = normal
        var drift = delta
        if let sample {
            let mean = sample.reduce(0, +) / Double(sample.count)
            if let tilt = CusumThreshold.tilt(values: sample, delta: delta), tilt < normal {
                theta = tilt
                drift = Swift.max(delta - mean, 1e-6)
            }
        }
        return try CusumThreshold.lambda(theta: theta, drift: drift, runLength: runLength)
    }

    /// Whether `other` was built with the same standardisation and thresholds (its sums may differ).
    public func hasSameSettings(as other: SequentialDetectorBank) -> Bool {
        mean == other.mean && std == other.std && runLength == other.runLength
            && detectors.count == other.detectors.count
            && zip(detectors, other.detectors).allSatisfy {
                $0.delta == $1.delta && $0.upperThreshold == $1.upperThreshold && $0.lowerThreshold == $1.lowerThreshold
            }
    }

    /// Restarts every sum.
    public mutating func reset() {
        for d in detectors.indices { detectors[d].reset() }
    }

    /// Feeds a column's values in order; returns the alarms raised (rows are indexes into
    /// `values`). NaN (missing) values are skipped; infinities count as `±clip`. After each
    /// alarm every sum restarts. When several sums cross on the same value, the alarm names the
    /// one furthest past its threshold (relative to it).
    public mutating func scan(_ values: ArraySlice<Double>, timestamps: ArraySlice<Int64>) -> [Alarm] {
        let count = Swift.min(values.count, timestamps.count)
        guard count > 0 else { return [] }
        // The (at most 4) detectors run side by side in SIMD lanes; unused lanes never cross.
        var k = SIMD4<Double>(repeating: 0)
        var upperThreshold = SIMD4<Double>(repeating: .infinity)
        var lowerThreshold = SIMD4<Double>(repeating: .infinity)
        var up = SIMD4<Double>(repeating: 0), down = SIMD4<Double>(repeating: 0)
        var upEvents = SIMD4<Int64>(repeating: 0), downEvents = SIMD4<Int64>(repeating: 0)
        var upStart = SIMD4<Int64>(repeating: 0), downStart = SIMD4<Int64>(repeating: 0)
        for (d, detector) in detectors.enumerated() {
            k[d] = detector.delta
            upperThreshold[d] = detector.upperThreshold
            lowerThreshold[d] = detector.lowerThreshold
            up[d] = detector.upward
            down[d] = detector.downward
            upEvents[d] = Int64(clamping: detector.upwardEvents)
            downEvents[d] = Int64(clamping: detector.downwardEvents)
            upStart[d] = detector.upwardStartMillis
            downStart[d] = detector.downwardStartMillis
        }
        var alarms: [Alarm] = []
        let mean = self.mean
        let scale = 1 / std
        let clip = Self.clip
        let zero = SIMD4<Double>(repeating: 0)
        let one = SIMD4<Int64>(repeating: 1)
        values.withUnsafeBufferPointer { v in
            timestamps.withUnsafeBufferPointer { t in
                for i in 0 ..< count {
                    let x = v[i]
                    if x.isNaN { continue }
                    let z = SIMD4<Double>(repeating: Swift.min(clip, Swift.max(-clip, (x - mean) * scale)))
                    let time = SIMD4<Int64>(repeating: t[i])
                    let nextUp = up + z - k
                    let nextDown = down - z - k
                    let upAlive = nextUp .> zero
                    let downAlive = nextDown .> zero
                    // A run starts where a sum leaves 0; its event count restarts with it.
                    upStart.replace(with: time, where: upAlive .& (up .== zero))
                    downStart.replace(with: time, where: downAlive .& (down .== zero))
                    upEvents = (upEvents &+ one).replacing(with: 0, where: .!upAlive)
                    downEvents = (downEvents &+ one).replacing(with: 0, where: .!downAlive)
                    up = nextUp.replacing(with: 0, where: .!upAlive)
                    down = nextDown.replacing(with: 0, where: .!downAlive)
                    guard any(up .> upperThreshold) || any(down .> lowerThreshold) else { continue }
                    Self.store(
                        &detectors, up: up, down: down, upEvents: upEvents, downEvents: downEvents, upStart: upStart,
                        downStart: downStart)
                    detectors.withUnsafeBufferPointer { alarms.append(Self.alarm(in: $0, row: i, time: t[i])) }
                    up = zero
                    down = zero
                    upEvents = SIMD4(repeating: 0)
                    downEvents = SIMD4(repeating: 0)
                }
            }
        }
        Self.store(
            &detectors, up: up, down: down, upEvents: upEvents, downEvents: downEvents, upStart: upStart, downStart: downStart)
        alarmCount &+= alarms.count  // wrapping: restored state is not trusted to be sane
        return alarms
    }

    /// Writes the SIMD lanes back into the detectors (a static function: capturing the lanes in
    /// a closure would box them and put every update through memory).
    private static func store(
        _ detectors: inout [Detector], up: SIMD4<Double>, down: SIMD4<Double>, upEvents: SIMD4<Int64>,
        downEvents: SIMD4<Int64>, upStart: SIMD4<Int64>, downStart: SIMD4<Int64>
    ) {
        for d in detectors.indices where d < 4 {
            detectors[d].upward = up[d]
            detectors[d].downward = down[d]
            detectors[d].upwardEvents = Int(truncatingIfNeeded: upEvents[d])
            detectors[d].downwardEvents = Int(truncatingIfNeeded: downEvents[d])
            detectors[d].upwardStartMillis = upStart[d]
            detectors[d].downwardStartMillis = downStart[d]
        }
    }

    /// The alarm of the sum furthest past its threshold.
    private static func alarm(in bank: UnsafeBufferPointer<Detector>, row: Int, time: Int64) -> Alarm {
        var best: Alarm?
        var bestRatio = -Double.infinity
        for detector in bank {
            let candidates: [(Direction, Double, Double, Int, Int64)] = [
                (.up, detector.upward, detector.upperThreshold, detector.upwardEvents, detector.upwardStartMillis),
                (.down, detector.downward, detector.lowerThreshold, detector.downwardEvents, detector.downwardStartMillis),
            ]
            for (direction, statistic, threshold, events, start) in candidates where statistic > threshold {
                let ratio = threshold > 0 ? statistic / threshold : .infinity
                guard ratio > bestRatio else { continue }
                bestRatio = ratio
                // The run's sum is sum(s z - delta) = statistic, so its mean s z is statistic / events + delta.
                let meanZ = events > 0 ? statistic / Double(events) + detector.delta : 0
                best = Alarm(
                    row: row, delta: detector.delta, direction: direction, statistic: statistic, threshold: threshold,
                    events: events, startMillis: start, endMillis: time,
                    estimatedShift: direction == .up ? meanZ : -meanZ)
            }
        }
        // A crossing was seen, so `best` is set; the fallback keeps the function total.
        return best ?? Alarm(
            row: row, delta: bank.first?.delta ?? 0, direction: .up, statistic: 0, threshold: 0, events: 0,
            startMillis: time, endMillis: time, estimatedShift: 0)
    }
}
