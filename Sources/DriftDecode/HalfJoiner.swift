/// Request and response halves waiting for each other, joined by key within a time-to-live
/// and a bound on how many wait (the oldest is dropped first). Single-threaded.
struct HalfJoiner {
    /// A waiting half.
    struct Half {
        var body: InferenceBody
        var model: String
        var version: String?
        var isRequest: Bool
        var topic: String
        var timestampMs: Int64
        var arrivedMillis: Int64
        var sequence: UInt64 = 0
    }

    let ttlMillis: Int64
    let maxPending: Int
    private var pending: [String: Half] = [:]
    /// Keys in arrival order; an entry whose sequence no longer matches `pending` is stale.
    private var order: [(key: String, sequence: UInt64)] = []
    private var head = 0
    private var nextSequence: UInt64 = 0

    init(ttlMillis: Int64, maxPending: Int) {
        self.ttlMillis = ttlMillis
        self.maxPending = max(1, maxPending)
    }

    /// Halves waiting.
    var count: Int { pending.count }

    /// Offers a half: returns the waiting other half (removed) when there is one; otherwise the
    /// half waits. `dropped` receives halves dropped on the way (`replaced`, `evicted`).
    mutating func offer(_ half: Half, key: String, dropped: (Half, String) -> Void) -> Half? {
        if let waiting = pending[key] {
            if waiting.isRequest != half.isRequest {
                pending[key] = nil
                return waiting
            }
            dropped(waiting, "replaced")
        }
        var half = half
        nextSequence += 1
        half.sequence = nextSequence
        pending[key] = half
        order.append((key, nextSequence))
        while pending.count > maxPending, let (key, oldest) = popOldest() {
            pending[key] = nil
            dropped(oldest, "evicted")
        }
        return nil
    }

    /// Drops halves that have waited `ttlMillis` or longer.
    mutating func expire(nowMillis: Int64, dropped: (Half, String) -> Void) {
        while head < order.count {
            let (key, sequence) = order[head]
            guard let half = pending[key], half.sequence == sequence else {
                head += 1
                continue
            }
            guard nowMillis - half.arrivedMillis >= ttlMillis else { break }
            pending[key] = nil
            head += 1
            dropped(half, "expired")
        }
        compact()
    }

    private mutating func popOldest() -> (String, Half)? {
        while head < order.count {
            let (key, sequence) = order[head]
            head += 1
            if let half = pending[key], half.sequence == sequence { return (key, half) }
        }
        return nil
    }

    private mutating func compact() {
        if head > 1_024 && head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
