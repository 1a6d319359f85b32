import DriftConfig
import Testing

@Suite("Duration text")
struct DurationTextTests {
    @Test(
        "units and combinations",
        arguments: [
            ("250ms", Int64(250)), ("10s", 10_000), ("5m", 300_000), ("1h", 3_600_000), ("2d", 172_800_000),
            ("1h30m", 5_400_000), ("0", 0), ("0s", 0)
        ])
    func parses(text: String, millis: Int64) {
        #expect(DurationText.milliseconds(from: text) == millis)
    }

    @Test(
        "bare numbers, unknown units, signs, spaces and overflow are refused",
        arguments: [
            "10", "", "s", "10x", "-5s", "1.5h", " 1s", "1s ", "10S", "99999999999999999999s", "9223372036854775807d"
        ])
    func refuses(text: String) {
        #expect(DurationText.milliseconds(from: text) == nil)
    }

    @Test("formatting is the shortest exact form")
    func formats() {
        #expect(DurationText.format(milliseconds: 600_000) == "10m")
        #expect(DurationText.format(milliseconds: 5_400_250) == "1h30m250ms")
        #expect(DurationText.format(milliseconds: 0) == "0s")
    }
}
