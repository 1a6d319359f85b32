import DriftCore
import Testing

/// `store.match` outside the `#expect` macro, which cannot call mutating members.
private func match(_ store: inout PredictionStore, _ id: String) -> PredictionStore.Match {
    store.match(id: id)
}

/// `store.insert` outside the `#expect` macro.
private func insert(_ store: inout PredictionStore, id: String, predictedClass: Int32, eventMillis: Int64) -> Bool {
    store.insert(id: id, predictedClass: predictedClass, at: EventTime(millisecondsSinceEpoch: eventMillis))
}

@Suite("Prediction store")
struct PredictionStoreTests {
    @Test("a label finds its prediction once; a second label for the id is a duplicate")
    func joinAndDuplicate() {
        var store = PredictionStore(capacity: 10, ttl: .seconds(1))
        #expect(insert(&store, id: "a", predictedClass: 1, eventMillis: 100))
        #expect(insert(&store, id: "b", predictedClass: 0, eventMillis: 110))
        #expect(store.pendingCount == 2)
        #expect(
            match(&store, "a")
                == .joined(
                    PendingPrediction(id: "a", predictedClass: 1, eventTime: EventTime(millisecondsSinceEpoch: 100))))
        #expect(store.pendingCount == 1)
        #expect(
            match(&store, "a")
                == .duplicate(
                    PendingPrediction(
                        id: "a", predictedClass: 1, eventTime: EventTime(millisecondsSinceEpoch: 100), labelled: true)))
        #expect(match(&store, "zzz") == .unmatched)
        #expect(store.count == 2)
    }

    @Test("a full store evicts the oldest inserted prediction first, whatever its event time")
    func fifoEviction() {
        var store = PredictionStore(capacity: 3, ttl: .milliseconds(1_000_000))
        store.insert(id: "p1", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 500))
        // Older event time, inserted later.
        store.insert(id: "p2", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 100))
        store.insert(id: "p3", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 300))
        store.insert(id: "p4", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 400))
        #expect(store.count == 3)
        #expect(store.prediction(for: "p1") == nil)
        #expect(store.prediction(for: "p2") != nil)
        store.insert(id: "p5", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 450))
        #expect(store.prediction(for: "p2") == nil)
        #expect(store.prediction(for: "p3") != nil)
        #expect(store.drops.evicted == 2)
        #expect(match(&store, "p1") == .unmatched)
    }

    @Test("eviction keeps the store at capacity over many wraps of the ring")
    func manyWraps() {
        var store = PredictionStore(capacity: 7, ttl: .milliseconds(1_000_000))
        for i in 0..<100 {
            store.insert(id: "id-\(i)", predictedClass: Int32(i % 2), at: EventTime(millisecondsSinceEpoch: Int64(i)))
        }
        #expect(store.count == 7)
        #expect(store.pendingCount == 7)
        #expect(store.drops.evicted == 93)
        for i in 93..<100 { #expect(store.prediction(for: "id-\(i)")?.predictedClass == Int32(i % 2)) }
        #expect(store.prediction(for: "id-92") == nil)
    }

    @Test("predictions expire after the TTL of inference event time; labels do not move the clock")
    func expiry() {
        var store = PredictionStore(capacity: 100, ttl: .seconds(1))
        store.insert(id: "old", predictedClass: 1, at: EventTime(millisecondsSinceEpoch: 0))
        store.insert(id: "mid", predictedClass: 1, at: EventTime(millisecondsSinceEpoch: 600))
        // The clock is 600: nothing has expired yet.
        #expect(
            match(&store, "old")
                == .joined(
                    PendingPrediction(id: "old", predictedClass: 1, eventTime: EventTime(millisecondsSinceEpoch: 0))))
        store.insert(id: "late-out-of-order", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 700))
        store.insert(id: "new", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 1_650))
        // Clock 1650, horizon 650: "mid" (600) expired and was swept from the oldest end
        // after "old" (labelled, also past the horizon).
        #expect(store.prediction(for: "mid") == nil)
        #expect(store.drops.expired == 1)
        #expect(match(&store, "mid") == .unmatched)
        #expect(store.prediction(for: "late-out-of-order") != nil)
        // A prediction already past the horizon when it arrives is not stored.
        #expect(!insert(&store, id: "backfill", predictedClass: 0, eventMillis: 10))
        #expect(store.drops.expired == 2)
        #expect(store.clock.millisecondsSinceEpoch == 1_650)
    }

    @Test("an expired prediction still in the ring (behind a newer one) answers expired, once")
    func expiredBehindNewer() {
        var store = PredictionStore(capacity: 100, ttl: .seconds(1))
        store.insert(id: "fresh", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 5_000))
        store.insert(id: "stale", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 4_500))
        store.insert(id: "clock", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 5_600))
        // "fresh" (5000) is at the oldest end and not expired, so "stale" (4500) is not swept...
        #expect(store.prediction(for: "stale") != nil)
        // ...but a label for it is too late.
        #expect(
            match(&store, "stale")
                == .expired(
                    PendingPrediction(
                        id: "stale", predictedClass: 0, eventTime: EventTime(millisecondsSinceEpoch: 4_500))))
        #expect(
            match(&store, "stale")
                == .duplicate(
                    PendingPrediction(
                        id: "stale", predictedClass: 0, eventTime: EventTime(millisecondsSinceEpoch: 4_500),
                        labelled: true)))
    }

    @Test("a re-used id is replaced by its latest prediction and counted")
    func replacement() {
        var store = PredictionStore(capacity: 3, ttl: .milliseconds(1_000_000))
        store.insert(id: "x", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 1))
        store.insert(id: "x", predictedClass: 1, at: EventTime(millisecondsSinceEpoch: 2))
        #expect(store.count == 1)
        #expect(store.pendingCount == 1)
        #expect(store.drops.replaced == 1)
        #expect(store.prediction(for: "x")?.predictedClass == 1)
        // The stale slot still occupies the ring until passed; the current entry survives it.
        store.insert(id: "y", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 3))
        store.insert(id: "z", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 4))
        #expect(store.prediction(for: "x")?.predictedClass == 1)
        #expect(store.drops.evicted == 0)
        store.insert(id: "w", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 5))
        #expect(store.prediction(for: "x") == nil)
        #expect(store.drops.evicted == 1)
    }

    @Test("labelled predictions dropped later are not counted as evicted or expired")
    func labelledDropsUncounted() {
        var store = PredictionStore(capacity: 2, ttl: .milliseconds(1_000_000))
        store.insert(id: "a", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 1))
        _ = store.match(id: "a")
        store.insert(id: "b", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 2))
        store.insert(id: "c", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: 3))
        #expect(store.drops == PredictionStore.Drops())
        #expect(store.pendingCount == 2)
    }

    @Test("state round trip keeps order, labels and clock; a cap keeps the newest")
    func stateRoundTrip() {
        var store = PredictionStore(capacity: 5, ttl: .seconds(1))
        for i in 0..<5 {
            store.insert(id: "e\(i)", predictedClass: Int32(i), at: EventTime(millisecondsSinceEpoch: Int64(100 + i)))
        }
        _ = store.match(id: "e3")
        let full = store.state(limit: 100)
        #expect(full.ids == ["e0", "e1", "e2", "e3", "e4"])
        #expect(full.labelled == [false, false, false, true, false])
        #expect(full.clockMillis == 104)
        var restored = PredictionStore(capacity: 5, ttl: .seconds(1), state: full)
        #expect(restored.state(limit: 100) == full)
        #expect(restored.pendingCount == 4)
        #expect(
            match(&restored, "e3")
                == .duplicate(
                    PendingPrediction(
                        id: "e3", predictedClass: 3, eventTime: EventTime(millisecondsSinceEpoch: 103), labelled: true))
        )
        let capped = store.state(limit: 2)
        #expect(capped.ids == ["e3", "e4"])
        // A smaller capacity keeps the newest entries.
        let smaller = PredictionStore(capacity: 2, ttl: .seconds(1), state: full)
        #expect(smaller.state(limit: 10).ids == ["e3", "e4"])
        // Ragged arrays (a damaged file) are read up to the shortest, never out of bounds.
        var ragged = full
        ragged.times.removeLast(2)
        #expect(PredictionStore(capacity: 5, ttl: .seconds(1), state: ragged).count == 3)
    }

    @Test("nonsense sizes are clamped instead of trapping")
    func clamps() {
        var store = PredictionStore(capacity: 0, ttl: .milliseconds(-5))
        #expect(store.capacity == 1)
        #expect(store.ttl == .milliseconds(1))
        store.insert(id: "a", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: .max))
        store.insert(id: "b", predictedClass: 0, at: EventTime(millisecondsSinceEpoch: .min))
        #expect(store.count == 1)
    }
}
