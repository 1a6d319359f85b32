/// A bounded store of one model's predictions waiting for their delayed labels, by event id.
///
/// - **Bounded**: at most `capacity` predictions; inserting into a full store evicts the
///   oldest inserted one (FIFO). Memory is reserved as the store fills, never beyond capacity.
/// - **O(1)**: a ring buffer in insertion order plus a hash index id -> position; insert,
///   lookup and eviction are constant time (eviction and expiry are amortised: every entry is
///   removed once).
/// - **Expiry**: the store's clock is the latest event time of the predictions inserted
///   (labels do not move it, so a label with a wrong timestamp cannot expire everything). A
///   prediction older than `clock - ttl` has expired: a label for it reports `expired`;
///   expired predictions are dropped as they reach the oldest end of the ring.
/// - **Labelled entries stay** until evicted or expired, so a second label for the same id is
///   recognised as a duplicate.
/// - **Re-used ids**: inserting an id that is already held replaces it (the latest prediction
///   for an id is the one labels are compared with).
///
/// Memory: about 100 bytes per entry (a 32-byte ring slot, a hash index entry of 24 bytes at
/// up to 75% load, the id inline when it is at most 15 UTF-8 bytes), plus one heap copy of
/// longer ids (shared by ring and index). See docs/accuracy.md for measured figures.
public struct PredictionStore: Sendable {
    /// Unlabelled predictions the store dropped, by reason (labelled ones are not counted).
    public struct Drops: Sendable, Equatable {
        /// Evicted because the store was full.
        public var evicted = 0
        /// Expired (older than the TTL) before any label came, or already expired when inserted.
        public var expired = 0
        /// Replaced by a newer prediction with the same id.
        public var replaced = 0

        /// No drops.
        public init() {}
    }

    /// What a label found.
    public enum Match: Sendable, Equatable {
        /// A held, unlabelled, unexpired prediction; it is now marked labelled.
        case joined(PendingPrediction)
        /// No prediction with that id is held.
        case unmatched
        /// A held prediction that has outlived the TTL; it is now marked labelled.
        case expired(PendingPrediction)
        /// A prediction that was already labelled.
        case duplicate(PendingPrediction)
    }

    /// Persistable contents: held predictions oldest first, as parallel arrays.
    ///
    /// Encoded compactly, because the daemon writes it at every checkpoint: the ids as one
    /// concatenated string with their UTF-8 lengths, times, classes and flags as base64 of
    /// little-endian integers (about 30 bytes per prediction, 100,000 encoded in about 10 ms
    /// instead of 300 ms as JSON arrays). Decoding checks every size and fails on a mismatch.
    public struct State: Sendable, Codable, Equatable {
        /// The store's clock, epoch ms; nil before any prediction.
        public var clockMillis: Int64?
        /// Event ids.
        public var ids: [String]
        /// Class codes.
        public var classes: [Int32]
        /// Event times, epoch ms.
        public var times: [Int64]
        /// Labelled flags.
        public var labelled: [Bool]
        /// Scores (`PendingPrediction.score`); nil in state saved before they were kept (the
        /// class codes stand in).
        public var scores: [Double]?

        /// Creates a state.
        /// - Parameters:
        ///   - clockMillis: Store clock.
        ///   - ids: Ids, oldest first.
        ///   - classes: Class codes.
        ///   - times: Event times.
        ///   - labelled: Labelled flags.
        ///   - scores: Scores.
        public init(
            clockMillis: Int64?, ids: [String], classes: [Int32], times: [Int64], labelled: [Bool],
            scores: [Double]? = nil
        ) {
            self.scores = scores
            self.clockMillis = clockMillis
            self.ids = ids
            self.classes = classes
            self.times = times
            self.labelled = labelled
        }

        enum CodingKeys: String, CodingKey {
            case count, ids, labelled, scores
            case clockMillis = "clock_ms"
            case idLengths = "id_lengths"
            case classes = "classes"
            case times = "times_ms"
        }

        /// Encodes the compact form.
        public func encode(to encoder: any Encoder) throws {
            let n = min(ids.count, classes.count, times.count, labelled.count)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(n, forKey: .count)
            try c.encodeIfPresent(clockMillis, forKey: .clockMillis)
            try c.encode(ids.prefix(n).joined(), forKey: .ids)
            try c.encode(
                LittleEndianBlob.encode(ids.prefix(n).map { UInt32(truncatingIfNeeded: $0.utf8.count) }),
                forKey: .idLengths)
            try c.encode(LittleEndianBlob.encode(Array(times.prefix(n))), forKey: .times)
            try c.encode(LittleEndianBlob.encode(Array(classes.prefix(n))), forKey: .classes)
            try c.encode(LittleEndianBlob.encode(labelled.prefix(n).map { UInt8($0 ? 1 : 0) }), forKey: .labelled)
            if let scores, scores.count >= n {
                try c.encode(LittleEndianBlob.encode(scores.prefix(n).map(\.bitPattern)), forKey: .scores)
            }
        }

        /// Decodes the compact form; throws `DecodingError.dataCorrupted` on any size mismatch.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let n = try c.decode(Int.self, forKey: .count)
            func corrupt(_ key: CodingKeys, _ what: String) -> DecodingError {
                DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: what)
            }
            guard n >= 0 else { throw corrupt(.count, "negative count") }
            func blob<T: FixedWidthInteger>(_ key: CodingKeys, _: T.Type) throws -> [T] {
                guard let values: [T] = LittleEndianBlob.decode(try c.decode(String.self, forKey: key)),
                    values.count == n
                else {
                    throw corrupt(key, "not base64 of \(n) \(MemoryLayout<T>.size)-byte integers")
                }
                return values
            }
            let lengths = try blob(.idLengths, UInt32.self)
            let joined = Array(try c.decode(String.self, forKey: .ids).utf8)
            var ids: [String] = []
            ids.reserveCapacity(n)
            var offset = 0
            for length in lengths {
                let end = offset + Int(length)
                guard end <= joined.count else { throw corrupt(.ids, "ids shorter than their lengths") }
                ids.append(String(decoding: joined[offset..<end], as: UTF8.self))
                offset = end
            }
            guard offset == joined.count else { throw corrupt(.ids, "ids longer than their lengths") }
            self.init(
                clockMillis: try c.decodeIfPresent(Int64.self, forKey: .clockMillis), ids: ids,
                classes: try blob(.classes, Int32.self), times: try blob(.times, Int64.self),
                labelled: try blob(.labelled, UInt8.self).map { $0 != 0 },
                scores: c.contains(.scores) ? try blob(.scores, UInt64.self).map(Double.init(bitPattern:)) : nil)
        }
    }

    /// Most predictions held.
    public let capacity: Int
    /// How long a prediction waits for its label, in event time (whole milliseconds count).
    public let ttl: Duration
    /// `ttl` in milliseconds (the expiry check runs per insert and per label).
    private let ttlMillis: Int64
    /// Latest prediction event time inserted, epoch ms (`Int64.min` before any).
    private var clockMillis: Int64 = .min
    /// The store's clock: the latest prediction event time inserted (`.distantPast` before any).
    public var clock: EventTime { EventTime(millisecondsSinceEpoch: clockMillis) }
    /// Unlabelled predictions dropped so far.
    public private(set) var drops = Drops()

    /// Ring slots in insertion order; grows up to `capacity`, then wraps.
    private var ring: [PendingPrediction] = []
    /// Slots in use (held predictions plus replaced, stale ones not yet passed).
    private var used = 0
    /// Sequence number of the next insert; slot of sequence s is s % capacity.
    private var nextSequence = 0
    /// id -> sequence of its current slot.
    private var index: [String: Int] = [:]

    /// An empty store.
    /// - Parameters:
    ///   - capacity: Most predictions held (values below 1 count as 1).
    ///   - ttl: Label wait in event time (values below 1 ms count as 1 ms).
    public init(capacity: Int, ttl: Duration) {
        self.capacity = max(1, capacity)
        self.ttlMillis = max(1, ttl.wholeMilliseconds)
        self.ttl = .milliseconds(ttlMillis)
    }

    /// Predictions held (labelled or not).
    public var count: Int { index.count }

    /// Predictions held that have no label yet.
    public private(set) var pendingCount = 0

    /// The prediction held for `id`, without marking it.
    /// - Parameter id: Event id.
    /// - Returns: The held prediction, if any.
    public func prediction(for id: String) -> PendingPrediction? {
        index[id].map { ring[slot($0)] }
    }

    /// Holds a prediction until its label arrives.
    /// - Parameters:
    ///   - id: Event id.
    ///   - predictedClass: Class code.
    ///   - at: Event time of the inference event.
    /// - Returns: false when the prediction had already expired (older than the clock minus
    ///   the TTL) and was not stored.
    @discardableResult
    ///   - score: The prediction as scored (default: the class code).
    public mutating func insert(id: String, predictedClass: Int32, at time: EventTime, score: Double? = nil) -> Bool {
        insert(PendingPrediction(id: id, predictedClass: predictedClass, eventTime: time, score: score))
    }

    private mutating func insert(_ prediction: PendingPrediction) -> Bool {
        let millis = prediction.eventTime.millisecondsSinceEpoch
        if millis > clockMillis {
            clockMillis = millis
            sweep()
        }
        if isExpired(millis) {
            if !prediction.labelled { drops.expired += 1 }
            return false
        }
        if let old = index[prediction.id], !ring[slot(old)].labelled {
            drops.replaced += 1
            pendingCount -= 1
        }
        if used == capacity { dropOldest(expired: false) }
        let sequence = nextSequence
        if ring.count < capacity {
            ring.append(prediction)
        } else {
            ring[slot(sequence)] = prediction
        }
        index[prediction.id] = sequence
        if !prediction.labelled { pendingCount += 1 }
        used += 1
        nextSequence += 1
        return true
    }

    /// Looks a label's id up and marks the prediction labelled.
    /// - Parameter id: The labelled event's id.
    /// - Returns: What the label found.
    public mutating func match(id: String) -> Match {
        guard let sequence = index[id] else { return .unmatched }
        let s = slot(sequence)
        let prediction = ring[s]
        if prediction.labelled { return .duplicate(prediction) }
        ring[s].labelled = true
        pendingCount -= 1
        return isExpired(prediction.eventTime.millisecondsSinceEpoch) ? .expired(prediction) : .joined(prediction)
    }

    // MARK: - Eviction and expiry

    private func slot(_ sequence: Int) -> Int { sequence % capacity }

    /// Whether a prediction of event time `millis` has outlived the TTL at the current clock.
    private func isExpired(_ millis: Int64) -> Bool {
        let (horizon, overflow) = clockMillis.subtractingReportingOverflow(ttlMillis)
        return !overflow && millis < horizon
    }

    /// Drops expired and stale slots from the oldest end.
    private mutating func sweep() {
        while used > 0 {
            let sequence = nextSequence - used
            let prediction = ring[slot(sequence)]
            let current = index[prediction.id] == sequence
            if current && !isExpired(prediction.eventTime.millisecondsSinceEpoch) { return }
            dropOldest(expired: true)
        }
    }

    /// Removes the oldest slot, counting an unlabelled current prediction as evicted or expired.
    private mutating func dropOldest(expired: Bool) {
        let sequence = nextSequence - used
        let s = slot(sequence)
        let prediction = ring[s]
        if index[prediction.id] == sequence {
            index[prediction.id] = nil
            if !prediction.labelled {
                pendingCount -= 1
                if expired { drops.expired += 1 } else { drops.evicted += 1 }
            }
        }
        // Release the id's storage now rather than when the slot is reused.
        ring[s].id = ""
        used -= 1
    }

    // MARK: - Persistence

    /// The held predictions, newest `limit` of them, oldest first.
    /// - Parameter limit: Most entries to include.
    /// - Returns: The state.
    public func state(limit: Int) -> State {
        var held: [PendingPrediction] = []
        held.reserveCapacity(min(index.count, max(0, limit)))
        var sequence = nextSequence - 1
        let oldest = nextSequence - used
        while sequence >= oldest && held.count < limit {
            let prediction = ring[slot(sequence)]
            if index[prediction.id] == sequence { held.append(prediction) }
            sequence -= 1
        }
        held.reverse()
        return State(
            clockMillis: clockMillis == .min ? nil : clockMillis, ids: held.map(\.id),
            classes: held.map(\.predictedClass),
            times: held.map(\.eventTime.millisecondsSinceEpoch), labelled: held.map(\.labelled),
            scores: held.map(\.score))
    }

    /// A store with this capacity and TTL holding a saved state's predictions (the newest
    /// `capacity` of them; any that expired under this TTL are dropped). Arrays of different
    /// lengths are read up to the shortest.
    /// - Parameters:
    ///   - capacity: Most predictions held.
    ///   - ttl: Label wait.
    ///   - state: Saved contents.
    public init(capacity: Int, ttl: Duration, state: State) {
        self.init(capacity: capacity, ttl: ttl)
        if let clock = state.clockMillis { clockMillis = clock }
        let n = min(state.ids.count, state.classes.count, state.times.count, state.labelled.count)
        for i in max(0, n - self.capacity)..<n {
            _ = insert(
                PendingPrediction(
                    id: state.ids[i], predictedClass: state.classes[i],
                    eventTime: EventTime(millisecondsSinceEpoch: state.times[i]),
                    labelled: state.labelled[i],
                    score: state.scores.flatMap { i < $0.count ? $0[i] : nil }))
        }
        drops = Drops()
    }
}
