import DriftConfig
import DriftCore
import Foundation
import Testing

@Suite("Baseline files")
struct BaselineFileTests {
    @Test("save then load gives the same baseline, pretty-printed with sorted keys")
    func roundTrip() throws {
        let baseline = try BaselineFile.load(path: RepositoryPaths.fixture("baselines/churn.json"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "driftd-config-\(UUID().uuidString).json"
        ).path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try BaselineFile.save(baseline, to: path)
        #expect(try BaselineFile.load(path: path) == baseline)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("{\n  \"features\" : ["))
        let keys = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(keys == keys.sorted())
    }

    @Test("an invalid baseline lists every broken invariant and names the file")
    func invalid() throws {
        let path = try RepositoryPaths.fixture("baselines/bad_edges.json")
        let error = try #require(throws: BaselineFileError.self) { try BaselineFile.load(path: path) }
        #expect(error.code == .invalid)
        #expect(Set(error.validationErrors.map(\.code)) == [.badEdges, .badCounts])
        #expect(error.description.hasPrefix(path))
    }

    @Test("a document that is not a baseline names the missing key")
    func malformed() throws {
        let error = try #require(throws: BaselineFileError.self) {
            try BaselineFile.load(path: RepositoryPaths.fixture("baselines/not_a_baseline.json"))
        }
        #expect(error.code == .malformed)
        #expect(error.message.contains("missing key"))
        let garbage = try #require(throws: BaselineFileError.self) {
            try BaselineFile.decode(Data("{".utf8), file: "g.json")
        }
        #expect(garbage.code == .malformed)
        let unreadable = try #require(throws: BaselineFileError.self) {
            try BaselineFile.load(path: "/nonexistent/b.json")
        }
        #expect(unreadable.code == .unreadable)
    }

    @Test("an invalid baseline is not written")
    func refuseInvalid() throws {
        var baseline = try BaselineFile.load(path: RepositoryPaths.fixture("baselines/churn.json"))
        baseline.features[0].counts.removeLast()
        let error = try #require(throws: BaselineFileError.self) { try BaselineFile.encode(baseline) }
        #expect(error.code == .invalid)
    }
}
