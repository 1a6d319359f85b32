import DriftConfig
import DriftCore
import DriftData
import Foundation
import Testing

/// The committed example baseline is exactly what the builder makes of the committed CSV.
///
/// Regenerate after changing the data or the builder:
/// `DRIFTD_UPDATE_EXAMPLES=1 swift test --filter ExampleBaselineTests`.
@Suite("Example baseline and config")
struct ExampleBaselineTests {
    static func buildExample() throws -> Baseline {
        let table = try DataTable.read(path: RepositoryPaths.path("config/data/churn_training.csv"))
        return try table.buildBaseline(
            with: BaselineBuilder(), model: "churn", version: "3", predictionColumn: "churn_score",
            excludedColumns: ["customer_id"])
    }

    @Test("config/baselines/churn.json is the builder's output for config/data/churn_training.csv")
    func exampleBaselineIsBuilt() throws {
        let built = try Self.buildExample()
        let path = RepositoryPaths.path("config/baselines/churn.json")
        if ProcessInfo.processInfo.environment["DRIFTD_UPDATE_EXAMPLES"] == "1" {
            try BaselineFile.save(built, to: path)
        }
        let committed = try BaselineFile.load(path: path)
        #expect(committed == built)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == BaselineFile.encode(built))
        #expect(
            built.features.map(\.name) == ["tenure", "monthly_charges", "plan", "region", "support_calls", "autopay"])
        #expect(
            built.features.map(\.type) == [.numeric, .numeric, .categorical, .categorical, .categorical, .categorical])
        #expect(built.rowCount == 2_000)
        #expect(built.features[1].missingCount > 0)
    }

    @Test("config/driftd.yaml loads and resolves")
    func exampleConfigLoads() throws {
        let configuration = try ConfigurationLoader.load(file: RepositoryPaths.path("config/driftd.yaml"))
        #expect(configuration.kafka.brokers == "localhost:9092")
        #expect(configuration.models.count == 1)
        let churn = try #require(configuration.model(named: "churn"))
        #expect(churn.window == .count(events: 5_000, panes: 10))
        #expect(churn.rule(forFeature: "tenure").severity == .critical)
        #expect(churn.rule(forFeature: "region").enabled == false)
        #expect(churn.predictionRule?.method == .jensenShannon)
    }
}
