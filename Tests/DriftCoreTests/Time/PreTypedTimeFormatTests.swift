import DriftCore
import Foundation
import Testing

/// Checkpointed state and rules written before time was typed still read, and are written
/// back byte for byte the same.
///
/// `Fixtures/pre-typed-time-state.json` was encoded (JSONEncoder, sorted keys) by the code of
/// commit 30712a7, where these fields were bare `Int64` milliseconds: a monitor with a 5 s time
/// window whose `x` alert fired and resolved (`firedAtMillis`, `lastResolvedMillis`) and that
/// requested a retrain (`lastRequestMillis`), the rules (`cooldownMillis`, `labelTTLMillis`,
/// `time.durationMillis`) and an accuracy monitor holding predictions (`clock_ms`, `times`).
@Suite("Formats from before typed time")
struct PreTypedTimeFormatTests {
    struct Fixture: Codable {
        var window: WindowSpec
        var alertRule: AlertRule
        var retrainRule: RetrainRule
        var accuracyRule: AccuracyRule
        var monitor: ModelMonitor.State
        var accuracy: AccuracyMonitor.State
    }

    static func data() throws -> Data {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return try Data(contentsOf: root.appendingPathComponent("pre-typed-time-state.json"))
    }

    @Test("the old fixture decodes into the typed fields")
    func decodes() throws {
        let fixture = try JSONDecoder().decode(Fixture.self, from: try Self.data())
        #expect(fixture.window == .time(duration: .seconds(5), panes: 5))
        #expect(fixture.alertRule.cooldown == .seconds(60))
        #expect(fixture.retrainRule.cooldown == .seconds(3_600))
        #expect(fixture.accuracyRule.labelTTL == .seconds(3_600))
        #expect(fixture.accuracyRule.cooldown == .seconds(120))
        let series = fixture.monitor.alerts[0]
        #expect(series.firedAt == EventTime(millisecondsSinceEpoch: 1_764_547_220_102))
        #expect(series.lastResolved == EventTime(millisecondsSinceEpoch: 1_764_547_228_999))
        #expect(fixture.monitor.retrain.lastRequest == EventTime(millisecondsSinceEpoch: 1_764_547_220_999))
        // The restored cooldown runs from the saved resolve on the typed clock.
        #expect(series.cooldownEnd(rule: fixture.alertRule) == EventTime(millisecondsSinceEpoch: 1_764_547_288_999))
    }

    @Test("encoding the decoded fixture gives the old bytes back")
    func roundTrip() throws {
        let old = try Self.data()
        let fixture = try JSONDecoder().decode(Fixture.self, from: old)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let again = try encoder.encode(fixture)
        #expect(String(decoding: again, as: UTF8.self) == String(decoding: old, as: UTF8.self))
    }
}
