import DriftCore
import Testing

@Suite("Version order and the nearest older version")
struct VersionOrderTests {
    @Test("natural order: numbers by value, prefixes first, a leading v ignored")
    func order() {
        #expect(VersionOrder.isOlder("2", than: "10"))
        #expect(VersionOrder.isOlder("1.9", than: "1.10"))
        #expect(VersionOrder.isOlder("3", than: "3.1"))
        #expect(!VersionOrder.isOlder("v4", than: "4") && !VersionOrder.isOlder("4", than: "v4"))
        #expect(VersionOrder.isOlder("2024-01-09", than: "2024-01-10"))
        #expect(VersionOrder.isOlder("1.0-rc1", than: "1.0-rc2"))
        #expect(!VersionOrder.isOlder("10", than: "9"))
        #expect(VersionOrder.isOlder("007", than: "8"))
    }

    @Test("nearest older: the last configured version older than the event's")
    func nearestOlder() {
        let configured = ["1", "3", "7"]
        #expect(VersionOrder.nearestOlder(than: "5", among: configured) == "3")
        #expect(VersionOrder.nearestOlder(than: "12", among: configured) == "7")
        #expect(VersionOrder.nearestOlder(than: "3.5", among: configured) == "3")
        #expect(VersionOrder.nearestOlder(than: "1", among: configured) == nil)
        #expect(VersionOrder.nearestOlder(than: "0.9", among: configured) == nil)
    }
}
