import DriftDecode
import Foundation
import Testing

@Suite("Event timestamps")
struct TimestampTests {
    /// Epoch milliseconds of a civil time at a UTC offset, computed by Foundation's calendar.
    static func epochMs(
        _ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, ms: Int = 0,
        offsetMinutes: Int = 0
    ) -> Int64 {
        // Civil time at the offset = UTC civil time minus the offset (TimeZone caps offsets at 18 h).
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let components = DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        guard let date = calendar.date(from: components) else { return Int64.min }
        return Int64((date.timeIntervalSince1970 * 1000).rounded()) + Int64(ms) - Int64(offsetMinutes) * 60_000
    }

    static let valid: [(String, Int64)] = [
        ("2026-11-21T10:06:40Z", epochMs(2026, 11, 21, 10, 6, 40)),
        ("2026-11-21t10:06:40z", epochMs(2026, 11, 21, 10, 6, 40)),
        ("2026-11-21 10:06:40Z", epochMs(2026, 11, 21, 10, 6, 40)),
        ("2026-11-21T10:06:40.5Z", epochMs(2026, 11, 21, 10, 6, 40, ms: 500)),
        ("2026-11-21T10:06:40.123Z", epochMs(2026, 11, 21, 10, 6, 40, ms: 123)),
        ("2026-11-21T10:06:40.123999999Z", epochMs(2026, 11, 21, 10, 6, 40, ms: 123)),
        ("2026-11-21T10:06:40+02:00", epochMs(2026, 11, 21, 10, 6, 40, offsetMinutes: 120)),
        ("2026-11-21T10:06:40.25-05:30", epochMs(2026, 11, 21, 10, 6, 40, ms: 250, offsetMinutes: -330)),
        ("2026-11-21T10:06:40-00:00", epochMs(2026, 11, 21, 10, 6, 40)),
        ("2024-02-29T23:59:59.999+23:59", epochMs(2024, 2, 29, 23, 59, 59, ms: 999, offsetMinutes: 23 * 60 + 59)),
        ("2000-02-29T00:00:00Z", epochMs(2000, 2, 29, 0, 0, 0)),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59.5Z", -500),
        ("0001-01-01T00:00:00Z", -62_135_596_800_000),
        ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
        ("2016-12-31T23:59:60Z", epochMs(2017, 1, 1, 0, 0, 0))  // leap second: next second
    ]

    @Test("RFC 3339 variants", arguments: valid)
    func rfc3339(text: String, expected: Int64) throws {
        let decoder = try TestSchemas.decoder()
        let batch = decoder.decode([#"{"model":"churn","timestamp":"\#(text)","features":{}}"#])
        #expect(batch.rejects.isEmpty, "\(batch.rejects)")
        #expect(batch.rows("churn")?.columns.timestamps == [expected])
    }

    @Test(
        "bad RFC 3339 strings are rejected",
        arguments: [
            "2026-11-21T10:06:40", "2026-11-21", "2026-11-21T10:06Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
            "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-01T24:00:00Z",
            "2026-01-01T00:60:00Z", "2026-01-01T00:00:61Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+0200",
            "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00+01:60", "2026-01-01T00:00:00ZZ", "2026-01-01X00:00:00Z",
            "26-01-01T00:00:00Z", "2026-1-01T00:00:00Z", "+2026-01-01T00:00:00Z", "2026-01-01T00:00:00 Z", "",
            "0000-01-01T00:00:00Z", "0001-01-01T00:00:00+00:01", "2026-01-01T00:00:00.123+01", "１９７０-01-01T00:00:00Z"
        ])
    func badRFC3339(text: String) throws {
        let decoder = try TestSchemas.decoder()
        let batch = decoder.decode([#"{"model":"churn","timestamp":"\#(text)","features":{}}"#])
        #expect(batch.rejects.map(\.error.code) == [.badTimestamp])
    }

    @Test("epoch milliseconds: integers, integral doubles; null or absent uses the fallback")
    func epochMilliseconds() throws {
        let decoder = try TestSchemas.decoder()
        let batch = decoder.decode(
            [
                #"{"model":"churn","timestamp":1795300000000,"features":{}}"#,
                #"{"model":"churn","timestamp":1.7953e12,"features":{}}"#,
                #"{"model":"churn","timestamp":1795300000000.0,"features":{}}"#,
                #"{"model":"churn","timestamp":-1,"features":{}}"#,
                #"{"model":"churn","timestamp":null,"features":{}}"#,
                #"{"model":"churn","features":{}}"#
            ], fallback: 777)
        #expect(batch.rejects.isEmpty)
        #expect(
            batch.rows("churn")?.columns.timestamps == [
                1_795_300_000_000, 1_795_300_000_000, 1_795_300_000_000, -1, 777, 777
            ])
    }
}
