import DriftCore
import Foundation
import Testing

@Suite("Event time and wall-clock instants")
struct EventTimeTests {
    @Test("adds and subtracts durations in whole milliseconds")
    func arithmetic() {
        let t = EventTime(millisecondsSinceEpoch: 1_700_000_000_000)
        #expect((t + .seconds(2)).millisecondsSinceEpoch == 1_700_000_002_000)
        #expect((t - .milliseconds(250)).millisecondsSinceEpoch == 1_699_999_999_750)
        // Sub-millisecond parts are truncated toward zero.
        #expect((t + .microseconds(1_999)).millisecondsSinceEpoch == 1_700_000_000_001)
        #expect((t + .seconds(5)) - t == .seconds(5))
        #expect(t - (t + .seconds(5)) == .seconds(-5))
        var u = t
        u += .seconds(60)
        u -= .seconds(30)
        #expect(u - t == .seconds(30))
    }

    @Test("saturates at the ends of the range instead of wrapping")
    func saturates() {
        #expect(EventTime.distantFuture + .seconds(1) == .distantFuture)
        #expect(EventTime.distantPast - .seconds(1) == .distantPast)
        #expect(EventTime.distantPast + .seconds(-1) == .distantPast)
        #expect(EventTime.distantFuture - EventTime.distantPast == .milliseconds(Int64.max))
        #expect(EventTime.distantPast - EventTime.distantFuture == .milliseconds(Int64.min))
    }

    @Test("orders by time")
    func ordering() {
        let a = EventTime(millisecondsSinceEpoch: -5)
        let b = EventTime.epoch
        #expect(a < b)
        #expect(max(a, b) == b)
        #expect(EventTime.distantPast < a && b < EventTime.distantFuture)
    }

    @Test("encodes as a bare integer of milliseconds, as the checkpoints always stored it")
    func codable() throws {
        struct Holder: Codable, Equatable {
            var at: EventTime
            var maybe: EventTime?
            var clock: WallClockTime
        }
        let h = Holder(
            at: EventTime(millisecondsSinceEpoch: 1_700_000_000_123), maybe: nil,
            clock: WallClockTime(millisecondsSinceEpoch: 42))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(h), as: UTF8.self)
        #expect(json == #"{"at":1700000000123,"clock":42}"#)
        let old = Data(#"{"at":1700000000123,"maybe":-7,"clock":42}"#.utf8)
        let decoded = try JSONDecoder().decode(Holder.self, from: old)
        #expect(decoded.maybe == EventTime(millisecondsSinceEpoch: -7))
        #expect(decoded.at == h.at)
    }

    @Test("prints as RFC 3339")
    func description() {
        #expect(EventTime(millisecondsSinceEpoch: 1_500).description == "1970-01-01T00:00:01.500Z")
        // The sentinels print without trapping.
        #expect(EventTime.distantPast.description == "distantPast")
        #expect(EventTime.distantFuture.description.hasSuffix("Z"))
    }

    @Test("estimated event time: the last event's time plus the clock time elapsed since, never less")
    func estimated() {
        let last = EventTime(millisecondsSinceEpoch: 1_000_000)
        let seen = WallClockTime(millisecondsSinceEpoch: 9_000_000)
        #expect(
            EventTime.estimated(lastEvent: last, seenAt: seen, now: seen + .seconds(3))
                == EventTime(millisecondsSinceEpoch: 1_003_000))
        // The clock stepped back: event time does not.
        #expect(EventTime.estimated(lastEvent: last, seenAt: seen, now: seen - .seconds(3)) == last)
        #expect(
            EventTime(sameInstantAs: WallClockTime(millisecondsSinceEpoch: 77))
                == EventTime(millisecondsSinceEpoch: 77))
    }

    @Test("whole milliseconds of a duration truncate toward zero and saturate")
    func durationMilliseconds() {
        #expect(Duration.seconds(3).wholeMilliseconds == 3_000)
        #expect(Duration.microseconds(-1_500).wholeMilliseconds == -1)
        #expect(Duration.seconds(Int64.max).wholeMilliseconds == Int64.max)
        #expect(Duration.milliseconds(Int64.min).wholeMilliseconds == Int64.min)
    }
}
