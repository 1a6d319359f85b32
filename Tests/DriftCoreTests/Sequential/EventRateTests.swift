import DriftCore
import Foundation
import Testing

@Suite("Event rate in event time")
struct EventRateTests {
    @Test("assumed 1,000 events/s until a minute of event time is seen; then the observed rate, smoothed")
    func rate() {
        var rate = EventRate()
        #expect(rate.perMillisecond == 1)
        // 100 events/s: 6,000 events over 60 s (timestamps 0, 10, 20, ...).
        var changed = false
        for start in stride(from: Int64(0), to: 60_000, by: 1_000) {
            changed = rate.observe(count: 100, minMillis: start, maxMillis: start + 990) || changed
        }
        #expect(!changed)
        let closed = rate.observe(count: 1, minMillis: 60_000, maxMillis: 60_000)
        #expect(closed)
        #expect(abs(rate.perMillisecond - 6_001.0 / 60_000) < 1e-12)
        #expect(rate.epochs == 1)
        // The next epoch at 10 events/ms moves the log-rate a quarter of the way.
        let second = rate.observe(count: 600_001, minMillis: 60_001, maxMillis: 120_001)
        #expect(second)
        let expected = exp(0.75 * log(6_001.0 / 60_000) + 0.25 * log(600_001.0 / 60_000))
        #expect(abs(rate.perMillisecond / expected - 1) < 1e-12)
    }

    @Test("a burst with one timestamp closes its epoch at 10^6 events and is clamped")
    func burst() {
        var rate = EventRate()
        let early = rate.observe(count: 999_999, minMillis: 5, maxMillis: 5)
        #expect(!early)
        let full = rate.observe(count: 1, minMillis: 5, maxMillis: 5)
        #expect(full)
        #expect(rate.perMillisecond == 1e4)
    }
}
