import DriftCore
import Foundation
import Testing

@Suite("Event formatting")
struct EventFormattingTests {
    @Test(
        "RFC 3339 formatting agrees with Foundation's ISO 8601 formatter",
        arguments: [
            Int64(0), 1, 999, 86_399_999, 951_782_400_000, 1_795_300_000_123, 4_102_444_799_999, -1, -86_400_001
        ])
    func rfc3339(millis: Int64) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        let expected = formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
        #expect(RFC3339.format(millis: millis) == expected)
    }

    @Test("fingerprints are stable, 16 hex digits, and separate parts")
    func fingerprint() {
        // FNV-1a 64 of "a": the published test vector af63dc4c8601ec8c.
        #expect(Fingerprint.of("a") == "af63dc4c8601ec8c")
        #expect(Fingerprint.of("ab", "c") != Fingerprint.of("a", "bc"))
        #expect(Fingerprint.of("churn", "feature", "plan").count == 16)
    }

    @Test("alert payload encodes snake_case keys and an explicit null feature")
    func alertEncoding() throws {
        let payload = AlertPayload(
            model: "churn", version: "3", feature: nil, target: "prediction", status: .firing, severity: .critical,
            method: "jensen_shannon", score: 0.3, threshold: 0.1, pValue: nil,
            window: EventWindow(start: "a", end: "b", events: 10), baselineID: "churn@3:x", fingerprint: "f",
            firedAt: "t", missingShare: 0, unseenShare: 0, outOfRangeShare: 0.01, reason: "r")
        let json = try #require(String(data: try JSONEncoder().encode(payload), encoding: .utf8))
        #expect(json.contains("\"feature\":null"))
        #expect(json.contains("\"baseline_id\":\"churn@3:x\""))
        #expect(json.contains("\"out_of_range_share\":0.01"))
        let back = try JSONDecoder().decode(AlertPayload.self, from: Data(json.utf8))
        #expect(back == payload)
    }
}
